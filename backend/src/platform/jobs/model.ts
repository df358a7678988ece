import { randomUUID } from 'node:crypto';
import mongoose, { Schema, type Types } from 'mongoose';

export type JobStatus = 'queued' | 'done' | 'failed';

/**
 * One durable job in `jobs`. `queued` jobs run when `runAt` has come and no live lease holds them
 * (`lockedUntil` in the past); a run ends `done`, or `queued` again later (a retry), or `failed` for good.
 * "Running" is not a status: it is a live lease, so a runner that dies leaves a job that is simply due again once
 * its lease runs out.
 */
export interface JobDoc {
  _id: Types.ObjectId;
  name: string;
  /** Unique across all jobs: enqueueing the same key again finds the first job instead of making another. */
  key: string;
  payload: unknown;
  status: JobStatus;
  runAt: Date;
  /** Runs started so far (counted when a run claims the job, so a run that crashed counts too). */
  attempts: number;
  lockedBy: string | null;
  /** The lease: no other runner takes the job before this instant. The epoch when nobody holds it. */
  lockedUntil: Date;
  /** What the handler recorded while running (e.g. "the mail was accepted, message-id …"), kept across retries. */
  progress: Record<string, unknown>;
  lastError: string | null;
  result: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

/** `lockedUntil` of a job nobody holds: always in the past, so a due job is claimable. */
export const UNLOCKED = new Date(0);

const jobSchema = new Schema<JobDoc>(
  {
    name: { type: String, required: true },
    key: { type: String, required: true, default: () => randomUUID() },
    payload: { type: Schema.Types.Mixed },
    status: { type: String, required: true, enum: ['queued', 'done', 'failed'] },
    runAt: { type: Date, required: true },
    attempts: { type: Number, required: true, default: 0 },
    lockedBy: { type: String, default: null },
    lockedUntil: { type: Date, required: true },
    progress: { type: Schema.Types.Mixed, default: () => ({}) },
    lastError: { type: String, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'jobs', versionKey: false, minimize: false },
);
jobSchema.index({ key: 1 }, { unique: true });
jobSchema.index({ status: 1, runAt: 1 });

export const JobModel = mongoose.model<JobDoc>('Job', jobSchema);

/**
 * One document per claimed run (`<jobId>:<attempt>:<due time>`): the stand-in database can hand the same job to two
 * concurrent claimers, and only the one whose insert of this key succeeds runs it. Kept a week, then expired.
 */
interface RunFenceDoc {
  _id: string;
  at: Date;
}
const runFenceSchema = new Schema<RunFenceDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } });
runFenceSchema.index({ at: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });
export const JobRunFenceModel = mongoose.model<RunFenceDoc>('JobRunFence', runFenceSchema);
