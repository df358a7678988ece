import type { Deps } from '../../platform/http/route';
import type { Logger } from '../../platform/logger';
import { queryPayment, reconcileWechatPayment, WechatPayApiError } from '../payments';
import type { OrderDoc } from './data';
import { orderPaymentListener } from './listener';
import { applyConfirmedPayment } from './payment-received';

/** WeChat Pay's trade states in which money was taken. */
const PAID_STATES = new Set(['SUCCESS', 'REFUND']);

/**
 * Asks WeChat Pay about every attempt of the order (verified answers) and applies a payment it reports, once:
 * through the payments module (which records the event as its notification would) and then directly, so an
 * event recorded by a process that died before orders acted on it is still applied. Answers the latest
 * attempt's trade state (undefined when the order was never prepaid).
 */
export async function settleWithWechatPay(order: OrderDoc, deps: Deps, log: Logger): Promise<string | undefined> {
  let latest: string | undefined;
  for (const attempt of order.attempts) {
    latest = await reconcileWechatPayment(deps, log, orderPaymentListener, attempt.outTradeNo).catch(neverPrepaid);
    if (!PAID_STATES.has(latest)) continue;
    const view = await queryPayment(deps, attempt.outTradeNo);
    if (view.transaction_id) await applyConfirmedPayment({ outTradeNo: attempt.outTradeNo, transactionId: view.transaction_id, amountFen: view.amount.total, successTime: view.success_time }, deps.clock.now(), log);
  }
  return latest;
}

/** An attempt whose prepay never reached WeChat Pay: nothing can have been paid under it. */
export function neverPrepaid(error: unknown): string {
  if (error instanceof WechatPayApiError && error.code === 'ORDER_NOT_EXIST') return 'NOT_EXIST';
  throw error;
}
