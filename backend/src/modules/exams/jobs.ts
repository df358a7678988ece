import { jobs, type JobContext } from '../../platform/jobs';
import { settleById } from './finish';
import { EXAM_FINISH_JOB, EXAM_LEFT_JOB } from './job-names';

interface AttemptPayload {
  attemptId: string;
}

/** Finishes the attempt if it is overdue by now (deadline or leaving); otherwise someone already finished it. */
async function finishOverdue(payload: AttemptPayload, context: JobContext): Promise<string> {
  const attempt = await settleById(payload.attemptId, context.now);
  if (!attempt) return 'no such attempt';
  return attempt.state === 'FINISHED' ? `finished: ${attempt.endedBy}` : 'not due: still in progress';
}

/** exam.finish (at deadline + autosave grace) and exam.left (at hidden + leaving grace) share one handler. */
export function defineExamJobs(): void {
  jobs.define(EXAM_FINISH_JOB, finishOverdue, { maxAttempts: 10, backoff: { baseMs: 5_000, maxMs: 300_000 } });
  jobs.define(EXAM_LEFT_JOB, finishOverdue, { maxAttempts: 10, backoff: { baseMs: 5_000, maxMs: 300_000 } });
}
