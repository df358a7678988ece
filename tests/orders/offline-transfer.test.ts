import { offlineTransferListResponse, offlineTransferResult } from '@ce/types';
import { createStaffAccount } from '../../backend/src/modules/accounts';
import { StaffAccountModel } from '../../backend/src/modules/accounts/data';
import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { OrderModel } from '../../backend/src/modules/orders';
import { findJobByKey } from '../../backend/src/platform/jobs';
import type { TestBackend } from '../helpers/backend';
import { NEW_PASSWORD } from '../helpers/journeys';
import { enterpriseWithPeople, useOrdersStack, type Payer } from './helpers';

const stack = useOrdersStack();
const { api } = stack;
const FEE = 28000;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('回单照片')]);
let payer: Payer;
let reviewer: { token: string; id: string };
let otherCityReviewer: { token: string; id: string };

let staffCount = 0;
async function reviewerOf(api: TestBackend, city: string): Promise<{ token: string; id: string }> {
  const username = `offline-reviewer${++staffCount}`;
  const { initialPassword } = await createStaffAccount({ username, role: 'reviewer', province: 'SD', city });
  const login = await api.call('POST', '/api/auth/staff/login', { body: { username, password: initialPassword } });
  await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: NEW_PASSWORD } });
  const staff = await StaffAccountModel.findOne({ username }).lean();
  return { token: login.body.token, id: String(staff!._id) };
}

beforeAll(async () => {
  payer = await enterpriseWithPeople(api, 931, 12, FEE);
  reviewer = await reviewerOf(api, '济南市');
  otherCityReviewer = await reviewerOf(api, '青岛市');
});

async function orderOf(count: number): Promise<{ id: string; amountFen: number; enrollmentIds: string[] }> {
  const enrollmentIds = await payer.enroll(count);
  const placed = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds, invoice: payer.invoice } });
  expect(placed.status).toBe(201);
  return { id: placed.body.id, amountFen: placed.body.amountFen, enrollmentIds };
}

function transferForm(amountFen: number, slip?: Buffer): FormData {
  const form = new FormData();
  form.append('payerAccountName', payer.owner.name);
  form.append('bankName', '中国工商银行济南分行');
  form.append('transferDate', '2026-03-02');
  form.append('amountFen', String(amountFen));
  form.append('reference', '继续教育培训费');
  if (slip) form.append('slip', new Blob([new Uint8Array(slip)], { type: 'image/png' }), '转账回单.png');
  return form;
}

async function submitTransfer(orderId: string, form: FormData) {
  const res = await fetch(`${api.url}/api/orders/${orderId}/offline-transfers`, { method: 'POST', body: form, headers: { authorization: `Bearer ${payer.token}` } });
  return { status: res.status, body: (await res.json()) as any };
}

async function queue(token: string, state = 'AWAITING_REVIEW') {
  const res = await api.call('GET', `/api/admin/offline-transfers?state=${state}`, { token });
  expect(res.status).toBe(200);
  return offlineTransferListResponse.parse(res.body).items;
}

