import { decryptAes256Gcm, verifyRsaSha256 } from './crypto';
import { MAX_CLOCK_SKEW_SECONDS } from './transport';
import type { VerificationKeys } from './verification-keys';

/** Why a notification was not accepted; the answer tells WeChat Pay (and any prober) nothing more. */
export class NotificationRefused extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface PaidTransaction {
  mchid: string;
  appid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_state: string;
  success_time?: string;
  payer?: { openid?: string };
  amount: { total: number; payer_total?: number; currency: string; payer_currency?: string };
}

export interface SucceededRefund {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: string;
  success_time?: string;
  amount: { total: number; refund: number; payer_total?: number; payer_refund?: number };
}

export type DecodedNotification =
  | { id: string; eventType: 'TRANSACTION.SUCCESS'; resource: PaidTransaction }
  | { id: string; eventType: 'REFUND.SUCCESS'; resource: SucceededRefund }
  /** Genuine, but nothing we act on yet (REFUND.ABNORMAL, REFUND.CLOSED, …). */
  | { id: string; eventType: 'UNHANDLED'; original: string };

const HANDLED_EVENTS = new Set(['TRANSACTION.SUCCESS', 'REFUND.SUCCESS']);

/**
 * Verifies a notification on its exact bytes (re-serialising parsed JSON can break the signature), within
 * ±5 minutes, with a key of the current verification mode (an unknown platform serial triggers one certificate
 * download), and only then decrypts it, checking the GCM tag.
 */
export async function decodeNotification(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, keys: VerificationKeys, apiV3Key: string, nowMs: number): Promise<DecodedNotification> {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const timestamp = header('wechatpay-timestamp');
  const nonce = header('wechatpay-nonce');
  const serial = header('wechatpay-serial');
  const signature = header('wechatpay-signature');
  if (!timestamp || !nonce || !serial || !signature) throw new NotificationRefused(401, 'missing signature headers');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) throw new NotificationRefused(401, 'timestamp outside ±5 minutes');
  let key = keys.keyFor(serial);
  if (!key && keys.mode === 'certificate') {
    await keys.refresh().catch(() => undefined);
    key = keys.keyFor(serial);
  }
  if (!key) throw new NotificationRefused(401, `unknown serial ${serial.slice(0, 64)}`);
  if (!verifyRsaSha256(key, Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), rawBody, Buffer.from('\n')]), signature)) throw new NotificationRefused(401, 'signature does not verify');

  const envelope = parseObject(rawBody.toString('utf8'));
  const resource = envelope?.resource as Record<string, unknown> | undefined;
  if (!envelope || typeof envelope.id !== 'string' || typeof envelope.event_type !== 'string' || !resource) throw new NotificationRefused(400, 'not a notification');
  if (!HANDLED_EVENTS.has(envelope.event_type)) return { id: envelope.id, eventType: 'UNHANDLED', original: envelope.event_type.slice(0, 64) };
  if (resource.algorithm !== 'AEAD_AES_256_GCM' || typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') throw new NotificationRefused(400, 'unsupported resource');
  let plain: string;
  try {
    plain = decryptAes256Gcm(apiV3Key, { ciphertext: resource.ciphertext, nonce: resource.nonce, associated_data: typeof resource.associated_data === 'string' ? resource.associated_data : '' });
  } catch {
    throw new NotificationRefused(400, 'resource does not decrypt (tag check failed)');
  }
  const decrypted = parseObject(plain);
  if (!decrypted) throw new NotificationRefused(400, 'resource is not JSON');
  return { id: envelope.id, eventType: envelope.event_type, resource: decrypted } as unknown as DecodedNotification;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
