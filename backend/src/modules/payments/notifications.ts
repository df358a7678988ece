import { AppError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { Deps } from '../../platform/http/route';
import { isConflictError } from '../../platform/db';
import { PaymentEventModel, PaymentIntentModel, PaymentRefundModel } from './data';
import type { PaymentListener } from './listener';
import type { WechatPaySettings } from './providers/wechatpay/client';
import { decodeNotification, NotificationRefused, type PaidTransaction, type SucceededRefund } from './providers/wechatpay/notification';
import { wechatPayClient } from './settings';

/** WeChat Pay's answer format; any non-2xx answer makes it deliver again later. */
export interface NotificationAnswer {
  status: number;
  body: { code: 'SUCCESS' | 'FAIL'; message: string };
}

const ACCEPTED: NotificationAnswer = { status: 200, body: { code: 'SUCCESS', message: '成功' } };

const refused = (status: number, message: string): NotificationAnswer => ({ status, body: { code: 'FAIL', message } });

/** A verified notification whose content we do not accept (not ours, wrong amount, …). */
class ContentRefused extends Error {}

/**
 * Handles one delivery of a WeChat Pay notification: verified on its raw bytes, decrypted, checked against the
 * intent we stored, recorded once (a unique key per transaction or refund) and only then told to the listener.
 * Anything refused changes nothing.
 */
export async function receiveWechatPayNotification(deps: Deps, log: Logger, listener: PaymentListener, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<NotificationAnswer> {
  const client = wechatPayClient(deps.config, () => deps.clock.now().getTime());
  if (!client) return refused(401, '未配置微信支付，无法验证通知');
  try {
    const notification = await decodeNotification(rawBody, headers, client.keys, client.settings.apiV3Key, deps.clock.now().getTime());
    if (notification.eventType === 'TRANSACTION.SUCCESS') await applyTransaction(notification.id, notification.resource, client.settings, listener, log);
    else if (notification.eventType === 'REFUND.SUCCESS') await applyRefund(notification.id, notification.resource, client.settings, listener, log);
    // Acknowledged, or WeChat Pay would repeat it for a day; someone has to look at e.g. REFUND.ABNORMAL.
    else log.warn({ eventType: notification.original, notificationId: notification.id }, 'wechat pay notification verified but not handled');
    return ACCEPTED;
  } catch (error) {
    if (error instanceof NotificationRefused) {
      log.warn({ reason: error.reason }, 'wechat pay notification refused');
      return refused(error.status, error.status === 401 ? '签名验证失败' : '通知内容无效');
    }
    if (error instanceof ContentRefused) {
      log.warn({ reason: error.message }, 'wechat pay notification refused');
      return refused(400, '通知与商户订单不符');
    }
    throw error;
  }
}

async function applyTransaction(notificationId: string, paid: PaidTransaction, settings: WechatPaySettings, listener: PaymentListener, log: Logger): Promise<void> {
  if (paid.mchid !== settings.mchid) throw new ContentRefused(`mchid ${paid.mchid} is not ours`);
  if (paid.appid !== settings.appid) throw new ContentRefused(`appid ${paid.appid} is not ours`);
  if (paid.trade_state !== 'SUCCESS') throw new ContentRefused(`trade_state ${paid.trade_state}`);
  if (typeof paid.transaction_id !== 'string' || !paid.transaction_id) throw new ContentRefused('no transaction_id');
  const intent = await PaymentIntentModel.findOne({ outTradeNo: String(paid.out_trade_no) }).lean();
  if (!intent) throw new ContentRefused(`no intent ${paid.out_trade_no}`);
  if (paid.amount?.total !== intent.amountFen) throw new ContentRefused(`amount ${paid.amount?.total} ≠ ${intent.amountFen}`);
  if (paid.amount.currency !== 'CNY' || (paid.amount.payer_currency ?? 'CNY') !== 'CNY') throw new ContentRefused(`currency ${paid.amount.currency}`);

  const key = `TRANSACTION.SUCCESS:${paid.transaction_id}`;
  const first = await recordOnce(key, { eventType: 'TRANSACTION.SUCCESS', notificationId, outTradeNo: intent.outTradeNo, transactionId: paid.transaction_id, amountFen: intent.amountFen, successTime: paid.success_time });
  const tell = () =>
    listener.transactionSucceeded({ outTradeNo: intent.outTradeNo, transactionId: paid.transaction_id, amountFen: intent.amountFen, payerOpenid: paid.payer?.openid, successTime: paid.success_time, afterClose: intent.state === 'CLOSED' });
  if (!first) return tellAgain(tell, log, { outTradeNo: intent.outTradeNo });
  await PaymentIntentModel.updateOne({ outTradeNo: intent.outTradeNo }, { $set: { state: 'PAID', transactionId: paid.transaction_id, paidAt: paid.success_time } });
  await tellListener(key, tell);
}

async function applyRefund(notificationId: string, refund: SucceededRefund, settings: WechatPaySettings, listener: PaymentListener, log: Logger): Promise<void> {
  if (refund.mchid !== settings.mchid) throw new ContentRefused(`mchid ${refund.mchid} is not ours`);
  if (refund.refund_status !== 'SUCCESS') throw new ContentRefused(`refund_status ${refund.refund_status}`);
  const requested = await PaymentRefundModel.findOne({ outRefundNo: String(refund.out_refund_no) }).lean();
  if (!requested || requested.outTradeNo !== refund.out_trade_no) throw new ContentRefused(`no refund ${refund.out_refund_no}`);
  if (refund.amount?.refund !== requested.refundFen) throw new ContentRefused(`refund ${refund.amount?.refund} ≠ ${requested.refundFen}`);
  const intent = await PaymentIntentModel.findOne({ outTradeNo: requested.outTradeNo }).lean();
  if (!intent || refund.amount.total !== intent.amountFen) throw new ContentRefused(`total ${refund.amount.total} ≠ ${intent?.amountFen}`);

  const key = `REFUND.SUCCESS:${refund.refund_id}`;
  const first = await recordOnce(key, {
    eventType: 'REFUND.SUCCESS',
    notificationId,
    outTradeNo: requested.outTradeNo,
    transactionId: refund.transaction_id,
    outRefundNo: requested.outRefundNo,
    refundId: refund.refund_id,
    amountFen: requested.refundFen,
    successTime: refund.success_time,
  });
  const tell = () => listener.refundSucceeded({ outTradeNo: requested.outTradeNo, outRefundNo: requested.outRefundNo, refundId: refund.refund_id, refundFen: requested.refundFen, successTime: refund.success_time });
  if (!first) return tellAgain(tell, log, { outRefundNo: requested.outRefundNo });
  await PaymentRefundModel.updateOne({ outRefundNo: requested.outRefundNo }, { $set: { state: 'SUCCEEDED', refundId: refund.refund_id } });
  await tellListener(key, tell);
}

/**
 * The fallback when no notification arrived: asks WeChat Pay (a verified answer) and, when the payment succeeded,
 * applies it exactly as its notification would have been, once. Answers the trade state.
 */
export async function reconcileWechatPayment(deps: Deps, log: Logger, listener: PaymentListener, outTradeNo: string): Promise<string> {
  const client = wechatPayClient(deps.config, () => deps.clock.now().getTime());
  if (!client) throw new Error('WeChat Pay is not configured');
  const transaction = (await client.queryTransaction(outTradeNo)) as unknown as PaidTransaction;
  if (transaction.trade_state === 'SUCCESS' || (transaction.trade_state === 'REFUND' && transaction.transaction_id)) {
    await applyTransaction(`query:${outTradeNo}`, { ...transaction, trade_state: 'SUCCESS' }, client.settings, listener, log);
  }
  return transaction.trade_state;
}

/** True for the one delivery that recorded the event; concurrent and later duplicates hit the unique key. */
async function recordOnce(key: string, event: Record<string, unknown>): Promise<boolean> {
  try {
    await PaymentEventModel.create({ key, ...event });
    return true;
  } catch (error) {
    if (isConflictError(error)) return false;
    throw error;
  }
}

/** A listener failure un-records the event, so WeChat Pay's next delivery applies it again. */
/**
 * An event already recorded is told to the listener again (its effects are conditional, so a second telling changes
 * nothing): if the process stopped between recording the event and applying it, WeChat Pay's retry or a settlement
 * query still gets it applied. A delivery that finds another one applying it right now leaves it to that one.
 */
async function tellAgain(tell: () => Promise<void>, log: Logger, about: Record<string, string>): Promise<void> {
  log.info(about, 'wechat pay event already recorded: told to its listener again');
  try {
    await tell();
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  }
}

async function tellListener(key: string, tell: () => Promise<void>): Promise<void> {
  try {
    await tell();
  } catch (error) {
    await PaymentEventModel.deleteOne({ key });
    throw error;
  }
}
