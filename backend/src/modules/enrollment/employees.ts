import { CATEGORY_LABELS, CERTIFICATE_STATUS_LABELS, ENROLLMENT_STATUS_LABELS, type EmployeeCertificate, type EmployeeListResponse, type PolicySettings } from '@ce/types';
import type { ClientSession } from 'mongoose';
import { today } from '../../platform/clock';
import type { Deps } from '../../platform/http/route';
import { learnerBindingsFor } from '../accounts';
import { findClass } from '../catalog';
import { settingsFor } from '../policy';
import { CertificateModel, lastSync, PersonModel, type CertificateDoc } from '../registry';
import { EnrollmentModel, type EnrollmentDoc } from './data';
import { eligibilityReasons, type ClassRule } from './eligibility';

/** Resolves each city's settings once per request. */
export function settingsCache(): (province: string, city: string) => Promise<PolicySettings> {
  const cache = new Map<string, Promise<PolicySettings>>();
  return (province, city) => {
    const key = `${province}/${city}`;
    if (!cache.has(key)) cache.set(key, settingsFor(province, city));
    return cache.get(key)!;
  };
}

/** Pass the transaction's session when deciding inside one, so the answer reflects the transaction's view. */
export async function activeEnrollmentsFor(certificates: CertificateDoc[], session?: ClientSession): Promise<Map<string, EnrollmentDoc>> {
  const enrollments = await EnrollmentModel.find({ certificateId: { $in: certificates.map((c) => c._id) }, status: { $ne: 'CANCELLED' } })
    .session(session ?? null)
    .lean();
  const byCertificate = new Map<string, EnrollmentDoc>();
  for (const certificate of certificates) {
    const match = enrollments.find((e) => String(e.certificateId) === String(certificate._id) && e.cycleExpiry === certificate.expiryDate);
    if (match) byCertificate.set(String(certificate._id), match);
  }
  return byCertificate;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface EmployeeFilter {
  classId?: string;
  filter: 'all' | 'eligible' | 'blocked';
  reason?: string;
  q?: string;
}

/**
 * 员工证书: every certificate the enterprise holds now, plus those that recently moved away from it, each
 * with the exact reasons it can or cannot be enrolled (in the chosen class, if one is chosen).
 */
export async function listEmployeeCertificates(enterpriseUscc: string, province: string, query: EmployeeFilter, deps: Deps): Promise<EmployeeListResponse> {
  const classRule: ClassRule | undefined = query.classId ? await findClass(query.classId, province) : undefined;
  const filter: Record<string, unknown> = { $or: [{ enterpriseUscc }, { previousEnterpriseUscc: enterpriseUscc }] };
  if (query.q) filter.holderName = { $regex: escapeRegex(query.q) };
  const certificates = await CertificateModel.find(filter).sort({ expiryDate: 1, certificateNo: 1 }).lean();
  const enrollments = await activeEnrollmentsFor(certificates);
  const maskedIds = await maskedIdsOf(certificates);
  const bindings = await learnerBindingsFor(certificates.map((c) => String(c.personId)));
  const settings = settingsCache();
  const day = today(deps.clock);

  const all: EmployeeCertificate[] = [];
  for (const certificate of certificates) {
    const enrollment = enrollments.get(String(certificate._id));
    const reasons = eligibilityReasons({
      certificate,
      enterpriseUscc,
      classRule,
      alreadyEnrolled: Boolean(enrollment),
      settings: await settings(certificate.province, certificate.city),
      today: day,
    });
    const learnerAccount = bindings.get(String(certificate.personId))!;
    all.push(toEmployeeCertificate(certificate, maskedIds.get(String(certificate.personId)) ?? '', reasons, learnerAccount, enrollment));
  }

  const byReason: Record<string, number> = {};
  for (const item of all) for (const r of item.reasons) byReason[r.code] = (byReason[r.code] ?? 0) + 1;
  const eligibleCount = all.filter((i) => i.eligible).length;
  const items = all.filter(
    (i) =>
      (query.filter === 'all' || (query.filter === 'eligible') === i.eligible) && (!query.reason || i.reasons.some((r) => r.code === query.reason)),
  );
  const lastRun = await lastSync();
  return {
    items,
    counts: { total: all.length, eligible: eligibleCount, blocked: all.length - eligibleCount, byReason },
    lastSyncedAt: lastRun?.finishedAt?.toISOString(),
    today: day,
  };
}

function toEmployeeCertificate(
  certificate: CertificateDoc,
  idMasked: string,
  reasons: EmployeeCertificate['reasons'],
  learnerAccount: EmployeeCertificate['learnerAccount'],
  enrollment?: EnrollmentDoc,
): EmployeeCertificate {
  const expired = certificate.status === 'VALID' && reasons.some((r) => r.code === 'EXPIRED');
  return {
    certificateId: String(certificate._id),
    certificateNo: certificate.certificateNo,
    holderName: certificate.holderName,
    idNumberMasked: idMasked,
    category: certificate.category,
    categoryLabel: CATEGORY_LABELS[certificate.category],
    jobType: certificate.jobType,
    subCategory: certificate.subCategory,
    aKind: certificate.aKind,
    issueDate: certificate.issueDate,
    expiryDate: certificate.expiryDate,
    status: certificate.status,
    statusLabel: expired ? CERTIFICATE_STATUS_LABELS.EXPIRED : CERTIFICATE_STATUS_LABELS[certificate.status],
    eligible: reasons.length === 0,
    reasons,
    enrollment: enrollment && { id: String(enrollment._id), status: enrollment.status, statusLabel: ENROLLMENT_STATUS_LABELS[enrollment.status] },
    learnerAccount,
  };
}

async function maskedIdsOf(certificates: CertificateDoc[]): Promise<Map<string, string>> {
  const persons = await PersonModel.find({ _id: { $in: [...new Set(certificates.map((c) => String(c.personId)))] } }).lean();
  return new Map(persons.map((p) => [String(p._id), p.idMasked]));
}
