import { Types } from 'mongoose';
import type { InvoiceProfileInput } from '@ce/types';
import type { Clock } from '../../platform/clock';
import { InvoiceModel, type InvoiceDoc, type InvoiceOwner } from './data';
import { invoiceTotals, priceLine, reversedLine, type InvoiceDraft, type InvoiceLine, type InvoiceParty, type InvoiceProvider, type IssuedInvoice } from './providers';

export interface InvoicingSettings {
  provider: InvoiceProvider;
  clock: Clock;
  /** 销售方 per province: the training body that receives the fees. */
  sellers: Record<string, InvoiceParty>;
  /** 开票人 printed on every invoice. */
  issuer: string;
}

/** What orders hands over once a payment is confirmed. */
export interface IssueForOrder {
  orderId: string;
  owner: InvoiceOwner;
  province: string;
  /** The 发票信息 the order was placed with (a checked profile). */
  buyer: InvoiceProfileInput;
  lines: InvoiceLine[];
  /** e.g. 订单号 and the class; printed in 备注. */
  remark?: string;
}

export interface ReverseForRefund {
  orderId: string;
  /** Chinese, printed in 备注 of the red-letter invoice (e.g. 退款：学员退学). */
  reason: string;
}

/** A refund arrived for an order whose invoice is not issued yet: the refund job tries again later. */
export class InvoiceNotIssuedError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} has no issued invoice to reverse yet`);
  }
}

const DUPLICATE_KEY = 11000;

function buyerParty(profile: InvoiceProfileInput): InvoiceParty {
  const party: InvoiceParty = { name: profile.title };
  if (profile.taxId) party.taxId = profile.taxId;
  if (profile.kind === 'SPECIAL') Object.assign(party, { address: profile.address, phone: profile.phone, bankName: profile.bankName, bankAccount: profile.bankAccount });
  return party;
}

function sellerFor(settings: InvoicingSettings, province: string): InvoiceParty {
  const seller = settings.sellers[province];
  if (!seller) throw new Error(`no invoice seller configured for province ${province}`);
  return seller;
}

function issuedFields(issued: IssuedInvoice): Partial<InvoiceDoc> {
  return { status: 'ISSUED', number: issued.number, issuedAt: issued.issuedAt, ...('pdf' in issued ? { pdf: issued.pdf } : { url: issued.url }) };
}

/** The record under `key`, created as ISSUING if absent; a concurrent creator's record is taken as ours. */
async function claim(key: string, build: (id: Types.ObjectId) => Omit<InvoiceDoc, '_id'>): Promise<InvoiceDoc> {
  const existing = await InvoiceModel.findOne({ key }).lean();
  if (existing) return existing;
  const _id = new Types.ObjectId();
  try {
    return (await InvoiceModel.create({ _id, ...build(_id) })).toObject();
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    return (await InvoiceModel.findOne({ key }).lean())!;
  }
}

/** Stores what the provider issued; if another attempt finished first, its invoice stands. */
async function complete(record: InvoiceDoc, issued: IssuedInvoice): Promise<InvoiceDoc> {
  await InvoiceModel.updateOne({ _id: record._id, status: 'ISSUING' }, { $set: issuedFields(issued) });
  return (await InvoiceModel.findById(record._id).lean())!;
}

export function createInvoicing(settings: InvoicingSettings) {
  const { provider, clock } = settings;

  /** Issues the order's invoice once; calling again (a retried job) returns the same invoice. */
  async function issueForOrder(input: IssueForOrder): Promise<InvoiceDoc> {
    const record = await claim(`order:${input.orderId}`, (id) => {
      const draft: InvoiceDraft = {
        requestId: String(id),
        kind: input.buyer.kind,
        province: input.province,
        buyer: buyerParty(input.buyer),
        seller: sellerFor(settings, input.province),
        lines: input.lines.map(priceLine),
        remark: input.remark,
        issuer: settings.issuer,
      };
      return { key: `order:${input.orderId}`, orderId: input.orderId, owner: input.owner, kind: draft.kind, redLetter: false, status: 'ISSUING', draft, totalFen: invoiceTotals(draft.lines).totalFen, email: input.buyer.email, provider: provider.name, createdAt: clock.now() };
    });
    if (record.status !== 'ISSUING') return record;
    return complete(record, await provider.issue(record.draft));
  }

  /** 冲红 the order's invoice in full, once; the blue invoice is kept and marked REVERSED. */
  async function reverseForRefund(input: ReverseForRefund): Promise<InvoiceDoc> {
    const original = await InvoiceModel.findOne({ key: `order:${input.orderId}` }).lean();
    if (!original || original.status === 'ISSUING' || !original.number || !original.issuedAt) throw new InvoiceNotIssuedError(input.orderId);
    const key = `reverses:${String(original._id)}`;
    const record = await claim(key, (id) => {
      const draft: InvoiceDraft = { ...original.draft, requestId: String(id), lines: original.draft.lines.map(reversedLine) };
      return { key, orderId: original.orderId, owner: original.owner, kind: original.kind, redLetter: true, status: 'ISSUING', draft, totalFen: -original.totalFen, email: original.email, provider: provider.name, originalId: original._id, originalNumber: original.number, reason: input.reason, createdAt: clock.now() };
    });
    if (record.status === 'ISSUING') {
      const issued = await provider.issueRedLetter({ requestId: record.draft.requestId, original: { draft: original.draft, number: original.number, issuedAt: original.issuedAt }, reason: input.reason });
      await InvoiceModel.updateOne({ _id: record._id, status: 'ISSUING' }, { $set: issuedFields(issued) });
    }
    await InvoiceModel.updateOne({ _id: original._id, status: 'ISSUED' }, { $set: { status: 'REVERSED' } });
    return (await InvoiceModel.findById(record._id).lean())!;
  }

  return { issueForOrder, reverseForRefund };
}

export type Invoicing = ReturnType<typeof createInvoicing>;

/** 发票列表: issued invoices (blue and red-letter) of one owner, newest first. */
export async function listInvoices(owner: InvoiceOwner): Promise<InvoiceDoc[]> {
  return InvoiceModel.find({ 'owner.type': owner.type, 'owner.id': owner.id, status: { $ne: 'ISSUING' } }, { pdf: 0 }).sort({ createdAt: -1, _id: -1 }).lean();
}

/** One issued invoice of this owner (with its file), or undefined: another owner's invoice is not found. */
export async function findInvoice(owner: InvoiceOwner, invoiceId: string): Promise<InvoiceDoc | undefined> {
  if (!Types.ObjectId.isValid(invoiceId)) return undefined;
  const doc = await InvoiceModel.findOne({ _id: invoiceId, 'owner.type': owner.type, 'owner.id': owner.id, status: { $ne: 'ISSUING' } }).lean();
  return doc ?? undefined;
}

/** 重新发送 to a corrected address: the invoice remembers the address it was last sent to. */
export async function changeInvoiceEmail(invoiceId: Types.ObjectId, email: string): Promise<void> {
  await InvoiceModel.updateOne({ _id: invoiceId }, { $set: { email } });
}
