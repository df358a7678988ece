import type { QuestionType } from '@ce/types';
import type { BankQuestionDoc } from './data';

/** One question as a file states it, before any check (CSV cells or JSON values turned into text). */
export interface RawQuestion {
  type: string;
  stem: string;
  options: string[];
  answer: string[];
  analysis?: string;
}

/** A question that passed the checks: a bank question before it is given its id. */
export type CheckedQuestion = Omit<BankQuestionDoc, 'id'>;

const TYPE_NAMES: Record<string, QuestionType> = {
  SINGLE: 'SINGLE', 单选: 'SINGLE', 单选题: 'SINGLE',
  MULTIPLE: 'MULTIPLE', 多选: 'MULTIPLE', 多选题: 'MULTIPLE',
  JUDGE: 'JUDGE', 判断: 'JUDGE', 判断题: 'JUDGE',
};
const JUDGE_ANSWERS: Record<string, number> = { 对: 0, 正确: 0, T: 0, TRUE: 0, '√': 0, 错: 1, 错误: 1, F: 1, FALSE: 1, '×': 1 };
const LETTERS = 'ABCDEFGH';
export const MAX_OPTIONS = 8;
const MAX_STEM = 2000;
const MAX_OPTION = 500;

/** The same stem however it is spaced: duplicates within a file are found on this. */
export const stemKey = (stem: string) => stem.replace(/\s+/g, '');

function typeOf(raw: string, problems: string[]): QuestionType | undefined {
  const type = TYPE_NAMES[raw.trim().toUpperCase()] ?? TYPE_NAMES[raw.trim()];
  if (!type) problems.push(`题型「${raw.trim()}」无效，应为 单选、多选 或 判断`);
  return type;
}

function stemOf(raw: string, problems: string[]): string {
  const stem = raw.trim();
  if (stem.length < 2) problems.push('题干为空或过短');
  if (stem.length > MAX_STEM) problems.push(`题干超过 ${MAX_STEM} 字`);
  return stem;
}

/** Choice options: filled from A on without gaps (trailing empty cells are fine), 2 to 8 of them. */
function choiceOptions(raw: string[], problems: string[]): string[] {
  const cells = raw.map((o) => o.trim());
  while (cells.length && cells[cells.length - 1] === '') cells.pop();
  const gap = cells.findIndex((o) => o === '');
  if (gap >= 0) problems.push(`选项${LETTERS[gap] ?? gap + 1}为空，选项须从 A 起依次填写`);
  if (cells.length < 2 || cells.length > MAX_OPTIONS) problems.push(`选择题须有 2–${MAX_OPTIONS} 个选项（现有 ${cells.length} 个）`);
  if (cells.some((o) => o.length > MAX_OPTION)) problems.push(`选项超过 ${MAX_OPTION} 字`);
  return cells;
}

/** "AC", "A,C", "a c" or ["A","C"] → distinct letters, upper case. */
function answerLetters(raw: string[]): string[] {
  return [...new Set(raw.join('').toUpperCase().replace(/[\s,，、;；]/g, '').split(''))];
}

function choiceAnswer(type: 'SINGLE' | 'MULTIPLE', raw: string[], optionCount: number, problems: string[]): number[] {
  const letters = answerLetters(raw);
  if (letters.length === 0) {
    problems.push('答案为空');
    return [];
  }
  const outside = letters.filter((l) => !LETTERS.slice(0, optionCount).includes(l));
  if (outside.length) problems.push(`答案「${outside.join('')}」不在选项 A–${LETTERS[Math.max(optionCount, 1) - 1]} 之内`);
  if (type === 'SINGLE' && letters.length !== 1) problems.push(`单选题须只有一个答案（现为「${letters.join('')}」）`);
  if (type === 'MULTIPLE' && letters.length < 2) problems.push('多选题须有两个及以上答案');
  return letters.map((l) => LETTERS.indexOf(l)).sort((a, b) => a - b);
}

function judgeAnswer(raw: string[], options: string[], problems: string[]): number[] {
  if (options.some((o) => o.trim() !== '')) problems.push('判断题不填写选项（对、错已固定）');
  const value = JUDGE_ANSWERS[raw.join('').trim().toUpperCase()];
  if (value === undefined) {
    problems.push(`判断题答案「${raw.join('').trim()}」无效，应为 对/错、正确/错误 或 T/F`);
    return [];
  }
  return [value];
}

/** Every rule a bank question must meet; answers the problems found (Chinese), or the question. */
export function checkQuestion(raw: RawQuestion): { question?: CheckedQuestion; problems: string[] } {
  const problems: string[] = [];
  const type = typeOf(raw.type, problems);
  const stem = stemOf(raw.stem, problems);
  const analysis = raw.analysis?.trim() || undefined;
  if (analysis && analysis.length > MAX_STEM) problems.push(`解析超过 ${MAX_STEM} 字`);
  if (!type) return { problems };
  const options = type === 'JUDGE' ? [] : choiceOptions(raw.options, problems);
  const answer = type === 'JUDGE' ? judgeAnswer(raw.answer, raw.options, problems) : choiceAnswer(type, raw.answer, options.length, problems);
  if (problems.length) return { problems };
  return { question: { type, stem, options, answer, ...(analysis ? { analysis } : {}) }, problems };
}
