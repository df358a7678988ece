import { INVOICE_KIND_LABELS, ORDER_INVOICE_STATUS_LABELS, ORDER_STATE_LABELS, type OrderDetail, type OrderInvoiceStatus, type OrderSummary, type PaymentMethod } from '@ce/types';
import type { InvoiceDoc } from '../invoices';
import type { ExtraPaymentDoc, OrderDoc } from './data';

const EXTRA_OUTCOME_LABELS: Record<ExtraPaymentDoc['outcome'], string> = {
  HONOURED: '订单关闭后到账，报名仍可缴费，已按支付成功处理',
  REFUNDING: '订单已无法收取该笔款项，正在原路退回',
  REFUNDED: '已原路退回',
};

export function toOrderSummary(order: OrderDoc): OrderSummary {
  return {
    id: String(order._id),
    orderNo: order.orderNo,
    state: order.state,
    stateLabel: ORDER_STATE_LABELS[order.state],
    amountFen: order.amountFen,
    itemCount: order.items.length,
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    ...(order.paymentMethod ? { paymentMethod: order.paymentMethod } : {}),
    ...(order.paidAt ? { paidAt: order.paidAt.toISOString() } : {}),
  };
}

function invoiceStatus(invoice: InvoiceDoc | undefined): OrderInvoiceStatus {
  if (!invoice || invoice.status === 'ISSUING') return 'NOT_ISSUED';
  return invoice.status;
}

/** The order as its payer sees it; `payableBy` are the methods the caller may use now. */
export function toOrderDetail(order: OrderDoc, invoice: InvoiceDoc | undefined, payableBy: PaymentMethod[]): OrderDetail {
  const buyer = order.invoiceBuyer;
  const status = invoiceStatus(invoice);
  return {
    ...toOrderSummary(order),
    items: order.items.map((item) => ({
      enrollmentId: String(item.enrollmentId),
      holderName: item.holderName,
      idMasked: item.idMasked,
      certificateNo: item.certificateNo,
      category: item.category,
      className: item.className,
      feeFen: item.feeFen,
    })),
    transitions: order.transitions.map((t) => ({ from: t.from ?? null, to: t.to, at: t.at.toISOString(), by: t.by, reason: t.reason })),
    invoice: {
      kind: buyer.kind,
      kindLabel: INVOICE_KIND_LABELS[buyer.kind],
      buyerType: buyer.buyerType,
      title: buyer.title,
      email: buyer.email,
      ...(buyer.taxId ? { taxId: buyer.taxId } : {}),
      ...(buyer.address ? { address: buyer.address } : {}),
      ...(buyer.phone ? { phone: buyer.phone } : {}),
      ...(buyer.bankName ? { bankName: buyer.bankName } : {}),
      ...(buyer.bankAccount ? { bankAccount: buyer.bankAccount } : {}),
      status,
      statusLabel: ORDER_INVOICE_STATUS_LABELS[status],
      ...(invoice && status !== 'NOT_ISSUED' ? { invoiceId: String(invoice._id) } : {}),
    },
    payableBy: order.state === 'PENDING_PAYMENT' ? payableBy : [],
    extraPayments: order.extraPayments.map((p) => ({ outTradeNo: p.outTradeNo, amountFen: p.amountFen, outcome: p.outcome, outcomeLabel: EXTRA_OUTCOME_LABELS[p.outcome] })),
  };
}
