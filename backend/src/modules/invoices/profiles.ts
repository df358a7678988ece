import { INVOICE_KIND_LABELS, invoiceProfileRequest, type InvoiceProfile, type InvoiceProfileInput } from '@ce/types';
import type { Clock } from '../../platform/clock';
import { InvoiceProfileModel, type InvoiceOwner, type InvoiceProfileDoc } from './data';

export interface InvoiceProfileProblem {
  field: string;
  message: string;
}

export type InvoiceProfileCheck = { ok: true; profile: InvoiceProfileInput } | { ok: false; problems: InvoiceProfileProblem[] };

/** The 发票信息 a person typed, checked and normalized; every problem comes back with its field, in Chinese. */
export function checkInvoiceProfile(input: unknown): InvoiceProfileCheck {
  const parsed = invoiceProfileRequest.safeParse(input);
  if (parsed.success) return { ok: true, profile: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}

export function toInvoiceProfile(doc: InvoiceProfileDoc): InvoiceProfile {
  return {
    kind: doc.kind,
    kindLabel: INVOICE_KIND_LABELS[doc.kind],
    buyerType: doc.buyerType,
    title: doc.title,
    email: doc.email,
    ...(doc.taxId ? { taxId: doc.taxId } : {}),
    ...(doc.address ? { address: doc.address } : {}),
    ...(doc.phone ? { phone: doc.phone } : {}),
    ...(doc.bankName ? { bankName: doc.bankName } : {}),
    ...(doc.bankAccount ? { bankAccount: doc.bankAccount } : {}),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

const PROFILE_FIELDS = ['taxId', 'address', 'phone', 'bankName', 'bankAccount'] as const;

/** Replaces the owner's 发票信息 (a 普票 profile keeps no leftover bank details from an earlier 专票). */
export async function saveInvoiceProfile(owner: InvoiceOwner, profile: InvoiceProfileInput, clock: Clock): Promise<InvoiceProfileDoc> {
  const unset = Object.fromEntries(PROFILE_FIELDS.filter((field) => profile[field] === undefined).map((field) => [field, 1]));
  const set = { ...profile, owner, updatedAt: clock.now() };
  for (const field of PROFILE_FIELDS) if (profile[field] === undefined) delete (set as Record<string, unknown>)[field];
  const doc = await InvoiceProfileModel.findOneAndUpdate(
    { 'owner.type': owner.type, 'owner.id': owner.id },
    { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  return doc!;
}

export async function findInvoiceProfile(owner: InvoiceOwner): Promise<InvoiceProfileDoc | undefined> {
  return (await InvoiceProfileModel.findOne({ 'owner.type': owner.type, 'owner.id': owner.id }).lean()) ?? undefined;
}
