import type { ApplicationKind, ApplicationState, CertificateCategory, CompletionState } from '@ce/types';
import { Schema, Types, model } from 'mongoose';

/**
 * One enrollment's way from a passed exam to 合格结业 and the government report: created when the exam is seen
 * passed, decided by a reviewer of the certificate's city. Display fields are a snapshot of the enrollment.
 */
export interface CompletionDoc {
  _id: Types.ObjectId;
  enrollmentId: Types.ObjectId;
  personId: Types.ObjectId;
  certificateId: Types.ObjectId;
  cycleExpiry: string;
  province: string;
  city: string;
  enterpriseUscc: string;
  category: CertificateCategory;
  holderName: string;
  idMasked: string;
  certificateNo: string;
  className: string;
  state: Exclude<CompletionState, 'STUDYING'>;
  examScore?: number;
  examPassedAt: Date;
  hoursEarned: number;
  /** What the reviewer asked the learner to retake, newest last. */
  notes: { text: string; at: Date }[];
  completedAt?: Date;
  decidedBy?: string;
  rejectionReason?: string;
  /** The 学时证明, issued with 合格结业. */
  certificate?: { code: string; issuedAt: Date };
  /** Set once the government platform acknowledged the report. */
  reported?: { at: Date; receipt: string };
  renewal?: { at: Date; mobile: string };
  createdAt: Date;
}

const completionSchema = new Schema<CompletionDoc>({
  enrollmentId: { type: Schema.Types.ObjectId, required: true },
  personId: { type: Schema.Types.ObjectId, required: true },
  certificateId: { type: Schema.Types.ObjectId, required: true },
  cycleExpiry: { type: String, required: true },
  province: { type: String, required: true },
  city: { type: String, required: true },
  enterpriseUscc: { type: String, required: true },
  category: { type: String, required: true },
  holderName: { type: String, required: true },
  idMasked: { type: String, required: true },
  certificateNo: { type: String, required: true },
  className: { type: String, required: true },
  state: { type: String, required: true },
  examScore: Number,
  examPassedAt: { type: Date, required: true },
  hoursEarned: { type: Number, required: true },
  notes: { type: [new Schema({ text: String, at: Date }, { _id: false })], default: [] },
  completedAt: Date,
  decidedBy: String,
  rejectionReason: String,
  certificate: { type: new Schema({ code: String, issuedAt: Date }, { _id: false }), required: false },
  reported: { type: new Schema({ at: Date, receipt: String }, { _id: false }), required: false },
  renewal: { type: new Schema({ at: Date, mobile: String }, { _id: false }), required: false },
  createdAt: { type: Date, required: true },
});
completionSchema.index({ enrollmentId: 1 }, { unique: true });
completionSchema.index({ province: 1, city: 1, state: 1, examPassedAt: 1 });
completionSchema.index({ enterpriseUscc: 1, examPassedAt: -1 });
completionSchema.index({ personId: 1 });
completionSchema.index({ certificateId: 1, cycleExpiry: 1, state: 1 });
completionSchema.index({ 'certificate.code': 1 }, { unique: true, partialFilterExpression: { 'certificate.code': { $exists: true } } });
export const CompletionModel = model<CompletionDoc>('Completion', completionSchema);

/** 延期 / 补考 申请. Approval's effect is applied once per application (its id is the grant key). */
export interface ApplicationDoc {
  _id: Types.ObjectId;
  enrollmentId: Types.ObjectId;
  personId: Types.ObjectId;
  province: string;
  city: string;
  kind: ApplicationKind;
  state: ApplicationState;
  mobile: string;
  reason?: string;
  holderName: string;
  idMasked: string;
  className: string;
  submittedAt: Date;
  decidedAt?: Date;
  decidedBy?: string;
  decisionReason?: string;
  /** What approval did, once applied (学习期延长至 … / 恢复 … 次考试机会). */
  effect?: string;
}

