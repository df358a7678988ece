import { addDays, chinaDate, compareDates } from '@ce/types';
import type { Types } from 'mongoose';
import type { Deps } from '../../platform/http/route';
import { enqueue, jobs } from '../../platform/jobs';
import { EnrollmentModel } from '../enrollment';
import { settingsFor } from '../policy';
import { FacePhotoModel, FaceProfileModel, FaceReviewModel, type FacePhotoPurpose } from './data';
import { deleteFacePhotos } from './files';

export const PHOTO_RETENTION_JOB = 'face.photo-retention';
const DAY_MS = 86_400_000;
/** 03:00 in China (UTC+8, no daylight saving) is 19:00 UTC the day before. */
const RUN_HOUR_UTC = 19;

/** The first 03:00 China time after `now`. */
export function nextRetentionRun(now: Date): Date {
  const run = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), RUN_HOUR_UTC));
  return run > now ? run : new Date(run.getTime() + DAY_MS);
}

/** Queues the next daily run (once per day, whoever asks: the key is the run's moment). */
export async function scheduleFaceRetention(now: Date): Promise<void> {
  const runAt = nextRetentionRun(now);
  await enqueue(PHOTO_RETENTION_JOB, {}, { key: `${PHOTO_RETENTION_JOB}:${runAt.toISOString()}`, runAt, now });
}

/** The daily retention job: a durable job that queues its next day's run once it has run. */
export function defineFaceJobs(): void {
  jobs.define(PHOTO_RETENTION_JOB, async (_payload, context) => {
    const result = await deletePhotosPastRetention(context.deps, context.now);
    await scheduleFaceRetention(context.now);
    return result;
  });
}

export interface RetentionResult {
  rejected: number;
  expired: number;
}

/**
 * Deletes (records and files) the photos no longer to be kept: rejected ones unless a reviewer has them in an
 * open manual review, and accepted ones photos.retentionDays after their enrollment's study window ended.
 */
export async function deletePhotosPastRetention(deps: Deps, now: Date): Promise<RetentionResult> {
  const underReview = await FaceReviewModel.find({ state: 'PENDING' }, { _id: 1 }).lean();
  const rejected = await FacePhotoModel.find({ accepted: false, reviewId: { $nin: underReview.map((r) => r._id) } }, { key: 1 }).lean();
  await removePhotos(rejected, deps);
  const expired = await expiredStudyPhotos(chinaDate(now));
  await removePhotos(expired, deps);
  return { rejected: rejected.length, expired: expired.length };
}

async function removePhotos(photos: { _id: Types.ObjectId; key: string }[], deps: Deps): Promise<void> {
  await FacePhotoModel.deleteMany({ _id: { $in: photos.map((p) => p._id) } });
  await deleteFacePhotos(photos.map((p) => p.key), deps);
}

/** Photos kept for an enrollment's review (study and exam): they share its retention. */
const KEPT_PURPOSES: FacePhotoPurpose[] = ['STUDY', 'EXAM'];

/** Accepted study and exam photos whose enrollment's studyUntil + the person's photos.retentionDays is before today. */
async function expiredStudyPhotos(today: string): Promise<{ _id: Types.ObjectId; key: string }[]> {
  const enrollmentIds = await FacePhotoModel.distinct('enrollmentId', { purpose: { $in: KEPT_PURPOSES }, accepted: true });
  const enrollments = await EnrollmentModel.find({ _id: { $in: enrollmentIds }, studyUntil: { $exists: true } }, { personId: 1, studyUntil: 1 }).lean();
  const due: Types.ObjectId[] = [];
  for (const enrollment of enrollments) {
    const profile = await FaceProfileModel.findOne({ personId: enrollment.personId }, { province: 1, city: 1 }).lean();
    if (!profile?.province) continue;
    const { photos } = await settingsFor(profile.province, profile.city);
    if (compareDates(addDays(enrollment.studyUntil!, photos.retentionDays), today) < 0) due.push(enrollment._id);
  }
  return due.length ? FacePhotoModel.find({ enrollmentId: { $in: due }, purpose: { $in: KEPT_PURPOSES } }, { key: 1 }).lean() : [];
}
