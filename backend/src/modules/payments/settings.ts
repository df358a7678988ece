import { readFileSync } from 'node:fs';
import type { Config } from '../../platform/config';
import { createWechatPayClient, type WechatPayClient, type WechatPaySettings } from './providers/wechatpay/client';

const clients = new WeakMap<Config, WechatPayClient>();

/** PEM text as given, or read from the path given. */
function pemFrom(value: string): string {
  return value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readFileSync(value, 'utf8');
}

/** The WeChat Pay settings in the configuration, or undefined while payments are not configured. */
export function wechatPaySettings(config: Config): WechatPaySettings | undefined {
  const { WECHATPAY_MCHID: mchid, WECHATPAY_PRIVATE_KEY: key, WECHATPAY_MERCHANT_SERIAL: serial, WECHATPAY_APIV3_KEY: apiV3Key, WECHATPAY_NOTIFY_URL: notifyUrl } = config;
  if (!mchid || !key || !serial || !apiV3Key || !notifyUrl) return undefined;
  const publicKeyMode = config.WECHATPAY_VERIFY_MODE === 'publicKey';
  if (publicKeyMode && (!config.WECHATPAY_PUBLIC_KEY_ID || !config.WECHATPAY_PUBLIC_KEY)) throw new Error('invalid configuration: WECHATPAY_VERIFY_MODE=publicKey needs WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY');
  return {
    mchid,
    appid: config.WECHATPAY_APPID ?? config.WECHAT_APPID,
    merchantPrivateKeyPem: pemFrom(key),
    merchantSerial: serial,
    apiV3Key,
    baseUrl: config.WECHATPAY_API_BASE,
    notifyUrl,
    certificateRefreshMinIntervalMs: config.WECHATPAY_CERT_REFRESH_MIN_SECONDS * 1000,
    verification: publicKeyMode ? { mode: 'publicKey', publicKeyId: config.WECHATPAY_PUBLIC_KEY_ID!, publicKeyPem: pemFrom(config.WECHATPAY_PUBLIC_KEY!) } : { mode: 'certificate' },
  };
}

/** One client per configuration, so downloaded platform certificates are shared by every request. */
export function wechatPayClient(config: Config, nowMs: () => number): WechatPayClient | undefined {
  const known = clients.get(config);
  if (known) return known;
  const settings = wechatPaySettings(config);
  if (!settings) return undefined;
  const client = createWechatPayClient(settings, nowMs);
  clients.set(config, client);
  return client;
}
