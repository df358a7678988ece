import { Schema, Types, model } from 'mongoose';
import { INVOICE_BUYER_TYPES, INVOICE_KINDS, type InvoiceBuyerType, type InvoiceKind } from '@ce/types';
import { processNow } from '../../platform/clock';
import type { InvoiceDraft, InvoiceProviderName } from './providers';

/** Whose invoices these are: an enterprise account, or a learner paying alone. */
export interface InvoiceOwner {
  type: 'enterprise' | 'learner';
  id: string;
}

/** 发票信息 kept for the next order; an order snapshots it into the invoice it issues. */
export interface InvoiceProfileDoc {
  _id: Types.ObjectId;
  owner: InvoiceOwner;
  kind: InvoiceKind;
  buyerType: InvoiceBuyerType;
  title: string;
  taxId?: string;
  email: string;
  address?: string;
  phone?: string;
  bankName?: string;
  bankAccount?: string;
  updatedAt: Date;
}

const ownerSchema = new Schema<InvoiceOwner>({ type: { type: String, enum: ['enterprise', 'learner'], required: true }, id: { type: String, required: true } }, { _id: false });

const invoiceProfileSchema = new Schema<InvoiceProfileDoc>({
  owner: { type: ownerSchema, required: true },
  kind: { type: String, enum: INVOICE_KINDS, required: true },
  buyerType: { type: String, enum: INVOICE_BUYER_TYPES, required: true },
  title: { type: String, required: true },
  taxId: String,
  email: { type: String, required: true },
  address: String,
  phone: String,
  bankName: String,
  bankAccount: String,
  updatedAt: { type: Date, default: processNow },
});
invoiceProfileSchema.index({ 'owner.type': 1, 'owner.id': 1 }, { unique: true });
export const InvoiceProfileModel = model<InvoiceProfileDoc>('InvoiceProfile', invoiceProfileSchema);

/**
 * ISSUING is written before the provider is asked, so a retried job reuses the same request id (WeChat's
 * idempotency key); REVERSED marks a blue invoice that a red-letter one cancels (nothing is ever deleted).
 */
export type InvoiceRecordStatus = 'ISSUING' | 'ISSUED' | 'REVERSED';

export interface InvoiceDoc {
  _id: Types.ObjectId;
  /** One blue invoice per order (`order:<id>`), one red-letter per blue invoice (`reverses:<id>`). */
  key: string;
  orderId: string;
  owner: InvoiceOwner;
  kind: InvoiceKind;
  redLetter: boolean;
  status: InvoiceRecordStatus;
  draft: InvoiceDraft;
  totalFen: number;
  email: string;
  provider: InvoiceProviderName;
  number?: string;
  issuedAt?: Date;
  pdf?: Buffer;
  url?: string;
  originalId?: Types.ObjectId;
  originalNumber?: string;
  reason?: string;
  createdAt: Date;
}

const invoiceSchema = new Schema<InvoiceDoc>({
  key: { type: String, required: true },
  orderId: { type: String, required: true },
  owner: { type: ownerSchema, required: true },
  kind: { type: String, enum: INVOICE_KINDS, required: true },
  redLetter: { type: Boolean, required: true },
  status: { type: String, enum: ['ISSUING', 'ISSUED', 'REVERSED'], required: true },
  draft: { type: Schema.Types.Mixed, required: true },
  totalFen: { type: Number, required: true },
  email: { type: String, required: true },
  provider: { type: String, required: true },
  number: String,
  issuedAt: Date,
  pdf: Buffer,
  url: String,
  originalId: Schema.Types.ObjectId,
  originalNumber: String,
  reason: String,
  createdAt: { type: Date, default: processNow },
});
invoiceSchema.index({ key: 1 }, { unique: true });
invoiceSchema.index({ number: 1 }, { unique: true, partialFilterExpression: { number: { $type: 'string' } } });
invoiceSchema.index({ 'owner.type': 1, 'owner.id': 1, createdAt: -1 });
invoiceSchema.index({ orderId: 1 });
export const InvoiceModel = model<InvoiceDoc>('Invoice', invoiceSchema);
