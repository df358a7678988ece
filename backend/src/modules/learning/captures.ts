import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { EnrollmentModel } from '../enrollment';
import { enrollmentSettings } from './access';
import type { StudyFace, StudyPhotoAnswer } from './face';
import { activeSession, assertSessionWindowOpen } from './heartbeats';
import { changeProgress, findProgress, nextCaptureGap } from './progress';

/**
 * A study photo for the capture the server asked for. It is checked at once; a rejected one may be retaken at
 * once for the same capture, an accepted one ends the capture (crediting goes on) and counts for its topic.
 */
export async function submitCapture(input: { sessionId: string; personId: string; captureId: string; file?: UploadedFile }, face: StudyFace, deps: Deps): Promise<StudyPhotoAnswer> {
  const session = await activeSession(input.sessionId, input.personId);
  await assertSessionWindowOpen(session, deps.clock.now());
  const enrollmentId = new Types.ObjectId(session.enrollmentId);
  return withExclusiveKeys([`capture:${input.captureId}`], '照片正在核验，请稍候', async () => {
    const pending = (await findProgress(enrollmentId))?.capture;
    if (pending?.id !== input.captureId) throw new AppError('CAPTURE_NOT_FOUND');
    if (!input.file) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请从相机拍摄一张照片' }] });
    const settings = await enrollmentSettings((await EnrollmentModel.findById(enrollmentId).lean())!);
    const photo = { bytes: input.file.bytes, contentType: input.file.contentType };
    const answer = await face.checkStudyPhoto({ personId: input.personId, enrollmentId: String(enrollmentId), topicCode: pending.topicCode, captureId: pending.id, photo, settings }, deps);
    if (!answer.check.accepted) return answer;
    return changeProgress(enrollmentId, (doc) => {
      if (doc.capture?.id !== pending.id) return { answer };
      return {
        set: { nextCaptureAt: doc.creditedTotal + nextCaptureGap(settings.photos), [`photosByTopic.${pending.topicCode}`]: (doc.photosByTopic[pending.topicCode] ?? 0) + 1 },
        unset: ['capture'],
        answer,
      };
    });
  });
}
