/**
 * 退款 (staff-initiated): part or all of what is left of a paid WeChat order goes back to the payer. Each
 * refund request has one stable out_refund_no, so a retried request (same order, amount and reason, or the same
 * requestKey) asks WeChat Pay again under the same number and money leaves once. When WeChat Pay reports the
 * refund (REFUND.SUCCESS), the order moves once to 部分退款 or 已退款; a full refund cancels its enrollments;
 * the invoice is reversed with a red-letter invoice (冲红) by a queued job.
 */
import { createHash } from 'node:crypto';
import { ORDER_REFUND_STATE_LABELS, type orderRefundView } from '@ce/types';
import { model, Schema, Types, type ClientSession } from 'mongoose';
import type { z } from 'zod';
import { inTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';
import type { Deps, Principal } from '../../platform/http/route';
import { enqueue, jobs, PermanentJobError, type JobContext, type JobDefinitions } from '../../platform/jobs';
import { EnrollmentModel } from '../enrollment';
import { createInvoicing, DEMO_ISSUER, DEMO_SELLERS, InvoiceNotIssuedError, localPdfProvider } from '../invoices';
import { requestRefund, type RefundSucceeded } from '../payments';
import { OrderModel, type OrderDoc } from './data';
import { staffScope } from './offline-transfer';
import { actorOf } from './payer';
import { moveOrder } from './transitions';

export type OrderRefundState = 'REQUESTED' | 'SUCCEEDED' | 'FAILED';

export interface OrderRefundDoc {
  _id: Types.ObjectId;
  orderId: Types.ObjectId;
  /** `<orderId>:<requestKey>`: one refund per request, however often it is sent. */
  requestKey: string;
  outRefundNo: string;
  outTradeNo: string;
  amountFen: number;
  reason: string;
  state: OrderRefundState;
  requestedAt: Date;
  requestedBy: string;
  succeededAt?: Date;
}

const refundSchema = new Schema<OrderRefundDoc>({
  orderId: { type: Schema.Types.ObjectId, required: true },
  requestKey: { type: String, required: true },
  outRefundNo: { type: String, required: true },
  outTradeNo: { type: String, required: true },
  amountFen: { type: Number, required: true },
  reason: { type: String, required: true },
  state: { type: String, required: true },
  requestedAt: { type: Date, required: true },
  requestedBy: { type: String, required: true },
  succeededAt: Date,
});
refundSchema.index({ requestKey: 1 }, { unique: true });
refundSchema.index({ outRefundNo: 1 }, { unique: true });
refundSchema.index({ orderId: 1, requestedAt: 1 });
export const OrderRefundModel = model<OrderRefundDoc>('OrderRefund', refundSchema);

export const INVOICE_REVERSE_JOB = 'invoice.reverse-for-refund';
const REFUND_BUSY = '该订单正在办理退款，请稍后刷新';
const REFUNDABLE_STATES = new Set(['PAID', 'PARTIALLY_REFUNDED']);

export interface RefundRequest {
  principal: Principal;
  orderId: string;
  amountFen: number;
  reason: string;
  /** The client's key for this refund; without one, the same amount and reason on the same order are the same refund. */
  requestKey?: string;
}

/** An order in the staff member's area (reviewer: city; operator: province); elsewhere is answered as missing. */
export async function orderInScope(principal: Principal, orderId: string): Promise<OrderDoc> {
  const order = Types.ObjectId.isValid(orderId) ? await OrderModel.findOne({ _id: orderId, ...staffScope(principal) }).lean() : null;
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  return order;
}

function requestKeyOf(order: OrderDoc, request: RefundRequest): string {
  const key = request.requestKey ?? createHash('sha256').update(`${request.amountFen}\n${request.reason}`).digest('base64url').slice(0, 22);
  return `${String(order._id)}:${key}`;
}

/** What may still be refunded: the order's amount less every refund not known to have failed. */
export function refundableFen(order: Pick<OrderDoc, 'amountFen'>, refunds: Pick<OrderRefundDoc, 'amountFen' | 'state'>[]): number {
  return order.amountFen - refunds.filter((r) => r.state !== 'FAILED').reduce((sum, r) => sum + r.amountFen, 0);
}

/**
 * 发起退款: records the refund under its stable number (or finds the one this request already made), then asks
 * WeChat Pay under that number. Safe to retry: WeChat Pay and payments both treat the same number as one refund.
 */
export async function requestOrderRefund(request: RefundRequest, deps: Deps): Promise<OrderRefundDoc> {
  const order = await orderInScope(request.principal, request.orderId);
  const requestKey = requestKeyOf(order, request);
  const refund = (await OrderRefundModel.findOne({ requestKey }).lean()) ?? (await recordRefund(order, request, requestKey, deps));
  if (refund.state === 'REQUESTED') await requestRefund(deps, { outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo, refundFen: refund.amountFen, reason: refund.reason });
  return (await OrderRefundModel.findById(refund._id).lean())!;
}

async function recordRefund(order: OrderDoc, request: RefundRequest, requestKey: string, deps: Deps): Promise<OrderRefundDoc> {
  if (!REFUNDABLE_STATES.has(order.state) || !order.paidOutTradeNo || order.paymentMethod === 'OFFLINE_TRANSFER') throw new AppError('ORDER_NOT_REFUNDABLE', { state: order.state });
  return withExclusiveKeys([`order-refund:${String(order._id)}`], REFUND_BUSY, async () => {
    const earlier = await OrderRefundModel.find({ orderId: order._id }).lean();
    const same = earlier.find((r) => r.requestKey === requestKey);
    if (same) return same;
    const left = refundableFen(order, earlier);
    if (request.amountFen > left) throw new AppError('REFUND_AMOUNT_EXCEEDED', { refundableFen: left });
    const refund: OrderRefundDoc = {
      _id: new Types.ObjectId(),
      orderId: order._id,
      requestKey,
      outRefundNo: `${order.orderNo}R${earlier.length + 1}`,
      outTradeNo: order.paidOutTradeNo!,
      amountFen: request.amountFen,
      reason: request.reason,
      state: 'REQUESTED',
      requestedAt: deps.clock.now(),
      requestedBy: actorOf(request.principal),
    };
    await OrderRefundModel.create(refund);
    return refund;
  });
}

/**
 * REFUND.SUCCESS for one of our refunds: marks it succeeded and moves the order once (部分退款 / 已退款), cancels
 * the enrollments of a fully refunded order and queues the 冲红. Answers false for a refund that is not an order
 * refund (e.g. money an order could not take); applying the same event again changes nothing.
 */
export async function applyRefundSucceeded(event: RefundSucceeded, now: Date): Promise<boolean> {
  const refund = await OrderRefundModel.findOne({ outRefundNo: event.outRefundNo }).lean();
  if (!refund) return false;
  if (refund.state === 'SUCCEEDED') return true;
  await withExclusiveKeys([`order-payment:${String(refund.orderId)}`], REFUND_BUSY, () =>
    inTransaction(async (session) => {
      const marked = await OrderRefundModel.updateOne({ _id: refund._id, state: 'REQUESTED' }, { $set: { state: 'SUCCEEDED', succeededAt: event.successTime ? new Date(event.successTime) : now } }, { session });
      if (marked.modifiedCount !== 1) return;
      await moveForRefund(refund, now, session);
    }),
  );
  return true;
}

async function moveForRefund(refund: OrderRefundDoc, now: Date, session: ClientSession): Promise<void> {
  const order = (await OrderModel.findById(refund.orderId).session(session).lean())!;
  const succeeded = await OrderRefundModel.find({ orderId: order._id, state: 'SUCCEEDED' }).session(session).lean();
  const refundedFen = succeeded.reduce((sum, r) => sum + r.amountFen, 0);
  const full = refundedFen >= order.amountFen;
  const reason = `退款 ${yuan(refund.amountFen)} 元已到账（退款单号 ${refund.outRefundNo}，原因：${refund.reason}），累计退款 ${yuan(refundedFen)} 元`;
  const moved = await moveOrder(order, { to: full ? 'REFUNDED' : 'PARTIALLY_REFUNDED', by: 'wechatpay', reason, at: now }, {}, session);
  if (!moved) throw new Error(`order ${String(order._id)} changed while its refund was applied`);
  if (full) await EnrollmentModel.updateMany({ _id: { $in: order.items.map((i) => i.enrollmentId) }, paidByOrderId: order._id }, { $set: { status: 'CANCELLED' } }, { session });
  await enqueue(INVOICE_REVERSE_JOB, { orderId: String(order._id), reason: refund.reason }, { key: `${INVOICE_REVERSE_JOB}:${String(order._id)}`, session, now });
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

export async function refundsOfOrder(orderId: Types.ObjectId): Promise<OrderRefundDoc[]> {
  return OrderRefundModel.find({ orderId }).sort({ requestedAt: 1, _id: 1 }).lean();
}

export function toOrderRefundView(refund: OrderRefundDoc): z.input<typeof orderRefundView> {
  return {
    id: String(refund._id),
    orderId: String(refund.orderId),
    outRefundNo: refund.outRefundNo,
    amountFen: refund.amountFen,
    reason: refund.reason,
    state: refund.state,
    stateLabel: ORDER_REFUND_STATE_LABELS[refund.state],
    requestedAt: refund.requestedAt.toISOString(),
    requestedBy: refund.requestedBy,
    ...(refund.succeededAt ? { succeededAt: refund.succeededAt.toISOString() } : {}),
  };
}

/**
 * invoice.reverse-for-refund: 冲红 the order's invoice once (the invoices module keeps the blue one, marked
 * REVERSED). An invoice still being issued is waited for (retried); an order never invoiced has nothing to reverse.
 */
export async function reverseInvoiceForRefund(payload: { orderId: string; reason: string }, context: JobContext): Promise<string> {
  const invoicing = createInvoicing({ provider: localPdfProvider(context.deps.clock), clock: context.deps.clock, sellers: DEMO_SELLERS, issuer: DEMO_ISSUER });
  try {
    const red = await invoicing.reverseForRefund({ orderId: payload.orderId, reason: payload.reason });
    return red.number ?? 'reversed';
  } catch (error) {
    if (error instanceof InvoiceNotIssuedError && !(await OrderModel.exists({ _id: payload.orderId }))) throw new PermanentJobError(`no order ${payload.orderId}`);
    throw error;
  }
}

export function defineRefundJobs(definitions: JobDefinitions = jobs): void {
  definitions.define(INVOICE_REVERSE_JOB, reverseInvoiceForRefund, { maxAttempts: 12, backoff: { baseMs: 60_000, maxMs: 3_600_000 } });
}