test('when a Shandong enterprise submits its transfer with a slip photo and a Jinan reviewer approves it, then the order is paid exactly as a WeChat payment pays it', async () => {
  const order = await orderOf(2);
  const submitted = await submitTransfer(order.id, transferForm(order.amountFen, PNG));
  expect(submitted.status).toBe(201);
  expect(offlineTransferResult.parse(submitted.body)).toBeTruthy();
  expect(submitted.body.order).toMatchObject({ state: 'AWAITING_REVIEW', stateLabel: '订单待审核' });
  expect(submitted.body.transfer).toMatchObject({ state: 'AWAITING_REVIEW', amountFen: order.amountFen, bankName: '中国工商银行济南分行', slip: { contentType: 'image/png' } });

  const waiting = (await queue(reviewer.token)).find((t) => t.orderId === order.id)!;
  expect(waiting).toMatchObject({ payerName: payer.owner.name, orderAmountFen: order.amountFen, city: '济南市', reference: '继续教育培训费' });
  const slip = await fetch(api.url + waiting.slip!.url);
  expect([slip.status, slip.headers.get('content-type')]).toEqual([200, 'image/png']);
  expect(Buffer.from(await slip.arrayBuffer())).toEqual(PNG);

  const approved = await api.call('POST', `/api/admin/offline-transfers/${waiting.id}/approve`, { token: reviewer.token });
  expect(approved.status).toBe(200);
  expect(approved.body.order).toMatchObject({ state: 'PAID', paymentMethod: 'OFFLINE_TRANSFER' });
  expect(approved.body.transfer).toMatchObject({ state: 'APPROVED', stateLabel: '已确认到账', reviewedBy: `reviewer:${reviewer.id}` });

  const enrollments = await EnrollmentModel.find({ _id: { $in: order.enrollmentIds } }).lean();
  expect(enrollments.map((e) => [e.status, String(e.paidByOrderId)])).toEqual([['PAID', order.id], ['PAID', order.id]]);
  expect(enrollments.every((e) => e.studyUntil)).toBe(true);
  expect(await findJobByKey(`invoice.issue:${order.id}`)).toBeTruthy();

  const detail = await api.call('GET', `/api/orders/${order.id}`, { token: payer.token });
  expect(detail.body.transitions.map((t: { from: string; to: string; by: string }) => [t.from, t.to, t.by])).toEqual([
    [null, 'PENDING_PAYMENT', `enterprise:${payer.owner.uscc}`],
    ['PENDING_PAYMENT', 'AWAITING_REVIEW', `enterprise:${payer.owner.uscc}`],
    ['AWAITING_REVIEW', 'PAID', `reviewer:${reviewer.id}`],
  ]);
  expect(detail.body.transitions[2].reason).toContain('线下对公转账已确认到账');

  const twice = await api.call('POST', `/api/admin/offline-transfers/${waiting.id}/approve`, { token: reviewer.token });
  expect([twice.status, twice.body.code]).toEqual([409, 'OFFLINE_TRANSFER_ALREADY_REVIEWED']);
});

test('when the reviewer rejects a transfer with a reason, then the order can be paid again and the payer sees why', async () => {
  const order = await orderOf(1);
  const submitted = await submitTransfer(order.id, transferForm(order.amountFen));
  expect(submitted.status).toBe(201);
  expect(submitted.body.transfer.slip).toBeUndefined();

  const reason = '未查询到该笔转账，请核对付款账户后重新提交';
  const rejected = await api.call('POST', `/api/admin/offline-transfers/${submitted.body.transfer.id}/reject`, { token: reviewer.token, body: { reason } });
  expect(rejected.status).toBe(200);
  expect(rejected.body.order.state).toBe('PENDING_PAYMENT');

  const mine = await api.call('GET', `/api/orders/${order.id}/offline-transfers`, { token: payer.token });
  expect(mine.body.items[0]).toMatchObject({ state: 'REJECTED', stateLabel: '已驳回', rejectReason: reason });
  const detail = await api.call('GET', `/api/orders/${order.id}`, { token: payer.token });
  expect(detail.body.transitions.at(-1)).toMatchObject({ from: 'AWAITING_REVIEW', to: 'PENDING_PAYMENT', by: `reviewer:${reviewer.id}`, reason: expect.stringContaining(reason) });
  expect(detail.body.payableBy).toContain('OFFLINE_TRANSFER');
  expect(await EnrollmentModel.countDocuments({ _id: { $in: order.enrollmentIds }, status: 'AWAITING_PAYMENT' })).toBe(1);

  const again = await submitTransfer(order.id, transferForm(order.amountFen));
  expect([again.status, again.body.order.state]).toEqual([201, 'AWAITING_REVIEW']);
});

test('when a reviewer of another city tries to review, then the transfer is not found for them and nothing changes', async () => {
  const order = await orderOf(1);
  const submitted = await submitTransfer(order.id, transferForm(order.amountFen));
  const transferId = submitted.body.transfer.id;

  expect((await queue(otherCityReviewer.token)).map((t) => t.id)).not.toContain(transferId);
  const approve = await api.call('POST', `/api/admin/offline-transfers/${transferId}/approve`, { token: otherCityReviewer.token });
  const reject = await api.call('POST', `/api/admin/offline-transfers/${transferId}/reject`, { token: otherCityReviewer.token, body: { reason: '越权驳回' } });
  expect([approve.status, approve.body.code, reject.status]).toEqual([404, 'OFFLINE_TRANSFER_NOT_FOUND', 404]);

  const stored = await OrderModel.findById(order.id).lean();
  expect([stored!.state, stored!.transitions.length]).toEqual(['AWAITING_REVIEW', 2]);
  expect((await queue(reviewer.token)).map((t) => t.id)).toContain(transferId);
});

