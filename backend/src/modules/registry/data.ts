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

/** One run of the certificate import, kept so operators and enterprises can see when data last arrived. */
export interface SyncRunDoc {
  _id: Types.ObjectId;
  source: string;
  trigger: 'cli' | 'schedule' | 'demo';
  startedAt: Date;
  finishedAt?: Date;
  summary?: { created: number; updated: number; unchanged: number; rejected: number };
}

const syncRunSchema = new Schema<SyncRunDoc>({
  source: { type: String, required: true },
  trigger: { type: String, required: true },
  startedAt: { type: Date, required: true },
  finishedAt: Date,
  summary: { type: Schema.Types.Mixed },
});
syncRunSchema.index({ finishedAt: -1 });
export const SyncRunModel = model<SyncRunDoc>('SyncRun', syncRunSchema);
