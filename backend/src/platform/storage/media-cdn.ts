import { createHash, randomBytes } from 'node:crypto';
import type { CdnMediaStore, MediaStore } from './media';

export interface CdnSettings {
  /** Where learners fetch media, e.g. `https://media.example.com/ce` (the key's path is appended). */
  baseUrl: string;
  /** The CDN's URL-authentication key (type A). */
  signingKey: string;
  /** How long a signed URL works: the CDN's configured validity period must be the same. */
  ttlSeconds: number;
}

/** The user id part of type-A authentication: we do not tie a URL to a CDN user. */
const UID = '0';

/**
 * Type-A URL authentication as Tencent Cloud CDN and Alibaba Cloud CDN check it:
 * `?auth_key={timestamp}-{rand}-{uid}-{md5hash}` with md5hash = md5("{path}-{timestamp}-{rand}-{uid}-{key}"),
 * timestamp the signing time in Unix seconds; the CDN refuses the URL once timestamp + its validity period is past.
 */
export function typeAAuthUrl(settings: Pick<CdnSettings, 'baseUrl' | 'signingKey'>, key: string, now: Date, rand = randomBytes(16).toString('hex')): string {
  const base = new URL(settings.baseUrl);
  const path = `${base.pathname.replace(/\/+$/, '')}/${key}`;
  const timestamp = Math.floor(now.getTime() / 1000);
  const hash = createHash('md5').update(`${path}-${timestamp}-${rand}-${UID}-${settings.signingKey}`).digest('hex');
  return `${base.origin}${path}?auth_key=${timestamp}-${rand}-${UID}-${hash}`;
}

/**
 * Production delivery: files are kept by `origin` (the folder the CDN pulls from) and learners get signed CDN
 * URLs; the backend never streams video itself.
 */
export function createCdnMediaStore(origin: MediaStore, settings: CdnSettings): CdnMediaStore {
  return {
    put: origin.put,
    stat: origin.stat,
    open: origin.open,
    delete: origin.delete,
    driver: 'cdn',
    signedUrl(key, now) {
      const signedAt = Math.floor(now.getTime() / 1000);
      return { url: typeAAuthUrl(settings, key, now), expiresAt: new Date((signedAt + settings.ttlSeconds) * 1000) };
    },
  };
}
