import { z } from 'zod';
import type { avatarResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { FaceProfileModel, faceAudit } from './data';
import { deleteFacePhotos, photoUrl, readFacePhoto, storeFacePhoto } from './files';
import { AVATAR_GUIDANCE, AVATAR_RULES, checkOf, problemsOf } from './photo-check';
import { requireConsent, type FaceSubject } from './profile';
import { faceProviderFor, type FacePhoto } from './providers';

/**
 * 上传头像: one face, large enough, in a photo of at least 300×300 (白底一寸照). A usable photo replaces the old
 * avatar (whose file is deleted) and calls for a new face check; an unusable one changes nothing.
 */
export async function setAvatar(subject: FaceSubject, file: UploadedFile | undefined, deps: Deps): Promise<z.input<typeof avatarResponse>> {
  if (!file) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请选择头像照片（白底一寸照）' }] });
  const { profile } = await requireConsent(subject, deps);
  const provider = faceProviderFor(deps.config);
  const detection = await provider.detect(file.bytes);
  const problems = problemsOf(detection, AVATAR_RULES);
  if (problems.length) return { check: checkOf(problems, { faces: detection.faces.length }, AVATAR_GUIDANCE) };
  const stored = await storeFacePhoto('avatars', subject.personId, file, deps);
  const now = deps.clock.now();
  const avatar = { ...stored, setAt: now, provider: provider.name, ...(detection.template ? { template: detection.template } : {}) };
  // Consent may have been withdrawn while the photo was checked: then the new file goes too.
  const before = await FaceProfileModel.findOneAndUpdate(
    { _id: profile._id, 'consent.given': true },
    { $set: { avatar, failuresInRow: 0 }, $unset: { verifiedUntil: 1 } },
    { returnDocument: 'before', lean: true },
  );
  if (!before) {
    await deleteFacePhotos([stored.key], deps);
    throw new AppError('FACE_CONSENT_REQUIRED');
  }
  if (before.avatar) await deleteFacePhotos([before.avatar.key], deps);
  await faceAudit({ at: now, action: 'AVATAR_SET', personId: profile.personId, actor: 'learner', details: { provider: provider.name } });
  return { check: checkOf([], { faces: 1 }), avatarUrl: photoUrl(stored.key, deps) };
}

/** The avatar as the engine compares it: its template when the same engine made one, else its photo. */
export async function avatarPhoto(avatar: { key: string; provider: string; template?: number[] }, providerName: string, deps: Deps): Promise<FacePhoto> {
  const bytes = await readFacePhoto(avatar.key, deps);
  if (!bytes) throw new AppError('AVATAR_REQUIRED');
  return { bytes, ...(avatar.provider === providerName && avatar.template?.length ? { template: avatar.template } : {}) };
}
