import { addDays, addMonths, ELIGIBILITY_REASONS, type EligibilityReason, type EligibilityReasonCode, type LocalDate, type PolicySettings } from '@ce/types';
import type { CertificateDoc } from '../registry';

export interface ClassRule {
  category: string;
  jobType?: string;
  subCategory?: string;
}

export interface EligibilityInput {
  certificate: Pick<CertificateDoc, 'category' | 'jobType' | 'subCategory' | 'aKind' | 'expiryDate' | 'status' | 'busy' | 'enterpriseUscc' | 'constructorRegistration'>;
  /** The enterprise asking. */
  enterpriseUscc: string;
  /** The class chosen, if any (rule 5 is judged only against a class). */
  classRule?: ClassRule;
  alreadyEnrolled: boolean;
  settings: PolicySettings;
  today: LocalDate;
}

function reason(code: EligibilityReasonCode, eligibleFrom?: LocalDate): EligibilityReason {
  return eligibleFrom ? { code, message: `${ELIGIBILITY_REASONS[code]}，可于 ${eligibleFrom} 起报名`, eligibleFrom } : { code, message: ELIGIBILITY_REASONS[code] };
}

/** Rule 1: the first day of the enrollment window. */
export function enrollmentOpensOn(expiryDate: LocalDate, settings: PolicySettings): LocalDate {
  return addMonths(expiryDate, -settings.enrollment.windowMonthsBeforeExpiry);
}

/** Rule 2: the last day that leaves enough time to study, upload the result and meet the city's lead time. */
export function lastEnrollmentDay(expiryDate: LocalDate, settings: PolicySettings): LocalDate {
  const { hoursPerDay, uploadDelayDays, leadTimeDays, examMode } = settings.enrollment;
  const studyDays = Math.ceil(settings.hours.required / hoursPerDay);
  return addDays(expiryDate, -(studyDays + uploadDelayDays + leadTimeDays[examMode]));
}

function timingReasons({ certificate, settings, today }: EligibilityInput): EligibilityReason[] {
  if (certificate.expiryDate < today) return [reason('EXPIRED')];
  const opensOn = enrollmentOpensOn(certificate.expiryDate, settings);
  if (today < opensOn) return [reason('TOO_EARLY', opensOn)];
  if (today > lastEnrollmentDay(certificate.expiryDate, settings)) return [reason('NOT_ENOUGH_TIME')];
  return [];
}

function classMatches(certificate: EligibilityInput['certificate'], rule: ClassRule): boolean {
  if (rule.category !== certificate.category) return false;
  if (rule.jobType && rule.jobType !== certificate.jobType) return false;
  return !rule.subCategory || rule.subCategory === certificate.subCategory;
}

function constructorReasons({ certificate, settings, today }: EligibilityInput): EligibilityReason[] {
  if (certificate.category !== 'B' || !settings.enrollment.bRequiresConstructorRegistration) return [];
  const registration = certificate.constructorRegistration;
  if (!registration || registration.validUntil < today) return [reason('CONSTRUCTOR_REGISTRATION_MISSING')];
  if (registration.enterpriseUscc !== certificate.enterpriseUscc) return [reason('CONSTRUCTOR_REGISTRATION_OTHER_ENTERPRISE')];
  return [];
}

/** Every rule that blocks enrolling this certificate now; an empty list means it may be enrolled. */
export function eligibilityReasons(input: EligibilityInput): EligibilityReason[] {
  const { certificate, settings } = input;
  const reasons: EligibilityReason[] = [];
  if (certificate.enterpriseUscc !== input.enterpriseUscc) reasons.push(reason('NOT_CURRENT_ENTERPRISE'));
  reasons.push(...timingReasons(input));
  if (certificate.status !== 'VALID') reasons.push(reason('CERTIFICATE_NOT_VALID'));
  if (certificate.busy) reasons.push(reason('BUSY_WITH_OTHER_BUSINESS'));
  if (input.alreadyEnrolled) reasons.push(reason('ALREADY_ENROLLED'));
  if (certificate.category === 'A' && certificate.aKind === 'ADDITIONAL' && settings.enrollment.additionalACertificatesExempt) {
    reasons.push(reason('ADDITIONAL_A_CERTIFICATE'));
  }
  if (input.classRule && !classMatches(certificate, input.classRule)) reasons.push(reason('CLASS_MISMATCH'));
  reasons.push(...constructorReasons(input));
  return reasons;
}
