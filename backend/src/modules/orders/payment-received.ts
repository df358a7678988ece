import type { ClientSession } from 'mongoose';
import { inTransaction } from '../../platform/db';
import { withExclusiveKeys } from '../../platform/exclusive';
import { enqueue } from '../../platform/jobs';
import type { Logger } from '../../platform/logger';
import { EnrollmentModel, isPayable, markEnrollmentsPaid } from '../enrollment';
import { settingsFor } from '../policy';
import { OrderClaimModel, OrderModel, type ExtraPaymentDoc, type OrderDoc } from './data';
import { EXTRA_PAYMENT_REFUND_JOB, INVOICE_ISSUE_JOB } from './job-names';
import { extraRefundNo } from './numbers';
import { moveOrder, changeOrder } from './transitions';

/** A payment WeChat Pay confirmed (by notification or by our query), as orders applies it. */
export interface ConfirmedPayment {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  successTime?: string;
}

export type PaymentOutcome = 'NO_ORDER' | 'ALREADY_APPLIED' | 'PAID' | 'HONOURED_AFTER_CLOSE' | 'REFUNDING';

const BUSY = '订单正在处理付款，请稍后刷新';

/**
 * Applies a confirmed payment to its order exactly once, in one transaction: PENDING_PAYMENT → PAID, the
 * enrollments paid with their study window, and the invoice job queued (outbox). Money the order cannot take
 * (it closed and an enrollment is no longer payable, or it was already paid) is never lost: a refund job is
 * queued in the same transaction and the order records which happened. Safe to call any number of times.
 */
export async function applyConfirmedPayment(payment: ConfirmedPayment, now: Date, log: Logger): Promise<PaymentOutcome> {
  const found = await OrderModel.findOne({ 'attempts.outTradeNo': payment.outTradeNo }).lean();
  if (!found) {
    log.warn({ outTradeNo: payment.outTradeNo }, 'payment confirmed for no order');
    return 'NO_ORDER';
  }
  const keys = [`order-payment:${String(found._id)}`, ...found.items.map((item) => `order-enrollment:${String(item.enrollmentId)}`)];
  const outcome = await withExclusiveKeys(keys, BUSY, () =>
    inTransaction(async (session) => {
      const order = (await OrderModel.findById(found._id).session(session).lean())!;
      if (alreadyApplied(order, payment)) return 'ALREADY_APPLIED' as const;
      if (order.state === 'PENDING_PAYMENT' || order.state === 'AWAITING_REVIEW') return markPaid(order, payment, now, '微信支付成功', session);
      if (order.state === 'CLOSED' && (await stillPayable(order, session))) return markPaid(order, payment, now, '订单关闭后微信支付到账，报名仍可缴费，按已支付处理', session);
      return refundExtra(order, payment, now, session);
    }),
  );
  log.info({ orderId: String(found._id), outTradeNo: payment.outTradeNo, outcome }, 'order payment applied');
  return outcome;
}

function alreadyApplied(order: OrderDoc, payment: ConfirmedPayment): boolean {
  return order.paidTransactionId === payment.transactionId || order.extraPayments.some((p) => p.transactionId === payment.transactionId);
}

async function markPaid(order: OrderDoc, payment: ConfirmedPayment, now: Date, reason: string, session: ClientSession): Promise<'PAID' | 'HONOURED_AFTER_CLOSE'> {
  const afterClose = order.state === 'CLOSED';
  const paidAt = payment.successTime ? new Date(payment.successTime) : now;
  const attempt = order.attempts.find((a) => a.outTradeNo === payment.outTradeNo)!;
  const honoured: ExtraPaymentDoc[] = afterClose ? [{ outTradeNo: payment.outTradeNo, transactionId: payment.transactionId, amountFen: payment.amountFen, outcome: 'HONOURED', at: now }] : [];
  const moved = await moveOrder(
    order,
    { to: 'PAID', by: 'wechatpay', reason: `${reason}（微信支付单号 ${payment.transactionId}）`, at: now },
    { paidAt, paidTransactionId: payment.transactionId, paidOutTradeNo: payment.outTradeNo, paymentMethod: attempt.method, extraPayments: [...order.extraPayments, ...honoured] },
    session,
  );
  if (!moved) throw new Error(`order ${String(order._id)} changed while its payment was applied`);
  if (afterClose) await OrderClaimModel.create(order.items.map((item) => ({ _id: String(item.enrollmentId), orderId: order._id, createdAt: now })), { session, ordered: true });
  await applyPaymentEffects(order, paidAt, now, session);
  return afterClose ? 'HONOURED_AFTER_CLOSE' : 'PAID';
}

/**
 * What a confirmed payment does, however it was confirmed (WeChat Pay or an approved transfer), inside the
 * transaction that moved the order to PAID: the enrollments are paid and their study windows start, and the
 * invoice is queued (outbox, one job per order).
 */
export async function applyPaymentEffects(order: OrderDoc, paidAt: Date, now: Date, session: ClientSession): Promise<void> {
  const settings = await settingsFor(order.province, order.city);
  await markEnrollmentsPaid({ enrollmentIds: order.items.map((item) => item.enrollmentId), orderId: order._id, paidAt, windowDays: settings.study.windowDays }, session);
  await enqueue(INVOICE_ISSUE_JOB, { orderId: String(order._id) }, { key: `${INVOICE_ISSUE_JOB}:${String(order._id)}`, session, now });
}

/** A closed order may still take its money when every enrollment awaits payment and no other open order holds it. */
async function stillPayable(order: OrderDoc, session: ClientSession): Promise<boolean> {
  const ids = order.items.map((item) => item.enrollmentId);
  const enrollments = await EnrollmentModel.find({ _id: { $in: ids } }).session(session).lean();
  const claimed = await OrderClaimModel.countDocuments({ _id: { $in: ids.map(String) } }).session(session);
  return enrollments.length === ids.length && enrollments.every(isPayable) && claimed === 0;
}

async function refundExtra(order: OrderDoc, payment: ConfirmedPayment, now: Date, session: ClientSession): Promise<'REFUNDING'> {
  const outRefundNo = extraRefundNo(payment.transactionId);
  const extra: ExtraPaymentDoc = { outTradeNo: payment.outTradeNo, transactionId: payment.transactionId, amountFen: payment.amountFen, outcome: 'REFUNDING', outRefundNo, at: now };
  if (!(await changeOrder(order, { extraPayments: [...order.extraPayments, extra] }, session))) throw new Error(`order ${String(order._id)} changed while a payment was recorded`);
  await enqueue(EXTRA_PAYMENT_REFUND_JOB, { orderId: String(order._id), outTradeNo: payment.outTradeNo, outRefundNo, refundFen: payment.amountFen }, { key: `${EXTRA_PAYMENT_REFUND_JOB}:${outRefundNo}`, session, now });
  return 'REFUNDING';
}

/** REFUND.SUCCESS for money the order could not take: the order records it as returned. Answers whether it was one. */
export async function markExtraPaymentRefunded(outRefundNo: string): Promise<boolean> {
  for (let tries = 0; tries < 5; tries++) {
    const order = await OrderModel.findOne({ 'extraPayments.outRefundNo': outRefundNo }).lean();
    if (!order) return false;
    const extraPayments = order.extraPayments.map((p) => (p.outRefundNo === outRefundNo ? { ...p, outcome: 'REFUNDED' as const } : p));
    if (await changeOrder(order, { extraPayments })) return true;
  }
  throw new Error(`order holding refund ${outRefundNo} kept changing`);
}
