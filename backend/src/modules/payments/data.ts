import { Schema, Types, model } from 'mongoose';
import { processNow } from '../../platform/clock';

/**
 * What we asked WeChat Pay to collect, stored at prepay: a notification is accepted only for an intent we
 * created, for its exact amount.
 */
export interface PaymentIntentDoc {
  _id: Types.ObjectId;
  outTradeNo: string;
  amountFen: number;
  description: string;
  channel: 'jsapi' | 'native';
  payerOpenid?: string;
  timeExpire?: string;
  state: 'OPEN' | 'PAID' | 'CLOSED';
  transactionId?: string;
  paidAt?: string;
  createdAt: Date;
}

const intentSchema = new Schema<PaymentIntentDoc>({
  outTradeNo: { type: String, required: true },
  amountFen: { type: Number, required: true },
  description: { type: String, required: true },
  channel: { type: String, required: true },
  payerOpenid: String,
  timeExpire: String,
  state: { type: String, required: true, default: 'OPEN' },
  transactionId: String,
  paidAt: String,
  createdAt: { type: Date, default: processNow },
});
intentSchema.index({ outTradeNo: 1 }, { unique: true });
export const PaymentIntentModel = model<PaymentIntentDoc>('PaymentIntent', intentSchema);

export interface PaymentRefundDoc {
  _id: Types.ObjectId;
  outRefundNo: string;
  outTradeNo: string;
  refundFen: number;
  reason?: string;
  state: 'PROCESSING' | 'SUCCEEDED';
  refundId?: string;
  createdAt: Date;
}

const refundSchema = new Schema<PaymentRefundDoc>({
  outRefundNo: { type: String, required: true },
  outTradeNo: { type: String, required: true },
  refundFen: { type: Number, required: true },
  reason: String,
  state: { type: String, required: true, default: 'PROCESSING' },
  refundId: String,
  createdAt: { type: Date, default: processNow },
});
refundSchema.index({ outRefundNo: 1 }, { unique: true });
export const PaymentRefundModel = model<PaymentRefundDoc>('PaymentRefund', refundSchema);

/** A verified notification, recorded once: `key` is the event type and WeChat's transaction or refund id. */
export interface PaymentEventDoc {
  _id: Types.ObjectId;
  key: string;
  eventType: 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS';
  notificationId: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo?: string;
  refundId?: string;
  amountFen: number;
  successTime?: string;
  receivedAt: Date;
}

const eventSchema = new Schema<PaymentEventDoc>({
  key: { type: String, required: true },
  eventType: { type: String, required: true },
  notificationId: { type: String, required: true },
  outTradeNo: { type: String, required: true },
  transactionId: { type: String, required: true },
  outRefundNo: String,
  refundId: String,
  amountFen: { type: Number, required: true },
  successTime: String,
  receivedAt: { type: Date, default: processNow },
});
eventSchema.index({ key: 1 }, { unique: true });
export const PaymentEventModel = model<PaymentEventDoc>('PaymentEvent', eventSchema);
