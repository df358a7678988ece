import type { z } from 'zod';
import {
  addMonths,
  COMPLETION_STATE_LABELS,
  REPORT_STATE_LABELS,
  type completionStatusItem,
  type completionView,
  type CompletionState,
  type LocalDate,
  type PolicySettings,
  type reportStatus,
  type timelineStep,
} from '@ce/types';
import type { JobDoc } from '../../platform/jobs';
import type { EnrollmentDoc } from '../enrollment';
import type { CompletionDoc } from './data';

type ReportStatus = z.input<typeof reportStatus>;
type Step = z.input<typeof timelineStep>;

const iso = (at: Date | undefined) => (at ? { at: at.toISOString() } : {});

/** The job's last error without its class name (`GovReportError: …`). */
function readableError(error: string | null): { lastError?: string } {
  return error ? { lastError: error.replace(/^[A-Za-z]+(?: \([^)]*\))?: /, '') } : {};
}

/** Where the government report stands: NOT_DUE before 合格结业, then PENDING (with the job's tries) until acknowledged. */
export function reportStatusOf(completion: CompletionDoc | null, job: JobDoc | null): ReportStatus {
  const attempts = job?.attempts ?? 0;
  if (completion?.state !== 'COMPLETED') return { state: 'NOT_DUE', stateLabel: REPORT_STATE_LABELS.NOT_DUE, attempts: 0 };
  if (completion.reported) {
    return { state: 'REPORTED', stateLabel: REPORT_STATE_LABELS.REPORTED, attempts, reportedAt: completion.reported.at.toISOString(), receipt: completion.reported.receipt };
  }
  const nextTryAt = job?.status === 'queued' ? { nextTryAt: job.runAt.toISOString() } : {};
  return { state: 'PENDING', stateLabel: REPORT_STATE_LABELS.PENDING, attempts, ...readableError(job?.lastError ?? null), ...nextTryAt };
}

function promise(report: PolicySettings['report']): string {
  return `合格结业后 ${report.promisedDays} 个${report.workingDays ? '工作日' : '自然日'}内上报主管部门`;
}

/** exam passed → under review → 合格结业 → reported. */
export function timelineOf(completion: CompletionDoc | null, settings: PolicySettings): Step[] {
  const completed = completion?.state === 'COMPLETED';
  const review: Step = { key: 'UNDER_REVIEW', label: '照片审核', done: completed, ...iso(completion?.completedAt) };
  if (completion && !completed) review.note = COMPLETION_STATE_LABELS[completion.state];
  if (completion?.state === 'REJECTED' && completion.rejectionReason) review.note = `审核未通过：${completion.rejectionReason}`;
  return [
    { key: 'EXAM_PASSED', label: '考试通过', done: completion !== null, ...iso(completion?.examPassedAt), ...(completion?.examScore !== undefined ? { note: `成绩 ${completion.examScore} 分` } : {}) },
    review,
    { key: 'COMPLETED', label: '合格结业', done: completed, ...iso(completion?.completedAt) },
    { key: 'REPORTED', label: '已上报主管部门', done: completion?.reported !== undefined, ...iso(completion?.reported?.at), ...(completed && !completion?.reported ? { note: promise(settings.report) } : {}) },
  ];
}

type Renewal = z.input<typeof completionView>['renewal'];

/** 到期换证: after 合格结业, from `renewal.windowMonthsBeforeExpiry` months before the cycle's expiry up to that day. */
export function renewalOf(completion: CompletionDoc | null, enrollment: Pick<EnrollmentDoc, 'cycleExpiry'>, settings: PolicySettings, today: LocalDate): Renewal {
  const windowOpensOn = addMonths(enrollment.cycleExpiry, -settings.renewal.windowMonthsBeforeExpiry);
  if (completion?.renewal) return { allowed: false, reason: '已提交换证申请', windowOpensOn, applied: { at: completion.renewal.at.toISOString(), state: '已提交，等待主管部门办理' } };
  if (completion?.state !== 'COMPLETED') return { allowed: false, reason: '合格结业后才能申请换证', windowOpensOn };
  if (today < windowOpensOn) return { allowed: false, reason: `证书到期前 ${settings.renewal.windowMonthsBeforeExpiry} 个月内可申请换证（${windowOpensOn} 起）`, windowOpensOn };
  if (today > enrollment.cycleExpiry) return { allowed: false, reason: '证书已过期，不能申请换证', windowOpensOn };
  return { allowed: true, windowOpensOn };
}

export function stateOf(completion: CompletionDoc | null): { state: CompletionState; stateLabel: string } {
  const state = completion?.state ?? 'STUDYING';
  return { state, stateLabel: COMPLETION_STATE_LABELS[state] };
}

export function completionViewOf(input: { enrollment: EnrollmentDoc; completion: CompletionDoc | null; job: JobDoc | null; settings: PolicySettings; today: LocalDate }): z.input<typeof completionView> {
  const { enrollment, completion } = input;
  return {
    enrollmentId: String(enrollment._id),
    className: enrollment.className,
    certificateNo: enrollment.certificateNo,
    ...stateOf(completion),
    timeline: timelineOf(completion, input.settings),
    report: reportStatusOf(completion, input.job),
    ...(completion?.certificate ? { completionCertificate: { code: completion.certificate.code, issuedAt: completion.certificate.issuedAt.toISOString() } } : {}),
    renewal: renewalOf(completion, enrollment, input.settings, input.today),
    notes: completion?.state === 'RECAPTURE_REQUESTED' ? completion.notes.map((n) => n.text) : [],
  };
}

export function statusItemOf(enrollment: EnrollmentDoc, completion: CompletionDoc | null, job: JobDoc | null): z.input<typeof completionStatusItem> {
  return {
    enrollmentId: String(enrollment._id),
    holderName: enrollment.holderName,
    idMasked: enrollment.idMasked,
    certificateNo: enrollment.certificateNo,
    className: enrollment.className,
    ...stateOf(completion),
    report: reportStatusOf(completion, job),
  };
}
