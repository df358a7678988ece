import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { InvoiceModel } from '../../backend/src/modules/invoices';
import { moveOrder, OrderClaimModel, OrderModel } from '../../backend/src/modules/orders';
import { PaymentIntentModel } from '../../backend/src/modules/payments';
import { eventually, NOTIFY_PATH } from '../payments/helpers';
import { pdfText } from '../invoices/pdf-text';
import { attachment, enterpriseWithPeople, inboxFor, useOrdersStack, type Payer } from './helpers';

// WeChat Pay cannot reach this backend: payments are found by asking it, or delivered by the test as WeChat would.
const stack = useOrdersStack({ notificationsLost: true });
const { api } = stack;
const FEE = 28000;
const ONE_MINUTE = 60_000;
const EXPIRY = 30 * ONE_MINUTE;
let payer: Payer;

beforeAll(async () => {
  payer = await enterpriseWithPeople(api, 911, 12, FEE);
});

async function placedAndPaying(who: Payer, people = 1) {
  const enrollmentIds = await who.enroll(people);
  const placed = await api.call('POST', '/api/orders', { token: who.token, body: { enrollmentIds, invoice: who.invoice } });
  expect(placed.status).toBe(201);
  const paying = await api.call('POST', `/api/orders/${placed.body.id}/pay`, { token: who.token, body: { method: 'WECHAT_NATIVE' } });
  expect(paying.status).toBe(200);
  return { orderId: placed.body.id as string, outTradeNo: paying.body.outTradeNo as string, enrollmentIds };
}

/** Posts WeChat Pay's latest notification for a payment or refund to the backend, as WeChat Pay would. */
async function deliver(no: string): Promise<number> {
  const signed = stack.sim.notificationFor(no);
  const res = await fetch(api.url + NOTIFY_PATH, { method: 'POST', headers: signed.headers, body: signed.body });
  await res.arrayBuffer();
  return res.status;
}

const order = async (who: Payer, id: string) => (await api.call('GET', `/api/orders/${id}`, { token: who.token })).body;

test('when no notification ever arrives, then the settle job asks WeChat Pay a minute later and confirms the payment', async () => {
  const { orderId, outTradeNo } = await placedAndPaying(payer);
  await stack.sim.payNow(outTradeNo);
  expect(stack.sim.deliveries.at(-1)).toMatchObject({ status: 'unreachable' });
  await stack.runJobs();
  expect((await order(payer, orderId)).state).toBe('PENDING_PAYMENT');

  await stack.runJobs(ONE_MINUTE + 1000);
  const paid = await order(payer, orderId);
  expect(paid).toMatchObject({ state: 'PAID', paymentMethod: 'WECHAT_NATIVE' });
  expect(paid.transitions.at(-1)).toMatchObject({ from: 'PENDING_PAYMENT', to: 'PAID', by: 'wechatpay' });
});

test('when the payer asks "支付遇到问题?" after paying, then the order is confirmed at once and they are never told to pay again', async () => {
  const { orderId, outTradeNo } = await placedAndPaying(payer);
  const before = await api.call('GET', `/api/orders/${orderId}/check`, { token: payer.token });
  expect(before.body).toMatchObject({ wechatState: 'NOTPAY', canPayAgain: true });
  await stack.sim.payNow(outTradeNo);
  const after = await api.call('GET', `/api/orders/${orderId}/check`, { token: payer.token });
  expect(after.body).toMatchObject({ wechatState: 'SUCCESS', canPayAgain: false, advice: '支付已成功，无需再次支付。', order: { state: 'PAID' } });
});

test('when the same notification is delivered 10 times at once, then the order is confirmed once, one invoice is issued and one mail sent with the PDF', async () => {
  const { orderId, outTradeNo, enrollmentIds } = await placedAndPaying(payer, 2);
  await stack.sim.payNow(outTradeNo);
  const statuses = await Promise.all(Array.from({ length: 10 }, () => deliver(outTradeNo)));
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  // A delivery refused while another applied the payment is delivered again by WeChat Pay later.
  await eventually(async () => (await deliver(outTradeNo)) === 200);

  const paid = await order(payer, orderId);
  expect(paid.state).toBe('PAID');
  expect(paid.transitions.filter((t: { to: string }) => t.to === 'PAID')).toHaveLength(1);
  for (const enrollment of await EnrollmentModel.find({ _id: { $in: enrollmentIds } }).lean()) expect(enrollment).toMatchObject({ status: 'PAID', paidByOrderId: expect.anything() });

  await stack.runJobs();
  await stack.runJobs();
  expect(await InvoiceModel.countDocuments({ orderId })).toBe(1);
  const invoice = (await InvoiceModel.findOne({ orderId }).lean())!;
  const mails = (await inboxFor(payer.invoice.email)).filter((m) => m.subject.includes(invoice.number!));
  expect(mails).toHaveLength(1);
  const text = await pdfText(await attachment(mails[0].id));
  expect(text).toContain(payer.owner.name);
  expect(text).toContain('¥560.00');
});

