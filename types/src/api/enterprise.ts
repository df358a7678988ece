import { z } from 'zod';
import { A_KINDS, CERTIFICATE_CATEGORIES, CERTIFICATE_STATUSES, ENROLLMENT_STATUSES } from '../enums';
import { ELIGIBILITY_REASON_CODES } from '../eligibility';
import { objectIdField } from '../fields';
import { learnerBinding } from './auth';

const reasonCode = z.enum(ELIGIBILITY_REASON_CODES as [string, ...string[]]);

export const eligibilityReason = z.object({
  code: reasonCode,
  message: z.string(),
  eligibleFrom: z.string().optional(),
});

export const classSummary = z.object({
  id: z.string(),
  name: z.string(),
  province: z.string(),
  category: z.enum(CERTIFICATE_CATEGORIES),
  categoryLabel: z.string(),
  jobType: z.string().optional(),
  subCategory: z.string().optional(),
  feeFen: z.number().int(),
});
export type ClassSummary = z.infer<typeof classSummary>;
export const classListResponse = z.object({ items: z.array(classSummary) });

export const enrollmentSummary = z.object({
  id: z.string(),
  status: z.enum(ENROLLMENT_STATUSES),
  statusLabel: z.string(),
  classId: z.string(),
  className: z.string(),
  certificateId: z.string(),
  certificateNo: z.string(),
  category: z.enum(CERTIFICATE_CATEGORIES),
  categoryLabel: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  enterpriseName: z.string(),
  feeFen: z.number().int(),
  createdAt: z.string(),
  /** The learner enrolled alone and pays the order themselves (Yunnan personal enrollment). */
  selfEnrolled: z.boolean().optional(),
  /** Once paid: when, and the last day of the study window (YYYY-MM-DD, China date). */
  paidAt: z.string().optional(),
  studyUntil: z.string().optional(),
});
export type EnrollmentSummary = z.infer<typeof enrollmentSummary>;
/** `personalEnrollment` (learners only): whether the learner's policy lets them enroll and pay alone (自己报名缴费). */
export const enrollmentListResponse = z.object({ items: z.array(enrollmentSummary), personalEnrollment: z.boolean().optional() });

/** 自己报名: the learner's own certificate in a class of their province (the same rules as an enterprise's enrollment). */
export const selfEnrollRequest = z.strictObject({ classId: objectIdField, certificateId: objectIdField });
export type SelfEnrollRequest = z.infer<typeof selfEnrollRequest>;

/** One of the learner's own certificates, with every reason it cannot be enrolled now (none: it can). */
export const ownCertificate = z.object({
  certificateId: z.string(),
  certificateNo: z.string(),
  category: z.enum(CERTIFICATE_CATEGORIES),
  categoryLabel: z.string(),
  jobType: z.string().optional(),
  subCategory: z.string().optional(),
  expiryDate: z.string(),
  enterpriseName: z.string(),
  eligible: z.boolean(),
  reasons: z.array(eligibilityReason),
});
export type OwnCertificate = z.infer<typeof ownCertificate>;

/** What the 自己报名缴费 page shows: whether policy allows it, the learner's certificates, the province's classes, the 普票 title. */
export const selfEnrollmentOptions = z.object({
  allowed: z.boolean(),
  notAllowedReason: z.string().optional(),
  certificates: z.array(ownCertificate),
  classes: z.array(classSummary),
  invoiceTitle: z.string(),
});
export type SelfEnrollmentOptions = z.infer<typeof selfEnrollmentOptions>;

export const employeeCertificate = z.object({
  certificateId: z.string(),
  certificateNo: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  category: z.enum(CERTIFICATE_CATEGORIES),
  categoryLabel: z.string(),
  jobType: z.string().optional(),
  subCategory: z.string().optional(),
  aKind: z.enum(A_KINDS).optional(),
  issueDate: z.string(),
  expiryDate: z.string(),
  status: z.enum(CERTIFICATE_STATUSES),
  statusLabel: z.string(),
  eligible: z.boolean(),
  reasons: z.array(eligibilityReason),
  enrollment: z.object({ id: z.string(), status: z.enum(ENROLLMENT_STATUSES), statusLabel: z.string() }).optional(),
  /** The holder's learner account: unbound, provisionally bound (initial password) or verified, and since when. */
  learnerAccount: learnerBinding,
});
export type EmployeeCertificate = z.infer<typeof employeeCertificate>;

export const employeeListQuery = z.strictObject({
  classId: objectIdField.optional(),
  filter: z.enum(['all', 'eligible', 'blocked']).default('all'),
  reason: reasonCode.optional(),
  q: z.string().trim().max(30).optional(),
});
export type EmployeeListQuery = z.input<typeof employeeListQuery>;

export const employeeListResponse = z.object({
  items: z.array(employeeCertificate),
  counts: z.object({ total: z.number(), eligible: z.number(), blocked: z.number(), byReason: z.record(z.string(), z.number()) }),
  lastSyncedAt: z.string().optional(),
  today: z.string(),
});
export type EmployeeListResponse = z.infer<typeof employeeListResponse>;

export const batchEnrollRequest = z.strictObject({
  classId: objectIdField,
  certificateIds: z.array(objectIdField).min(1, '请至少选择一人').max(200, '一次最多报名200人'),
});
export type BatchEnrollRequest = z.infer<typeof batchEnrollRequest>;

/** 422 ENROLLMENT_REJECTED carries this as `details`: why each refused item was refused. */
export const batchEnrollRejection = z.object({
  items: z.array(z.object({ certificateId: z.string(), reasons: z.array(eligibilityReason) })),
});

export const certificateParams = z.strictObject({ certificateId: objectIdField });

/** 激活码: shown once to the enterprise clerk, to hand to the employee in person. */
export const activationCodeResponse = z.object({
  code: z.string(),
  expiresAt: z.string(),
  holderName: z.string(),
  idNumberMasked: z.string(),
});
export type ActivationCodeResponse = z.infer<typeof activationCodeResponse>;
