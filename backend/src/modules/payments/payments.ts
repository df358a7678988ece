import QRCode from 'qrcode';
import type { Deps } from '../../platform/http/route';
import { isConflictError } from '../../platform/db';
import { PaymentIntentModel, PaymentRefundModel, type PaymentIntentDoc } from './data';
import type { RequestPaymentParams, TransactionView, WechatPayClient } from './providers/wechatpay/client';
import { wechatPayClient } from './settings';

export type PaymentErrorCode = 'NOT_CONFIGURED' | 'INTENT_MISMATCH' | 'UNKNOWN_PAYMENT' | 'REFUND_MISMATCH';

/** A payment request we refuse before asking WeChat Pay (its own refusals are WechatPayApiError). */
export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PaymentIntentInput {
  /** 6-32 of [0-9A-Za-z_-|*], unique: one per attempt to pay (close an unpaid one before paying under a new number). */
  outTradeNo: string;
  amountFen: number;
  description: string;
  /** The last moment the payer can pay. */
  expiresAt?: Date;
}

function clientFor(deps: Deps): WechatPayClient {
  const client = wechatPayClient(deps.config, () => deps.clock.now().getTime());
  if (!client) throw new PaymentError('NOT_CONFIGURED', '微信支付尚未配置');
  return client;
}

/** WeChat Pay wants RFC 3339 in China time. */
function chinaRfc3339(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
}

/** Stores the intent once; asking again with other terms under the same number is refused (as WeChat Pay would). */
async function recordIntent(input: PaymentIntentInput, channel: PaymentIntentDoc['channel'], payerOpenid?: string): Promise<PaymentIntentDoc> {
  const wanted = { outTradeNo: input.outTradeNo, amountFen: input.amountFen, description: input.description, channel, payerOpenid, timeExpire: input.expiresAt && chinaRfc3339(input.expiresAt) };
  let intent = await PaymentIntentModel.findOne({ outTradeNo: input.outTradeNo }).lean();
  if (!intent) {
    try {
      intent = (await PaymentIntentModel.create(wanted)).toObject();
    } catch (error) {
      if (!isConflictError(error)) throw error;
      intent = await PaymentIntentModel.findOne({ outTradeNo: input.outTradeNo }).lean();
    }
  }
  const same = intent && intent.amountFen === wanted.amountFen && intent.description === wanted.description && intent.channel === channel && (intent.payerOpenid ?? undefined) === payerOpenid;
  if (!intent || !same) throw new PaymentIntentMismatch(input.outTradeNo);
  return intent;
}

class PaymentIntentMismatch extends PaymentError {
  constructor(outTradeNo: string) {
    super('INTENT_MISMATCH', `商户订单号 ${outTradeNo} 已用于另一笔支付`);
  }
}

/** Mini-program payment: records the intent, prepays, and answers what `wx.requestPayment` needs. */
export async function prepayInMiniProgram(deps: Deps, input: PaymentIntentInput & { payerOpenid: string }): Promise<{ prepayId: string; requestPayment: RequestPaymentParams }> {
  const client = clientFor(deps);
  const intent = await recordIntent(input, 'jsapi', input.payerOpenid);
  return client.prepayJsapi({ outTradeNo: intent.outTradeNo, amountFen: intent.amountFen, description: intent.description, timeExpire: intent.timeExpire, payerOpenid: input.payerOpenid });
}

/** PC payment: records the intent and answers the `code_url` to show as a QR code. */
export async function prepayByQrCode(deps: Deps, input: PaymentIntentInput): Promise<{ codeUrl: string }> {
  const client = clientFor(deps);
  const intent = await recordIntent(input, 'native');
  return client.prepayNative({ outTradeNo: intent.outTradeNo, amountFen: intent.amountFen, description: intent.description, timeExpire: intent.timeExpire });
}

/** The Native `code_url` as an SVG QR code, for a PC page to show (the payer scans it with WeChat). */
export async function qrCodeSvg(codeUrl: string): Promise<string> {
  return QRCode.toString(codeUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** Asks WeChat Pay (the fallback when no notification arrived); verified like every answer. */
export async function queryPayment(deps: Deps, outTradeNo: string): Promise<TransactionView> {
  return clientFor(deps).queryTransaction(outTradeNo);
}

/** Closes an unpaid payment (WechatPayApiError ORDERPAID when it was paid meanwhile: the money is real). */
export async function closePayment(deps: Deps, outTradeNo: string): Promise<void> {
  await clientFor(deps).closeTransaction(outTradeNo);
  await PaymentIntentModel.updateOne({ outTradeNo, state: 'OPEN' }, { $set: { state: 'CLOSED' } });
}

export interface RefundInput {
  outTradeNo: string;
  /** The refund's own number: retrying with it never refunds twice. */
  outRefundNo: string;
  refundFen: number;
  reason?: string;
}

/** Requests a (partial or full) refund; the answer means accepted, REFUND.SUCCESS follows as a notification. */
export async function requestRefund(deps: Deps, input: RefundInput): Promise<{ refundId: string; status: string }> {
  const client = clientFor(deps);
  const intent = await PaymentIntentModel.findOne({ outTradeNo: input.outTradeNo }).lean();
  if (!intent) throw new PaymentError('UNKNOWN_PAYMENT', `没有商户订单号为 ${input.outTradeNo} 的支付`);
  await recordRefund(input);
  const answer = await client.refund({ ...input, totalFen: intent.amountFen });
  await PaymentRefundModel.updateOne({ outRefundNo: input.outRefundNo }, { $set: { refundId: answer.refund_id } });
  return { refundId: answer.refund_id, status: answer.status };
}

async function recordRefund(input: RefundInput): Promise<void> {
  try {
    await PaymentRefundModel.create({ outRefundNo: input.outRefundNo, outTradeNo: input.outTradeNo, refundFen: input.refundFen, reason: input.reason });
  } catch (error) {
    if (!isConflictError(error)) throw error;
    const existing = await PaymentRefundModel.findOne({ outRefundNo: input.outRefundNo }).lean();
    if (!existing || existing.outTradeNo !== input.outTradeNo || existing.refundFen !== input.refundFen) throw new PaymentError('REFUND_MISMATCH', `退款单号 ${input.outRefundNo} 已用于另一笔退款`);
  }
}

export async function queryRefund(deps: Deps, outRefundNo: string) {
  return clientFor(deps).queryRefund(outRefundNo);
}

/** Certificate mode: downloads WeChat Pay's platform certificates now; answers the serials now trusted. */
export async function refreshPlatformCertificates(deps: Deps): Promise<string[]> {
  return clientFor(deps).refreshCertificates();
}
