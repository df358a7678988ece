import type { z } from 'zod';
import type { CompletionState, completionStatusItem, ReportState } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Principal } from '../../platform/http/route';
import { EnrollmentModel, type EnrollmentDoc } from '../enrollment';
import { CompletionModel, type CompletionDoc } from './data';
import { reportJobs } from './report';
import { statusItemOf } from './views';

type Item = z.input<typeof completionStatusItem>;

const LIMIT = 500;

async function itemsOf(enrollments: EnrollmentDoc[], completions: CompletionDoc[]): Promise<Item[]> {
  const byEnrollment = new Map(completions.map((c) => [String(c.enrollmentId), c]));
  const jobs = await reportJobs(completions.map((c) => String(c.enrollmentId)));
  return enrollments.map((e) => statusItemOf(e, byEnrollment.get(String(e._id)) ?? null, jobs.get(String(e._id)) ?? null));
}

/** 企业: each paid enrollment of its employees, where completion and the government report stand. */
export async function enterpriseCompletions(uscc: string): Promise<{ items: Item[] }> {
  const enrollments = await EnrollmentModel.find({ enterpriseUscc: uscc, status: 'PAID' }).sort({ createdAt: -1 }).limit(LIMIT).lean();
  const completions = await CompletionModel.find({ enrollmentId: { $in: enrollments.map((e) => e._id) } }).lean();
  return { items: await itemsOf(enrollments, completions) };
}

/** 管理员: the province's completion records (exam passed onwards), by completion state and/or report state. */
export async function provinceCompletions(principal: Principal, filter: { state?: CompletionState; report?: ReportState }): Promise<{ items: Item[] }> {
  if (!principal.province) throw new AppError('FORBIDDEN');
  // Records begin with a passed exam: nobody listed here is still studying.
  if (filter.state === 'STUDYING') return { items: [] };
  const completions = await CompletionModel.find({ province: principal.province, ...(filter.state ? { state: filter.state } : {}) })
    .sort({ examPassedAt: -1 })
    .limit(LIMIT)
    .lean();
  const enrollments = await EnrollmentModel.find({ _id: { $in: completions.map((c) => c.enrollmentId) } }).lean();
  const ordered = completions.map((c) => enrollments.find((e) => e._id.equals(c.enrollmentId))!).filter(Boolean);
  const items = await itemsOf(ordered, completions);
  return { items: filter.report ? items.filter((i) => i.report.state === filter.report) : items };
}
