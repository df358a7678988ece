import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MediaObject, MediaStore } from './media';
import { isValidKey } from './store';

function assertKey(key: string): void {
  if (!isValidKey(key)) throw new Error(`invalid media key: ${JSON.stringify(key)}`);
}

function objectOf(size: number, modifiedAt: Date): MediaObject {
  return { size, modifiedAt, etag: `"${size.toString(16)}-${Math.floor(modifiedAt.getTime()).toString(16)}"` };
}

/** Media files under `dir` at `<dir>/<key>`; a put lands whole or not at all (temp file + rename). */
export function createLocalMediaStore(dir: string): MediaStore & { driver: 'local' } {
  const fileOf = (key: string) => path.join(dir, ...key.split('/'));

  async function statFile(key: string): Promise<MediaObject | undefined> {
    try {
      const info = await stat(fileOf(key));
      return info.isFile() ? objectOf(info.size, info.mtime) : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  return {
    driver: 'local',
    async put(key, source) {
      assertKey(key);
      const target = fileOf(key);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      const temp = `${target}.${randomUUID()}.tmp`;
      try {
        if ('bytes' in source) await writeFile(temp, source.bytes, { mode: 0o600 });
        else await copyFile(source.path, temp);
        await rename(temp, target);
      } finally {
        await rm(temp, { force: true });
      }
      return (await statFile(key))!;
    },
    async stat(key) {
      return isValidKey(key) ? statFile(key) : undefined;
    },
    open(key, range) {
      assertKey(key);
      return createReadStream(fileOf(key), range ? { start: range.start, end: range.end } : {});
    },
    async delete(key) {
      assertKey(key);
      await rm(fileOf(key), { force: true });
    },
  };
}
