import { Types } from 'mongoose';
import { chinaDate, type PolicySettings, type StudyWindowState } from '@ce/types';
import { AppError } from '../../platform/errors';
import { EnrollmentModel, type EnrollmentDoc } from '../enrollment';
import { settingsFor } from '../policy';
import { CertificateModel } from '../registry';

/** The learner's own enrollment, or ENROLLMENT_NOT_FOUND (someone else's is not found either). */
export async function ownEnrollment(enrollmentId: string, personId: string): Promise<EnrollmentDoc> {
  if (!Types.ObjectId.isValid(enrollmentId)) throw new AppError('ENROLLMENT_NOT_FOUND');
  const enrollment = await EnrollmentModel.findOne({ _id: enrollmentId, personId: new Types.ObjectId(personId) }).lean();
  if (!enrollment) throw new AppError('ENROLLMENT_NOT_FOUND');
  return enrollment;
}

/** Paid and not past its last day of study (China date, inclusive). */
export function windowState(enrollment: Pick<EnrollmentDoc, 'status' | 'studyUntil'>, now: Date): StudyWindowState {
  if (enrollment.status !== 'PAID') return 'NOT_PAID';
  if (enrollment.studyUntil && chinaDate(now) > enrollment.studyUntil) return 'ENDED';
  return 'OPEN';
}

export function assertStudyOpen(enrollment: Pick<EnrollmentDoc, 'status' | 'studyUntil'>, now: Date): void {
  const state = windowState(enrollment, now);
  if (state === 'NOT_PAID') throw new AppError('STUDY_NOT_PAID');
  if (state === 'ENDED') throw new AppError('STUDY_WINDOW_CLOSED', { studyUntil: enrollment.studyUntil });
}

/** The policy in force for an enrollment: its certificate's province and city. */
export async function enrollmentSettings(enrollment: Pick<EnrollmentDoc, 'certificateId'>): Promise<PolicySettings> {
  const certificate = await CertificateModel.findById(enrollment.certificateId).lean();
  if (!certificate) throw new AppError('ENROLLMENT_NOT_FOUND');
  return settingsFor(certificate.province, certificate.city);
}
