import { CATEGORY_LABELS, type OwnCertificate, type SelfEnrollmentOptions } from '@ce/types';
import { Types } from 'mongoose';
import { today } from '../../platform/clock';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { listClasses, toClassSummary } from '../catalog';
import { settingsFor } from '../policy';
import { CertificateModel, EnterpriseModel, PersonModel, type CertificateDoc } from '../registry';
import type { EnrollmentDoc } from './data';
import { eligibilityReasons } from './eligibility';
import { activeEnrollmentsFor, settingsCache } from './employees';
import { enrollCertificates } from './enroll';

export interface SelfEnroll {
  personId: string;
  accountId: string;
  classId: string;
  certificateId: string;
}

/** Whether the policy where the certificate (or the learner) belongs lets a learner enroll and pay alone. */
export async function personalEnrollmentAllowed(province?: string, city?: string): Promise<boolean> {
  if (!province) return false;
  return (await settingsFor(province, city)).orders.personalEnrollment;
}

/** The learner's own certificate; anyone else's is answered as not theirs (ids reveal nothing). */
async function ownCertificateDoc(personId: string, certificateId: string): Promise<CertificateDoc> {
  const certificate = await CertificateModel.findById(certificateId).lean();
  if (!certificate || String(certificate.personId) !== personId) throw new AppError('CERTIFICATE_NOT_YOURS');
  return certificate;
}

/**
 * 自己报名: a learner enrolls their own certificate where policy allows it. The certificate's current enterprise is
 * recorded as for any enrollment, and every rule and claim of 批量报名 applies (it is the same use case, for one
 * certificate); the enrollment is marked as the learner's to pay.
 */
export async function selfEnroll(input: SelfEnroll, deps: Deps): Promise<EnrollmentDoc> {
  const certificate = await ownCertificateDoc(input.personId, input.certificateId);
  if (!(await personalEnrollmentAllowed(certificate.province, certificate.city))) throw new AppError('PERSONAL_ENROLLMENT_NOT_ALLOWED');
  const [enrollment] = await enrollCertificates(
    { enterpriseUscc: certificate.enterpriseUscc, province: certificate.province, accountId: input.accountId, classId: input.classId, certificateIds: [input.certificateId], selfEnrolled: true },
    deps,
  );
  return enrollment!;
}

/** What the 自己报名缴费 page offers: the learner's certificates with reasons, their province's classes, the 普票 title. */
export async function selfEnrollmentOptions(personId: string, province: string, city: string | undefined, deps: Deps): Promise<SelfEnrollmentOptions> {
  const allowed = await personalEnrollmentAllowed(province, city);
  const person = await PersonModel.findById(personId).lean();
  const invoiceTitle = person?.name ?? '';
  if (!allowed) return { allowed, notAllowedReason: '本地区暂不支持学员自己报名缴费，请由证书所在企业为您报名缴费', certificates: [], classes: [], invoiceTitle };
  const certificates = await CertificateModel.find({ personId: new Types.ObjectId(personId) }).sort({ expiryDate: 1 }).lean();
  const classes = (await listClasses(province)).map(toClassSummary);
  return { allowed, certificates: await withReasons(certificates, deps), classes, invoiceTitle };
}

async function withReasons(certificates: CertificateDoc[], deps: Deps): Promise<OwnCertificate[]> {
  const enrolled = await activeEnrollmentsFor(certificates);
  const enterprises = await EnterpriseModel.find({ uscc: { $in: certificates.map((c) => c.enterpriseUscc) } }).lean();
  const settings = settingsCache();
  const day = today(deps.clock);
  const items: OwnCertificate[] = [];
  for (const certificate of certificates) {
    const reasons = eligibilityReasons({
      certificate,
      enterpriseUscc: certificate.enterpriseUscc,
      alreadyEnrolled: enrolled.has(String(certificate._id)),
      settings: await settings(certificate.province, certificate.city),
      today: day,
    });
    items.push({
      certificateId: String(certificate._id),
      certificateNo: certificate.certificateNo,
      category: certificate.category,
      categoryLabel: CATEGORY_LABELS[certificate.category],
      jobType: certificate.jobType,
      subCategory: certificate.subCategory,
      expiryDate: certificate.expiryDate,
      enterpriseName: enterprises.find((e) => e.uscc === certificate.enterpriseUscc)?.name ?? certificate.enterpriseUscc,
      eligible: reasons.length === 0,
      reasons,
    });
  }
  return items;
}
