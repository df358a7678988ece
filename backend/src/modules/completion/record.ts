import { Types } from 'mongoose';
import type { Deps } from '../../platform/http/route';
import { EnrollmentModel } from '../enrollment';
import { examStatus } from '../exams';
import { examEligibility } from '../learning';
import { CertificateModel } from '../registry';
import { enrollmentFacts, type CityScope, type EnrollmentFacts } from './context';
import { CompletionModel, type CompletionDoc } from './data';

async function create(facts: EnrollmentFacts, passedAt: Date, bestScore: number | undefined, deps: Deps): Promise<CompletionDoc> {
  const { enrollment, certificate } = facts;
  const { hoursEarned } = await examEligibility(String(enrollment._id));
  const fresh = {
    enrollmentId: enrollment._id,
    personId: enrollment.personId,
    certificateId: enrollment.certificateId,
    cycleExpiry: enrollment.cycleExpiry,
    province: certificate.province,
    city: certificate.city,
    enterpriseUscc: enrollment.enterpriseUscc,
    category: enrollment.category,
    holderName: enrollment.holderName,
    idMasked: enrollment.idMasked,
    certificateNo: enrollment.certificateNo,
    className: enrollment.className,
    state: 'AWAITING_REVIEW',
    ...(bestScore !== undefined ? { examScore: bestScore } : {}),
    examPassedAt: passedAt,
    hoursEarned,
    notes: [],
    createdAt: deps.clock.now(),
  };
  // An upsert that only inserts: two requests noticing the same pass at once make one record.
  await CompletionModel.updateOne({ enrollmentId: enrollment._id }, { $setOnInsert: fresh }, { upsert: true }).catch((error: { code?: number }) => {
    if (error.code !== 11000) throw error;
  });
  return (await CompletionModel.findOne({ enrollmentId: enrollment._id }).lean())!;
}

/**
 * The enrollment's completion record: made (AWAITING_REVIEW) the first time its exam is seen passed; null while
 * the exam is not passed. Exams may call this when an attempt passes; readers call it too, so nothing waits on that.
 */
export async function recordExamPassed(enrollmentId: string, deps: Deps, facts?: EnrollmentFacts): Promise<CompletionDoc | null> {
  const existing = Types.ObjectId.isValid(enrollmentId) ? await CompletionModel.findOne({ enrollmentId: new Types.ObjectId(enrollmentId) }).lean() : null;
  if (existing) return existing;
  const status = await examStatus(enrollmentId);
  if (!status.passed) return null;
  return create(facts ?? (await enrollmentFacts(enrollmentId)), status.passedAt!, status.bestScore, deps);
}

/**
 * Paid enrollments of the city's certificates with no completion record yet: their exams may have been passed
 * (a safety net for the review queue; exams telling `recordExamPassed` at once makes it find nothing).
 */
export async function catchUpPassedExams(scope: CityScope, deps: Deps): Promise<void> {
  const certificateIds = await CertificateModel.find(scope, { _id: 1 }).lean();
  const recorded = await CompletionModel.find(scope, { enrollmentId: 1 }).lean();
  const candidates = await EnrollmentModel.find(
    { certificateId: { $in: certificateIds.map((c) => c._id) }, status: 'PAID', _id: { $nin: recorded.map((r) => r.enrollmentId) } },
    { _id: 1 },
  ).lean();
  for (const candidate of candidates) await recordExamPassed(String(candidate._id), deps);
}
