import { type OnlinePaymentMethod, type PaymentMethod, type PayOrderResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps, Principal } from '../../platform/http/route';
import { enqueue } from '../../platform/jobs';
import type { Logger } from '../../platform/logger';
import { findSession } from '../accounts';
import { closePayment, PaymentError, prepayByQrCode, prepayInMiniProgram, qrCodeSvg, WechatPayApiError } from '../payments';
import { settingsFor } from '../policy';
import type { OrderDoc, PaymentAttemptDoc } from './data';
import { ORDER_SETTLE_JOB } from './job-names';
import { outTradeNoFor } from './numbers';
import { findOwnOrder, payerOf } from './payer';
import { neverPrepaid, settleWithWechatPay } from './settle';
import { changeOrder } from './transitions';

/** The first look at WeChat Pay when no notification came: a minute after the prepay, then with backoff. */
export const FIRST_SETTLE_DELAY_MS = 60_000;

/**
 * The methods this caller may pay this order with: the province's policy, where JSAPI needs the payer's own
 * WeChat (a learner session carries an openid; an enterprise login in the mini-program has none, so enterprises
 * pay by QR code from a PC, or by offline transfer).
 */
export async function payableBy(order: OrderDoc, principal: Principal): Promise<PaymentMethod[]> {
  const settings = await settingsFor(order.province, order.city);
  return settings.orders.paymentMethods.filter((method) => method !== 'WECHAT_JSAPI' || principal.role === 'learner');
}

export interface PayOrder {
  principal: Principal;
  orderId: string;
  method: OnlinePaymentMethod;
}

/** 去支付: prepays the order with WeChat Pay (the same attempt again for the same method), and schedules the settle job. */
export async function payOrder(input: PayOrder, deps: Deps, log: Logger): Promise<PayOrderResponse> {
  const order = await findOwnOrder(payerOf(input.principal), input.orderId);
  const now = deps.clock.now();
  if (order.state !== 'PENDING_PAYMENT' || order.expiresAt <= now) throw new AppError('ORDER_NOT_PAYABLE');
  if (!(await payableBy(order, input.principal)).includes(input.method)) throw methodRefused(input.method);
  const openid = input.method === 'WECHAT_JSAPI' ? await payerOpenid(input.principal) : undefined;
  const attempt = await attemptFor(order, input.method, deps, log);
  const intent = { outTradeNo: attempt.outTradeNo, amountFen: order.amountFen, description: describe(order), expiresAt: order.expiresAt };
  const common = { orderId: String(order._id), outTradeNo: attempt.outTradeNo, amountFen: order.amountFen, expiresAt: order.expiresAt.toISOString() };
  try {
    const answer =
      input.method === 'WECHAT_JSAPI'
        ? { ...common, method: 'WECHAT_JSAPI' as const, requestPayment: (await prepayInMiniProgram(deps, { ...intent, payerOpenid: openid! })).requestPayment }
        : await nativeAnswer(common, await prepayByQrCode(deps, intent));
    await enqueue(ORDER_SETTLE_JOB, { orderId: String(order._id), outTradeNo: attempt.outTradeNo }, { key: `${ORDER_SETTLE_JOB}:${attempt.outTradeNo}`, runAt: new Date(now.getTime() + FIRST_SETTLE_DELAY_MS), now });
    return answer;
  } catch (error) {
    if (error instanceof WechatPayApiError && (error.code === 'ORDERPAID' || error.code === 'ORDER_CLOSED')) {
      await settleWithWechatPay(order, deps, log);
      throw new AppError('PAYMENT_IN_PROGRESS');
    }
    if (error instanceof PaymentError && error.code === 'NOT_CONFIGURED') throw new AppError('SERVICE_UNAVAILABLE', undefined, '微信支付暂未开通，请选择其他支付方式');
    throw error;
  }
}

async function nativeAnswer(common: Omit<Extract<PayOrderResponse, { method: 'WECHAT_NATIVE' }>, 'method' | 'codeUrl' | 'qrSvg'>, prepay: { codeUrl: string }): Promise<PayOrderResponse> {
  return { ...common, method: 'WECHAT_NATIVE', codeUrl: prepay.codeUrl, qrSvg: await qrCodeSvg(prepay.codeUrl) };
}

function methodRefused(method: OnlinePaymentMethod): AppError {
  const message = method === 'WECHAT_JSAPI' ? '小程序内微信支付仅限学员本人微信使用；企业请在电脑上扫码支付（微信扫码）' : '本地区不支持该支付方式';
  return new AppError('PAYMENT_METHOD_NOT_ALLOWED', { method }, message);
}

async function payerOpenid(principal: Principal): Promise<string> {
  const session = await findSession(principal.sessionId);
  if (!session.openid) throw new AppError('PAYMENT_METHOD_NOT_ALLOWED', { method: 'WECHAT_JSAPI' }, '请在微信小程序内登录后使用微信支付');
  return session.openid;
}

/** WeChat Pay's description: ≤127 bytes. */
function describe(order: OrderDoc): string {
  return `继续教育培训费-${order.items.length}人-订单${order.orderNo}`;
}

/**
 * The attempt to pay with `method`: the latest one again when it used the same method (paying twice under one
 * number is impossible), else a new number once the previous attempt is closed at WeChat Pay (if it was paid
 * meanwhile, closing fails with ORDERPAID and the payment is applied instead).
 */
async function attemptFor(order: OrderDoc, method: OnlinePaymentMethod, deps: Deps, log: Logger): Promise<PaymentAttemptDoc> {
  const latest = order.attempts.at(-1);
  if (latest?.method === method) return latest;
  if (latest) await closeAttempt(order, latest, deps, log);
  const attempt: PaymentAttemptDoc = { outTradeNo: outTradeNoFor(order.orderNo, order.attempts.length + 1), method, createdAt: deps.clock.now() };
  if (!(await changeOrder(order, { attempts: [...order.attempts, attempt] }))) throw new AppError('CONFLICT');
  return attempt;
}

async function closeAttempt(order: OrderDoc, attempt: PaymentAttemptDoc, deps: Deps, log: Logger): Promise<void> {
  try {
    await closePayment(deps, attempt.outTradeNo);
  } catch (error) {
    if (error instanceof WechatPayApiError && error.code === 'ORDERPAID') {
      await settleWithWechatPay(order, deps, log);
      throw new AppError('PAYMENT_IN_PROGRESS');
    }
    neverPrepaid(error);
  }
}
