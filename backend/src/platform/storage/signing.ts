import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signed URL's query: when it stops working (Unix seconds) and the HMAC over the key and that moment. */
export interface UrlSignature {
  exp: number;
  sig: string;
}

function mac(secret: Buffer, key: string, exp: number): string {
  return createHmac('sha256', secret).update(`${key}\n${exp}`).digest('base64url');
}

export function signKey(secret: Buffer, key: string, expiresAt: Date): UrlSignature {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return { exp, sig: mac(secret, key, exp) };
}

export type SignatureCheck = 'valid' | 'expired' | 'forged';

/** Forged first (a wrong signature says nothing about time), then expired: both are refused the same way by the route. */
export function checkSignature(secret: Buffer, key: string, given: UrlSignature, now: Date): SignatureCheck {
  const expected = Buffer.from(mac(secret, key, given.exp));
  const actual = Buffer.from(given.sig);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'forged';
  return now.getTime() >= given.exp * 1000 ? 'expired' : 'valid';
}
