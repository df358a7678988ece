import { randomInt } from 'node:crypto';
import type { PolicySettings, QuestionType } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { BankQuestionDoc, PaperQuestionDoc, SavedAnswer } from './data';

const LETTERS = 'ABCDEFGH';
/** Judge questions show 对 / 错 under the keys T / F, always in that order. */
const JUDGE_OPTIONS = [
  { key: 'T', text: '对' },
  { key: 'F', text: '错' },
];

type ExamSettings = PolicySettings['exam'];
const COUNT_KEY = { SINGLE: 'single', MULTIPLE: 'multiple', JUDGE: 'judge' } as const satisfies Record<QuestionType, keyof ExamSettings['questionCounts']>;
const PAPER_ORDER: QuestionType[] = ['SINGLE', 'MULTIPLE', 'JUDGE'];

export function neededPerType(exam: ExamSettings): Record<QuestionType, number> {
  return { SINGLE: exam.questionCounts.single, MULTIPLE: exam.questionCounts.multiple, JUDGE: exam.questionCounts.judge };
}

export function paperSize(exam: ExamSettings): number {
  return exam.questionCounts.single + exam.questionCounts.multiple + exam.questionCounts.judge;
}

/** `count` distinct items picked uniformly at random (a partial Fisher–Yates shuffle over a copy). */
export function pickRandom<T>(items: readonly T[], count: number): T[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

function drawn(question: BankQuestionDoc, points: number): PaperQuestionDoc {
  if (question.type === 'JUDGE') return { id: question.id, type: 'JUDGE', stem: question.stem, options: JUDGE_OPTIONS, correct: [question.answer[0] === 0 ? 'T' : 'F'], points };
  const order = pickRandom(question.options.map((_, i) => i), question.options.length);
  const options = order.map((original, shown) => ({ key: LETTERS[shown], text: question.options[original] }));
  const correct = order.flatMap((original, shown) => (question.answer.includes(original) ? [LETTERS[shown]] : []));
  return { id: question.id, type: question.type, stem: question.stem, options, correct, points };
}

/**
 * A paper by policy: exam.questionCounts of each type drawn at random from the bank (no question twice), single
 * choice first, then multiple choice, then judge; options shuffled; exam.points per type. QUESTION_BANK_TOO_SMALL
 * when the bank lacks questions of a type.
 */
export function composePaper(bank: readonly BankQuestionDoc[], exam: ExamSettings): PaperQuestionDoc[] {
  const byType = new Map<QuestionType, BankQuestionDoc[]>(PAPER_ORDER.map((type) => [type, []]));
  for (const question of bank) byType.get(question.type)!.push(question);
  const needed = neededPerType(exam);
  const short = PAPER_ORDER.filter((type) => byType.get(type)!.length < needed[type]);
  if (short.length) throw new AppError('QUESTION_BANK_TOO_SMALL', { needed, available: Object.fromEntries(PAPER_ORDER.map((t) => [t, byType.get(t)!.length])) });
  return PAPER_ORDER.flatMap((type) => pickRandom(byType.get(type)!, needed[type]).map((q) => drawn(q, exam.points[COUNT_KEY[type]])));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((key) => b.includes(key));

/** Exact match only: single and judge the one key, multiple the whole set (no partial credit). */
function isCorrect(question: PaperQuestionDoc, saved: SavedAnswer | undefined): boolean {
  return saved !== undefined && sameSet(saved.answer, question.correct);
}

export function grade(questions: readonly PaperQuestionDoc[], answers: Record<string, SavedAnswer>): { score: number; correctCount: number } {
  let score = 0;
  let correctCount = 0;
  for (const question of questions) {
    if (!isCorrect(question, answers[question.id])) continue;
    score += question.points;
    correctCount += 1;
  }
  return { score: Math.round(score * 100) / 100, correctCount };
}

export function fullMarksOf(questions: readonly PaperQuestionDoc[]): number {
  return questions.reduce((sum, q) => sum + q.points, 0);
}
