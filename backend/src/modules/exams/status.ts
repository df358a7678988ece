import { Types } from 'mongoose';
import { processNow } from '../../platform/clock';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { EnrollmentModel, enrollmentSettings } from '../enrollment';
import { ExamGrantModel, type ExamAttemptDoc } from './data';
import { settledAttempts } from './finish';

export interface ExamStatus {
  attemptsUsed: number;
  maxAttempts: number;
  attemptsLeft: number;
  passed: boolean;
  bestScore?: number;
  passedAt?: Date;
  passingAttemptId?: string;
  activeAttemptId?: string;
}

/** Attempts given back by approved retakes. */
export async function restoredAttempts(enrollmentId: Types.ObjectId): Promise<number> {
  const grants = await ExamGrantModel.find({ enrollmentId }).lean();
  return grants.reduce((sum, g) => sum + g.attempts, 0);
}

/** Attempts used, passed or not, the best score and the first pass, from the enrollment's attempts. */
export function statusOf(attempts: ExamAttemptDoc[], maxAttempts: number): ExamStatus {
  const finished = attempts.filter((a) => a.state === 'FINISHED' && a.result);
  const passing = finished.filter((a) => a.result!.passed).sort((a, b) => a.finishedAt!.getTime() - b.finishedAt!.getTime())[0];
  const active = attempts.find((a) => a.state === 'IN_PROGRESS');
  const scores = finished.map((a) => a.result!.score);
  return {
    attemptsUsed: attempts.length,
    maxAttempts,
    attemptsLeft: Math.max(0, maxAttempts - attempts.length),
    passed: passing !== undefined,
    ...(scores.length ? { bestScore: Math.max(...scores) } : {}),
    ...(passing ? { passedAt: passing.finishedAt!, passingAttemptId: String(passing._id) } : {}),
    ...(active ? { activeAttemptId: String(active._id) } : {}),
  };
}

/**
 * For deferral/retake and completion: where an enrollment's exam stands now (overdue attempts are finished
 * first). maxAttempts = policy exam.maxAttempts + attempts restored by approved retakes.
 */
export async function examStatus(enrollmentId: string): Promise<ExamStatus> {
  const enrollment = Types.ObjectId.isValid(enrollmentId) ? await EnrollmentModel.findById(enrollmentId).lean() : null;
  if (!enrollment) throw new AppError('ENROLLMENT_NOT_FOUND');
  const [settings, restored, attempts] = await Promise.all([enrollmentSettings(enrollment), restoredAttempts(enrollment._id), settledAttempts(enrollment._id, processNow())]);
  return statusOf(attempts, settings.exam.maxAttempts + restored);
}

/**
 * An approved retake gives `count` attempts back, once per `grantKey` (the retake's id) however often it is
 * called: the grant is a document whose id is the key.
 */
export async function restoreAttempts(enrollmentId: string, count: number, grantKey: string, deps: Pick<Deps, 'clock'>): Promise<void> {
  if (!Types.ObjectId.isValid(enrollmentId) || !Number.isInteger(count) || count < 1) throw new AppError('VALIDATION_FAILED', { enrollmentId, count });
  try {
    await ExamGrantModel.create({ _id: grantKey, enrollmentId: new Types.ObjectId(enrollmentId), attempts: count, grantedAt: deps.clock.now() });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
}
