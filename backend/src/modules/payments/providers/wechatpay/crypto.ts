import { createDecipheriv, createPublicKey, createVerify, type KeyObject } from 'node:crypto';

/** WeChat Pay's signed message: every line, the last one included, ends with `\n`. */
export function signedMessage(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

export function verifyRsaSha256(key: KeyObject, message: string | Buffer, signatureBase64: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

const TAG_BYTES = 16;

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it (the tag is the ciphertext's last 16 bytes). Unlike the pay library's
 * own `decipher_gcm`, this calls `final()`, so a tampered ciphertext, nonce or associated data throws.
 */
export function decryptAes256Gcm(apiV3Key: string, resource: { ciphertext: string; nonce: string; associated_data?: string }): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** A PEM public key or certificate, given as the PEM text itself or as a path to it. */
export function publicKeyFrom(pemOrCertificate: string): KeyObject {
  return createPublicKey(pemOrCertificate);
}
