import type { OrderCheckResponse } from '@ce/types';
import type { Deps, Principal } from '../../platform/http/route';
import type { Logger } from '../../platform/logger';
import { findOwnOrder, payerOf } from './payer';
import { settleWithWechatPay } from './settle';
import { orderDetailFor } from './read';

/** Trade states in which no payment can be under way for the attempt. */
const NOTHING_IN_FLIGHT = new Set([undefined, 'NOTPAY', 'CLOSED', 'PAYERROR', 'NOT_EXIST']);

/**
 * 支付遇到问题? — asks WeChat Pay about the order's payments (a success is applied at once), then answers the
 * order as it really stands. "Pay again" is offered only when nothing can be in flight.
 */
export async function checkOrderPayment(principal: Principal, orderId: string, deps: Deps, log: Logger): Promise<OrderCheckResponse> {
  const before = await findOwnOrder(payerOf(principal), orderId);
  const wechatState = before.attempts.length ? await settleWithWechatPay(before, deps, log) : undefined;
  const order = await findOwnOrder(payerOf(principal), orderId);
  const open = order.state === 'PENDING_PAYMENT' && order.expiresAt > deps.clock.now();
  const canPayAgain = open && NOTHING_IN_FLIGHT.has(wechatState);
  return { order: await orderDetailFor(order, principal), ...(wechatState ? { wechatState } : {}), canPayAgain, advice: adviceFor(order.state, wechatState, canPayAgain, open) };
}

function adviceFor(state: string, wechatState: string | undefined, canPayAgain: boolean, open: boolean): string {
  if (state === 'PAID') return '支付已成功，无需再次支付。';
  if (state === 'AWAITING_REVIEW') return '转账信息已提交，正在审核，请勿重复支付。';
  if (state === 'CLOSED') return '订单已关闭（超时未支付）。如您已付款，款项将按规定处理（报名仍有效则确认支付，否则原路退回），请勿重复付款。';
  if (state === 'REFUNDED' || state === 'PARTIALLY_REFUNDED') return '订单已退款，退款将原路退回。';
  if (wechatState === 'USERPAYING') return '微信支付正在处理中（可能需要输入密码），请稍候再查询，切勿重复支付。';
  if (canPayAgain) return wechatState === 'NOTPAY' ? '微信支付尚未收到付款。如您尚未完成支付，可以继续支付。' : '订单尚未支付，可以去支付。';
  if (!open) return '订单已过支付期限，正在关闭。';
  return '正在确认支付结果，请稍后再查询，切勿重复支付。';
}
