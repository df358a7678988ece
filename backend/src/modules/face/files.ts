import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { FacePhotoModel, FaceProfileModel, type FacePhotoDoc } from './data';
import { AppError } from '../../platform/errors';
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

/**
 * Records a photo taken under consent. Consent may have been withdrawn while the photo was being checked: then
 * the photo goes at once (withdrawal already deleted the others) and the learner is told consent is needed.
 */
export async function recordFacePhoto(profileId: Types.ObjectId, photo: Omit<FacePhotoDoc, '_id'>, deps: Deps): Promise<void> {
  const { _id } = await FacePhotoModel.create(photo);
  if (await FaceProfileModel.exists({ _id: profileId, 'consent.given': true })) return;
  await FacePhotoModel.deleteOne({ _id });
  await deleteFacePhotos([photo.key], deps);
  throw new AppError('FACE_CONSENT_REQUIRED');
}
