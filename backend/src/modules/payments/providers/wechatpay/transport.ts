import { randomBytes, type KeyObject } from 'node:crypto';
import Pay from 'wechatpay-node-v3';
import { signedMessage, verifyRsaSha256 } from './crypto';
import type { VerificationKeys } from './verification-keys';

/** WeChat Pay answered with an error code (ORDERPAID, OUT_TRADE_NO_USED, SIGN_ERROR, …); the answer was verified. */
export class WechatPayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** An answer whose signature does not verify: it may not come from WeChat Pay, so nothing in it is used. */
export class UnverifiedResponseError extends Error {}

export const MAX_CLOCK_SKEW_SECONDS = 300;

/** The pay library signs requests (and mini-program paySign); its HTTP transport is not used. */
export class SigningPay extends Pay {
  signText(text: string): string {
    return this.sign(text);
  }
}

export interface TransportOptions {
  baseUrl: string;
  mchid: string;
  signer: SigningPay;
  keys: VerificationKeys;
  nowMs: () => number;
}

type SerialLookup = (serial: string) => KeyObject | undefined;

export interface VerifiedResponse<T> {
  status: number;
  data: T;
}

/**
 * Signs each request, sends it to `baseUrl` (the library hard-codes api.mch.weixin.qq.com and signs only the
 * path, so swapping the host keeps signatures valid) and verifies every answer's signature before reading it.
 */
export function createTransport(options: TransportOptions) {
  const { signer, keys } = options;

  async function keyFor(serial: string, lookup: SerialLookup | 'known keys only' | undefined): Promise<KeyObject | undefined> {
    if (typeof lookup === 'function') return lookup(serial);
    const known = keys.keyFor(serial);
    if (known || keys.mode !== 'certificate' || lookup === 'known keys only') return known;
    await keys.refresh(); // a serial we have not seen yet: WeChat Pay may have rotated its certificate
    return keys.keyFor(serial);
  }

  async function verify(response: Response, text: string, lookup: SerialLookup | 'known keys only' | undefined): Promise<void> {
    const timestamp = response.headers.get('wechatpay-timestamp') ?? '';
    const nonce = response.headers.get('wechatpay-nonce') ?? '';
    const serial = response.headers.get('wechatpay-serial') ?? '';
    const signature = response.headers.get('wechatpay-signature') ?? '';
    if (!timestamp || !nonce || !serial || !signature) throw new UnverifiedResponseError('微信支付应答缺少签名');
    if (Math.abs(options.nowMs() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) throw new UnverifiedResponseError('微信支付应答的时间戳超出 5 分钟');
    const key = await keyFor(serial, lookup);
    if (!key) throw new UnverifiedResponseError(`微信支付应答的证书序列号未知：${serial}`);
    if (!verifyRsaSha256(key, signedMessage(timestamp, nonce, text), signature)) throw new UnverifiedResponseError('微信支付应答签名验证失败');
  }

  /**
   * `lookup` replaces the verification keys for one request: the certificate download is verified with the
   * certificates it carries (decrypted with the APIv3 key, which only WeChat Pay and we hold); its refusals
   * with the keys already known (downloading again from there would wait for itself).
   */
  async function request<T>(method: 'GET' | 'POST', pathWithQuery: string, body?: object, lookup?: (text: string) => SerialLookup): Promise<VerifiedResponse<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const nonce = randomBytes(16).toString('hex');
    const timestamp = String(Math.floor(options.nowMs() / 1000));
    const signature = signer.getSignature(method, nonce, timestamp, pathWithQuery, text || undefined);
    const response = await fetch(options.baseUrl + pathWithQuery, {
      method,
      headers: {
        authorization: signer.getAuthorization(nonce, timestamp, signature),
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': 'ce-platform/1.0 (wechatpay-node-v3)',
      },
      body: body === undefined ? undefined : text,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await response.text();
    await verify(response, answer, lookup ? (response.ok ? lookup(answer) : 'known keys only') : undefined);
    const data = answer ? (JSON.parse(answer) as Record<string, unknown>) : {};
    if (!response.ok) throw new WechatPayApiError(response.status, String(data.code ?? 'UNKNOWN'), String(data.message ?? ''));
    return { status: response.status, data: data as T };
  }

  return { request };
}

export type Transport = ReturnType<typeof createTransport>;
