import type { ManualReviewState } from '@ce/types';
import { Schema, Types, model } from 'mongoose';

/**
 * Face data per person: consent (with its history), the avatar (a private file and, for the local engine, its
 * face template), the last passed face check and the run of failures, identity verification and manual review.
 */
export interface FaceProfileDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  /** Where the person studies (policy and the reviewers who see their requests). */
  province?: string;
  city?: string;
  consent?: { given: boolean; textVersion: string; givenAt?: Date; withdrawnAt?: Date };
  avatar?: { key: string; contentType: string; setAt: Date; provider: string; template?: number[] };
  verifiedUntil?: Date;
  failuresInRow: number;
  manualReview: { state: ManualReviewState; reviewId?: Types.ObjectId; reason?: string };
  identityVerifiedAt?: Date;
  createdAt: Date;
}

const profileSchema = new Schema<FaceProfileDoc>({
  personId: { type: Schema.Types.ObjectId, required: true },
  province: String,
  city: String,
  consent: { type: new Schema({ given: Boolean, textVersion: String, givenAt: Date, withdrawnAt: Date }, { _id: false }), required: false },
  avatar: { type: new Schema({ key: String, contentType: String, setAt: Date, provider: String, template: [Number] }, { _id: false }), required: false },
  verifiedUntil: Date,
  failuresInRow: { type: Number, required: true, default: 0 },
  manualReview: { type: new Schema({ state: String, reviewId: Schema.Types.ObjectId, reason: String }, { _id: false }), required: true, default: () => ({ state: 'NONE' }) },
  identityVerifiedAt: Date,
  createdAt: { type: Date, required: true },
});
profileSchema.index({ personId: 1 }, { unique: true });
export const FaceProfileModel = model<FaceProfileDoc>('FaceProfile', profileSchema);

export type FacePhotoPurpose = 'VERIFICATION' | 'STUDY' | 'EXAM';

/** One photo taken for a face check or during study; its bytes are a private file under `key`. */
export interface FacePhotoDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  purpose: FacePhotoPurpose;
  enrollmentId?: Types.ObjectId;
  topicCode?: string;
  captureId?: string;
  key: string;
  contentType: string;
  takenAt: Date;
  accepted: boolean;
  score?: number;
  problems: string[];
  /** Accepted study photos among the latest `photos.keptPerTopic` of their topic. */
  kept: boolean;
  /** Attached to a manual review: kept until the review is decided. */
  reviewId?: Types.ObjectId;
}

const photoSchema = new Schema<FacePhotoDoc>({
  personId: { type: Schema.Types.ObjectId, required: true },
  purpose: { type: String, required: true },
  enrollmentId: Schema.Types.ObjectId,
  topicCode: String,
  captureId: String,
  key: { type: String, required: true },
  contentType: { type: String, required: true },
  takenAt: { type: Date, required: true },
  accepted: { type: Boolean, required: true },
  score: Number,
  problems: { type: [String], default: [] },
  kept: { type: Boolean, required: true },
  reviewId: Schema.Types.ObjectId,
});
photoSchema.index({ enrollmentId: 1, topicCode: 1, kept: 1, takenAt: -1 });
photoSchema.index({ personId: 1, purpose: 1, takenAt: -1 });
photoSchema.index({ accepted: 1, takenAt: 1 });
export const FacePhotoModel = model<FacePhotoDoc>('FacePhoto', photoSchema);

/** A learner's request for a person (a city reviewer) to look at their photos instead of the face engine. */
export interface FaceReviewDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  personName: string;
  idMasked: string;
  province?: string;
  city?: string;
  state: Exclude<ManualReviewState, 'NONE'>;
  note?: string;
  requestedAt: Date;
  decidedAt?: Date;
  decidedBy?: string;
  reason?: string;
}

const reviewSchema = new Schema<FaceReviewDoc>({
  personId: { type: Schema.Types.ObjectId, required: true },
  personName: { type: String, required: true },
  idMasked: { type: String, required: true },
  province: String,
  city: String,
  state: { type: String, required: true },
  note: String,
  requestedAt: { type: Date, required: true },
  decidedAt: Date,
  decidedBy: String,
  reason: String,
});
reviewSchema.index({ province: 1, city: 1, state: 1, requestedAt: 1 });
// One open request per person, whoever sends it twice at once.
reviewSchema.index({ personId: 1 }, { unique: true, partialFilterExpression: { state: 'PENDING' } });
export const FaceReviewModel = model<FaceReviewDoc>('FaceReview', reviewSchema);

export type FaceAuditAction =
  | 'CONSENT_GIVEN'
  | 'CONSENT_WITHDRAWN'
  | 'AVATAR_SET'
  | 'FACE_DATA_DELETED'
  | 'IDENTITY_VERIFIED'
  | 'IDENTITY_REFUSED'
  | 'MANUAL_REVIEW_REQUESTED'
  | 'MANUAL_REVIEW_DECIDED';

/** What happened to whose face data, when and by whom; kept for good (consent history is read from here). */
export interface FaceAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  action: FaceAuditAction;
  personId: Types.ObjectId;
  actor: string;
  details?: Record<string, unknown>;
}

const auditSchema = new Schema<FaceAuditDoc>({
  at: { type: Date, required: true },
  action: { type: String, required: true },
  personId: { type: Schema.Types.ObjectId, required: true },
  actor: { type: String, required: true },
  details: Schema.Types.Mixed,
});
auditSchema.index({ personId: 1, at: -1 });
export const FaceAuditModel = model<FaceAuditDoc>('FaceAudit', auditSchema, 'faceaudit');

export async function faceAudit(entry: Omit<FaceAuditDoc, '_id'>): Promise<void> {
  await FaceAuditModel.create(entry);
}
