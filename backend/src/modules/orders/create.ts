import type { CreateOrderRequest, InvoiceProfileInput } from '@ce/types';
import { createOrderRequest } from '@ce/types';
import { Types } from 'mongoose';
import type { z } from 'zod';
import { inTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';
import type { Deps } from '../../platform/http/route';
import { enqueue } from '../../platform/jobs';
import { EnrollmentModel, isPayable, type EnrollmentDoc } from '../enrollment';
import { findInvoiceProfile, saveInvoiceProfile, type InvoiceProfileDoc } from '../invoices';
import { settingsFor } from '../policy';
import { PersonModel } from '../registry';
import { OrderClaimModel, OrderModel, type OrderDoc, type OrderOwner } from './data';
import { ORDER_EXPIRE_JOB } from './job-names';
import { newOrderNo } from './numbers';

export interface PlaceOrder {
  owner: OrderOwner;
  province: string;
  city?: string;
  /** Who placed it, for the order's history. */
  by: string;
  request: z.output<typeof createOrderRequest>;
}

const OPEN_ORDER_BUSY = '所选报名正在另一个订单中提交，请稍后刷新查看';

/**
 * 提交订单: the payer's enrollments still awaiting payment, priced at their class fee (fixed on the order), with
 * the 发票信息 the payer confirmed. Each enrollment is claimed (at most one open order each); the order, its
 * claims and its expiry job are written in one transaction.
 */
export async function placeOrder(input: PlaceOrder, deps: Deps): Promise<OrderDoc> {
  const settings = await settingsFor(input.province, input.city);
  if (input.owner.type === 'learner' && !settings.orders.personalEnrollment) throw new AppError('PERSONAL_ENROLLMENT_NOT_ALLOWED');
  const buyer = await confirmedBuyer(input, deps);
  checkReentry(buyer, input.request.reentry, settings.orders.requirePayerReentry && buyer.buyerType === 'ENTERPRISE');
  const enrollments = await payableEnrollments(input.owner, input.request.enrollmentIds);
  const ids = enrollments.map((e) => String(e._id));
  return withExclusiveKeys(ids.map((id) => `order-enrollment:${id}`), OPEN_ORDER_BUSY, () =>
    inTransaction(async (session) => {
      const taken = await OrderClaimModel.find({ _id: { $in: ids } }).session(session).lean();
      if (taken.length) throw new AppError('ENROLLMENT_IN_OPEN_ORDER', { enrollmentIds: taken.map((c) => c._id), orderIds: [...new Set(taken.map((c) => String(c.orderId)))] });
      const now = deps.clock.now();
      const order = buildOrder(input, buyer, enrollments, now, new Date(now.getTime() + settings.orders.expiryMinutes * 60_000));
      await OrderModel.create([order], { session });
      await OrderClaimModel.create(ids.map((id) => ({ _id: id, orderId: order._id, createdAt: now })), { session, ordered: true });
      await enqueue(ORDER_EXPIRE_JOB, { orderId: String(order._id) }, { key: `${ORDER_EXPIRE_JOB}:${String(order._id)}`, runAt: order.expiresAt, session, now });
      return order;
    }),
  ).catch((error: { code?: number }) => {
    if (error.code === 11000) throw new AppError('ENROLLMENT_IN_OPEN_ORDER');
    throw error;
  });
}

function buildOrder(input: PlaceOrder, buyer: InvoiceProfileInput, enrollments: EnrollmentDoc[], now: Date, expiresAt: Date): OrderDoc {
  const items = enrollments.map((e) => ({ enrollmentId: e._id, holderName: e.holderName, idMasked: e.idMasked, certificateNo: e.certificateNo, category: e.category, className: e.className, feeFen: e.feeFen }));
  return {
    _id: new Types.ObjectId(),
    orderNo: newOrderNo(now),
    owner: input.owner,
    province: input.province,
    ...(input.city ? { city: input.city } : {}),
    items,
    amountFen: items.reduce((sum, item) => sum + item.feeFen, 0),
    state: 'PENDING_PAYMENT',
    version: 0,
    transitions: [{ from: null, to: 'PENDING_PAYMENT', at: now, by: input.by, reason: '提交订单' }],
    invoiceBuyer: buyer,
    expiresAt,
    attempts: [],
    extraPayments: [],
    createdAt: now,
  };
}

/** The 发票信息 given with the order (saved for next time if asked), else the payer's saved one. */
async function confirmedBuyer(input: PlaceOrder, deps: Deps): Promise<InvoiceProfileInput> {
  const given = input.request.invoice;
  if (given) {
    await checkPersonalBuyer(input.owner, given);
    if (input.request.saveInvoiceProfile) await saveInvoiceProfile(input.owner, given, deps.clock);
    return given;
  }
  const saved = await findInvoiceProfile(input.owner);
  if (!saved) throw new AppError('INVOICE_PROFILE_REQUIRED');
  await checkPersonalBuyer(input.owner, saved);
  return profileInput(saved);
}

/** A learner paying alone is invoiced as a person: 普票, the title their own name, no tax ID. */
async function checkPersonalBuyer(owner: OrderOwner, buyer: Pick<InvoiceProfileInput, 'kind' | 'buyerType' | 'title' | 'taxId'>): Promise<void> {
  if (owner.type !== 'learner') return;
  const person = await PersonModel.findById(owner.id).lean();
  const personal = buyer.kind === 'NORMAL' && buyer.buyerType === 'PERSON' && !buyer.taxId && buyer.title.trim() === person?.name;
  if (!personal) throw new AppError('PERSONAL_INVOICE_TITLE', undefined, `个人缴费只能开具普票，发票抬头为本人姓名（${person?.name ?? ''}），无需纳税人识别号`);
}

function profileInput(doc: InvoiceProfileDoc): InvoiceProfileInput {
  const { kind, buyerType, title, email, taxId, address, phone, bankName, bankAccount } = doc;
  const optional = Object.entries({ taxId, address, phone, bankName, bankAccount }).filter(([, v]) => v);
  return { kind, buyerType, title, email, ...Object.fromEntries(optional) };
}

/** Yunnan's re-entry (policy orders.requirePayerReentry): the company name and tax ID typed again must be the invoice's. */
function checkReentry(buyer: InvoiceProfileInput, reentry: CreateOrderRequest['reentry'], required: boolean): void {
  if (!reentry) {
    if (required) throw new AppError('PAYER_REENTRY_REQUIRED');
    return;
  }
  if (reentry.companyName.trim() !== buyer.title || reentry.taxId.toUpperCase() !== buyer.taxId) throw new AppError('PAYER_REENTRY_MISMATCH');
}

/** Every enrollment must exist, be the payer's, and still await payment; otherwise nothing is ordered. */
async function payableEnrollments(owner: OrderOwner, enrollmentIds: string[]): Promise<EnrollmentDoc[]> {
  const ids = [...new Set(enrollmentIds)];
  const found = await EnrollmentModel.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean();
  const byId = new Map(found.map((e) => [String(e._id), e]));
  const refused = ids.filter((id) => {
    const enrollment = byId.get(id);
    return !enrollment || !belongsTo(enrollment, owner) || !isPayable(enrollment);
  });
  if (refused.length) throw new AppError('ENROLLMENT_NOT_PAYABLE', { enrollmentIds: refused });
  return ids.map((id) => byId.get(id)!);
}

/** An enterprise pays what it enrolled; a learner pays only what they enrolled themselves (自己报名). */
function belongsTo(enrollment: EnrollmentDoc, owner: OrderOwner): boolean {
  if (owner.type === 'enterprise') return enrollment.enterpriseUscc === owner.id && !enrollment.selfEnrolled;
  return String(enrollment.personId) === owner.id && Boolean(enrollment.selfEnrolled);
}
