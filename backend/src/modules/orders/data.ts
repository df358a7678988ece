import { Schema, Types, model } from 'mongoose';
import type { CertificateCategory, InvoiceProfileInput, OnlinePaymentMethod, OrderState, PaymentMethod } from '@ce/types';
import { processNow } from '../../platform/clock';

/** Who pays and owns the order (the same shape invoices use): an enterprise by USCC, a learner by person id. */
export interface OrderOwner {
  type: 'enterprise' | 'learner';
  id: string;
}

export interface OrderItemDoc {
  enrollmentId: Types.ObjectId;
  holderName: string;
  idMasked: string;
  certificateNo: string;
  category: CertificateCategory;
  className: string;
  /** The class fee when the order was placed: fixed on the order. */
  feeFen: number;
}

export interface OrderTransitionDoc {
  from: OrderState | null;
  to: OrderState;
  at: Date;
  by: string;
  reason: string;
}

/** One attempt to collect through WeChat Pay; a new attempt gets a new out_trade_no after the previous is closed. */
export interface PaymentAttemptDoc {
  outTradeNo: string;
  method: OnlinePaymentMethod;
  createdAt: Date;
}

/** Money that arrived when the order could not take it (after it closed, or paid twice) and what became of it. */
export interface ExtraPaymentDoc {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  outcome: 'HONOURED' | 'REFUNDING' | 'REFUNDED';
  outRefundNo?: string;
  at: Date;
}

export interface OrderDoc {
  _id: Types.ObjectId;
  orderNo: string;
  owner: OrderOwner;
  province: string;
  city?: string;
  items: OrderItemDoc[];
  amountFen: number;
  state: OrderState;
  /** Bumped by every change: a change is made only on the version it was decided on. */
  version: number;
  transitions: OrderTransitionDoc[];
  /** The 发票信息 the payer confirmed before paying: what is invoiced. */
  invoiceBuyer: InvoiceProfileInput;
  expiresAt: Date;
  paymentMethod?: PaymentMethod;
  attempts: PaymentAttemptDoc[];
  paidAt?: Date;
  paidTransactionId?: string;
  paidOutTradeNo?: string;
  extraPayments: ExtraPaymentDoc[];
  createdAt: Date;
}

const ownerSchema = new Schema<OrderOwner>({ type: { type: String, enum: ['enterprise', 'learner'], required: true }, id: { type: String, required: true } }, { _id: false });

const itemSchema = new Schema<OrderItemDoc>(
  {
    enrollmentId: { type: Schema.Types.ObjectId, required: true },
    holderName: { type: String, required: true },
    idMasked: { type: String, default: '' },
    certificateNo: { type: String, required: true },
    category: { type: String, required: true },
    className: { type: String, required: true },
    feeFen: { type: Number, required: true },
  },
  { _id: false },
);

const transitionSchema = new Schema<OrderTransitionDoc>(
  { from: { type: String, default: null }, to: { type: String, required: true }, at: { type: Date, required: true }, by: { type: String, required: true }, reason: { type: String, required: true } },
  { _id: false },
);

const attemptSchema = new Schema<PaymentAttemptDoc>({ outTradeNo: { type: String, required: true }, method: { type: String, required: true }, createdAt: { type: Date, required: true } }, { _id: false });

const extraPaymentSchema = new Schema<ExtraPaymentDoc>(
  { outTradeNo: String, transactionId: String, amountFen: Number, outcome: String, outRefundNo: String, at: Date },
  { _id: false },
);

const orderSchema = new Schema<OrderDoc>({
  orderNo: { type: String, required: true },
  owner: { type: ownerSchema, required: true },
  province: { type: String, required: true },
  city: String,
  items: { type: [itemSchema], required: true },
  amountFen: { type: Number, required: true },
  state: { type: String, required: true },
  version: { type: Number, required: true, default: 0 },
  transitions: { type: [transitionSchema], default: [] },
  invoiceBuyer: { type: Schema.Types.Mixed, required: true },
  expiresAt: { type: Date, required: true },
  paymentMethod: String,
  attempts: { type: [attemptSchema], default: [] },
  paidAt: Date,
  paidTransactionId: String,
  paidOutTradeNo: String,
  extraPayments: { type: [extraPaymentSchema], default: [] },
  createdAt: { type: Date, default: processNow },
});
orderSchema.index({ orderNo: 1 }, { unique: true });
orderSchema.index({ 'owner.type': 1, 'owner.id': 1, createdAt: -1 });
orderSchema.index({ 'attempts.outTradeNo': 1 });
export const OrderModel = model<OrderDoc>('Order', orderSchema);

/**
 * An enrollment is in at most one open order: its claim (keyed by the enrollment id) is created with the order
 * and removed when the order closes. A paid order keeps its claims (its enrollments are no longer payable anyway).
 */
export interface OrderClaimDoc {
  _id: string;
  orderId: Types.ObjectId;
  createdAt: Date;
}

const claimSchema = new Schema<OrderClaimDoc>({ _id: { type: String, required: true }, orderId: { type: Schema.Types.ObjectId, required: true }, createdAt: { type: Date, default: processNow } });
claimSchema.index({ orderId: 1 });
export const OrderClaimModel = model<OrderClaimDoc>('OrderClaim', claimSchema);
