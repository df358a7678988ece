import mongoose from 'mongoose';
import type { ApiResponse, TestBackend } from '../helpers/backend';
import { learnerReadyForStudy } from '../helpers/face';
import { classWithContent, enrolledLearner, Player, type ContentLesson, type Learner, type StudyStack } from '../learning/helpers';

export interface TestQuestion {
  type: 'SINGLE' | 'MULTIPLE' | 'JUDGE';
  stem: string;
  options: string[];
  answer: string[];
  analysis?: string;
}

/**
 * A bank whose answers a test can tell from the paper alone: correct options read 正确…, wrong ones 错误…, and a
 * judge question's stem ends in （对） or （错）.
 */
export function testBank(counts: { single: number; multiple: number; judge: number }, prefix = ''): TestQuestion[] {
  const single = Array.from({ length: counts.single }, (_, i) => ({ type: 'SINGLE' as const, stem: `${prefix}单选第${i + 1}题：施工现场哪项做法正确？`, options: ['正确：佩戴安全帽', '错误：酒后作业', '错误：无证上岗', '错误：拆除防护'], answer: ['A'] }));
  const multiple = Array.from({ length: counts.multiple }, (_, i) => ({ type: 'MULTIPLE' as const, stem: `${prefix}多选第${i + 1}题：下列哪些属于安全措施？`, options: ['正确：设置护栏', '错误：省略交底', '正确：定期检查', '错误：超载运行'], answer: ['A', 'C'] }));
  const judge = Array.from({ length: counts.judge }, (_, i) => ({ type: 'JUDGE' as const, stem: `${prefix}判断第${i + 1}题：特种作业人员须持证上岗（${i % 2 ? '错' : '对'}）`, options: [], answer: [i % 2 ? 'F' : 'T'] }));
  return [...single, ...multiple, ...judge];
}

export interface PaperQuestion {
  id: string;
  type: 'SINGLE' | 'MULTIPLE' | 'JUDGE';
  stem: string;
  options: { key: string; text: string }[];
  points: number;
  saved?: string[];
}

/** The right answer to a question drawn from `testBank`, read off the paper as shown (options shuffled). */
export function rightAnswer(q: PaperQuestion): string[] {
  if (q.type === 'JUDGE') return [q.stem.endsWith('（对）') ? 'T' : 'F'];
  return q.options.filter((o) => o.text.startsWith('正确')).map((o) => o.key).sort();
}

/** A wrong answer: single and judge the other choice, multiple one correct option only (no partial credit). */
export function wrongAnswer(q: PaperQuestion): string[] {
  if (q.type === 'JUDGE') return [rightAnswer(q)[0] === 'T' ? 'F' : 'T'];
  if (q.type === 'MULTIPLE') return [rightAnswer(q)[0]];
  return [q.options.find((o) => o.text.startsWith('错误'))!.key];
}

/** Sends a bank file as an operator's browser would (multipart, the file in `file`). */
export async function uploadBank(api: TestBackend, token: string, classId: string, content: Buffer | string, fileName: string): Promise<ApiResponse> {
  const form = new FormData();
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  form.append('file', new Blob([new Uint8Array(bytes)], { type: fileName.endsWith('.json') ? 'application/json' : 'text/csv' }), fileName);
  return api.call('POST', `/api/admin/classes/${classId}/question-bank`, { token, form });
}

export const PAPER = { single: 3, multiple: 2, judge: 2 };

/**
 * Policy for these stories, set as data like an administrator would: a short paper (3 single × 20, 2 multiple ×
 * 10, 2 judge × 10 = 100 points), capture timing and photo coverage out of the way of study, and any extra exam
 * settings per province.
 */
export async function examPolicy(exam: Partial<Record<'SD' | 'YN', Record<string, unknown>>> = {}): Promise<void> {
  const policies = mongoose.connection.collection('policies');
  for (const province of ['SD', 'YN'] as const) {
    const set: Record<string, unknown> = {
      'settings.exam.questionCounts': PAPER,
      'settings.exam.points': { single: 20, multiple: 10, judge: 10 },
      'settings.photos.coveragePercent': 0,
      'settings.photos.captureEverySeconds': { min: 3600, max: 3600 },
    };
    for (const [key, value] of Object.entries(exam[province] ?? {})) set[`settings.exam.${key}`] = value;
    await policies.updateOne({ province }, { $set: set });
  }
}