test('when the payment succeeded but its notification was lost, then at expiry closing finds it paid (ORDERPAID) and the order is PAID, not closed', async () => {
  const { orderId, outTradeNo } = await placedAndPaying(payer);
  await stack.sim.payNow(outTradeNo);
  await stack.runJobs(EXPIRY + 1000);
  const paid = await order(payer, orderId);
  expect(paid.state).toBe('PAID');
  expect(paid.transitions.map((t: { to: string }) => t.to)).toEqual(['PENDING_PAYMENT', 'PAID']);
});

/** WeChat Pay's race: the money is taken in the instant our order closes (the order never saw it). */
async function closedWhilePaying(orderId: string, outTradeNo: string) {
  await stack.sim.payNow(outTradeNo);
  const doc = (await OrderModel.findById(orderId).lean())!;
  expect(await moveOrder(doc, { to: 'CLOSED', by: 'system', reason: '超时未支付，订单已关闭', at: new Date() })).toBe(true);
  await OrderClaimModel.deleteMany({ orderId: doc._id });
  await PaymentIntentModel.updateOne({ outTradeNo }, { $set: { state: 'CLOSED' } });
}

test('when money arrives after the order closed and its enrollments can still be paid, then the payment is honoured and the order says so', async () => {
  const { orderId, outTradeNo, enrollmentIds } = await placedAndPaying(payer);
  await closedWhilePaying(orderId, outTradeNo);
  expect(await deliver(outTradeNo)).toBe(200);

  const honoured = await order(payer, orderId);
  expect(honoured.state).toBe('PAID');
  expect(honoured.transitions.at(-1)).toMatchObject({ from: 'CLOSED', to: 'PAID', by: 'wechatpay', reason: expect.stringContaining('关闭后') });
  expect(honoured.extraPayments).toEqual([expect.objectContaining({ outTradeNo, amountFen: FEE, outcome: 'HONOURED' })]);
  expect((await EnrollmentModel.findById(enrollmentIds[0]).lean())?.status).toBe('PAID');
  // The enrollment is held by the paid order again: it cannot be ordered twice.
  expect((await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds, invoice: payer.invoice } })).status).toBe(422);
});

test('when money arrives after the order closed and its enrollment is in another order now, then it is refunded in full, never lost', async () => {
  const { orderId, outTradeNo, enrollmentIds } = await placedAndPaying(payer);
  await closedWhilePaying(orderId, outTradeNo);
  const reordered = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds, invoice: payer.invoice } });
  expect(reordered.status).toBe(201);
  expect(await deliver(outTradeNo)).toBe(200);

  const refunding = await order(payer, orderId);
  expect(refunding.state).toBe('CLOSED');
  expect(refunding.extraPayments).toEqual([expect.objectContaining({ outTradeNo, amountFen: FEE, outcome: 'REFUNDING', outcomeLabel: expect.stringContaining('退回') })]);
  expect((await EnrollmentModel.findById(enrollmentIds[0]).lean())?.status).toBe('AWAITING_PAYMENT');

  await stack.runJobs();
  const refund = await eventually(async () => {
    const r = [...Array(1)].map(() => stack.sim.transaction(outTradeNo))[0];
    return r?.state === 'REFUND' && stack.sim.deliveries.some((d) => d.eventType === 'REFUND.SUCCESS') ? r : null;
  });
  expect(refund.state).toBe('REFUND');
  const outRefundNo = (await OrderModel.findById(orderId).lean())!.extraPayments[0].outRefundNo!;
  expect(stack.sim.refund(outRefundNo)).toMatchObject({ refundFen: FEE, status: 'SUCCESS' });
  expect(await deliver(outRefundNo)).toBe(200);
  expect((await order(payer, orderId)).extraPayments).toEqual([expect.objectContaining({ outcome: 'REFUNDED', outcomeLabel: '已原路退回' })]);
});
