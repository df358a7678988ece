/**
 * 线下对公转账 (where policy orders.paymentMethods offers OFFLINE_TRANSFER, e.g. Shandong): the payer submits
 * the transfer's details and optionally a photo or PDF of the bank slip (kept in private storage); the order
 * shows 订单待审核 until a reviewer of the payer's city (or an operator of its province) approves it — the order
 * is then paid exactly as a WeChat payment would pay it — or rejects it with a reason the payer sees.
 */
import { randomUUID } from 'node:crypto';
import {
  objectIdField,
  ORDER_STATE_LABELS,
  type OrderState,
  OFFLINE_TRANSFER_STATE_LABELS,
  offlineTransferListResponse,
  offlineTransferRequest,
  offlineTransferResult,
  type OfflineTransferState,
  type OfflineTransferView,
} from '@ce/types';
import { model, Schema, Types, type ClientSession } from 'mongoose';
import { z } from 'zod';
import { inTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';
import { defineRoute, type Deps, type Principal, type UploadedFile } from '../../platform/http/route';
import { enqueue } from '../../platform/jobs';
import { fileStore, signedFileUrl } from '../../platform/storage';
import { settingsFor } from '../policy';
import { OrderModel, type OrderDoc, type OrderOwner } from './data';
import { ORDER_EXPIRE_JOB } from './job-names';
import { applyPaymentEffects } from './payment-received';
import { actorOf, findOwnOrder, payerOf } from './payer';
import { toOrderSummary } from './views';
import { moveOrder } from './transitions';

export interface OfflineTransferDoc {
  _id: Types.ObjectId;
  orderId: Types.ObjectId;
  orderNo: string;
  owner: OrderOwner;
  province: string;
  city?: string;
  payerAccountName: string;
  bankName: string;
  transferDate: string;
  amountFen: number;
  reference?: string;
  slip?: { key: string; contentType: string };
  state: OfflineTransferState;
  submittedAt: Date;
  submittedBy: string;
  reviewedAt?: Date;
  reviewedBy?: string;
  rejectReason?: string;
}

const transferSchema = new Schema<OfflineTransferDoc>({
  orderId: { type: Schema.Types.ObjectId, required: true },
  orderNo: { type: String, required: true },
  owner: { type: { type: String, required: true }, id: { type: String, required: true } },
  province: { type: String, required: true },
  city: String,
  payerAccountName: { type: String, required: true },
  bankName: { type: String, required: true },
  transferDate: { type: String, required: true },
  amountFen: { type: Number, required: true },
  reference: String,
  slip: { type: new Schema({ key: String, contentType: String }, { _id: false }), required: false },
  state: { type: String, required: true },
  submittedAt: { type: Date, required: true },
  submittedBy: { type: String, required: true },
  reviewedAt: Date,
  reviewedBy: String,
  rejectReason: String,
});
transferSchema.index({ province: 1, city: 1, state: 1, submittedAt: 1 });
transferSchema.index({ orderId: 1, submittedAt: -1 });
export const OfflineTransferModel = model<OfflineTransferDoc>('OfflineTransfer', transferSchema);

const ORDER_BUSY = '订单正在处理付款或审核，请稍后刷新';
/** A phone photo of a bank slip fits easily; larger files are refused (413) before they are stored. */
const SLIP_MAX_BYTES = 5 * 1024 * 1024;
const SLIP_EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

export interface SubmitTransfer {
  owner: OrderOwner;
  principal: Principal;
  orderId: string;
  details: z.output<typeof offlineTransferRequest>;
  slip?: UploadedFile;
}

/** 提交转账信息: PENDING_PAYMENT → AWAITING_REVIEW (订单待审核), the transfer recorded, the slip stored privately. */
export async function submitOfflineTransfer(input: SubmitTransfer, deps: Deps): Promise<{ transfer: OfflineTransferDoc; order: OrderDoc }> {
  const found = await findOwnOrder(input.owner, input.orderId);
  await assertOffered(found);
  if (found.state !== 'PENDING_PAYMENT') throw new AppError('ORDER_NOT_PAYABLE', { state: found.state });
  if (input.details.amountFen !== found.amountFen) throw new AppError('TRANSFER_AMOUNT_MISMATCH', { orderAmountFen: found.amountFen });
  const now = deps.clock.now();
  const slip = input.slip ? await storeSlip(found, input.slip, deps) : undefined;
  const transfer = newTransfer(found, input, slip, now);
  await withExclusiveKeys([`order-payment:${String(found._id)}`], ORDER_BUSY, () =>
    inTransaction(async (session) => {
      const order = await currentOrder(found._id, session);
      if (order.state !== 'PENDING_PAYMENT') throw new AppError('ORDER_NOT_PAYABLE', { state: order.state });
      const move = { to: 'AWAITING_REVIEW' as const, by: actorOf(input.principal), reason: `提交线下对公转账信息（${transfer.bankName}，${transfer.transferDate}），等待审核`, at: now };
      if (!(await moveOrder(order, move, {}, session))) throw new AppError('CONFLICT');
      await OfflineTransferModel.create([transfer], { session });
    }),
  );
  return { transfer, order: await currentOrder(found._id) };
}

async function assertOffered(order: OrderDoc): Promise<void> {
  const settings = await settingsFor(order.province, order.city);
  if (!settings.orders.paymentMethods.includes('OFFLINE_TRANSFER')) throw new AppError('OFFLINE_TRANSFER_NOT_OFFERED');
}

async function storeSlip(order: OrderDoc, file: UploadedFile, deps: Deps): Promise<{ key: string; contentType: string }> {
  const key = `offline-slips/${String(order._id)}/${randomUUID()}.${SLIP_EXTENSIONS[file.contentType]}`;
  await fileStore(deps.config).put(key, { bytes: file.bytes, contentType: file.contentType });
  return { key, contentType: file.contentType };
}

function newTransfer(order: OrderDoc, input: SubmitTransfer, slip: OfflineTransferDoc['slip'], now: Date): OfflineTransferDoc {
  const { payerAccountName, bankName, transferDate, amountFen, reference } = input.details;
  return {
    _id: new Types.ObjectId(),
    orderId: order._id,
    orderNo: order.orderNo,
    owner: order.owner,
    province: order.province,
    ...(order.city ? { city: order.city } : {}),
    payerAccountName,
    bankName,
    transferDate,
    amountFen,
    ...(reference ? { reference } : {}),
    ...(slip ? { slip } : {}),
    state: 'AWAITING_REVIEW',
    submittedAt: now,
    submittedBy: actorOf(input.principal),
  };
}

async function currentOrder(orderId: Types.ObjectId, session?: ClientSession): Promise<OrderDoc> {
  const order = await OrderModel.findById(orderId)
    .session(session ?? null)
    .lean();
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  return order;
}

/** Staff see transfers of their own area only: a reviewer their city, an operator their province. */
export function staffScope(principal: Principal): { province: string; city?: string } {
  if (principal.role === 'reviewer' && principal.province && principal.city) return { province: principal.province, city: principal.city };
  if (principal.role === 'operator' && principal.province) return { province: principal.province };
  throw new AppError('FORBIDDEN');
}

/** 转账审核队列: the area's transfers in one state, oldest first (the one waiting longest on top). */
export async function offlineTransferQueue(principal: Principal, state: OfflineTransferState): Promise<OfflineTransferDoc[]> {
  return OfflineTransferModel.find({ ...staffScope(principal), state })
    .sort({ submittedAt: state === 'AWAITING_REVIEW' ? 1 : -1, _id: 1 })
    .limit(500)
    .lean();
}

/** A transfer in the caller's area; one elsewhere is answered exactly as a missing one. */
async function transferInScope(principal: Principal, transferId: string): Promise<OfflineTransferDoc> {
  const transfer = Types.ObjectId.isValid(transferId) ? await OfflineTransferModel.findOne({ _id: transferId, ...staffScope(principal) }).lean() : null;
  if (!transfer) throw new AppError('OFFLINE_TRANSFER_NOT_FOUND');
  return transfer;
}

export interface Review {
  principal: Principal;
  transferId: string;
}

/** 确认到账: AWAITING_REVIEW → PAID, recorded as the reviewer's decision; enrollments paid and the invoice queued in the same transaction. */
export async function approveOfflineTransfer(review: Review, deps: Deps): Promise<{ transfer: OfflineTransferDoc; order: OrderDoc }> {
  const transfer = await transferInScope(review.principal, review.transferId);
  const by = actorOf(review.principal);
  const now = deps.clock.now();
  await decide(transfer, async (order, session) => {
    await markTransferReviewed(transfer, { state: 'APPROVED', reviewedAt: now, reviewedBy: by }, session);
    await confirmOfflinePayment(order, { by, at: now, reason: `线下对公转账已确认到账（${transfer.bankName}，${transfer.transferDate}，付款户名 ${transfer.payerAccountName}）` }, session);
  }, now);
  return { transfer: await reread(transfer), order: await currentOrder(transfer.orderId) };
}

/** 驳回: AWAITING_REVIEW → PENDING_PAYMENT with the reason in the order's history, for the payer to see and pay again. */
export async function rejectOfflineTransfer(review: Review & { reason: string }, deps: Deps): Promise<{ transfer: OfflineTransferDoc; order: OrderDoc }> {
  const transfer = await transferInScope(review.principal, review.transferId);
  const by = actorOf(review.principal);
  const now = deps.clock.now();
  const settings = await settingsFor(transfer.province, transfer.city);
  await decide(transfer, async (order, session) => {
    await markTransferReviewed(transfer, { state: 'REJECTED', reviewedAt: now, reviewedBy: by, rejectReason: review.reason }, session);
    // The payer gets the policy's full payment time again from the rejection.
    const expiresAt = new Date(now.getTime() + settings.orders.expiryMinutes * 60_000);
    const moved = await moveOrder(order, { to: 'PENDING_PAYMENT', by, reason: `线下转账审核未通过：${review.reason}`, at: now }, { expiresAt }, session);
    if (!moved) throw new AppError('CONFLICT');
    await enqueue(ORDER_EXPIRE_JOB, { orderId: String(order._id) }, { key: `${ORDER_EXPIRE_JOB}:${String(order._id)}:${String(transfer._id)}`, runAt: expiresAt, session, now });
  }, now);
  return { transfer: await reread(transfer), order: await currentOrder(transfer.orderId) };
}

/** Runs a review decision once: the order must still await review, and this transfer must still be undecided. */
async function decide(transfer: OfflineTransferDoc, work: (order: OrderDoc, session: ClientSession) => Promise<void>, now: Date): Promise<void> {
  if (transfer.state !== 'AWAITING_REVIEW') throw new AppError('OFFLINE_TRANSFER_ALREADY_REVIEWED', { state: transfer.state });
  const order = await currentOrder(transfer.orderId);
  const keys = [`order-payment:${String(order._id)}`, ...order.items.map((item) => `order-enrollment:${String(item.enrollmentId)}`)];
  const movedOn = await withExclusiveKeys(keys, ORDER_BUSY, () =>
    inTransaction(async (session) => {
      const fresh = await currentOrder(transfer.orderId, session);
      if (fresh.state !== 'AWAITING_REVIEW') return fresh.state;
      await work(fresh, session);
      return undefined;
    }),
  );
  if (movedOn) {
    await closeSuperseded(transfer, movedOn, now);
    throw new AppError('OFFLINE_TRANSFER_ALREADY_REVIEWED', { orderState: movedOn });
  }
}

/**
 * The order moved on without this transfer (an earlier WeChat payment landed, or it closed): the transfer leaves
 * the queue, and the payer is told why and that money sent anyway will be returned.
 */
async function closeSuperseded(transfer: OfflineTransferDoc, orderState: OrderState, now: Date): Promise<void> {
  const rejectReason = `订单${ORDER_STATE_LABELS[orderState]}，本次转账无需审核；如已转账，平台将联系您退回款项`;
  await OfflineTransferModel.updateOne({ _id: transfer._id, state: 'AWAITING_REVIEW' }, { $set: { state: 'REJECTED', reviewedAt: now, reviewedBy: 'system', rejectReason } });
}

async function markTransferReviewed(transfer: OfflineTransferDoc, set: Partial<OfflineTransferDoc>, session: ClientSession): Promise<void> {
  const result = await OfflineTransferModel.updateOne({ _id: transfer._id, state: 'AWAITING_REVIEW' }, { $set: set }, { session });
  if (result.modifiedCount !== 1) throw new AppError('OFFLINE_TRANSFER_ALREADY_REVIEWED');
}

/** A confirmed offline transfer: the order PAID by the reviewer, then the same effects as a WeChat payment. */
async function confirmOfflinePayment(order: OrderDoc, move: { by: string; at: Date; reason: string }, session: ClientSession): Promise<void> {
  const moved = await moveOrder(order, { to: 'PAID', ...move }, { paidAt: move.at, paymentMethod: 'OFFLINE_TRANSFER' }, session);
  if (!moved) throw new AppError('CONFLICT');
  await applyPaymentEffects(order, move.at, move.at, session);
}

async function reread(transfer: OfflineTransferDoc): Promise<OfflineTransferDoc> {
  return (await OfflineTransferModel.findById(transfer._id).lean())!;
}

/** The transfer as staff and payer see it; the slip as a signed link valid for a few minutes. */
export function toOfflineTransferView(transfer: OfflineTransferDoc, order: Pick<OrderDoc, 'amountFen' | 'invoiceBuyer'>, deps: Deps): OfflineTransferView {
  const slip = transfer.slip ? signedFileUrl(deps.config, transfer.slip.key, deps.clock.now()) : undefined;
  return {
    id: String(transfer._id),
    orderId: String(transfer.orderId),
    orderNo: transfer.orderNo,
    orderAmountFen: order.amountFen,
    payerName: order.invoiceBuyer.title,
    province: transfer.province,
    ...(transfer.city ? { city: transfer.city } : {}),
    payerAccountName: transfer.payerAccountName,
    bankName: transfer.bankName,
    transferDate: transfer.transferDate,
    amountFen: transfer.amountFen,
    ...(transfer.reference ? { reference: transfer.reference } : {}),
    ...(slip && transfer.slip ? { slip: { url: slip.url, contentType: transfer.slip.contentType, expiresAt: slip.expiresAt.toISOString() } } : {}),
    state: transfer.state,
    stateLabel: OFFLINE_TRANSFER_STATE_LABELS[transfer.state],
    submittedAt: transfer.submittedAt.toISOString(),
    submittedBy: transfer.submittedBy,
    ...(transfer.reviewedAt ? { reviewedAt: transfer.reviewedAt.toISOString() } : {}),
    ...(transfer.reviewedBy ? { reviewedBy: transfer.reviewedBy } : {}),
    ...(transfer.rejectReason ? { rejectReason: transfer.rejectReason } : {}),
  };
}

/** Views for a list: each transfer with its order (amount, payer name), read in one query. */
export async function toOfflineTransferViews(transfers: OfflineTransferDoc[], deps: Deps): Promise<OfflineTransferView[]> {
  const orders = await OrderModel.find({ _id: { $in: transfers.map((t) => t.orderId) } }).lean();
  const byId = new Map(orders.map((o) => [String(o._id), o]));
  return transfers.flatMap((t) => {
    const order = byId.get(String(t.orderId));
    return order ? [toOfflineTransferView(t, order, deps)] : [];
  });
}

const orderParams = z.object({ id: objectIdField });

/** The payer's routes: submit a transfer (multipart with an optional slip, or JSON) and see past submissions. */
export const offlineTransferPayerRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/orders/:id/offline-transfers',
    tag: 'orders',
    summary: '提交线下对公转账信息（可附转账回单照片或 PDF），订单进入“订单待审核”',
    audience: { roles: ['enterprise', 'learner'] },
    params: orderParams,
    multipart: { maxBytes: SLIP_MAX_BYTES, types: ['image/jpeg', 'image/png', 'application/pdf'], field: 'slip' },
    body: offlineTransferRequest,
    response: offlineTransferResult,
    status: 201,
    handler: async ({ params, body, file, principal, deps }) => {
      const { transfer, order } = await submitOfflineTransfer({ owner: payerOf(principal), principal, orderId: params.id, details: body, slip: file }, deps);
      return { transfer: toOfflineTransferView(transfer, order, deps), order: toOrderSummary(order) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/orders/:id/offline-transfers',
    tag: 'orders',
    summary: '本订单提交过的线下转账信息（被驳回的写明原因）',
    audience: { roles: ['enterprise', 'learner'] },
    params: orderParams,
    response: offlineTransferListResponse,
    handler: async ({ params, principal, deps }) => {
      const order = await findOwnOrder(payerOf(principal), params.id);
      const transfers = await OfflineTransferModel.find({ orderId: order._id }).sort({ submittedAt: -1, _id: -1 }).lean();
      return { items: transfers.map((t) => toOfflineTransferView(t, order, deps)) };
    },
  }),
];
