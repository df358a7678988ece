import { z } from 'zod';
import { objectIdField } from '../fields';
import { photoCheck } from './face';

/**
 * Exams (结业考试): question banks per class, papers drawn by policy, attempts timed by the server. The deadline
 * is stored when an attempt starts; a job finishes an attempt nobody submitted (finish time = deadline) with the
 * answers saved so far.
 */

export const QUESTION_TYPES = ['SINGLE', 'MULTIPLE', 'JUDGE'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const QUESTION_TYPE_LABELS: Record<QuestionType, string> = { SINGLE: '单选题', MULTIPLE: '多选题', JUDGE: '判断题' };

// ── Question banks (operators) ────────────────────────────────────────────────────────────────────────────

/**
 * One question as a bank file states it. JSON: an array of these. CSV (UTF-8 or GBK): a header row
 * `题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析` (题型: 单选/多选/判断; 答案: letters such as `AC`,
 * or 对/错 for 判断). Judge questions have no options (对 / 错 are implied).
 */
export const bankQuestion = z.object({
  type: z.enum(QUESTION_TYPES),
  stem: z.string().min(2).max(2000),
  options: z.array(z.string().min(1).max(500)).max(8),
  /** Option letters (A…H) for choice questions; `T` or `F` for judge questions. */
  answer: z.array(z.string()).min(1),
  analysis: z.string().max(2000).optional(),
});
export type BankQuestion = z.infer<typeof bankQuestion>;

/** A refused bank file: nothing was imported; every bad line is listed (line numbers as the file counts them). */
export const bankLineProblem = z.object({ line: z.number(), problems: z.array(z.string()) });

export const questionBankSummary = z.object({
  classId: z.string(),
  total: z.number(),
  byType: z.record(z.enum(QUESTION_TYPES), z.number()),
  importedAt: z.string().optional(),
  /** Whether the bank holds enough questions of each type for the effective policy's paper. */
  enoughForPaper: z.boolean(),
  needed: z.record(z.enum(QUESTION_TYPES), z.number()),
});
export type QuestionBankSummary = z.infer<typeof questionBankSummary>;

// ── Attempts (learners) ───────────────────────────────────────────────────────────────────────────────────

export const ATTEMPT_STATES = ['IN_PROGRESS', 'FINISHED'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];
/** How an attempt ended: submitted by the learner, finished by the server at the deadline, or ended by leaving. */
export const ATTEMPT_ENDINGS = ['SUBMITTED', 'DEADLINE', 'LEFT'] as const;
export type AttemptEnding = (typeof ATTEMPT_ENDINGS)[number];
export const ATTEMPT_ENDING_LABELS: Record<AttemptEnding, string> = {
  SUBMITTED: '已交卷',
  DEADLINE: '考试时间到，系统按已保存的答案自动交卷',
  LEFT: '考试中离开，本次考试结束，成绩记 0 分',
};

export const paperQuestion = z.object({
  /** Stable within the attempt. */
  id: z.string(),
  no: z.number(),
  type: z.enum(QUESTION_TYPES),
  stem: z.string(),
  /** Shuffled per attempt; keys are the letters shown (A, B, …); judge: T (对) and F (错). */
  options: z.array(z.object({ key: z.string(), text: z.string() })),
  /** The learner's saved answer (option keys), when one was saved. */
  saved: z.array(z.string()).optional(),
  points: z.number(),
});

export const attemptResult = z.object({
  score: z.number(),
  fullMarks: z.number(),
  passMark: z.number(),
  passed: z.boolean(),
  endedBy: z.enum(ATTEMPT_ENDINGS),
  endedByLabel: z.string(),
  finishedAt: z.string(),
  correctCount: z.number(),
  questionCount: z.number(),
});
export type AttemptResult = z.infer<typeof attemptResult>;

/** An exam photo the server asks for (at the start and at random moments), checked like study photos. */
export const examCapture = z.object({ captureId: z.string(), dueAt: z.string(), message: z.string() });

export const attemptView = z.object({
  id: z.string(),
  enrollmentId: z.string(),
  state: z.enum(ATTEMPT_STATES),
  startedAt: z.string(),
  /** Set by the server when the attempt started; the countdown is `deadline − serverNow`. */
  deadline: z.string(),
  serverNow: z.string(),
  durationMinutes: z.number(),
  leavingRule: z.enum(['END_ATTEMPT_SCORE_ZERO', 'CLOCK_KEEPS_RUNNING']),
  /** Seconds the app may be hidden before it counts as leaving (END_ATTEMPT_SCORE_ZERO only). */
  leavingGraceSeconds: z.number(),
  questions: z.array(paperQuestion),
  savedCount: z.number(),
  capture: examCapture.optional(),
  result: attemptResult.optional(),
});
export type AttemptView = z.infer<typeof attemptView>;

export const attemptSummary = z.object({
  id: z.string(),
  no: z.number(),
  state: z.enum(ATTEMPT_STATES),
  startedAt: z.string(),
  deadline: z.string(),
  result: attemptResult.optional(),
});

export const examOverview = z.object({
  enrollmentId: z.string(),
  className: z.string(),
  eligible: z.boolean(),
  /** Why the exam cannot start now (Chinese, one line each). */
  blockers: z.array(z.string()),
  durationMinutes: z.number(),
  questionCount: z.number(),
  fullMarks: z.number(),
  passMark: z.number(),
  maxAttempts: z.number(),
  attemptsUsed: z.number(),
  attemptsLeft: z.number(),
  leavingRule: z.enum(['END_ATTEMPT_SCORE_ZERO', 'CLOCK_KEEPS_RUNNING']),
  /** The warning shown before starting (Chinese), from the leaving rule. */
  leavingWarning: z.string(),
  bestScore: z.number().optional(),
  passed: z.boolean(),
  activeAttemptId: z.string().optional(),
  attempts: z.array(attemptSummary),
});
export type ExamOverview = z.infer<typeof examOverview>;

/**
 * Autosave of one answer. `seq` grows with each change the client makes to that question (older ones are
 * ignored); `sentAt` is when the client sent it on the server's timeline (serverNow at start + elapsed on the
 * client), so a save sent before the deadline that arrives within the policy's grace is kept.
 */
export const saveAnswerRequest = z.strictObject({
  answer: z.array(z.string().min(1).max(2)).max(8),
  seq: z.number().int().min(1).max(1_000_000),
  sentAt: z.string().datetime().optional(),
});
export const saveAnswerResponse = z.object({
  saved: z.boolean(),
  /** Why not saved: a newer change of this question is already stored. */
  ignored: z.enum(['STALE']).optional(),
  seq: z.number(),
  savedCount: z.number(),
  capture: examCapture.optional(),
});

/** The app-hide / show signal (onAppHide / onAppShow, visibilitychange). */
export const visibilityRequest = z.strictObject({ state: z.enum(['hidden', 'visible']) });
export const visibilityResponse = z.object({ attempt: attemptSummary, warning: z.string().optional() });

export const examPhotoFields = z.strictObject({ captureId: z.string().min(1).max(64) });

export const startAttemptRequest = z.strictObject({ enrollmentId: objectIdField });

/** An exam photo's check: refused → take it again at once (the same capture stays open). */
export const examPhotoResponse = z.object({ check: photoCheck, retake: z.boolean(), capture: examCapture.optional() });