const applicationSchema = new Schema<ApplicationDoc>({
  enrollmentId: { type: Schema.Types.ObjectId, required: true },
  personId: { type: Schema.Types.ObjectId, required: true },
  province: { type: String, required: true },
  city: { type: String, required: true },
  kind: { type: String, required: true },
  state: { type: String, required: true },
  mobile: { type: String, required: true },
  reason: String,
  holderName: { type: String, required: true },
  idMasked: { type: String, required: true },
  className: { type: String, required: true },
  submittedAt: { type: Date, required: true },
  decidedAt: Date,
  decidedBy: String,
  decisionReason: String,
  effect: String,
});
applicationSchema.index({ enrollmentId: 1, submittedAt: -1 });
applicationSchema.index({ province: 1, city: 1, state: 1, submittedAt: 1 });
// One pending application per enrollment and kind, whoever sends it twice at once.
applicationSchema.index({ enrollmentId: 1, kind: 1 }, { unique: true, partialFilterExpression: { state: 'PENDING' } });
export const ApplicationModel = model<ApplicationDoc>('CompletionApplication', applicationSchema, 'completionapplications');

export type ReviewPhotoKind = 'AVATAR' | 'STUDY' | 'EXAM';

/** A reviewer's decision on one photo of an enrollment (`ref`: the face photo's id, or the avatar's file key). */
export interface PhotoDecisionDoc {
  _id: Types.ObjectId;
  enrollmentId: Types.ObjectId;
  kind: ReviewPhotoKind;
  ref: string;
  decision?: { approved: boolean; reason: string; at: Date; by: string };
}

const photoDecisionSchema = new Schema<PhotoDecisionDoc>({
  enrollmentId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, required: true },
  ref: { type: String, required: true },
  decision: { type: new Schema({ approved: Boolean, reason: String, at: Date, by: String }, { _id: false }), required: false },
});
photoDecisionSchema.index({ enrollmentId: 1, kind: 1, ref: 1 }, { unique: true });
export const PhotoDecisionModel = model<PhotoDecisionDoc>('ReviewPhotoDecision', photoDecisionSchema, 'reviewphotodecisions');

export type ReviewAction = 'PHOTO_APPROVED' | 'PHOTO_REJECTED' | 'RECAPTURE_REQUESTED' | 'COMPLETION_APPROVED' | 'COMPLETION_REJECTED' | 'APPLICATION_APPROVED' | 'APPLICATION_REJECTED';

/** Every reviewer action: who, what, when, why. Kept for good. */
export interface ReviewAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  action: ReviewAction;
  reviewer: string;
  province: string;
  city: string;
  enrollmentId: Types.ObjectId;
  subjectId: string;
  reason: string;
}

const reviewAuditSchema = new Schema<ReviewAuditDoc>({
  at: { type: Date, required: true },
  action: { type: String, required: true },
  reviewer: { type: String, required: true },
  province: { type: String, required: true },
  city: { type: String, required: true },
  enrollmentId: { type: Schema.Types.ObjectId, required: true },
  subjectId: { type: String, required: true },
  reason: { type: String, required: true },
});
reviewAuditSchema.index({ enrollmentId: 1, at: -1 });
reviewAuditSchema.index({ reviewer: 1, at: -1 });
export const ReviewAuditModel = model<ReviewAuditDoc>('ReviewAudit', reviewAuditSchema, 'reviewaudit');

/** A certificate the daily job voided: expired in `cycleExpiry` without 合格结业. */
export interface CertificateVoidDoc {
  _id: Types.ObjectId;
  certificateId: Types.ObjectId;
  certificateNo: string;
  cycleExpiry: string;
  voidedAt: Date;
}

const voidSchema = new Schema<CertificateVoidDoc>({
  certificateId: { type: Schema.Types.ObjectId, required: true },
  certificateNo: { type: String, required: true },
  cycleExpiry: { type: String, required: true },
  voidedAt: { type: Date, required: true },
});
voidSchema.index({ certificateId: 1, cycleExpiry: 1 }, { unique: true });
export const CertificateVoidModel = model<CertificateVoidDoc>('CertificateVoid', voidSchema, 'certificatevoids');