test('when the transfer amount differs from the order, or the order is already awaiting review, then the submission is refused with a Chinese message', async () => {
  const order = await orderOf(1);
  const wrong = await submitTransfer(order.id, transferForm(order.amountFen - 1));
  expect(wrong).toMatchObject({ status: 400, body: { code: 'TRANSFER_AMOUNT_MISMATCH', details: { orderAmountFen: order.amountFen } } });
  expect(wrong.body.message).toContain('转账金额');
  expect((await OrderModel.findById(order.id).lean())!.state).toBe('PENDING_PAYMENT');

  expect((await submitTransfer(order.id, transferForm(order.amountFen))).status).toBe(201);
  const second = await submitTransfer(order.id, transferForm(order.amountFen));
  expect([second.status, second.body.code]).toEqual([409, 'ORDER_NOT_PAYABLE']);
});

test('when the slip is not an image or PDF, then the submission is refused (415) and the order stays payable', async () => {
  const order = await orderOf(1);
  const form = transferForm(order.amountFen);
  form.append('slip', new Blob([new Uint8Array(Buffer.from('MZ\x90\x00program', 'latin1'))], { type: 'image/png' }), 'slip.png');
  const refused = await submitTransfer(order.id, form);
  expect([refused.status, refused.body.code]).toEqual([415, 'FILE_TYPE_NOT_ALLOWED']);
  expect((await OrderModel.findById(order.id).lean())!.state).toBe('PENDING_PAYMENT');
});

test('when another enterprise submits a transfer for this order, then the order is not found for it', async () => {
  const order = await orderOf(1);
  const other = await enterpriseWithPeople(api, 932, 1, FEE);
  const res = await fetch(`${api.url}/api/orders/${order.id}/offline-transfers`, { method: 'POST', body: transferForm(order.amountFen), headers: { authorization: `Bearer ${other.token}` } });
  expect(res.status).toBe(404);
});

test('when five reviewers of the city approve the same transfer at once, then exactly one approval pays the order', async () => {
  const order = await orderOf(1);
  const submitted = await submitTransfer(order.id, transferForm(order.amountFen));
  const answers = await Promise.all(Array.from({ length: 5 }, () => api.call('POST', `/api/admin/offline-transfers/${submitted.body.transfer.id}/approve`, { token: reviewer.token })));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
  const stored = (await OrderModel.findById(order.id).lean())!;
  expect(stored.transitions.filter((t) => t.to === 'PAID')).toHaveLength(1);
  expect(await findJobByKey(`invoice.issue:${order.id}`)).toBeTruthy();
});

test('when an earlier WeChat payment lands while the transfer awaits review, then the order is paid once, and the transfer leaves the queue telling the payer why', async () => {
  const order = await orderOf(1);
  const paying = await api.call('POST', `/api/orders/${order.id}/pay`, { token: payer.token, body: { method: 'WECHAT_NATIVE' } });
  expect(paying.status).toBe(200);
  const submitted = await submitTransfer(order.id, transferForm(order.amountFen));
  expect(submitted.body.order.state).toBe('AWAITING_REVIEW');

  await stack.sim.payNow(paying.body.outTradeNo);
  expect((await OrderModel.findById(order.id).lean())!.state).toBe('PAID');

  const approve = await api.call('POST', `/api/admin/offline-transfers/${submitted.body.transfer.id}/approve`, { token: reviewer.token });
  expect([approve.status, approve.body.code, approve.body.details]).toEqual([409, 'OFFLINE_TRANSFER_ALREADY_REVIEWED', { orderState: 'PAID' }]);
  expect((await queue(reviewer.token)).map((t) => t.id)).not.toContain(submitted.body.transfer.id);
  const mine = await api.call('GET', `/api/orders/${order.id}/offline-transfers`, { token: payer.token });
  expect(mine.body.items[0]).toMatchObject({ state: 'REJECTED', reviewedBy: 'system', rejectReason: expect.stringContaining('订单已支付，本次转账无需审核') });
  const stored = (await OrderModel.findById(order.id).lean())!;
  expect(stored.transitions.filter((t) => t.to === 'PAID')).toEqual([expect.objectContaining({ by: 'wechatpay' })]);
});
