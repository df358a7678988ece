import type { z } from 'zod';
import type { visibilityResponse } from '@ce/types';
import type { Deps } from '../../platform/http/route';
import { enqueue } from '../../platform/jobs';
import { ownAttempt } from './access';
import { ExamAttemptModel, type ExamAttemptDoc } from './data';
import { leftAt, settle } from './finish';
import { EXAM_LEFT_JOB } from './job-names';
import { toAttemptSummary } from './views';

type VisibilityAnswer = z.input<typeof visibilityResponse>;

function hiddenWarning(attempt: ExamAttemptDoc): string {
  if (attempt.rules.leavingRule === 'END_ATTEMPT_SCORE_ZERO') return `您已离开考试页面：${attempt.rules.leavingGraceSeconds} 秒内未返回，本次考试将结束并记 0 分`;
  return '您已离开考试页面，倒计时不会暂停，请尽快返回';
}

/**
 * The app went to the background. Noted on the attempt (the first `hidden` of a stretch counts); under
 * END_ATTEMPT_SCORE_ZERO a job ends the attempt at hidden + grace unless `visible` comes first.
 */
async function hidden(attempt: ExamAttemptDoc, now: Date): Promise<VisibilityAnswer> {
  const noted = await ExamAttemptModel.updateOne({ _id: attempt._id, state: 'IN_PROGRESS', hiddenAt: { $exists: false } }, { $set: { hiddenAt: now }, $inc: { hiddenCount: 1 } });
  const fresh = (await ExamAttemptModel.findById(attempt._id).lean())!;
  const endsAt = leftAt(fresh);
  if (noted.modifiedCount === 1 && endsAt) await enqueue(EXAM_LEFT_JOB, { attemptId: String(attempt._id) }, { key: `exam-left:${attempt._id}:${now.getTime()}`, runAt: endsAt, now });
  return { attempt: toAttemptSummary(fresh), warning: hiddenWarning(fresh) };
}

/** Back in the foreground: within the grace the stretch is forgotten; beyond it the attempt has already ended (settle). */
async function visible(attempt: ExamAttemptDoc): Promise<VisibilityAnswer> {
  if (attempt.hiddenAt) await ExamAttemptModel.updateOne({ _id: attempt._id, state: 'IN_PROGRESS', hiddenAt: attempt.hiddenAt }, { $unset: { hiddenAt: 1 } });
  return { attempt: toAttemptSummary((await ExamAttemptModel.findById(attempt._id).lean())!) };
}

/** The app-hide / show signal. A finished attempt just answers as it stands (with why, when it ended by leaving). */
export async function signalVisibility(input: { personId: string; attemptId: string; state: 'hidden' | 'visible' }, deps: Deps): Promise<VisibilityAnswer> {
  const now = deps.clock.now();
  const attempt = await settle(await ownAttempt(input.attemptId, input.personId), now);
  if (attempt.state === 'FINISHED') return { attempt: toAttemptSummary(attempt), ...(attempt.endedBy === 'LEFT' ? { warning: '离开考试页面超过规定时间，本次考试已结束，成绩记 0 分' } : {}) };
  return input.state === 'hidden' ? hidden(attempt, now) : visible(attempt);
}
