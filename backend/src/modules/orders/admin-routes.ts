/**
 * Staff routes for orders (reviewers: their city; operators: their province): the offline-transfer review
 * queue and decisions, refunds, order search and detail, and the invoice's status and resending. Learners and
 * enterprises are refused on every one (403).
 */
import {
  adminOrderDetail,
  adminOrderListResponse,
  adminOrderQuery,
  objectIdField,
  offlineTransferListResponse,
  offlineTransferQuery,
  offlineTransferResult,
  orderRefundListResponse,
  orderRefundRequest,
  orderRefundView,
  rejectOfflineTransferRequest,
  invoiceListResponse,
  resendInvoiceRequest,
  type AdminOrderDetail,
  type AdminOrderSummary,
} from '@ce/types';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineRoute } from '../../platform/http/route';
import { approveOfflineTransfer, offlineTransferQueue, rejectOfflineTransfer, toOfflineTransferView, toOfflineTransferViews } from './offline-transfer';
import { orderInScope, refundableFen, refundsOfOrder, requestOrderRefund, toOrderRefundView } from './refunds';
import { AppError } from '../../platform/errors';
import { enqueueMail } from '../../platform/mail';
import { changeInvoiceEmail, InvoiceModel, invoiceMail, toInvoiceSummary, type InvoiceDoc } from '../invoices';
import type { Principal } from '../../platform/http/route';
import { OrderModel, type OrderDoc } from './data';
import { actorOf, invoiceOfOrder } from './payer';
import { staffScope } from './offline-transfer';
import { toOrderDetail, toOrderSummary } from './views';

const STAFF = { roles: ['reviewer', 'operator'] } as const;
const idParams = z.object({ id: objectIdField });

// The refund's 冲红 job is defined with the routes that cause it (defining again only replaces the handler).

const SEARCH_LIMIT = 200;

