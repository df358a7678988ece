import { Schema, Types, model } from 'mongoose';
import type { AKind, CertificateCategory, CertificateStatus, LocalDate } from '@ce/types';

/** An enterprise as the provincial registry knows it, identified by its credit code; its name can change. */
export interface EnterpriseDoc {
  _id: Types.ObjectId;
  uscc: string;
  name: string;
  formerNames: string[];
  province: string;
  city: string;
  syncedAt: Date;
}

const enterpriseSchema = new Schema<EnterpriseDoc>({
  uscc: { type: String, required: true },
  name: { type: String, required: true },
  formerNames: { type: [String], default: [] },
  province: { type: String, required: true },
  city: { type: String, required: true },
  syncedAt: { type: Date, required: true },
});
enterpriseSchema.index({ uscc: 1 }, { unique: true });
export const EnterpriseModel = model<EnterpriseDoc>('Enterprise', enterpriseSchema);

/** A certificate holder. The ID number is stored only encrypted; `idHash` (HMAC) finds the person. */
export interface PersonDoc {
  _id: Types.ObjectId;
  idHash: string;
  idCipher: string;
  idMasked: string;
  name: string;
}

const personSchema = new Schema<PersonDoc>({
  idHash: { type: String, required: true },
  idCipher: { type: String, required: true },
  idMasked: { type: String, required: true },
  name: { type: String, required: true },
});
personSchema.index({ idHash: 1 }, { unique: true });
export const PersonModel = model<PersonDoc>('Person', personSchema);

export interface ConstructorRegistration {
  enterpriseUscc: string;
  validUntil: LocalDate;
}

export interface CertificateDoc {
  _id: Types.ObjectId;
  certificateNo: string;
  personId: Types.ObjectId;
  idHash: string;
  holderName: string;
  category: CertificateCategory;
  jobType?: string;
  subCategory?: string;
  aKind?: AKind;
  issueDate: LocalDate;
  expiryDate: LocalDate;
  status: CertificateStatus;
  /** 证书正在办理其他业务 (reported by the registry). */
  busy: boolean;
  enterpriseUscc: string;
  province: string;
  city: string;
  constructorRegistration?: ConstructorRegistration;
  /** Set when the certificate moved from another enterprise: the old one still sees why it cannot enroll it. */
  previousEnterpriseUscc?: string;
  transferredAt?: Date;
  /** Hash of the imported content: an identical re-import is recognised as unchanged. */
  contentHash: string;
  syncedAt: Date;
}

const certificateSchema = new Schema<CertificateDoc>({
  certificateNo: { type: String, required: true },
  personId: { type: Schema.Types.ObjectId, required: true },
  idHash: { type: String, required: true },
  holderName: { type: String, required: true },
  category: { type: String, required: true },
  jobType: String,
  subCategory: String,
  aKind: String,
  issueDate: { type: String, required: true },
  expiryDate: { type: String, required: true },
  status: { type: String, required: true },
  busy: { type: Boolean, default: false },
  enterpriseUscc: { type: String, required: true },
  province: { type: String, required: true },
  city: { type: String, required: true },
  constructorRegistration: { type: new Schema({ enterpriseUscc: String, validUntil: String }, { _id: false }), default: undefined },
  previousEnterpriseUscc: String,
  transferredAt: Date,
  contentHash: { type: String, required: true },
  syncedAt: { type: Date, required: true },
});
certificateSchema.index({ certificateNo: 1 }, { unique: true });
certificateSchema.index({ enterpriseUscc: 1, expiryDate: 1 });
certificateSchema.index({ previousEnterpriseUscc: 1 });
certificateSchema.index({ idHash: 1 });
export const CertificateModel = model<CertificateDoc>('Certificate', certificateSchema);

export const SYNC_RUN_STATUSES = ['VALIDATING', 'APPLYING', 'SUCCEEDED', 'REJECTED', 'FAILED'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];
export type SyncTrigger = 'cli' | 'schedule' | 'demo';

export interface SyncRunCounts {
  /** Records read from the source (blank lines and a CSV header not counted). */
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * One run of the certificate import, kept so operators and enterprises can see when data last arrived and
 * why a file was refused. VALIDATING → APPLYING → SUCCEEDED; or REJECTED (a bad line, nothing applied); or
 * FAILED (an error while applying, or found open by the next run after a crash).
 */
export interface SyncRunDoc {
  _id: Types.ObjectId;
  source: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  encoding?: string;
  startedAt: Date;
  finishedAt?: Date;
  counts: SyncRunCounts;
  /** The first bad lines (line, certificate number and reasons; ID numbers masked). */
  firstRejections: { line: number; certificateNo?: string; reasons: string[] }[];
  /** Why the run was refused as a whole or failed, in Chinese. */
  error?: string;
  /** Milliseconds per step of the run, for operators wondering where the time goes. */
  timings?: Record<string, number>;
  /** The private temp folder its plan was staged in (removed at the end, or by the next run after a crash). */
  stagingDir?: string;
}

const syncRunSchema = new Schema<SyncRunDoc>({
  source: { type: String, required: true },
  trigger: { type: String, required: true },
  status: { type: String, enum: SYNC_RUN_STATUSES, required: true },
  encoding: String,
  startedAt: { type: Date, required: true },
  finishedAt: Date,
  counts: { type: Schema.Types.Mixed, required: true },
  firstRejections: { type: Schema.Types.Mixed, default: [] },
  error: String,
  timings: Schema.Types.Mixed,
  stagingDir: String,
});
syncRunSchema.index({ status: 1, finishedAt: -1 });
export const SyncRunModel = model<SyncRunDoc>('SyncRun', syncRunSchema);

/**
 * The one-import-at-a-time lease, shared by the CLI and the nightly job wherever they run. Its holder renews
 * it while working; a holder that died leaves it to expire.
 */
export interface ImportLeaseDoc {
  _id: string;
  runId: string;
  trigger: SyncTrigger;
  startedAt: Date;
  expiresAt: Date;
}

const importLeaseSchema = new Schema<ImportLeaseDoc>({
  _id: { type: String, required: true },
  runId: { type: String, required: true },
  trigger: { type: String, required: true },
  startedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
export const ImportLeaseModel = model<ImportLeaseDoc>('ImportLease', importLeaseSchema);
