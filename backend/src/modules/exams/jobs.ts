import { jobs, type JobContext } from '../../platform/jobs';
import { settleById } from './finish';
import type { Deps } from '../../platform/http/route';
import { EXAM_FINISH_JOB, EXAM_LEFT_JOB, EXAM_PASSED_JOB } from './job-names';

/** Who hears of a passed exam (completion, which puts the learner in the review queue); wired at the composition root. */
export interface ExamListener {
  examPassed(enrollmentId: string, deps: Deps): Promise<unknown>;
}

interface AttemptPayload {
  attemptId: string;
}

/** Finishes the attempt if it is overdue by now (deadline or leaving); otherwise someone already finished it. */
async function finishOverdue(payload: AttemptPayload, context: JobContext): Promise<string> {
  const attempt = await settleById(payload.attemptId, context.now);
  if (!attempt) return 'no such attempt';
  return attempt.state === 'FINISHED' ? `finished: ${attempt.endedBy}` : 'not due: still in progress';
}

/**
 * exam.finish (at deadline + autosave grace) and exam.left (at hidden + leaving grace) share one handler;
 * exam.passed tells the listener, retried until it has heard.
 */
export function defineExamJobs(listener: ExamListener): void {
  jobs.define(EXAM_FINISH_JOB, finishOverdue, { maxAttempts: 10, backoff: { baseMs: 5_000, maxMs: 300_000 } });
  jobs.define(EXAM_LEFT_JOB, finishOverdue, { maxAttempts: 10, backoff: { baseMs: 5_000, maxMs: 300_000 } });
  jobs.define<{ enrollmentId: string }>(
    EXAM_PASSED_JOB,
    async ({ enrollmentId }, context) => {
      await listener.examPassed(enrollmentId, context.deps);
      return 'told';
    },
    { maxAttempts: 20, backoff: { baseMs: 5_000, maxMs: 300_000 } },
  );
}
