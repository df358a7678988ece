/**
 * Private file storage: files put under a key are never public; a short-lived signed URL (HMAC over key and
 * expiry) is the only way to read one from outside, through the `fileRoutes` below.
 */
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../errors';
import { defineRoute } from '../http/route';
import { checkSignature, signKey } from './signing';
import { createLocalFileStore, type FileStore } from './store';

export type { FileStore, StoredFile } from './store';
export { createLocalFileStore, isValidKey } from './store';
export { checkSignature, signKey, type SignatureCheck, type UrlSignature } from './signing';
export { sniffType } from './upload';

const stores = new Map<string, FileStore>();

/** The store the configuration names (local disk under STORAGE_DIR), one per folder. */
export function fileStore(config: Pick<Config, 'STORAGE_DIR'>): FileStore {
  let store = stores.get(config.STORAGE_DIR);
  if (!store) stores.set(config.STORAGE_DIR, (store = createLocalFileStore(config.STORAGE_DIR)));
  return store;
}

export const FILES_PATH = '/api/files';

/** A path (relative to the API's origin) that serves the file for STORAGE_URL_TTL_SECONDS from `now`. */
export function signedFileUrl(config: Pick<Config, 'storageUrlKey' | 'STORAGE_URL_TTL_SECONDS'>, key: string, now: Date): { url: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + config.STORAGE_URL_TTL_SECONDS * 1000);
  const { exp, sig } = signKey(config.storageUrlKey, key, expiresAt);
  return { url: `${FILES_PATH}/${encodeURIComponent(key)}?exp=${exp}&sig=${sig}`, expiresAt: new Date(exp * 1000) };
}

const fileAnswer = z.object({ contentType: z.string(), bytes: z.instanceof(Buffer), maxAgeSeconds: z.number().optional() });

export const fileRoutes = [
  defineRoute({
    method: 'get',
    path: `${FILES_PATH}/:key`,
    tag: 'files',
    summary: '按签名链接读取私有文件（链接短时有效；伪造或过期 → 403）',
    audience: 'public',
    params: z.object({ key: z.string().min(1).max(512) }),
    query: z.object({ exp: z.string().max(20).optional(), sig: z.string().max(128).optional() }),
    response: fileAnswer,
    sendsFile: true,
    handler: async ({ params, query, deps }) => {
      const now = deps.clock.now();
      const exp = Number(query.exp);
      if (!query.sig || !Number.isSafeInteger(exp)) throw new AppError('FILE_LINK_INVALID');
      if (checkSignature(deps.config.storageUrlKey, params.key, { exp, sig: query.sig }, now) !== 'valid') throw new AppError('FILE_LINK_INVALID');
      const file = await fileStore(deps.config).get(params.key);
      if (!file) throw new AppError('NOT_FOUND');
      return { contentType: file.contentType, bytes: file.bytes, maxAgeSeconds: exp - Math.floor(now.getTime() / 1000) };
    },
  }),
];

/** Lesson videos: the media store (local disk or CDN) and range-request answers for `streams` routes. */
export type { AnyMediaStore, ByteRange, CdnMediaStore, MediaObject, MediaSource, MediaStore, SignedMediaUrl } from './media';
export { mediaContentType, mediaStore } from './media';
export { typeAAuthUrl } from './media-cdn';
export { answerRange, parseRange, streamAnswer, type RangeAsk, type RangeRequest } from './range';
