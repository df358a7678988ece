import { ENROLLMENT_STATUS_LABELS, CATEGORY_LABELS, type EligibilityReason, type EnrollmentSummary } from '@ce/types';
import { Types } from 'mongoose';
import { today } from '../../platform/clock';
import { inTransaction } from '../../platform/db';
import { withExclusiveKeys } from '../../platform/exclusive';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { findClass, type ClassDoc } from '../catalog';
import { CertificateModel, EnterpriseModel, PersonModel } from '../registry';
import { EnrollmentModel, type EnrollmentDoc } from './data';
import { eligibilityReasons } from './eligibility';
import { activeEnrollmentsFor, settingsCache } from './employees';

export interface EnrollRequest {
  enterpriseUscc: string;
  province: string;
  accountId: string;
  classId: string;
  certificateIds: string[];
  /** A learner enrolling their own certificate, who then pays the order themselves. */
  selfEnrolled?: boolean;
}

type Rejection = { certificateId: string; reasons: EligibilityReason[] };

const notOurs = (certificateId: string): Rejection => ({
  certificateId,
  reasons: [{ code: 'NOT_CURRENT_ENTERPRISE', message: '该证书不在本企业名下，只能由证书当前所在企业报名' }],
});

/**
 * 批量报名: all or nothing. Every certificate is checked against every rule first; if any is refused,
 * nothing is written and the answer says who and why. Each certificate is claimed first (a concurrent
 * request for the same person answers CONFLICT), the writes run in one transaction, and the unique
 * (certificate, cycle) index is the last line against a duplicate.
 */
export async function enrollCertificates(request: EnrollRequest, deps: Deps): Promise<EnrollmentDoc[]> {
  const klass = await findClass(request.classId, request.province);
  const ids = [...new Set(request.certificateIds)];
  const enterprise = await EnterpriseModel.findOne({ uscc: request.enterpriseUscc }).lean();
  const enterpriseName = enterprise?.name ?? request.enterpriseUscc;
  const claimed = ids.map((id) => `enrollment:${id}`);
  return withExclusiveKeys(claimed, '正在为所选人员办理报名，请稍后刷新查看结果', () => enrollInTransaction(request, ids, klass, enterpriseName, deps));
}

async function enrollInTransaction(request: EnrollRequest, ids: string[], klass: ClassDoc, enterpriseName: string, deps: Deps): Promise<EnrollmentDoc[]> {
  return inTransaction(async (session) => {
    const certificates = await CertificateModel.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).session(session).lean();
    const visible = certificates.filter((c) => c.enterpriseUscc === request.enterpriseUscc || c.previousEnterpriseUscc === request.enterpriseUscc);
    const rejections: Rejection[] = ids.filter((id) => !visible.some((c) => String(c._id) === id)).map(notOurs);
    const enrolled = await activeEnrollmentsFor(visible, session);
    const settings = settingsCache();
    const day = today(deps.clock);
    for (const certificate of visible) {
      const reasons = eligibilityReasons({
        certificate,
        enterpriseUscc: request.enterpriseUscc,
        classRule: klass,
        alreadyEnrolled: enrolled.has(String(certificate._id)),
        settings: await settings(certificate.province, certificate.city),
        today: day,
      });
      if (reasons.length) rejections.push({ certificateId: String(certificate._id), reasons });
    }
    if (rejections.length) throw new AppError('ENROLLMENT_REJECTED', { items: rejections });

    const persons = await PersonModel.find({ _id: { $in: visible.map((c) => c.personId) } }).session(session).lean();
    const now = deps.clock.now();
    const created: EnrollmentDoc[] = [];
    for (const certificate of visible) {
      const person = persons.find((p) => String(p._id) === String(certificate.personId));
      const fields = {
        classId: klass._id,
        className: klass.name,
        personId: certificate.personId,
        enterpriseUscc: request.enterpriseUscc,
        enterpriseName,
        certificateNo: certificate.certificateNo,
        category: certificate.category,
        holderName: certificate.holderName,
        idMasked: person?.idMasked ?? '',
        feeFen: klass.feeFen,
        status: 'AWAITING_PAYMENT' as const,
        enrolledBy: request.accountId,
        selfEnrolled: Boolean(request.selfEnrolled),
        createdAt: now,
      };
      // A cancelled enrollment of the same cycle is reopened rather than duplicated. Only a cancelled one: a live
      // enrollment written meanwhile by a concurrent request makes the insert hit the unique index instead of
      // being overwritten, and the retried transaction then sees it (ALREADY_ENROLLED).
      const doc = await EnrollmentModel.findOneAndUpdate(
        { certificateId: certificate._id, cycleExpiry: certificate.expiryDate, status: 'CANCELLED' },
        { $set: fields },
        { upsert: true, returnDocument: 'after', session, lean: true },
      );
      created.push(doc!);
    }
    return created;
  }).catch((error: { code?: number }) => {
    if (error.code === 11000) throw new AppError('CONFLICT');
    throw error;
  });
}

export function toEnrollmentSummary(doc: EnrollmentDoc): EnrollmentSummary {
  return {
    id: String(doc._id),
    status: doc.status,
    statusLabel: ENROLLMENT_STATUS_LABELS[doc.status],
    classId: String(doc.classId),
    className: doc.className,
    certificateId: String(doc.certificateId),
    certificateNo: doc.certificateNo,
    category: doc.category,
    categoryLabel: CATEGORY_LABELS[doc.category],
    holderName: doc.holderName,
    idNumberMasked: doc.idMasked,
    enterpriseName: doc.enterpriseName,
    feeFen: doc.feeFen,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.selfEnrolled ? { selfEnrolled: true } : {}),
    ...(doc.paidAt ? { paidAt: doc.paidAt.toISOString() } : {}),
    ...(doc.studyUntil ? { studyUntil: doc.studyUntil } : {}),
  };
}

/** What the enterprise enrolled (a learner's own enrollment is theirs to pay, so not listed for the enterprise to pay). */
export async function enrollmentsOfEnterprise(enterpriseUscc: string): Promise<EnrollmentDoc[]> {
  return EnrollmentModel.find({ enterpriseUscc, selfEnrolled: { $ne: true } }).sort({ createdAt: -1 }).lean();
}

export async function enrollmentsOfLearner(personId: string): Promise<EnrollmentDoc[]> {
  return EnrollmentModel.find({ personId: new Types.ObjectId(personId) }).sort({ createdAt: -1 }).lean();
}
