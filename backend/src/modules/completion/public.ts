import type { z } from 'zod';
import { chinaDate, COMPLETION_STATE_LABELS, REPORT_STATE_LABELS, type CertificateCategory, type ceRecordQueryResponse, type CompletionState } from '@ce/types';
import { keyedHash } from '../../platform/crypto';
import type { Deps } from '../../platform/http/route';
import { EnrollmentModel } from '../enrollment';
import { examEligibility } from '../learning';
import { PersonModel } from '../registry';
import { normalisedCode, verificationOf } from './certificate';
import { CompletionModel } from './data';
import { reportJobs } from './report';
import { reportStatusOf } from './views';

/** 学时证明验证: a code that matches no 合格结业 answers valid: false, never an error that tells codes apart. */
export async function verifyCertificate(code: string) {
  const normalised = normalisedCode(code);
  const completion = await CompletionModel.findOne({ 'certificate.code': normalised }).lean();
  return verificationOf(normalised, completion);
}

type Records = z.input<typeof ceRecordQueryResponse>;

/** 继续教育记录查询: name + ID number + category must all match (as the certificate query); otherwise nothing. */
export async function ceRecords(input: { name: string; idNumber: string; category: CertificateCategory }, deps: Deps): Promise<Records> {
  const person = await PersonModel.findOne({ idHash: keyedHash(deps.config.idHashKey, input.idNumber) }).lean();
  if (!person || person.name !== input.name) return { items: [] };
  const enrollments = await EnrollmentModel.find({ personId: person._id, category: input.category, status: 'PAID' }).sort({ createdAt: -1 }).lean();
  const completions = await CompletionModel.find({ enrollmentId: { $in: enrollments.map((e) => e._id) } }).lean();
  const jobs = await reportJobs(completions.map((c) => String(c.enrollmentId)));
  const items = [];
  for (const enrollment of enrollments) {
    const completion = completions.find((c) => c.enrollmentId.equals(enrollment._id)) ?? null;
    const report = reportStatusOf(completion, jobs.get(String(enrollment._id)) ?? null);
    const state: CompletionState = completion?.state ?? 'STUDYING';
    items.push({
      certificateNo: enrollment.certificateNo,
      className: enrollment.className,
      state,
      stateLabel: COMPLETION_STATE_LABELS[state],
      hoursEarned: completion?.hoursEarned ?? (await examEligibility(String(enrollment._id))).hoursEarned,
      ...(completion?.completedAt ? { completedAt: chinaDate(completion.completedAt) } : {}),
      reportState: report.state,
      reportStateLabel: REPORT_STATE_LABELS[report.state],
    });
  }
  return { items };
}
