import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Principal } from '../../platform/http/route';
import { InvoiceModel, type InvoiceDoc } from '../invoices';
import { OrderModel, type OrderDoc, type OrderOwner } from './data';

/** The payer a signed-in enterprise or learner is: orders and invoices belong to it. */
export function payerOf(principal: Principal): OrderOwner {
  if (principal.role !== 'enterprise' && principal.role !== 'learner') throw new AppError('FORBIDDEN');
  return { type: principal.role, id: principal.subjectId };
}

/** Who did something, as an order's history records it. */
export function actorOf(principal: Principal): string {
  return `${principal.role}:${principal.subjectId}`;
}

/** The payer's own order; someone else's is answered exactly as a missing one (404), so ids reveal nothing. */
export async function findOwnOrder(owner: OrderOwner, orderId: string): Promise<OrderDoc> {
  const order = Types.ObjectId.isValid(orderId) ? await OrderModel.findById(orderId).lean() : null;
  if (!order || order.owner.type !== owner.type || order.owner.id !== owner.id) throw new AppError('ORDER_NOT_FOUND');
  return order;
}

export async function ordersOf(owner: OrderOwner): Promise<OrderDoc[]> {
  return OrderModel.find({ 'owner.type': owner.type, 'owner.id': owner.id }).sort({ createdAt: -1, _id: -1 }).lean();
}

export async function orderByOutTradeNo(outTradeNo: string): Promise<OrderDoc | null> {
  return OrderModel.findOne({ 'attempts.outTradeNo': outTradeNo }).lean();
}

/** The order's (blue) invoice, once issuing has started. */
export async function invoiceOfOrder(order: OrderDoc): Promise<InvoiceDoc | undefined> {
  return (await InvoiceModel.findOne({ key: `order:${String(order._id)}` }, { pdf: 0 }).lean()) ?? undefined;
}
