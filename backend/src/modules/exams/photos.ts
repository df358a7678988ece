import { randomInt, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { examPhotoResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { takeExamPhoto, type FaceSubject } from '../face';
import { ownAttempt } from './access';
import { ExamAttemptModel } from './data';
import { settle } from './finish';
import { dueCapture } from './views';

interface ExamPhotoRequest {
  subject: FaceSubject;
  attemptId: string;
  captureId: string;
  file?: UploadedFile;
}

/**
 * 考试拍照: the photo the attempt asks for (its captureId), checked by face checking; once accepted, the next one
 * is asked for at a random moment exam.captureEverySeconds later. A refused photo keeps the capture open.
 */
export async function submitExamPhoto(input: ExamPhotoRequest, deps: Deps): Promise<z.input<typeof examPhotoResponse>> {
  // The same photo sent twice at once is checked once; the other is told 409 (then 404: the capture is fulfilled).
  return withExclusiveKeys([`exam-capture:${input.captureId}`], '照片正在核验，请稍候', () => checkCapture(input, deps));
}

async function checkCapture(input: ExamPhotoRequest, deps: Deps): Promise<z.input<typeof examPhotoResponse>> {
  const now = deps.clock.now();
  const attempt = await settle(await ownAttempt(input.attemptId, input.subject.personId), now);
  if (attempt.state !== 'IN_PROGRESS') throw new AppError('ATTEMPT_CLOSED', { attemptId: input.attemptId });
  if (attempt.capture.id !== input.captureId) throw new AppError('CAPTURE_NOT_FOUND', { captureId: input.captureId });
  if (!input.file) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请拍摄照片后上传' }] });
  const { check } = await takeExamPhoto({ subject: input.subject, enrollmentId: String(attempt.enrollmentId), captureId: input.captureId, photo: input.file }, deps);
  if (!check.accepted) {
    const capture = dueCapture(attempt, now);
    return { check, retake: true, ...(capture ? { capture } : {}) };
  }
  const { min, max } = attempt.rules.captureEverySeconds;
  const next = { id: randomUUID(), dueAt: new Date(now.getTime() + randomInt(min, Math.max(min, max) + 1) * 1000) };
  await ExamAttemptModel.updateOne({ _id: attempt._id, 'capture.id': input.captureId }, { $set: { capture: next }, $inc: { capturesTaken: 1 } });
  return { check, retake: false };
}
