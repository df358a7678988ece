import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/** A stored file: its bytes and the content type it was stored with. */
export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

/**
 * A private file store: nothing in it is reachable from outside except through a signed URL (see signing.ts).
 * Keys are paths of safe segments (`offline-slips/<orderId>/<uuid>.jpg`); the local-disk driver is the default,
 * an object-storage driver can implement the same three calls later.
 */
export interface FileStore {
  put(key: string, file: StoredFile): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`, none starting with a dot: they can never leave the store. */
export function isValidKey(key: string): boolean {
  if (key.length === 0 || key.length > 512) return false;
  return key.split('/').every((segment) => SEGMENT.test(segment) && !segment.includes('..'));
}

function assertKey(key: string): void {
  if (!isValidKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

interface Meta {
  contentType: string;
}

/** Files under `dir`: the bytes at `<dir>/<key>`, the content type beside them in `<key>.meta.json`. Writes are atomic (temp file + rename). */
export function createLocalFileStore(dir: string): FileStore {
  const fileOf = (key: string) => path.join(dir, ...key.split('/'));
  const metaOf = (key: string) => `${fileOf(key)}.meta.json`;

  async function writeAtomically(target: string, bytes: Buffer | string): Promise<void> {
    const temp = `${target}.${randomUUID()}.tmp`;
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, target);
  }

  return {
    async put(key, file) {
      assertKey(key);
      await mkdir(path.dirname(fileOf(key)), { recursive: true, mode: 0o700 });
      await writeAtomically(fileOf(key), file.bytes);
      await writeAtomically(metaOf(key), JSON.stringify({ contentType: file.contentType } satisfies Meta));
    },
    async get(key) {
      if (!isValidKey(key)) return undefined;
      try {
        const [bytes, meta] = await Promise.all([readFile(fileOf(key)), readFile(metaOf(key), 'utf8')]);
        return { bytes, contentType: (JSON.parse(meta) as Meta).contentType };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      assertKey(key);
      await rm(fileOf(key), { force: true });
      await rm(metaOf(key), { force: true });
    },
  };
}
