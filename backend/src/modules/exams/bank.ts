import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { QUESTION_TYPES, type QuestionBankSummary, type QuestionType } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps, SpooledFile } from '../../platform/http/route';
import { operatorsClass, type ClassDoc } from '../catalog';
import { settingsFor } from '../policy';
import { readBankFile } from './bank-file';
import { checkQuestion, type CheckedQuestion, type RawQuestion } from './bank-rules';
import { QuestionBankModel, type BankQuestionDoc, type QuestionBankDoc } from './data';
import { neededPerType } from './paper';

/** Question ids are stable within a bank version and safe as field names (answers are stored under them). */
const questionId = () => randomBytes(6).toString('hex');

function bankQuestions(questions: CheckedQuestion[]): BankQuestionDoc[] {
  return questions.map((q) => ({ id: questionId(), ...q }));
}

function countByType(questions: readonly { type: QuestionType }[]): Record<QuestionType, number> {
  const counts = Object.fromEntries(QUESTION_TYPES.map((t) => [t, 0])) as Record<QuestionType, number>;
  for (const q of questions) counts[q.type] += 1;
  return counts;
}

async function summaryOf(cls: ClassDoc, bank: QuestionBankDoc | null): Promise<QuestionBankSummary> {
  const needed = neededPerType((await settingsFor(cls.province)).exam);
  const byType = countByType(bank?.questions ?? []);
  return {
    classId: String(cls._id),
    total: bank?.questions.length ?? 0,
    byType,
    ...(bank ? { importedAt: bank.importedAt.toISOString() } : {}),
    enoughForPaper: QUESTION_TYPES.every((t) => byType[t] >= needed[t]),
    needed,
  };
}

const DUPLICATE_KEY = 11000;

/** One upsert of the bank document; of two first imports at once the loser's upsert meets the unique index and is run again as an update. */
async function replaceBank(classId: Types.ObjectId, questions: BankQuestionDoc[], importedBy: string, now: Date): Promise<QuestionBankDoc> {
  for (let attempt = 1; ; attempt++) {
    try {
      const bank = await QuestionBankModel.findOneAndUpdate({ classId }, { $set: { questions, importedAt: now, importedBy }, $inc: { version: 1 } }, { upsert: true, returnDocument: 'after', lean: true });
      return bank!;
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY || attempt >= 3) throw error;
    }
  }
}

/**
 * 导入题库: the whole file is checked first (every bad line listed, nothing stored); a good file replaces the
 * class's bank in one single-document write. Attempts already started keep the paper they were given.
 */
export async function importQuestionBank(classId: string, file: SpooledFile | undefined, operator: { subjectId: string; province?: string }, deps: Deps): Promise<QuestionBankSummary> {
  const cls = await operatorsClass(classId, operator.province);
  if (!file) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请上传题库文件（JSON 或 CSV）' }] });
  const questions = bankQuestions(await readBankFile(file.path, file.fileName));
  const bank = await replaceBank(cls._id, questions, operator.subjectId, deps.clock.now());
  deps.logger.info({ classId, questions: questions.length, version: bank.version }, 'question bank imported');
  return summaryOf(cls, bank);
}

export async function questionBankSummary(classId: string, operatorProvince: string | undefined): Promise<QuestionBankSummary> {
  const cls = await operatorsClass(classId, operatorProvince);
  return summaryOf(cls, await QuestionBankModel.findOne({ classId: cls._id }).lean());
}

export async function bankOfClass(classId: Types.ObjectId): Promise<QuestionBankDoc | null> {
  return QuestionBankModel.findOne({ classId }).lean();
}

/**
 * For seeding (the demo): gives a class without a bank these questions, checked by the same rules as an import.
 * A class that already has a bank keeps it.
 */
export async function seedQuestionBank(classId: Types.ObjectId, questions: RawQuestion[], deps: Deps): Promise<void> {
  if (await QuestionBankModel.exists({ classId })) return;
  const checked = questions.map((raw, index) => {
    const { question, problems } = checkQuestion(raw);
    if (!question) throw new Error(`seed question ${index + 1}: ${problems.join('; ')}`);
    return question;
  });
  await replaceBank(classId, bankQuestions(checked), 'seed', deps.clock.now());
}
