import type { Types } from 'mongoose';
import type { Clock } from '../../platform/clock';
import { SyncRunModel, type SyncRunCounts, type SyncRunDoc, type SyncRunStatus, type SyncTrigger } from './data';
import type { Rejection } from './rejections';

/** How many bad lines a run record keeps; the caller gets the full list. */
const KEPT_REJECTIONS = 20;
const OPEN_STATUSES: SyncRunStatus[] = ['VALIDATING', 'APPLYING'];
export const ABANDONED_RUN_ERROR = '导入进程中途退出，本次运行未完成（由下一次导入发现；下一次导入会补齐数据）';

export interface FinishedRun {
  status: Extract<SyncRunStatus, 'SUCCEEDED' | 'REJECTED' | 'FAILED'>;
  counts: SyncRunCounts;
  rejections?: Rejection[];
  encoding?: string;
  error?: string;
  timings?: Record<string, number>;
}

export const NO_COUNTS: SyncRunCounts = { records: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };

/**
 * Runs left open belong to a process that died (the caller holds the lease, so no other run is alive).
 * They are closed as FAILED; the caller's own run then re-applies whatever they left half done.
 */
export async function closeAbandonedRuns(clock: Clock): Promise<Pick<SyncRunDoc, '_id' | 'startedAt' | 'status' | 'stagingDir'>[]> {
  const open = await SyncRunModel.find({ status: { $in: OPEN_STATUSES } }).lean();
  if (open.length) {
    await SyncRunModel.updateMany({ _id: { $in: open.map((r) => r._id) } }, { $set: { status: 'FAILED', finishedAt: clock.now(), error: ABANDONED_RUN_ERROR } });
  }
  return open.map(({ _id, startedAt, status, stagingDir }) => ({ _id, startedAt, status, stagingDir }));
}

export async function openRun(_id: Types.ObjectId, source: string, trigger: SyncTrigger, stagingDir: string, clock: Clock): Promise<void> {
  await SyncRunModel.create({ _id, source, trigger, status: 'VALIDATING', startedAt: clock.now(), counts: NO_COUNTS, firstRejections: [], stagingDir });
}

export async function markApplying(_id: Types.ObjectId, counts: SyncRunCounts, encoding: string | undefined): Promise<void> {
  await SyncRunModel.updateOne({ _id }, { $set: { status: 'APPLYING', counts, encoding } });
}

export async function finishRun(_id: Types.ObjectId, run: FinishedRun, clock: Clock): Promise<void> {
  const { rejections = [], ...rest } = run;
  await SyncRunModel.updateOne({ _id }, { $set: { ...rest, firstRejections: rejections.slice(0, KEPT_REJECTIONS), finishedAt: clock.now() } });
}

/** When registry data last arrived: the latest import that applied a file. */
export async function lastSync(): Promise<SyncRunDoc | null> {
  return SyncRunModel.findOne({ status: 'SUCCEEDED' }).sort({ finishedAt: -1 }).lean();
}
