import { Schema, Types, model } from 'mongoose';
import type { CertificateCategory, EnrollmentStatus } from '@ce/types';

/**
 * One certificate's continuing education for one validity period. The unique (certificate, cycle) index
 * makes double enrollment impossible even under concurrent requests. Display fields are a snapshot of what
 * was enrolled.
 */
export interface EnrollmentDoc {
  _id: Types.ObjectId;
  certificateId: Types.ObjectId;
  cycleExpiry: string;
  classId: Types.ObjectId;
  className: string;
  personId: Types.ObjectId;
  enterpriseUscc: string;
  enterpriseName: string;
  certificateNo: string;
  category: CertificateCategory;
  holderName: string;
  idMasked: string;
  feeFen: number;
  status: EnrollmentStatus;
  enrolledBy: string;
  /** Enrolled by the learner alone (where policy allows): the learner, not the enterprise, pays for it. */
  selfEnrolled?: boolean;
  createdAt: Date;
  /** Set when an order's payment is confirmed. */
  paidAt?: Date;
  paidByOrderId?: Types.ObjectId;
  /** Last day of study (China date): policy study.windowDays from payment, else the certificate's cycle expiry. */
  studyUntil?: string;
  /** Extensions of the study window applied (延期), by grant key: each applies once. */
  studyGrants?: string[];
}

const enrollmentSchema = new Schema<EnrollmentDoc>({
  certificateId: { type: Schema.Types.ObjectId, required: true },
  cycleExpiry: { type: String, required: true },
  classId: { type: Schema.Types.ObjectId, required: true },
  className: { type: String, required: true },
  personId: { type: Schema.Types.ObjectId, required: true },
  enterpriseUscc: { type: String, required: true },
  enterpriseName: { type: String, required: true },
  certificateNo: { type: String, required: true },
  category: { type: String, required: true },
  holderName: { type: String, required: true },
  idMasked: { type: String, required: true },
  feeFen: { type: Number, required: true },
  status: { type: String, required: true },
  enrolledBy: { type: String, required: true },
  selfEnrolled: Boolean,
  createdAt: { type: Date, required: true },
  paidAt: Date,
  paidByOrderId: Schema.Types.ObjectId,
  studyUntil: String,
  studyGrants: { type: [String], default: undefined },
});
enrollmentSchema.index({ certificateId: 1, cycleExpiry: 1 }, { unique: true });
enrollmentSchema.index({ enterpriseUscc: 1, createdAt: -1 });
enrollmentSchema.index({ personId: 1, createdAt: -1 });
export const EnrollmentModel = model<EnrollmentDoc>('Enrollment', enrollmentSchema);
