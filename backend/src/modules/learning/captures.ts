import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { takeStudyPhoto, type FaceSubject } from '../face';
import { activeSession, assertSessionWindowOpen } from './heartbeats';
import { changeProgress, findProgress, nextCaptureGap } from './progress';

/**
 * A study photo for the capture the server asked for. It is checked at once; a rejected one may be retaken at
 * once for the same capture, an accepted one ends the capture (crediting goes on) and counts for its topic.
 */
export async function submitCapture(input: { sessionId: string; learner: FaceSubject; captureId: string; file?: UploadedFile }, deps: Deps): ReturnType<typeof takeStudyPhoto> {
  const session = await activeSession(input.sessionId, input.learner.personId);
  await assertSessionWindowOpen(session, deps.clock.now());
  const enrollmentId = new Types.ObjectId(session.enrollmentId);
  return withExclusiveKeys([`capture:${input.captureId}`], '照片正在核验，请稍候', async () => {
    const pending = (await findProgress(enrollmentId))?.capture;
    if (pending?.id !== input.captureId) throw new AppError('CAPTURE_NOT_FOUND');
    if (!input.file) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请从相机拍摄一张照片' }] });
    const answer = await takeStudyPhoto({ subject: input.learner, enrollmentId: String(enrollmentId), topicCode: pending.topicCode, captureId: pending.id, photo: input.file }, deps);
    if (!answer.check.accepted) return answer;
    return changeProgress(enrollmentId, (doc) => {
      if (doc.capture?.id !== pending.id) return { answer };
      return {
        set: { nextCaptureAt: doc.creditedTotal + nextCaptureGap(session.rules.captureEverySeconds) },
        unset: ['capture'],
        answer,
      };
    });
  });
}
