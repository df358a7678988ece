import { Types } from 'mongoose';
import type { PhotoCheck } from '@ce/types';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { FacePhotoModel } from './data';
import { storeLivePhoto } from './live-photos';
import { reviewPhotoOf, type ReviewPhoto } from './review-photos';
import type { FaceSubject } from './profile';

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
  const { check, record } = await storeLivePhoto(input.subject, input.photo, deps);
  await FacePhotoModel.create({ ...record, purpose: 'EXAM', enrollmentId: new Types.ObjectId(input.enrollmentId), captureId: input.captureId });
  return { check };
}

/** For the reviewer: an enrollment's exam photos, oldest first, each by a short-lived signed URL. */
export async function examPhotosOf(enrollmentId: string, deps: Deps): Promise<ReviewPhoto[]> {
  const photos = await FacePhotoModel.find({ enrollmentId: new Types.ObjectId(enrollmentId), purpose: 'EXAM' }).sort({ takenAt: 1, _id: 1 }).lean();
  return photos.map((p) => reviewPhotoOf(p, deps));
}
