import type { z } from 'zod';
import type { saveAnswerRequest, saveAnswerResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { ownAttempt } from './access';
import { ExamAttemptModel, type ExamAttemptDoc, type PaperQuestionDoc } from './data';
import { closesAt, settle } from './finish';
import { dueCapture, savedCountOf } from './views';

type SaveAnswer = z.output<typeof saveAnswerRequest>;
type SaveAnswerAnswer = z.input<typeof saveAnswerResponse>;

/** Option keys of the question, each once; single and judge at most one (an empty answer clears the question). */
function checkedAnswer(question: PaperQuestionDoc, answer: string[]): string[] {
  const keys = question.options.map((o) => o.key);
  const distinct = [...new Set(answer)];
  const fits = distinct.length === answer.length && distinct.every((k) => keys.includes(k)) && (question.type === 'MULTIPLE' || distinct.length <= 1);
  if (!fits) throw new AppError('ANSWER_INVALID', { questionId: question.id, allowed: keys });
  return distinct.sort();
}

/**
 * Before the deadline every save counts. After it, only a save the client sent before the deadline that arrives
 * within the autosave grace — its `sentAt` trusted only that far (not after the grace, not from before it).
 */
function mayStillSave(attempt: ExamAttemptDoc, sentAt: string | undefined, now: Date): boolean {
  if (now < attempt.deadline) return true;
  if (!sentAt || now > closesAt(attempt)) return false;
  const sent = new Date(sentAt).getTime();
  const graceMs = attempt.rules.autosaveGraceSeconds * 1000;
  return sent < attempt.deadline.getTime() && sent >= now.getTime() - graceMs;
}

const sameAnswer = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** Why a conditional save matched nothing: the attempt closed meanwhile, or this question already has this or a newer change. */
function unsaved(fresh: ExamAttemptDoc, questionId: string, body: SaveAnswer, answer: string[], now: Date): SaveAnswerAnswer {
  if (fresh.state !== 'IN_PROGRESS') throw new AppError('ATTEMPT_CLOSED', { attemptId: String(fresh._id) });
  const stored = fresh.answers[questionId];
  const repeat = stored !== undefined && stored.seq === body.seq && sameAnswer(stored.answer, answer);
  const capture = dueCapture(fresh, now);
  return { saved: repeat, ...(repeat ? {} : { ignored: 'STALE' as const }), seq: stored?.seq ?? body.seq, savedCount: savedCountOf(fresh), ...(capture ? { capture } : {}) };
}

/**
 * 自动保存 one answer: a single conditional write that holds only while the attempt is in progress and this
 * question has no newer change (by the client's `seq`), so retries and reordered saves are harmless.
 */
export async function saveAnswer(input: { personId: string; attemptId: string; questionId: string; body: SaveAnswer }, deps: Deps): Promise<SaveAnswerAnswer> {
  const now = deps.clock.now();
  const attempt = await settle(await ownAttempt(input.attemptId, input.personId), now);
  if (attempt.state !== 'IN_PROGRESS') throw new AppError('ATTEMPT_CLOSED', { attemptId: input.attemptId, endedBy: attempt.endedBy });
  const question = attempt.questions.find((q) => q.id === input.questionId);
  if (!question) throw new AppError('QUESTION_NOT_IN_PAPER', { questionId: input.questionId });
  const answer = checkedAnswer(question, input.body.answer);
  if (!mayStillSave(attempt, input.body.sentAt, now)) throw new AppError('ATTEMPT_CLOSED', { attemptId: input.attemptId, deadline: attempt.deadline.toISOString() });
  const path = `answers.${question.id}`;
  const written = await ExamAttemptModel.updateOne(
    { _id: attempt._id, state: 'IN_PROGRESS', $or: [{ [path]: { $exists: false } }, { [`${path}.seq`]: { $lt: input.body.seq } }] },
    { $set: { [path]: { answer, seq: input.body.seq, savedAt: now } }, $inc: { rev: 1 } },
  );
  if (written.modifiedCount !== 1) return unsaved((await ExamAttemptModel.findById(attempt._id).lean())!, question.id, input.body, answer, now);
  const capture = dueCapture(attempt, now);
  const savedCount = savedCountOf({ answers: { ...attempt.answers, [question.id]: { answer, seq: input.body.seq, savedAt: now } } });
  return { saved: true, seq: input.body.seq, savedCount, ...(capture ? { capture } : {}) };
}
