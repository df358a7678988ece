import { z } from 'zod';
import { CERTIFICATE_CATEGORIES } from '../enums';
import { idNumberField, objectIdField, personNameField } from '../fields';

/**
 * After the exam: deferral and retake applications, city reviewers' photo review and completion approval,
 * the completion certificate (学时证明) anyone can verify, the government report, renewal (到期换证).
 */

// ── Deferral / retake (延期 / 补考) ────────────────────────────────────────────────────────────────────────

export const APPLICATION_KINDS = ['DEFERRAL', 'RETAKE'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];
export const APPLICATION_KIND_LABELS: Record<ApplicationKind, string> = { DEFERRAL: '延期申请', RETAKE: '补考申请' };
export const APPLICATION_STATES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export const APPLICATION_STATE_LABELS: Record<ApplicationState, string> = { PENDING: '待审核', APPROVED: '已通过', REJECTED: '未通过' };

/** Chinese mainland mobile number (11 digits, 1[3-9]…). */
export const mobileField = z.string().regex(/^1[3-9]\d{9}$/, '请输入11位手机号码');

export const applicationRequest = z.strictObject({
  enrollmentId: objectIdField,
  kind: z.enum(APPLICATION_KINDS),
  mobile: mobileField,
  /** The learner confirmed that the name, ID (masked) and certificate shown are theirs. */
  detailsConfirmed: z.literal(true, { error: '请先确认本人信息无误' }),
  reason: z.string().max(200).optional(),
});

export const applicationView = z.object({
  id: z.string(),
  enrollmentId: z.string(),
  kind: z.enum(APPLICATION_KINDS),
  kindLabel: z.string(),
  state: z.enum(APPLICATION_STATES),
  stateLabel: z.string(),
  mobileMasked: z.string(),
  submittedAt: z.string(),
  decidedAt: z.string().optional(),
  decisionReason: z.string().optional(),
  /** What approval did (e.g. 学习期延长至 2026-12-31 / 恢复 5 次考试机会). */
  effect: z.string().optional(),
  personName: z.string().optional(),
  idMasked: z.string().optional(),
  className: z.string().optional(),
});
export type ApplicationView = z.infer<typeof applicationView>;

/** Whether each kind may be applied for now, and why not. */
export const applicationOptions = z.object({
  enrollmentId: z.string(),
  deferral: z.object({ allowed: z.boolean(), reason: z.string().optional() }),
  retake: z.object({ allowed: z.boolean(), reason: z.string().optional() }),
  items: z.array(applicationView),
});

export const decisionRequest = z.strictObject({ approve: z.boolean(), reason: z.string().trim().min(2, '请填写理由').max(200) });

// ── Completion and review ────────────────────────────────────────────────────────────────────────────────

export const COMPLETION_STATES = ['STUDYING', 'AWAITING_REVIEW', 'RECAPTURE_REQUESTED', 'COMPLETED', 'REJECTED'] as const;
export type CompletionState = (typeof COMPLETION_STATES)[number];
export const COMPLETION_STATE_LABELS: Record<CompletionState, string> = {
  STUDYING: '学习中',
  AWAITING_REVIEW: '考试已通过，等待审核',
  RECAPTURE_REQUESTED: '审核要求重新拍照',
  COMPLETED: '合格结业',
  REJECTED: '审核未通过',
};

