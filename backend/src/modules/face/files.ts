import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { fileStore, signedFileUrl } from '../../platform/storage';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

/** Face photos are private files under `face/<kind>/<personId>/`; nobody reaches them without a signed URL. */
export async function storeFacePhoto(kind: 'avatars' | 'photos', personId: string | Types.ObjectId, file: UploadedFile, deps: Deps): Promise<{ key: string; contentType: string }> {
  const key = `face/${kind}/${String(personId)}/${randomUUID()}.${EXTENSIONS[file.contentType] ?? 'bin'}`;
  await fileStore(deps.config).put(key, { bytes: file.bytes, contentType: file.contentType });
  return { key, contentType: file.contentType };
}

export async function readFacePhoto(key: string, deps: Deps): Promise<Buffer | undefined> {
  return (await fileStore(deps.config).get(key))?.bytes;
}

export async function deleteFacePhotos(keys: string[], deps: Deps): Promise<void> {
  const store = fileStore(deps.config);
  for (const key of keys) await store.delete(key);
}

export function photoUrl(key: string, deps: Deps): string {
  return signedFileUrl(deps.config, key, deps.clock.now()).url;
}
