import type { Readable } from 'node:stream';
import type { Config } from '../config';
import { createCdnMediaStore } from './media-cdn';
import { createLocalMediaStore } from './media-local';

/** A stored media file as a range request needs it. */
export interface MediaObject {
  size: number;
  modifiedAt: Date;
  /** Strong validator: changes whenever the file is replaced. */
  etag: string;
}

/** Inclusive byte offsets, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What to store: bytes already in memory, or a file on disk (copied, never read whole into memory). */
export type MediaSource = { bytes: Buffer } | { path: string };

/**
 * Lesson videos (large, private, read in byte ranges). Keys are paths of safe segments (`videos/<lessonId>.mp4`).
 * `local`: the backend serves them with range requests behind its own signed route. `cdn`: the same files are the
 * CDN's origin and learners get CDN URLs signed with type-A URL authentication.
 */
export interface MediaStore {
  readonly driver: 'local' | 'cdn';
  put(key: string, source: MediaSource): Promise<MediaObject>;
  stat(key: string): Promise<MediaObject | undefined>;
  /** A stream of the file (or of one byte range of it); call `stat` first: a missing file errors the stream. */
  open(key: string, range?: ByteRange): Readable;
  delete(key: string): Promise<void>;
}

export interface SignedMediaUrl {
  url: string;
  expiresAt: Date;
}

export interface CdnMediaStore extends MediaStore {
  readonly driver: 'cdn';
  /** A CDN URL for the key, valid MEDIA_URL_TTL_SECONDS from `now` (the CDN's own setting must say the same). */
  signedUrl(key: string, now: Date): SignedMediaUrl;
}

export type AnyMediaStore = MediaStore & ({ driver: 'local' } | CdnMediaStore);

type MediaConfig = Pick<Config, 'MEDIA_DRIVER' | 'MEDIA_DIR' | 'MEDIA_CDN_BASE_URL' | 'MEDIA_CDN_SIGNING_KEY' | 'MEDIA_URL_TTL_SECONDS'>;

const stores = new Map<string, AnyMediaStore>();

/** The media store the configuration names (MEDIA_DRIVER), one per driver and folder. */
export function mediaStore(config: MediaConfig): AnyMediaStore {
  const id = `${config.MEDIA_DRIVER}:${config.MEDIA_DIR}:${config.MEDIA_CDN_BASE_URL ?? ''}`;
  let store = stores.get(id);
  if (!store) stores.set(id, (store = buildStore(config)));
  return store;
}

function buildStore(config: MediaConfig): AnyMediaStore {
  const local = createLocalMediaStore(config.MEDIA_DIR);
  if (config.MEDIA_DRIVER === 'local') return local;
  if (!config.MEDIA_CDN_BASE_URL || !config.MEDIA_CDN_SIGNING_KEY) {
    throw new Error('invalid configuration: MEDIA_DRIVER=cdn needs MEDIA_CDN_BASE_URL and MEDIA_CDN_SIGNING_KEY');
  }
  return createCdnMediaStore(local, { baseUrl: config.MEDIA_CDN_BASE_URL, signingKey: config.MEDIA_CDN_SIGNING_KEY, ttlSeconds: config.MEDIA_URL_TTL_SECONDS });
}

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', m4a: 'audio/mp4', webm: 'video/webm' };

/** The content type a media key's extension names (keys are ours, so the extension is trustworthy). */
export function mediaContentType(key: string): string {
  return CONTENT_TYPES[key.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
