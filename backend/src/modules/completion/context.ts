import type { PolicySettings } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Principal } from '../../platform/http/route';
import { EnrollmentModel, type EnrollmentDoc } from '../enrollment';
import { settingsFor } from '../policy';
import { CertificateModel, type CertificateDoc } from '../registry';

/** An enrollment with its certificate (province, city: whose reviewers decide) and the policy in force there. */
export interface EnrollmentFacts {
  enrollment: EnrollmentDoc;
  certificate: CertificateDoc;
  settings: PolicySettings;
}

async function factsOf(enrollment: EnrollmentDoc | null): Promise<EnrollmentFacts> {
  const certificate = enrollment && (await CertificateModel.findById(enrollment.certificateId).lean());
  if (!enrollment || !certificate) throw new AppError('ENROLLMENT_NOT_FOUND');
  return { enrollment, certificate, settings: await settingsFor(certificate.province, certificate.city) };
}

const oid = (id: string) => (Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : undefined);

export async function enrollmentFacts(enrollmentId: string): Promise<EnrollmentFacts> {
  const id = oid(enrollmentId);
  return factsOf(id ? await EnrollmentModel.findById(id).lean() : null);
}

/** The learner's own enrollment; someone else's is not found either. */
export async function ownEnrollmentFacts(enrollmentId: string, personId: string): Promise<EnrollmentFacts> {
  const id = oid(enrollmentId);
  return factsOf(id ? await EnrollmentModel.findOne({ _id: id, personId: new Types.ObjectId(personId) }).lean() : null);
}

/** Reviewers are city staff: they see and act on their own city's learners only. */
export interface CityScope {
  province: string;
  city: string;
}

export function reviewerScope(principal: Principal): CityScope {
  if (!principal.province || !principal.city) throw new AppError('FORBIDDEN');
  return { province: principal.province, city: principal.city };
}

export function inScope(facts: EnrollmentFacts, scope: CityScope): boolean {
  return facts.certificate.province === scope.province && facts.certificate.city === scope.city;
}

/** `138****5678`. */
export function maskMobile(mobile: string): string {
  return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}
