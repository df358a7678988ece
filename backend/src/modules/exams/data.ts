import type { AttemptEnding, AttemptState, PolicySettings, QuestionType } from '@ce/types';
import { Schema, Types, model } from 'mongoose';

/** One question of a class's bank, as imported (answers are option indexes; judge: 0 = 对, 1 = 错). */
export interface BankQuestionDoc {
  id: string;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[];
  analysis?: string;
}

/**
 * A class's question bank: one document, so an import replaces the whole bank in a single atomic write (a crash
 * never leaves half a bank) and `version` tells which import a paper was drawn from.
 */
export interface QuestionBankDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  version: number;
  questions: BankQuestionDoc[];
  importedAt: Date;
  importedBy: string;
}

const bankSchema = new Schema<QuestionBankDoc>({
  classId: { type: Schema.Types.ObjectId, required: true },
  version: { type: Number, required: true },
  questions: { type: Schema.Types.Mixed, required: true },
  importedAt: { type: Date, required: true },
  importedBy: { type: String, required: true },
});
bankSchema.index({ classId: 1 }, { unique: true });
export const QuestionBankModel = model<QuestionBankDoc>('QuestionBank', bankSchema);

/** A question as drawn into one attempt: options shuffled, keyed by the letters shown. */
export interface PaperQuestionDoc {
  id: string;
  type: QuestionType;
  stem: string;
  options: { key: string; text: string }[];
  correct: string[];
  points: number;
}

export interface SavedAnswer {
  answer: string[];
  seq: number;
  savedAt: Date;
}

/** The policy in force when the attempt started: it rules the attempt to its end whatever changes later. */
export interface AttemptRules {
  durationMinutes: number;
  leavingRule: PolicySettings['exam']['leavingRule'];
  leavingGraceSeconds: number;
  autosaveGraceSeconds: number;
  passMark: number;
  captureEverySeconds: { min: number; max: number };
}

export interface AttemptResultDoc {
  score: number;
  passed: boolean;
  correctCount: number;
}

export interface ExamAttemptDoc {
  _id: Types.ObjectId;
  enrollmentId: Types.ObjectId;
  personId: Types.ObjectId;
  /** 1, 2, … per enrollment; unique, so two simultaneous starts cannot both become attempt N. */
  no: number;
  state: AttemptState;
  startedAt: Date;
  deadline: Date;
  rules: AttemptRules;
  bankVersion: number;
  questions: PaperQuestionDoc[];
  fullMarks: number;
  /** Question id → the latest saved answer (by the client's seq). */
  answers: Record<string, SavedAnswer>;
  /** Grows with every saved answer: finishing is conditional on it, so no save slips in between grading and closing. */
  rev: number;
  /** Set while the app is hidden (the leaving signal); cleared by `visible` within the grace. */
  hiddenAt?: Date;
  hiddenCount: number;
  /** The exam photo asked for next (the first at the start). */
  capture: { id: string; dueAt: Date };
  capturesTaken: number;
  finishedAt?: Date;
  endedBy?: AttemptEnding;
  result?: AttemptResultDoc;
}

const attemptSchema = new Schema<ExamAttemptDoc>(
  {
    enrollmentId: { type: Schema.Types.ObjectId, required: true },
    personId: { type: Schema.Types.ObjectId, required: true },
    no: { type: Number, required: true },
    state: { type: String, required: true },
    startedAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
    bankVersion: { type: Number, required: true },
    questions: { type: Schema.Types.Mixed, required: true },
    fullMarks: { type: Number, required: true },
    answers: { type: Schema.Types.Mixed, default: {} },
    rev: { type: Number, required: true, default: 0 },
    hiddenAt: Date,
    hiddenCount: { type: Number, required: true, default: 0 },
    capture: { type: Schema.Types.Mixed, required: true },
    capturesTaken: { type: Number, required: true, default: 0 },
    finishedAt: Date,
    endedBy: String,
    result: Schema.Types.Mixed,
  },
  { minimize: false },
);
attemptSchema.index({ enrollmentId: 1, no: 1 }, { unique: true });
export const ExamAttemptModel = model<ExamAttemptDoc>('ExamAttempt', attemptSchema);

/** Attempts given back by an approved retake: one document per grant, so a grant applies once however often it is sent. */
export interface ExamGrantDoc {
  _id: string;
  enrollmentId: Types.ObjectId;
  attempts: number;
  grantedAt: Date;
}

const grantSchema = new Schema<ExamGrantDoc>({
  _id: { type: String, required: true },
  enrollmentId: { type: Schema.Types.ObjectId, required: true },
  attempts: { type: Number, required: true },
  grantedAt: { type: Date, required: true },
});
grantSchema.index({ enrollmentId: 1 });
export const ExamGrantModel = model<ExamGrantDoc>('ExamGrant', grantSchema);
