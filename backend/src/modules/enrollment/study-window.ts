import { addDays, compareDates, type LocalDate } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import { EnrollmentModel } from './data';

const ATTEMPTS = 5;

/**
 * 延期: the last day of study becomes `days` after the later of `today` and the old last day. Applied once per
 * `grantKey` (e.g. the approved application's id) however often it is called, also at once: each write is
 * conditional on the window it read and on the key not being recorded yet. Answers the new last day.
 */
export async function extendStudyWindow(enrollmentId: string, days: number, grantKey: string, today: LocalDate): Promise<LocalDate> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const enrollment = await EnrollmentModel.findById(new Types.ObjectId(enrollmentId)).lean();
    if (!enrollment?.studyUntil) throw new AppError('ENROLLMENT_NOT_FOUND');
    if (enrollment.studyGrants?.includes(grantKey)) return enrollment.studyUntil;
    const from = compareDates(enrollment.studyUntil, today) > 0 ? enrollment.studyUntil : today;
    const studyUntil = addDays(from, days);
    const written = await EnrollmentModel.updateOne(
      { _id: enrollment._id, studyUntil: enrollment.studyUntil, studyGrants: { $ne: grantKey } },
      { $set: { studyUntil, studyGrants: [...(enrollment.studyGrants ?? []), grantKey] } },
    );
    if (written.modifiedCount === 1) return studyUntil;
  }
  throw new AppError('CONFLICT', { enrollmentId });
}
