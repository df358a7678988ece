import { inTransaction } from '../../platform/db';
import { withExclusiveKeys } from '../../platform/exclusive';
import type { Deps } from '../../platform/http/route';
import { jobs, type JobContext, type JobDefinitions } from '../../platform/jobs';
import { enqueueMail } from '../../platform/mail';
import { closePayment, requestRefund, WechatPayApiError } from '../payments';
import { CONTINUING_EDUCATION_LINE, createInvoicing, DEMO_ISSUER, DEMO_SELLERS, invoiceMail, localPdfProvider, type InvoiceDoc } from '../invoices';
import { OrderClaimModel, OrderModel, type OrderDoc } from './data';
import { EXTRA_PAYMENT_REFUND_JOB, INVOICE_ISSUE_JOB, ORDER_EXPIRE_JOB, ORDER_SETTLE_JOB } from './job-names';
import { neverPrepaid, settleWithWechatPay } from './settle';
import { defineRefundJobs } from './refunds';
import { moveOrder } from './transitions';

interface OrderPayload {
  orderId: string;
}

async function loadOrder(orderId: string): Promise<OrderDoc> {
  const order = await OrderModel.findById(orderId).lean();
  if (!order) throw new Error(`no order ${orderId}`);
  return order;
}

/**
 * order.expire (runs at expiresAt): closes every attempt at WeChat Pay first. If one was paid meanwhile
 * (ORDERPAID), the payment is applied instead; otherwise the order is CLOSED and its enrollments are free again.
 */
export async function expireOrder(payload: OrderPayload, context: JobContext): Promise<string> {
  const order = await loadOrder(payload.orderId);
  if (order.state !== 'PENDING_PAYMENT') return `nothing to do: ${order.state}`;
  // A rejected transfer renews the payment window and queues its own expiry; this earlier one is stale.
  if (order.expiresAt > context.now) return 'not due: the payment window was renewed';
  for (const attempt of order.attempts) {
    try {
      await closePayment(context.deps, attempt.outTradeNo);
    } catch (error) {
      if (!(error instanceof WechatPayApiError && error.code === 'ORDERPAID')) neverPrepaid(error);
    }
  }
  await settleWithWechatPay(order, context.deps, context.deps.logger);
  return closeUnpaid(payload.orderId, context.now);
}

async function closeUnpaid(orderId: string, now: Date): Promise<string> {
  return withExclusiveKeys([`order-payment:${orderId}`], '订单正在处理付款', () =>
    inTransaction(async (session) => {
      const order = (await OrderModel.findById(orderId).session(session).lean())!;
      if (order.state !== 'PENDING_PAYMENT') return `paid meanwhile: ${order.state}`;
      if (!(await moveOrder(order, { to: 'CLOSED', by: 'system', reason: '超时未支付，订单已关闭', at: now }, {}, session))) throw new Error(`order ${orderId} changed while closing`);
      await OrderClaimModel.deleteMany({ orderId: order._id }, { session });
      return 'closed';
    }),
  );
}

/** Thrown to try again later: WeChat Pay has not (yet) reported the payment. */
class NotPaidYet extends Error {}

/**
 * order.settle: when no notification arrives, asks WeChat Pay (a minute after the prepay, then with backoff)
 * and applies a reported payment. Stops when the order is no longer waiting (paid, closed).
 */
export async function settleOrder(payload: OrderPayload & { outTradeNo: string }, context: JobContext): Promise<string> {
  const order = await loadOrder(payload.orderId);
  if (order.state !== 'PENDING_PAYMENT' && order.state !== 'AWAITING_REVIEW') return `nothing to do: ${order.state}`;
  const state = await settleWithWechatPay(order, context.deps, context.deps.logger);
  const now = await loadOrder(payload.orderId);
  if (now.state === 'PENDING_PAYMENT' && now.expiresAt > context.now) throw new NotPaidYet(`WeChat Pay reports ${state}; asking again later`);
  return `${state} → ${now.state}`;
}

function invoicingFor(deps: Deps) {
  return createInvoicing({ provider: localPdfProvider(deps.clock), clock: deps.clock, sellers: DEMO_SELLERS, issuer: DEMO_ISSUER });
}

/** The invoice lines: one per distinct fee (quantity = people at that fee). */
function invoiceLines(order: OrderDoc) {
  const byFee = new Map<number, number>();
  for (const item of order.items) byFee.set(item.feeFen, (byFee.get(item.feeFen) ?? 0) + 1);
  return [...byFee].map(([unitPriceFen, quantity]) => ({ ...CONTINUING_EDUCATION_LINE, quantity, unitPriceFen, taxRate: 'EXEMPT' as const }));
}

/** The mail key names the invoice: one invoice, one mail, however often this job runs. */
export function invoiceMailKey(invoice: InvoiceDoc, version = 1): string {
  return `invoice-mail:${String(invoice._id)}:${version}`;
}

/** invoice.issue (queued with the payment): issues the order's invoice once and queues its mail once. */
export async function issueInvoice(payload: OrderPayload, context: JobContext): Promise<string> {
  const order = await loadOrder(payload.orderId);
  const invoice = await invoicingFor(context.deps).issueForOrder({
    orderId: String(order._id),
    owner: order.owner,
    province: order.province,
    buyer: order.invoiceBuyer,
    lines: invoiceLines(order),
    remark: `订单号：${order.orderNo}`,
  });
  await enqueueMail(invoiceMail(invoice), { key: invoiceMailKey(invoice), now: context.now });
  return invoice.number ?? 'issued';
}

/** Returns money the order could not take (REFUND.SUCCESS then marks it REFUNDED on the order). */
export async function refundExtraPayment(payload: { outTradeNo: string; outRefundNo: string; refundFen: number }, context: JobContext): Promise<string> {
  const answer = await requestRefund(context.deps, { outTradeNo: payload.outTradeNo, outRefundNo: payload.outRefundNo, refundFen: payload.refundFen, reason: '订单已关闭或已支付，款项原路退回' });
  return answer.status;
}

export function defineOrderJobs(definitions: JobDefinitions = jobs): void {
  definitions.define(ORDER_EXPIRE_JOB, expireOrder, { maxAttempts: 20, backoff: { baseMs: 30_000, maxMs: 600_000 } });
  definitions.define(ORDER_SETTLE_JOB, settleOrder, { maxAttempts: 12, backoff: { baseMs: 60_000, maxMs: 600_000 } });
  definitions.define(INVOICE_ISSUE_JOB, issueInvoice, { maxAttempts: 12, backoff: { baseMs: 60_000, maxMs: 3_600_000 } });
  definitions.define(EXTRA_PAYMENT_REFUND_JOB, refundExtraPayment, { maxAttempts: 20, backoff: { baseMs: 60_000, maxMs: 3_600_000 } });
  defineRefundJobs(definitions);
}
