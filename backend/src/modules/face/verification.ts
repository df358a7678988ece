import { z } from 'zod';
import type { faceVerificationResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { FacePhotoModel, FaceProfileModel } from './data';
import { deleteFacePhotos, recordFacePhoto, storeFacePhoto } from './files';
import { checkAgainstAvatar } from './live-photos';
import type { FaceSubject } from './profile';

function photoRequired(): AppError {
  return new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请用相机拍摄本人正面照片' }] });
}

/**
 * 人脸核验 before study: a live photo against the avatar. Passed → study opens for study.faceCheckValidMinutes and
 * the run of failures ends; failed → the photo is kept for a possible manual review and the failure counted.
 */
export async function verifyFace(subject: FaceSubject, file: UploadedFile | undefined, deps: Deps): Promise<z.input<typeof faceVerificationResponse>> {
  if (!file) throw photoRequired();
  const { profile, settings, check } = await checkAgainstAvatar(subject, file.bytes, deps);
  const now = deps.clock.now();
  const offeredAfter = settings.face.failuresBeforeManualReview;
  if (check.accepted) {
    const verifiedUntil = new Date(now.getTime() + settings.study.faceCheckValidMinutes * 60_000);
    await FaceProfileModel.updateOne({ _id: profile._id, 'consent.given': true }, { $set: { verifiedUntil, failuresInRow: 0 } });
    await dropFailedCheckPhotos(subject.personId, deps);
    return { check, passed: true, verifiedUntil: verifiedUntil.toISOString(), failuresInRow: 0, manualReviewOffered: false };
  }
  const stored = await storeFacePhoto('photos', subject.personId, file, deps);
  await recordFacePhoto(profile._id, { personId: profile.personId, purpose: 'VERIFICATION', ...stored, takenAt: now, accepted: false, score: check.score, problems: check.problems.map((p) => p.code), kept: false }, deps);
  const after = await FaceProfileModel.findOneAndUpdate({ _id: profile._id }, { $inc: { failuresInRow: 1 } }, { returnDocument: 'after', lean: true });
  const failuresInRow = after?.failuresInRow ?? profile.failuresInRow + 1;
  return { check, passed: false, failuresInRow, manualReviewOffered: failuresInRow >= offeredAfter };
}

/** A passed check makes the failed ones moot: their photos go, unless a reviewer is looking at them. */
async function dropFailedCheckPhotos(personId: string, deps: Deps): Promise<void> {
  const photos = await FacePhotoModel.find({ personId, purpose: 'VERIFICATION', reviewId: { $exists: false } }, { key: 1 }).lean();
  await deleteFacePhotos(photos.map((p) => p.key), deps);
  await FacePhotoModel.deleteMany({ _id: { $in: photos.map((p) => p._id) } });
}
