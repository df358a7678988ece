import { Types } from 'mongoose';
import type { Deps } from '../../platform/http/route';
import { FacePhotoModel, FaceProfileModel, type FacePhotoDoc } from './data';
import { photoUrl } from './files';

/** One photo a completion reviewer looks at; `ref` names it for good (a new avatar is a new ref). */
export interface ReviewPhoto {
  ref: string;
  url: string;
  takenAt: Date;
  accepted: boolean;
  score?: number;
}

/** A study or exam photo as the reviewer sees it, by signed URL. */
export function reviewPhotoOf(photo: FacePhotoDoc, deps: Deps): ReviewPhoto {
  return { ref: String(photo._id), url: photoUrl(photo.key, deps), takenAt: photo.takenAt, accepted: photo.accepted, ...(photo.score !== undefined ? { score: photo.score } : {}) };
}

/** For the completion review: the person's current avatar and the study photos kept for the enrollment, by signed URL. */
export async function reviewPhotosOf(personId: string, enrollmentId: string, deps: Deps): Promise<{ avatar?: ReviewPhoto; study: ReviewPhoto[] }> {
  const [profile, photos] = await Promise.all([
    FaceProfileModel.findOne({ personId: new Types.ObjectId(personId) }).lean(),
    FacePhotoModel.find({ enrollmentId: new Types.ObjectId(enrollmentId), purpose: 'STUDY', kept: true }).sort({ takenAt: 1, _id: 1 }).lean(),
  ]);
  const study = photos.map((p) => reviewPhotoOf(p, deps));
  if (!profile?.avatar) return { study };
  return { avatar: { ref: profile.avatar.key, url: photoUrl(profile.avatar.key, deps), takenAt: profile.avatar.setAt, accepted: true }, study };
}
