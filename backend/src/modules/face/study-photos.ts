import { z } from 'zod';
import type { studyPhotoListResponse, studyPhotoResponse } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { EnrollmentModel } from '../enrollment';
import { FacePhotoModel, type FacePhotoDoc } from './data';
import { deleteFacePhotos, photoUrl, recordFacePhoto } from './files';
import { storeLivePhoto } from './live-photos';
import type { FaceSubject } from './profile';

export interface StudyPhotoInput {
  subject: FaceSubject;
  enrollmentId: string;
  topicCode: string;
  captureId: string;
  photo: UploadedFile;
}

/**
 * A photo taken during study, checked the moment it arrives (one face, the avatar's): the answer says at once
 * whether to retake. Accepted photos are kept privately, the latest photos.keptPerTopic per topic (a new one
 * replaces the oldest, whose file is deleted); rejected ones are kept only until the retention job runs.
 */
export async function takeStudyPhoto(input: StudyPhotoInput, deps: Deps): Promise<z.input<typeof studyPhotoResponse>> {
  const { profile, settings, check, record } = await storeLivePhoto(input.subject, input.photo, deps);
  const enrollmentId = new Types.ObjectId(input.enrollmentId);
  await recordFacePhoto(profile._id, { ...record, purpose: 'STUDY', enrollmentId, topicCode: input.topicCode, captureId: input.captureId }, deps);
  const kept = check.accepted ? await keepLatest(enrollmentId, input.topicCode, settings.photos.keptPerTopic, deps) : await keptCount(enrollmentId, input.topicCode);
  return { check, retake: !check.accepted, topicPhotos: { kept, expected: settings.photos.keptPerTopic } };
}

async function keptCount(enrollmentId: Types.ObjectId, topicCode: string): Promise<number> {
  return FacePhotoModel.countDocuments({ enrollmentId, topicCode, kept: true });
}

/** Keeps the newest `limit` accepted photos of the topic; older ones (records and files) are deleted. */
async function keepLatest(enrollmentId: Types.ObjectId, topicCode: string, limit: number, deps: Deps): Promise<number> {
  const kept = await FacePhotoModel.find({ enrollmentId, topicCode, kept: true }, { key: 1 }).sort({ takenAt: -1, _id: -1 }).lean();
  const superseded = kept.slice(limit);
  if (superseded.length) {
    await FacePhotoModel.deleteMany({ _id: { $in: superseded.map((p) => p._id) } });
    await deleteFacePhotos(superseded.map((p) => p.key), deps);
  }
  return Math.min(kept.length, limit);
}

/** Accepted photos kept per topic of one enrollment (photo coverage is computed from these). */
export async function photoCounts(enrollmentId: string): Promise<Record<string, number>> {
  const kept = await FacePhotoModel.find({ enrollmentId: new Types.ObjectId(enrollmentId), kept: true }, { topicCode: 1 }).lean();
  const counts: Record<string, number> = {};
  for (const photo of kept) counts[photo.topicCode!] = (counts[photo.topicCode!] ?? 0) + 1;
  return counts;
}

function view(photo: FacePhotoDoc, deps: Deps): z.input<typeof studyPhotoListResponse>['items'][number] {
  return {
    id: String(photo._id),
    topicCode: photo.topicCode ?? '',
    takenAt: photo.takenAt.toISOString(),
    accepted: photo.accepted,
    ...(photo.score !== undefined ? { score: photo.score } : {}),
    url: photoUrl(photo.key, deps),
  };
}

/** 我的学习照片: the learner's own photos of one of their enrollments, newest first, by signed URL. */
export async function studyPhotosOf(personId: string, enrollmentId: string, deps: Deps): Promise<z.input<typeof studyPhotoListResponse>> {
  const enrollment = await EnrollmentModel.findOne({ _id: enrollmentId, personId }, { _id: 1 }).lean();
  if (!enrollment) throw new AppError('ENROLLMENT_NOT_FOUND');
  const photos = await FacePhotoModel.find({ enrollmentId: enrollment._id, personId, purpose: 'STUDY' }).sort({ takenAt: -1, _id: -1 }).lean();
  return { items: photos.map((p) => view(p, deps)) };
}
