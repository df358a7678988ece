import { Types } from 'mongoose';
import type { PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import { settingsFor } from '../policy';
import { CertificateModel } from '../registry';
import { EnrollmentModel, type EnrollmentDoc } from './data';

/** The learner's own enrollment, or ENROLLMENT_NOT_FOUND (someone else's is not found either). */
export async function ownEnrollment(enrollmentId: string, personId: string): Promise<EnrollmentDoc> {
  if (!Types.ObjectId.isValid(enrollmentId)) throw new AppError('ENROLLMENT_NOT_FOUND');
  const enrollment = await EnrollmentModel.findOne({ _id: enrollmentId, personId: new Types.ObjectId(personId) }).lean();
  if (!enrollment) throw new AppError('ENROLLMENT_NOT_FOUND');
  return enrollment;
}

/** The policy in force for an enrollment: its certificate's province and city. */
export async function enrollmentSettings(enrollment: Pick<EnrollmentDoc, 'certificateId'>): Promise<PolicySettings> {
  const certificate = await CertificateModel.findById(enrollment.certificateId).lean();
  if (!certificate) throw new AppError('ENROLLMENT_NOT_FOUND');
  return settingsFor(certificate.province, certificate.city);
}
