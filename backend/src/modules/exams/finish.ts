import type { AttemptEnding } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import { enqueue } from '../../platform/jobs';
import { ExamAttemptModel, type ExamAttemptDoc } from './data';
import { EXAM_PASSED_JOB } from './job-names';
import { grade } from './paper';

interface Ending {
  endedBy: AttemptEnding;
  at: Date;
}

const seconds = (n: number) => n * 1000;

/** When hiding the app counts as leaving (END_ATTEMPT_SCORE_ZERO): hidden with no `visible` for the whole grace. */
export function leftAt(attempt: Pick<ExamAttemptDoc, 'rules' | 'hiddenAt'>): Date | undefined {
  if (attempt.rules.leavingRule !== 'END_ATTEMPT_SCORE_ZERO' || !attempt.hiddenAt) return undefined;
  return new Date(attempt.hiddenAt.getTime() + seconds(attempt.rules.leavingGraceSeconds));
}

/** The moment after which nothing may be saved any more and the server finishes the attempt itself. */
export function closesAt(attempt: Pick<ExamAttemptDoc, 'deadline' | 'rules'>): Date {
  return new Date(attempt.deadline.getTime() + seconds(attempt.rules.autosaveGraceSeconds));
}

/** How an unfinished attempt has ended by `now` without being submitted: by leaving, or by its deadline. */
function dueEnding(attempt: ExamAttemptDoc, now: Date): Ending | undefined {
  if (attempt.state !== 'IN_PROGRESS') return undefined;
  const left = leftAt(attempt);
  if (left && left <= now && left <= attempt.deadline) return { endedBy: 'LEFT', at: left };
  if (now >= closesAt(attempt)) return { endedBy: 'DEADLINE', at: attempt.deadline };
  return undefined;
}

const FINISH_TRIES = 20;

/**
 * Grades the saved answers (leaving: 0) and closes the attempt in one write that holds only if no answer was saved
 * since they were read (`rev`); otherwise it reads again and grades again. Whoever loses the race to finish (two
 * submits, a submit and the deadline job) gets the attempt as the winner finished it.
 */
export async function finish(attempt: ExamAttemptDoc, ending: Ending): Promise<ExamAttemptDoc> {
  let current = attempt;
  for (let tries = 0; tries < FINISH_TRIES; tries++) {
    if (current.state === 'FINISHED') return current;
    const graded = ending.endedBy === 'LEFT' ? { score: 0, correctCount: 0 } : grade(current.questions, current.answers);
    const result = { ...graded, passed: ending.endedBy !== 'LEFT' && graded.score >= current.rules.passMark };
    const done = await ExamAttemptModel.findOneAndUpdate(
      { _id: current._id, state: 'IN_PROGRESS', rev: current.rev },
      { $set: { state: 'FINISHED', finishedAt: ending.at, endedBy: ending.endedBy, result } },
      { returnDocument: 'after', lean: true },
    );
    if (done) {
      // Completion hears of a pass through a job keyed on the attempt (its own catch-up covers a crash right here).
      if (done.result?.passed) await enqueue(EXAM_PASSED_JOB, { enrollmentId: String(done.enrollmentId) }, { key: `exam-passed:${done._id}` });
      return done;
    }
    current = (await ExamAttemptModel.findById(current._id).lean())!;
  }
  throw new AppError('CONFLICT', { attemptId: String(attempt._id) });
}

/** The attempt as it stands at `now`: one that is overdue (deadline, leaving) is finished first, whoever reads it. */
export async function settle(attempt: ExamAttemptDoc, now: Date): Promise<ExamAttemptDoc> {
  const ending = dueEnding(attempt, now);
  return ending ? finish(attempt, ending) : attempt;
}

export async function settleById(attemptId: string | Types.ObjectId, now: Date): Promise<ExamAttemptDoc | undefined> {
  const attempt = await ExamAttemptModel.findById(attemptId).lean();
  return attempt ? settle(attempt, now) : undefined;
}

/** Every attempt of an enrollment (oldest first), overdue ones finished. */
export async function settledAttempts(enrollmentId: Types.ObjectId, now: Date): Promise<ExamAttemptDoc[]> {
  const attempts = await ExamAttemptModel.find({ enrollmentId }).sort({ no: 1 }).lean();
  return Promise.all(attempts.map((a) => settle(a, now)));
}
