import type { z } from 'zod';
import { ATTEMPT_ENDING_LABELS, type attemptResult, type attemptSummary, type attemptView, type examCapture } from '@ce/types';
import type { ExamAttemptDoc } from './data';

export type AttemptView = z.input<typeof attemptView>;
type AttemptSummary = z.input<typeof attemptSummary>;

const CAPTURE_MESSAGE = '请正对手机摄像头拍摄考试照片（本人、光线充足、面部无遮挡）';

function resultOf(attempt: ExamAttemptDoc): z.input<typeof attemptResult> | undefined {
  if (attempt.state !== 'FINISHED' || !attempt.result || !attempt.endedBy || !attempt.finishedAt) return undefined;
  return {
    score: attempt.result.score,
    fullMarks: attempt.fullMarks,
    passMark: attempt.rules.passMark,
    passed: attempt.result.passed,
    endedBy: attempt.endedBy,
    endedByLabel: ATTEMPT_ENDING_LABELS[attempt.endedBy],
    finishedAt: attempt.finishedAt.toISOString(),
    correctCount: attempt.result.correctCount,
    questionCount: attempt.questions.length,
  };
}

export function savedCountOf(attempt: Pick<ExamAttemptDoc, 'answers'>): number {
  return Object.values(attempt.answers ?? {}).filter((a) => a.answer.length > 0).length;
}

/** The exam photo asked for now: due, and the attempt still running. */
export function dueCapture(attempt: ExamAttemptDoc, now: Date): z.input<typeof examCapture> | undefined {
  if (attempt.state !== 'IN_PROGRESS' || attempt.capture.dueAt > now) return undefined;
  return { captureId: attempt.capture.id, dueAt: attempt.capture.dueAt.toISOString(), message: CAPTURE_MESSAGE };
}

export function toAttemptView(attempt: ExamAttemptDoc, now: Date): AttemptView {
  const result = resultOf(attempt);
  const capture = dueCapture(attempt, now);
  return {
    id: String(attempt._id),
    enrollmentId: String(attempt.enrollmentId),
    state: attempt.state,
    startedAt: attempt.startedAt.toISOString(),
    deadline: attempt.deadline.toISOString(),
    serverNow: now.toISOString(),
    durationMinutes: attempt.rules.durationMinutes,
    leavingRule: attempt.rules.leavingRule,
    leavingGraceSeconds: attempt.rules.leavingGraceSeconds,
    questions: attempt.questions.map((q, i) => {
      const saved = attempt.answers?.[q.id];
      return { id: q.id, no: i + 1, type: q.type, stem: q.stem, options: q.options, points: q.points, ...(saved ? { saved: saved.answer } : {}) };
    }),
    savedCount: savedCountOf(attempt),
    ...(capture ? { capture } : {}),
    ...(result ? { result } : {}),
  };
}

export function toAttemptSummary(attempt: ExamAttemptDoc): AttemptSummary {
  const result = resultOf(attempt);
  return { id: String(attempt._id), no: attempt.no, state: attempt.state, startedAt: attempt.startedAt.toISOString(), deadline: attempt.deadline.toISOString(), ...(result ? { result } : {}) };
}
