import { Types } from 'mongoose';
import type { PhotoCheck } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { avatarPhoto } from './avatar';
import { FacePhotoModel } from './data';
import { photoUrl, storeFacePhoto } from './files';
import { checkLivePhoto } from './photo-check';
import { requireConsent, type FaceSubject } from './profile';
import { faceProviderFor } from './providers';

export interface ExamPhotoInput {
  subject: FaceSubject;
  enrollmentId: string;
  captureId: string;
  photo: UploadedFile;
}

/**
 * A photo taken during the exam, checked like a study photo the moment it arrives (consent, avatar, one face,
 * the avatar's). Every exam photo is kept for the reviewer (a refused one only until the retention job runs).
 */
export async function takeExamPhoto(input: ExamPhotoInput, deps: Deps): Promise<{ check: PhotoCheck }> {
  const { profile, settings } = await requireConsent(input.subject, deps);
  if (!profile.avatar) throw new AppError('AVATAR_REQUIRED');
  const provider = faceProviderFor(deps.config);
  const { check } = await checkLivePhoto(provider, await avatarPhoto(profile.avatar, provider.name, deps), input.photo.bytes, settings);
  const stored = await storeFacePhoto('photos', input.subject.personId, input.photo, deps);
  await FacePhotoModel.create({
    personId: profile.personId,
    purpose: 'EXAM',
    enrollmentId: new Types.ObjectId(input.enrollmentId),
    captureId: input.captureId,
    ...stored,
    takenAt: deps.clock.now(),
    accepted: check.accepted,
    score: check.score,
    problems: check.problems.map((p) => p.code),
    kept: check.accepted,
  });
  return { check };
}

export interface ExamPhoto {
  id: string;
  url: string;
  takenAt: Date;
  accepted: boolean;
  score?: number;
}

/** For the reviewer: an enrollment's exam photos, oldest first, each by a short-lived signed URL. */
export async function examPhotosOf(enrollmentId: string, deps: Deps): Promise<ExamPhoto[]> {
  const photos = await FacePhotoModel.find({ enrollmentId: new Types.ObjectId(enrollmentId), purpose: 'EXAM' }).sort({ takenAt: 1, _id: 1 }).lean();
  return photos.map((p) => ({ id: String(p._id), url: photoUrl(p.key, deps), takenAt: p.takenAt, accepted: p.accepted, ...(p.score !== undefined ? { score: p.score } : {}) }));
}
