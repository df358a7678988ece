import { z } from 'zod';
import { CERTIFICATE_CATEGORIES } from '../enums';
import { enterpriseNameField, localDateField, nameText, objectIdField, usccField } from '../fields';
import { invoiceProfile, invoiceProfileRequest } from './invoices';
import { requestPaymentParams } from './payments';

/**
 * 订单: one payer's (an enterprise's; or a learner's alone where policy allows) payment for one or more
 * enrollments. Amounts are integer fen, fixed on the order when it is placed.
 */
export const ORDER_STATES = ['PENDING_PAYMENT', 'AWAITING_REVIEW', 'PAID', 'CLOSED', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const ORDER_STATE_LABELS: Record<OrderState, string> = {
  PENDING_PAYMENT: '待支付',
  AWAITING_REVIEW: '订单待审核',
  PAID: '已支付',
  CLOSED: '已关闭',
  PARTIALLY_REFUNDED: '部分退款',
  REFUNDED: '已退款',
};

/** The only moves an order can make; every one is recorded with who, when and why. */
export const ORDER_TRANSITIONS: Record<OrderState, readonly OrderState[]> = {
  PENDING_PAYMENT: ['PAID', 'CLOSED', 'AWAITING_REVIEW'],
  AWAITING_REVIEW: ['PAID', 'PENDING_PAYMENT', 'CLOSED'],
  PAID: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  // A payment that arrived after the order closed is honoured when every enrollment is still payable.
  CLOSED: ['PAID'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  REFUNDED: [],
};

export const PAYMENT_METHODS = ['WECHAT_JSAPI', 'WECHAT_NATIVE', 'OFFLINE_TRANSFER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  WECHAT_JSAPI: '微信支付（小程序内）',
  WECHAT_NATIVE: '微信扫码支付（电脑端）',
  OFFLINE_TRANSFER: '线下对公转账',
};
/** Paying online: JSAPI needs the payer's WeChat openid (a learner session); an enterprise pays by QR (NATIVE). */
export const ONLINE_PAYMENT_METHODS = ['WECHAT_JSAPI', 'WECHAT_NATIVE'] as const;
export type OnlinePaymentMethod = (typeof ONLINE_PAYMENT_METHODS)[number];

/** Where the order's invoice stands. */
export const ORDER_INVOICE_STATUSES = ['NOT_ISSUED', 'ISSUED', 'REVERSED'] as const;
export type OrderInvoiceStatus = (typeof ORDER_INVOICE_STATUSES)[number];
export const ORDER_INVOICE_STATUS_LABELS: Record<OrderInvoiceStatus, string> = {
  NOT_ISSUED: '待开票（支付确认后自动开具）',
  ISSUED: '已开票',
  REVERSED: '已冲红',
};

/** Yunnan: the payer types the company name and tax ID again before paying (checked against the invoice title). */
export const payerReentry = z.strictObject({ companyName: enterpriseNameField, taxId: usccField });

/**
 * 提交订单. `invoice` is the 发票信息 to invoice under (checked like PUT /api/invoice-profile); left out, the
 * payer's saved 发票信息 is used (400 INVOICE_PROFILE_REQUIRED when there is none). Either way the details are
 * copied onto the order: what the payer confirmed is what is invoiced.
 */
export const createOrderRequest = z.strictObject({
  enrollmentIds: z.array(objectIdField).min(1, '请至少选择一条报名').max(200, '一个订单最多包含200条报名'),
  invoice: invoiceProfileRequest.optional(),
  /** Also save `invoice` as the payer's 发票信息 for next time. */
  saveInvoiceProfile: z.boolean().optional(),
  reentry: payerReentry.optional(),
});
export type CreateOrderRequest = z.input<typeof createOrderRequest>;

export const orderItem = z.object({
  enrollmentId: z.string(),
  holderName: z.string(),
  idMasked: z.string(),
  certificateNo: z.string(),
  category: z.enum(CERTIFICATE_CATEGORIES),
  className: z.string(),
  feeFen: z.number().int(),
});
export type OrderItem = z.infer<typeof orderItem>;

export const orderTransition = z.object({
  from: z.enum(ORDER_STATES).nullable(),
  to: z.enum(ORDER_STATES),
  at: z.string(),
  /** `enterprise:<uscc>`, `learner:<id>`, `wechatpay`, `system`, `staff:<id>`. */
  by: z.string(),
  reason: z.string(),
});
export type OrderTransition = z.infer<typeof orderTransition>;

/** The 发票信息 snapshot on the order (what will be invoiced) and where its invoice stands. */
export const orderInvoice = invoiceProfile.omit({ updatedAt: true }).extend({
  status: z.enum(ORDER_INVOICE_STATUSES),
  statusLabel: z.string(),
  invoiceId: z.string().optional(),
});

export const orderSummary = z.object({
  id: z.string(),
  /** 订单号 shown to people. */
  orderNo: z.string(),
  state: z.enum(ORDER_STATES),
  stateLabel: z.string(),
  amountFen: z.number().int(),
  itemCount: z.number().int(),
  createdAt: z.string(),
  /** Until when it can be paid (PENDING_PAYMENT). */
  expiresAt: z.string(),
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  paidAt: z.string().optional(),
});
export type OrderSummary = z.infer<typeof orderSummary>;
export const orderListResponse = z.object({ items: z.array(orderSummary) });

/** A payment that arrived when the order could not take it (after it closed, or a second one) and what we did. */
export const orderExtraPayment = z.object({
  outTradeNo: z.string(),
  amountFen: z.number().int(),
  outcome: z.enum(['HONOURED', 'REFUNDING', 'REFUNDED']),
  outcomeLabel: z.string(),
});

export const orderDetail = orderSummary.extend({
  items: z.array(orderItem),
  transitions: z.array(orderTransition),
  invoice: orderInvoice,
  /** Methods this payer may use now (empty unless PENDING_PAYMENT). */
  payableBy: z.array(z.enum(PAYMENT_METHODS)),
  extraPayments: z.array(orderExtraPayment),
});
export type OrderDetail = z.infer<typeof orderDetail>;

export const payOrderRequest = z.strictObject({ method: z.enum(ONLINE_PAYMENT_METHODS, { error: '请选择支付方式（小程序内微信支付或电脑扫码支付）' }) });
export type PayOrderRequest = z.infer<typeof payOrderRequest>;

/**
 * What to do to pay: JSAPI → pass `requestPayment` to `wx.requestPayment`; NATIVE → show `qrSvg` (or render
 * `codeUrl`) for the payer to scan with WeChat. Either way, `requestPayment` succeeding is not proof: poll GET
 * /api/orders/:id (or /check) until the order says PAID.
 */
export const payOrderResponse = z.discriminatedUnion('method', [
  z.object({ method: z.literal('WECHAT_JSAPI'), orderId: z.string(), outTradeNo: z.string(), amountFen: z.number().int(), expiresAt: z.string(), requestPayment: requestPaymentParams }),
  z.object({ method: z.literal('WECHAT_NATIVE'), orderId: z.string(), outTradeNo: z.string(), amountFen: z.number().int(), expiresAt: z.string(), codeUrl: z.string(), qrSvg: z.string() }),
]);
export type PayOrderResponse = z.infer<typeof payOrderResponse>;

/**
 * 支付遇到问题? — asks WeChat Pay, applies a payment it reports, and answers the real state. `canPayAgain` is
 * true only when no payment can be in flight (the order is payable and WeChat Pay reports nothing paid).
 */
export const orderCheckResponse = z.object({
  order: orderDetail,
  /** What WeChat Pay reported for the latest attempt (SUCCESS, NOTPAY, CLOSED, …), absent when never prepaid. */
  wechatState: z.string().optional(),
  canPayAgain: z.boolean(),
  /** A sentence for the payer, in Chinese. */
  advice: z.string(),
});
export type OrderCheckResponse = z.infer<typeof orderCheckResponse>;

// ——— Offline transfer (线下对公转账), refunds and staff order views ———

/**
 * 提交转账信息: sent as multipart/form-data (fields below, optional `slip`: a JPG/PNG photo or PDF of the bank
 * slip) or as JSON without a slip. `amountFen` must be the order's amount.
 */
export const offlineTransferRequest = z.strictObject({
  payerAccountName: nameText('付款账户名称', 2, 100),
  bankName: nameText('付款银行', 2, 60),
  transferDate: localDateField,
  amountFen: z.coerce.number({ error: '请填写转账金额（分）' }).int('转账金额应为整数（分）').positive('转账金额应大于0'),
  reference: z.string().trim().max(60, '转账附言过长').optional(),
});
export type OfflineTransferRequest = z.input<typeof offlineTransferRequest>;

export const OFFLINE_TRANSFER_STATES = ['AWAITING_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type OfflineTransferState = (typeof OFFLINE_TRANSFER_STATES)[number];
export const OFFLINE_TRANSFER_STATE_LABELS: Record<OfflineTransferState, string> = { AWAITING_REVIEW: '待审核', APPROVED: '已确认到账', REJECTED: '已驳回' };

/** One submission of transfer details; `slip.url` is a signed link that works for a few minutes. */
export const offlineTransferView = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNo: z.string(),
  orderAmountFen: z.number().int(),
  payerName: z.string(),
  province: z.string(),
  city: z.string().optional(),
  payerAccountName: z.string(),
  bankName: z.string(),
  transferDate: z.string(),
  amountFen: z.number().int(),
  reference: z.string().optional(),
  slip: z.object({ url: z.string(), contentType: z.string(), expiresAt: z.string() }).optional(),
  state: z.enum(OFFLINE_TRANSFER_STATES),
  stateLabel: z.string(),
  submittedAt: z.string(),
  submittedBy: z.string(),
  reviewedAt: z.string().optional(),
  reviewedBy: z.string().optional(),
  rejectReason: z.string().optional(),
});
export type OfflineTransferView = z.infer<typeof offlineTransferView>;
export const offlineTransferListResponse = z.object({ items: z.array(offlineTransferView) });
export const offlineTransferQuery = z.object({ state: z.enum(OFFLINE_TRANSFER_STATES).default('AWAITING_REVIEW') });
export const rejectOfflineTransferRequest = z.strictObject({ reason: z.string().trim().min(2, '请填写驳回原因').max(200, '驳回原因过长') });
/** The payer's view after submitting, or the reviewer's after deciding: the transfer and the order as it now stands. */
export const offlineTransferResult = z.object({ transfer: offlineTransferView, order: orderSummary });

/** 退款 (staff): part or all of what is left of a paid WeChat order. */
export const orderRefundRequest = z.strictObject({
  amountFen: z.number().int('退款金额应为整数（分）').positive('退款金额应大于0'),
  reason: z.string().trim().min(2, '请填写退款原因').max(80, '退款原因过长（最多80字）'),
  /** The same key on a retry gives the same refund (never a second one); the client makes one per refund it means. */
  requestKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确').optional(),
});
export const ORDER_REFUND_STATES = ['REQUESTED', 'SUCCEEDED', 'FAILED'] as const;
export const ORDER_REFUND_STATE_LABELS: Record<(typeof ORDER_REFUND_STATES)[number], string> = { REQUESTED: '退款中', SUCCEEDED: '已退款', FAILED: '退款失败' };
export const orderRefundView = z.object({
  id: z.string(),
  orderId: z.string(),
  outRefundNo: z.string(),
  amountFen: z.number().int(),
  reason: z.string(),
  state: z.enum(ORDER_REFUND_STATES),
  stateLabel: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  succeededAt: z.string().optional(),
});
export const orderRefundListResponse = z.object({ items: z.array(orderRefundView), refundableFen: z.number().int() });

/** 订单查询 (staff): reviewers see their city's orders, operators their province's. */
export const adminOrderQuery = z.object({
  q: z.string().trim().max(100).optional(),
  state: z.enum(ORDER_STATES).optional(),
  from: localDateField.optional(),
  to: localDateField.optional(),
});
export const adminOrderSummary = orderSummary.extend({ payerName: z.string(), payerType: z.enum(['enterprise', 'learner']), province: z.string(), city: z.string().optional() });
export const adminOrderListResponse = z.object({ items: z.array(adminOrderSummary), truncated: z.boolean() });
export type AdminOrderSummary = z.input<typeof adminOrderSummary>;
export const adminOrderDetail = orderDetail.extend({ payerName: z.string(), payerType: z.enum(['enterprise', 'learner']), province: z.string(), city: z.string().optional(), refunds: z.array(orderRefundView) });
export type AdminOrderDetail = z.input<typeof adminOrderDetail>;
