import mongoose from 'mongoose';
import { InvoiceModel } from '../../backend/src/modules/invoices';
import { PaymentEventModel } from '../../backend/src/modules/payments';
import { JobModel } from '../../backend/src/platform/jobs';
import { killGroup, runTs, type RunningProcess } from '../helpers/processes';
import { NOTIFY_PATH, wechatPayEnv } from '../payments/helpers';
import { enterpriseWithPeople, inboxFor, useOrdersStack, type Payer } from './helpers';

// WeChat Pay cannot reach the backend: the dying process learns of the payment by asking, as the settle job does.
const stack = useOrdersStack({ notificationsLost: true });
const { api } = stack;
let payer: Payer;
let child: RunningProcess | undefined;
afterEach(() => killGroup(child));

beforeAll(async () => {
  payer = await enterpriseWithPeople(api, 921, 1, 15000);
});

test("when a backend is killed (SIGKILL) after recording a payment but before applying it, then a backend's settle job still applies it, and nothing is doubled", async () => {
  const [enrollmentId] = await payer.enroll(1);
  const placed = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: [enrollmentId], invoice: payer.invoice } });
  const paying = await api.call('POST', `/api/orders/${placed.body.id}/pay`, { token: payer.token, body: { method: 'WECHAT_NATIVE' } });
  await stack.sim.payNow(paying.body.outTradeNo);

  child = runTs('tests/orders/fixtures/dies-while-applying.ts', {
    MONGODB_URI: process.env.TEST_MONGODB_URI,
    DB_NAME: mongoose.connection.name,
    OUT_TRADE_NO: paying.body.outTradeNo,
    ...wechatPayEnv(stack.sim, `http://127.0.0.1:9${NOTIFY_PATH}`),
  });
  const dying = await child.waitForLine((line) => line.msg === 'event recorded, applying', 20_000);
  process.kill(dying.pid, 'SIGKILL');
  await child.exited;
  expect(await PaymentEventModel.countDocuments({ outTradeNo: paying.body.outTradeNo })).toBe(1);
  expect((await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token })).body.state).toBe('PENDING_PAYMENT');

  // WeChat Pay delivers again: the event is already recorded, so it alone would not heal the order.
  const signed = stack.sim.notificationFor(paying.body.outTradeNo);
  expect((await fetch(api.url + NOTIFY_PATH, { method: 'POST', headers: signed.headers, body: signed.body })).status).toBe(200);

  await stack.runJobs(60_000 + 1000);
  await stack.runJobs(60_000 + 1000);
  const paid = (await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token })).body;
  expect(paid.state).toBe('PAID');
  expect(paid.transitions.filter((t: { to: string }) => t.to === 'PAID')).toHaveLength(1);

  // Asked again later (check, settle, redelivery): still one payment applied, one invoice, one mail.
  await api.call('GET', `/api/orders/${placed.body.id}/check`, { token: payer.token });
  await stack.runJobs(10 * 60_000);
  expect((await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token })).body.transitions.filter((t: { to: string }) => t.to === 'PAID')).toHaveLength(1);
  expect(await InvoiceModel.countDocuments({ orderId: placed.body.id })).toBe(1);
  expect(await JobModel.countDocuments({ name: 'mail.send', key: { $regex: '^invoice-mail:' } })).toBe(1);
  expect(await inboxFor(payer.invoice.email)).toHaveLength(1);
});
