import type { Types } from 'mongoose';
import { processNow } from '../clock';
import { type JobDoc, JobModel, UNLOCKED } from './model';

/** The job stored under a business key, if any. */
export async function findJobByKey(key: string): Promise<JobDoc | null> {
  return JobModel.findOne({ key }).lean<JobDoc>();
}

/** Jobs that gave up, newest first, with their last error: what an operator looks at. */
export async function failedJobs(limit = 50): Promise<JobDoc[]> {
  return JobModel.find({ status: 'failed' }).sort({ finishedAt: -1 }).limit(limit).lean<JobDoc[]>();
}

/**
 * Puts a failed job back in the queue with a fresh set of attempts (after the cause was fixed). Its progress is
 * kept, so e.g. a mail already accepted is not sent again. False if the job is not failed.
 */
export async function retryFailedJob(id: Types.ObjectId | string, now: Date = processNow()): Promise<boolean> {
  const written = await JobModel.updateOne(
    { _id: id, status: 'failed' },
    { $set: { status: 'queued', runAt: now, attempts: 0, lockedBy: null, lockedUntil: UNLOCKED, finishedAt: null } },
  );
  return written.modifiedCount === 1;
}