/** China-time day bounds: `from` 00:00 to the end of `to`. */
function dayRange(from?: string, to?: string): Record<string, Date> | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { $gte: new Date(`${from}T00:00:00+08:00`) } : {}), ...(to ? { $lt: new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000) } : {}) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 订单查询 in the caller's area: `q` matches the 订单号, the payer's (invoice) name or tax ID, or a holder's name. */
async function searchOrders(principal: Principal, query: z.output<typeof adminOrderQuery>): Promise<{ orders: OrderDoc[]; truncated: boolean }> {
  if (query.from && query.to && query.from > query.to) throw new AppError('VALIDATION_FAILED', { where: 'query', issues: [{ path: 'from', message: '开始日期不能晚于结束日期' }] });
  const createdAt = dayRange(query.from, query.to);
  const text = query.q ? new RegExp(escapeRegex(query.q), 'i') : undefined;
  const filter = {
    ...staffScope(principal),
    ...(query.state ? { state: query.state } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(text ? { $or: [{ orderNo: text }, { 'invoiceBuyer.title': text }, { 'invoiceBuyer.taxId': text }, { 'owner.id': text }, { 'items.holderName': text }] } : {}),
  };
  const orders = await OrderModel.find(filter).sort({ createdAt: -1, _id: -1 }).limit(SEARCH_LIMIT + 1).lean();
  return { orders: orders.slice(0, SEARCH_LIMIT), truncated: orders.length > SEARCH_LIMIT };
}

function payerFields(order: OrderDoc) {
  return { payerName: order.invoiceBuyer.title, payerType: order.owner.type, province: order.province, ...(order.city ? { city: order.city } : {}) };
}

function toAdminOrderSummary(order: OrderDoc): AdminOrderSummary {
  return { ...toOrderSummary(order), ...payerFields(order) };
}

/** The order as staff see it: the payer's view (history, invoice status) plus who pays and its refunds. */
async function toAdminOrderDetail(order: OrderDoc): Promise<AdminOrderDetail> {
  const [invoice, refunds] = await Promise.all([invoiceOfOrder(order), refundsOfOrder(order._id)]);
  return { ...toOrderDetail(order, invoice, []), ...payerFields(order), refunds: refunds.map(toOrderRefundView) };
}

/** The order's issued invoices (the blue one, and its red-letter one after a refund), oldest first, with their files. */
async function issuedInvoicesOf(order: OrderDoc): Promise<InvoiceDoc[]> {
  return InvoiceModel.find({ orderId: String(order._id), status: { $ne: 'ISSUING' } }).sort({ createdAt: 1, _id: 1 }).lean();
}

/**
 * 重新发送 for a payer who lost the mail or gave a wrong address: every issued invoice of the order is mailed again
 * (to the corrected address, which the invoices then keep). Each resend is its own request: its own mail key.
 */
async function resendOrderInvoices(order: OrderDoc, email: string | undefined, by: string): Promise<InvoiceDoc[]> {
  const invoices = await issuedInvoicesOf(order);
  if (!invoices.length) throw new AppError('INVOICE_NOT_FOUND');
  const sent: InvoiceDoc[] = [];
  for (const invoice of invoices) {
    const to = email ?? invoice.email;
    if (to !== invoice.email) await changeInvoiceEmail(invoice._id, to);
    await enqueueMail(invoiceMail(invoice, to), { key: `invoice-resend:${String(invoice._id)}:${by}:${randomUUID()}` });
    sent.push({ ...invoice, email: to });
  }
  return sent;
}

const offlineTransferRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/admin/offline-transfers',
    tag: 'admin-orders',
    summary: '线下转账审核队列（审核员：本市；运营：本省），回单为短时有效的签名链接',
    audience: STAFF,
    query: offlineTransferQuery,
    response: offlineTransferListResponse,
    handler: async ({ query, principal, deps }) => ({ items: await toOfflineTransferViews(await offlineTransferQueue(principal, query.state), deps) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/offline-transfers/:id/approve',
    tag: 'admin-orders',
    summary: '确认到账：订单变为已支付（与微信支付成功相同：报名已缴费、自动开票）',
    audience: STAFF,
    params: idParams,
    response: offlineTransferResult,
    handler: async ({ params, principal, deps }) => {
      const { transfer, order } = await approveOfflineTransfer({ principal, transferId: params.id }, deps);
      return { transfer: toOfflineTransferView(transfer, order, deps), order: toOrderSummary(order) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/offline-transfers/:id/reject',
    tag: 'admin-orders',
    summary: '驳回转账：订单回到待支付，付款方可看到驳回原因',
    audience: STAFF,
    params: idParams,
    body: rejectOfflineTransferRequest,
    response: offlineTransferResult,
    handler: async ({ params, body, principal, deps }) => {
      const { transfer, order } = await rejectOfflineTransfer({ principal, transferId: params.id, reason: body.reason }, deps);
      return { transfer: toOfflineTransferView(transfer, order, deps), order: toOrderSummary(order) };
    },
  }),
];

const refundRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/admin/orders/:id/refunds',
    tag: 'admin-orders',
    summary: '发起退款（部分或全部）；同一请求重试不会重复退款',
    audience: STAFF,
    params: idParams,
    body: orderRefundRequest,
    response: orderRefundView,
    status: 201,
    handler: async ({ params, body, principal, deps }) => toOrderRefundView(await requestOrderRefund({ principal, orderId: params.id, ...body }, deps)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/orders/:id/refunds',
    tag: 'admin-orders',
    summary: '订单的退款记录与可退金额',
    audience: STAFF,
    params: idParams,
    response: orderRefundListResponse,
    handler: async ({ params, principal }) => {
      const order = await orderInScope(principal, params.id);
      const refunds = await refundsOfOrder(order._id);
      return { items: refunds.map(toOrderRefundView), refundableFen: refundableFen(order, refunds) };
    },
  }),
];

const searchRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/admin/orders',
    tag: 'admin-orders',
    summary: '订单查询（订单号、付款方名称或纳税人识别号；状态；下单日期范围）',
    audience: STAFF,
    query: adminOrderQuery,
    response: adminOrderListResponse,
    handler: async ({ query, principal }) => {
      const { orders, truncated } = await searchOrders(principal, query);
      return { items: orders.map(toAdminOrderSummary), truncated };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/orders/:id',
    tag: 'admin-orders',
    summary: '订单详情（含状态变更记录、发票状态与退款）',
    audience: STAFF,
    params: idParams,
    response: adminOrderDetail,
    handler: async ({ params, principal }) => toAdminOrderDetail(await orderInScope(principal, params.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/orders/:id/invoice/resend',
    tag: 'admin-orders',
    summary: '重新发送订单的发票邮件（蓝票及冲红票；可改为更正后的邮箱）',
    audience: STAFF,
    params: idParams,
    body: resendInvoiceRequest,
    response: invoiceListResponse,
    handler: async ({ params, body, principal, log }) => {
      const order = await orderInScope(principal, params.id);
      const sent = await resendOrderInvoices(order, body.email, actorOf(principal));
      log.info({ orderId: params.id, by: actorOf(principal), invoices: sent.length, corrected: Boolean(body.email) }, 'invoice resent by staff');
      return { items: sent.map(toInvoiceSummary) };
    },
  }),
];

/** Every staff route of the orders module. */
export const orderAdminRoutes = [...offlineTransferRoutes, ...refundRoutes, ...searchRoutes];