export const REPORT_STATES = ['NOT_DUE', 'PENDING', 'REPORTED'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_STATE_LABELS: Record<ReportState, string> = { NOT_DUE: '尚未上报', PENDING: '上报中', REPORTED: '已上报主管部门' };

export const reportStatus = z.object({
  state: z.enum(REPORT_STATES),
  stateLabel: z.string(),
  attempts: z.number(),
  lastError: z.string().optional(),
  nextTryAt: z.string().optional(),
  reportedAt: z.string().optional(),
  receipt: z.string().optional(),
});

export const timelineStep = z.object({ key: z.string(), label: z.string(), done: z.boolean(), at: z.string().optional(), note: z.string().optional() });

export const completionView = z.object({
  enrollmentId: z.string(),
  className: z.string(),
  certificateNo: z.string(),
  state: z.enum(COMPLETION_STATES),
  stateLabel: z.string(),
  /** exam passed → under review → 合格结业 → reported. */
  timeline: z.array(timelineStep),
  report: reportStatus,
  completionCertificate: z.object({ code: z.string(), issuedAt: z.string() }).optional(),
  renewal: z.object({
    allowed: z.boolean(),
    reason: z.string().optional(),
    windowOpensOn: z.string().optional(),
    applied: z.object({ at: z.string(), state: z.string() }).optional(),
  }),
  /** Review notes for the learner (e.g. which photos to retake). */
  notes: z.array(z.string()),
});
export type CompletionView = z.infer<typeof completionView>;

export const REVIEW_PHOTO_KINDS = ['AVATAR', 'STUDY', 'EXAM'] as const;
export const reviewPhoto = z.object({
  id: z.string(),
  kind: z.enum(REVIEW_PHOTO_KINDS),
  url: z.string(),
  takenAt: z.string(),
  score: z.number().optional(),
  accepted: z.boolean(),
  decision: z.object({ approved: z.boolean(), reason: z.string(), at: z.string() }).optional(),
});
export const reviewQueueItem = z.object({
  enrollmentId: z.string(),
  personName: z.string(),
  idMasked: z.string(),
  city: z.string().optional(),
  className: z.string(),
  certificateNo: z.string(),
  state: z.enum(COMPLETION_STATES),
  examScore: z.number().optional(),
  examPassedAt: z.string().optional(),
  hoursEarned: z.number(),
  photos: z.array(reviewPhoto),
});
export const reviewQueueResponse = z.object({ items: z.array(reviewQueueItem) });
export const reviewQueueQuery = z.object({ state: z.enum(COMPLETION_STATES).default('AWAITING_REVIEW') });
export const recaptureRequest = z.strictObject({ reason: z.string().trim().min(2, '请填写原因').max(200) });

// ── Completion certificate (学时证明) and public checks ───────────────────────────────────────────────────

/** 12 characters from an unambiguous alphabet, grouped for reading: `XXXX-XXXX-XXXX`. */
export const verificationCodeField = z.string().trim().toUpperCase().regex(/^[2-9A-HJ-NP-Z]{4}-?[2-9A-HJ-NP-Z]{4}-?[2-9A-HJ-NP-Z]{4}$/, '验证码格式不正确');

export const certificateVerification = z.object({
  valid: z.boolean(),
  code: z.string(),
  holderName: z.string().optional(),
  idMasked: z.string().optional(),
  certificateNo: z.string().optional(),
  className: z.string().optional(),
  hours: z.number().optional(),
  examScore: z.number().optional(),
  completedAt: z.string().optional(),
  message: z.string(),
});

export const ceRecordQueryRequest = z.strictObject({ name: personNameField, idNumber: idNumberField, category: z.enum(CERTIFICATE_CATEGORIES) });
export const ceRecordQueryResponse = z.object({
  items: z.array(
    z.object({
      certificateNo: z.string(),
      className: z.string(),
      state: z.enum(COMPLETION_STATES),
      stateLabel: z.string(),
      hoursEarned: z.number(),
      completedAt: z.string().optional(),
      reportState: z.enum(REPORT_STATES),
      reportStateLabel: z.string(),
    }),
  ),
});

// ── Renewal (到期换证) ────────────────────────────────────────────────────────────────────────────────────

export const renewalRequest = z.strictObject({ enrollmentId: objectIdField, mobile: mobileField });

/** Enterprises and operators see each enrollment's completion and report status. */
export const completionStatusItem = z.object({
  enrollmentId: z.string(),
  holderName: z.string(),
  idMasked: z.string(),
  certificateNo: z.string(),
  className: z.string(),
  state: z.enum(COMPLETION_STATES),
  stateLabel: z.string(),
  report: reportStatus,
});
export const completionStatusResponse = z.object({ items: z.array(completionStatusItem) });

// ── Route shapes (params, queries, lists) ─────────────────────────────────────────────────────────────────

export const enrollmentParams = z.strictObject({ enrollmentId: objectIdField });
export const applicationListQuery = z.strictObject({ state: z.enum(APPLICATION_STATES).default('PENDING') });
export const applicationListResponse = z.object({ items: z.array(applicationView) });
/** Operators filter by completion state and/or report state. */
export const completionStatusQuery = z.strictObject({ state: z.enum(COMPLETION_STATES).optional(), report: z.enum(REPORT_STATES).optional() });
export const certificateCodeParams = z.strictObject({ code: verificationCodeField });
