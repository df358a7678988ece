import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import { ExamAttemptModel, type ExamAttemptDoc } from './data';

/** The learner's own attempt, or ATTEMPT_NOT_FOUND (someone else's is not found either). */
export async function ownAttempt(attemptId: string, personId: string): Promise<ExamAttemptDoc> {
  const attempt = Types.ObjectId.isValid(attemptId) ? await ExamAttemptModel.findOne({ _id: attemptId, personId: new Types.ObjectId(personId) }).lean() : null;
  if (!attempt) throw new AppError('ATTEMPT_NOT_FOUND');
  return attempt;
}