/** One course per policy topic worth its hours, one 20-second lesson each (Shandong: four topics; Yunnan: one). */
const CONTENT = {
  SD: { LAW: [{ creditHours: 6, lessons: [20] }], MANAGEMENT: [{ creditHours: 6, lessons: [20] }], TECHNOLOGY: [{ creditHours: 6, lessons: [20] }], CASES: [{ creditHours: 6, lessons: [20] }] },
  YN: { GENERAL: [{ creditHours: 24, lessons: [20] }] },
};

export interface ExamClass {
  classId: string;
  lessons: ContentLesson[];
  operator: string;
}

export async function examClass(stack: StudyStack, province: 'SD' | 'YN', operator: string): Promise<ExamClass> {
  const { classId, lessons } = await classWithContent(stack.api, province, CONTENT[province]);
  const bank = await uploadBank(stack.api, operator, classId, JSON.stringify(testBank({ single: 6, multiple: 4, judge: 4 })), 'bank.json');
  if (bank.status !== 200) throw new Error(`bank refused: ${JSON.stringify(bank.body)}`);
  return { classId, lessons, operator };
}

/** A paid learner who has watched every lesson through (server-verified heartbeats): the exam is open to them. */
export async function learnerWhoStudied(stack: StudyStack, province: 'SD' | 'YN', cls: ExamClass, options: { study?: boolean } = {}): Promise<Learner> {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, province, cls.classId);
  await learnerReadyForStudy(stack.api, learner.token);
  if (options.study === false) return learner;
  for (const lesson of cls.lessons) {
    const player = new Player(stack, learner);
    const started = await player.start(lesson.id);
    if (started.status !== 201) throw new Error(`playback refused: ${JSON.stringify(started.body)}`);
    await player.play(0, lesson.durationSeconds);
  }
  return learner;
}

export class ExamTaker {
  constructor(
    private readonly stack: StudyStack,
    readonly learner: Learner,
  ) {}

  overview(): Promise<ApiResponse> {
    return this.stack.api.call('GET', `/api/learner/exams/${this.learner.enrollmentId}`, { token: this.learner.token });
  }

  start(): Promise<ApiResponse> {
    return this.stack.api.call('POST', '/api/learner/exams/attempts', { token: this.learner.token, body: { enrollmentId: this.learner.enrollmentId } });
  }

  read(attemptId: string): Promise<ApiResponse> {
    return this.stack.api.call('GET', `/api/learner/exams/attempts/${attemptId}`, { token: this.learner.token });
  }

  save(attemptId: string, questionId: string, answer: string[], seq: number, sentAt?: Date): Promise<ApiResponse> {
    return this.stack.api.call('PUT', `/api/learner/exams/attempts/${attemptId}/answers/${questionId}`, { token: this.learner.token, body: { answer, seq, ...(sentAt ? { sentAt: sentAt.toISOString() } : {}) } });
  }

  submit(attemptId: string): Promise<ApiResponse> {
    return this.stack.api.call('POST', `/api/learner/exams/attempts/${attemptId}/submit`, { token: this.learner.token });
  }

  visibility(attemptId: string, state: 'hidden' | 'visible'): Promise<ApiResponse> {
    return this.stack.api.call('POST', `/api/learner/exams/attempts/${attemptId}/visibility`, { token: this.learner.token, body: { state } });
  }

  /** Answers the first `right` questions rightly and the rest wrongly; answers the paper. */
  async answer(attempt: { id: string; questions: PaperQuestion[] }, right: number): Promise<void> {
    for (const [i, q] of attempt.questions.entries()) {
      const saved = await this.save(attempt.id, q.id, i < right ? rightAnswer(q) : wrongAnswer(q), 1);
      if (saved.status !== 200 || !saved.body.saved) throw new Error(`save refused: ${JSON.stringify(saved.body)}`);
    }
  }
}
