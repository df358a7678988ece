import { orderDetail, orderListResponse, payOrderResponse } from '@ce/types';
import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { InvoiceModel } from '../../backend/src/modules/invoices';
import { JobModel } from '../../backend/src/platform/jobs';
import { pdfText } from '../invoices/pdf-text';
import { attachment, enterpriseWithPeople, inboxFor, useOrdersStack, type Payer } from './helpers';

const stack = useOrdersStack();
const { api } = stack;
const FEE = 33370;
let payer: Payer;
let otherPayer: Payer;

beforeAll(async () => {
  payer = await enterpriseWithPeople(api, 901, 16, FEE);
  otherPayer = await enterpriseWithPeople(api, 902, 2, FEE);
});

async function placeOrder(who: Payer, enrollmentIds: string[]) {
  return api.call('POST', '/api/orders', { token: who.token, body: { enrollmentIds, invoice: who.invoice } });
}

async function payByQrCode(who: Payer, orderId: string) {
  const paying = await api.call('POST', `/api/orders/${orderId}/pay`, { token: who.token, body: { method: 'WECHAT_NATIVE' } });
  expect(paying.status).toBe(200);
  return paying.body;
}

test('when an enterprise orders two enrollments, then the amount is the sum of their class fees, fixed on the order, awaiting payment', async () => {
  const ids = await payer.enroll(2);
  const placed = await placeOrder(payer, ids);
  expect(placed.status).toBe(201);
  expect(orderDetail.parse(placed.body)).toEqual(placed.body);
  expect(placed.body).toMatchObject({ state: 'PENDING_PAYMENT', stateLabel: '待支付', amountFen: 2 * FEE, itemCount: 2, payableBy: ['WECHAT_NATIVE', 'OFFLINE_TRANSFER'] });
  expect(placed.body.items.map((i: { enrollmentId: string; feeFen: number }) => [i.enrollmentId, i.feeFen])).toEqual(ids.map((id) => [id, FEE]));
  expect(placed.body.transitions).toEqual([expect.objectContaining({ from: null, to: 'PENDING_PAYMENT', by: `enterprise:${payer.owner.uscc}`, reason: '提交订单' })]);
  expect(new Date(placed.body.expiresAt).getTime() - new Date(placed.body.createdAt).getTime()).toBe(30 * 60_000);
  expect(placed.body.invoice).toMatchObject({ title: payer.owner.name, taxId: payer.owner.uscc, status: 'NOT_ISSUED', statusLabel: '待开票（支付确认后自动开具）' });

  await EnrollmentModel.updateMany({ _id: { $in: ids } }, { $set: { feeFen: 1 } });
  const later = await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token });
  expect(later.body.amountFen).toBe(2 * FEE);

  const listed = await api.call('GET', '/api/orders', { token: payer.token });
  expect(orderListResponse.parse(listed.body).items.map((o) => o.id)).toContain(placed.body.id);
});

test('when an enrollment is already in an open order, then another order with it is refused (409) and nothing is created', async () => {
  const [first, second] = await payer.enroll(2);
  expect((await placeOrder(payer, [first])).status).toBe(201);
  const again = await placeOrder(payer, [second, first]);
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({ code: 'ENROLLMENT_IN_OPEN_ORDER', details: { enrollmentIds: [first] } });
  expect(again.body.message).toMatch(/[\u4e00-\u9fa5]/);
  expect((await placeOrder(payer, [second])).status).toBe(201);
});

test('when several orders of one enrollment are placed at once, exactly one is created', async () => {
  const [id] = await payer.enroll(1);
  const answers = await Promise.all(Array.from({ length: 5 }, () => placeOrder(payer, [id])));
  const told = answers.map((a) => `${a.status} ${a.body.code ?? ''}`.trim());
  expect(told.filter((t) => t === '201')).toHaveLength(1);
  expect(told.filter((t) => t !== '201' && !/^409 (ENROLLMENT_IN_OPEN_ORDER|CONFLICT)$/.test(t))).toEqual([]);
});

test("an enterprise cannot order another enterprise's enrollments, nor read or pay another payer's order", async () => {
  const [theirs] = await otherPayer.enroll(1);
  const refused = await placeOrder(payer, [theirs]);
  expect(refused).toMatchObject({ status: 422, body: { code: 'ENROLLMENT_NOT_PAYABLE', details: { enrollmentIds: [theirs] } } });
  const placed = await placeOrder(otherPayer, [theirs]);
  for (const [method, path, body] of [
    ['GET', `/api/orders/${placed.body.id}`, undefined],
    ['GET', `/api/orders/${placed.body.id}/check`, undefined],
    ['POST', `/api/orders/${placed.body.id}/pay`, { method: 'WECHAT_NATIVE' }],
  ] as const) {
    expect(await api.call(method, path, { token: payer.token, body })).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
  }
  expect((await api.call('GET', '/api/orders', { token: payer.token })).body.items.map((o: { id: string }) => o.id)).not.toContain(placed.body.id);
});

test('an enterprise is told to pay by QR code: JSAPI needs the payer’s own WeChat', async () => {
  const [id] = await payer.enroll(1);
  const placed = await placeOrder(payer, [id]);
  const jsapi = await api.call('POST', `/api/orders/${placed.body.id}/pay`, { token: payer.token, body: { method: 'WECHAT_JSAPI' } });
  expect(jsapi).toMatchObject({ status: 400, body: { code: 'PAYMENT_METHOD_NOT_ALLOWED', message: expect.stringContaining('扫码') } });
});

test('when the payer scans the QR code and pays, then the notification makes the order PAID once, the enrollments paid, and the invoice is mailed with its PDF', async () => {
  const ids = await payer.enroll(2);
  const placed = await placeOrder(payer, ids);
  const paying = await payByQrCode(payer, placed.body.id);
  expect(payOrderResponse.parse(paying)).toEqual(paying);
  expect(paying).toMatchObject({ method: 'WECHAT_NATIVE', amountFen: 2 * FEE, codeUrl: expect.stringContaining('/pay/'), qrSvg: expect.stringContaining('<svg') });
  // Asking again for the same method gives the same payment, never a second one.
  expect((await payByQrCode(payer, placed.body.id)).outTradeNo).toBe(paying.outTradeNo);

  await stack.sim.payNow(paying.outTradeNo);
  const deliveries = await Promise.all(Array.from({ length: 10 }, () => stack.sim.deliverAgain(paying.outTradeNo)));
  expect(deliveries.every((status) => status === 200 || status === 500)).toBe(true);

  const paid = await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token });
  expect(paid.body).toMatchObject({ state: 'PAID', stateLabel: '已支付', paymentMethod: 'WECHAT_NATIVE', payableBy: [] });
  expect(paid.body.transitions.filter((t: { to: string }) => t.to === 'PAID')).toEqual([expect.objectContaining({ from: 'PENDING_PAYMENT', by: 'wechatpay' })]);
  const enrollments = await EnrollmentModel.find({ _id: { $in: ids } }).lean();
  // Shandong: no study window of its own, so study runs until the certificate's cycle ends.
  for (const enrollment of enrollments) expect(enrollment).toMatchObject({ status: 'PAID', studyUntil: enrollment.cycleExpiry });

  await stack.runJobs();
  await stack.runJobs();
  expect(await InvoiceModel.countDocuments({ orderId: placed.body.id })).toBe(1);
  expect(await JobModel.countDocuments({ name: 'invoice.issue', key: `invoice.issue:${placed.body.id}` })).toBe(1);
  const mails = await inboxFor(payer.invoice.email);
  expect(mails).toHaveLength(1);
  const text = await pdfText(await attachment(mails[0].id));
  expect(text).toContain(payer.owner.name);
  expect(text).toContain('¥667.40');

  const withInvoice = await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token });
  expect(withInvoice.body.invoice).toMatchObject({ status: 'ISSUED', statusLabel: '已开票', invoiceId: expect.any(String) });
  expect(await api.call('POST', `/api/orders/${placed.body.id}/pay`, { token: payer.token, body: { method: 'WECHAT_NATIVE' } })).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_PAYABLE' } });

  // 发票列表: listed, downloadable by its payer only, re-sendable to a corrected address.
  const invoiceId = withInvoice.body.invoice.invoiceId;
  const listed = await api.call('GET', '/api/invoices', { token: payer.token });
  expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: invoiceId, orderId: placed.body.id, totalFen: 2 * FEE, title: payer.owner.name })]));
  const pdf = await fetch(`${api.url}/api/invoices/${invoiceId}/pdf`, { headers: { authorization: `Bearer ${payer.token}` } });
  expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  expect(await pdfText(Buffer.from(await pdf.arrayBuffer()))).toContain(payer.owner.name);
  expect(await api.call('GET', `/api/invoices/${invoiceId}/pdf`, { token: otherPayer.token })).toMatchObject({ status: 404, body: { code: 'INVOICE_NOT_FOUND' } });
  expect(await api.call('POST', `/api/invoices/${invoiceId}/resend`, { token: otherPayer.token, body: {} })).toMatchObject({ status: 404 });
  const corrected = `finance-${Date.now()}@example.com`;
  const resent = await api.call('POST', `/api/invoices/${invoiceId}/resend`, { token: payer.token, body: { email: corrected } });
  expect(resent).toMatchObject({ status: 200, body: { id: invoiceId, email: corrected } });
  await stack.runJobs();
  expect(await inboxFor(corrected)).toEqual([expect.objectContaining({ attachments: [expect.objectContaining({ contentType: 'application/pdf' })] })]);
});

test('a payer saves 发票信息 once and later orders are invoiced with it', async () => {
  expect((await api.call('GET', '/api/invoice-profile', { token: otherPayer.token })).body).toEqual({ profile: null });
  const saved = await api.call('PUT', '/api/invoice-profile', { token: otherPayer.token, body: otherPayer.invoice });
  expect(saved).toMatchObject({ status: 200, body: { title: otherPayer.owner.name, kindLabel: '普票' } });
  expect((await api.call('GET', '/api/invoice-profile', { token: otherPayer.token })).body.profile).toMatchObject({ taxId: otherPayer.owner.uscc });
  const [id] = await otherPayer.enroll(1);
  const placed = await api.call('POST', '/api/orders', { token: otherPayer.token, body: { enrollmentIds: [id] } });
  expect(placed).toMatchObject({ status: 201, body: { invoice: { title: otherPayer.owner.name, email: otherPayer.invoice.email } } });
  const refused = await api.call('PUT', '/api/invoice-profile', { token: otherPayer.token, body: { ...otherPayer.invoice, kind: 'SPECIAL' } });
  expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
});

test('when nobody pays, then at expiry the order is closed (also at WeChat Pay) and its enrollments can be ordered again', async () => {
  const ids = await payer.enroll(1);
  const placed = await placeOrder(payer, ids);
  const paying = await payByQrCode(payer, placed.body.id);
  await stack.runJobs(30 * 60_000 + 1000);

  const closed = await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token });
  expect(closed.body).toMatchObject({ state: 'CLOSED', stateLabel: '已关闭' });
  expect(closed.body.transitions.at(-1)).toMatchObject({ from: 'PENDING_PAYMENT', to: 'CLOSED', by: 'system', reason: '超时未支付，订单已关闭' });
  expect(stack.sim.transaction(paying.outTradeNo)?.state).toBe('CLOSED');
  const checked = await api.call('GET', `/api/orders/${placed.body.id}/check`, { token: payer.token });
  expect(checked.body).toMatchObject({ canPayAgain: false, wechatState: 'CLOSED', advice: expect.stringContaining('已关闭') });
  expect((await placeOrder(payer, ids)).status).toBe(201);
});

test('when the payer re-enters the company name and tax ID, then they must match the invoice title and tax ID', async () => {
  const [id] = await payer.enroll(1);
  const wrong = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: [id], invoice: payer.invoice, reentry: { companyName: '另一家建筑公司', taxId: payer.owner.uscc } } });
  expect(wrong).toMatchObject({ status: 400, body: { code: 'PAYER_REENTRY_MISMATCH', message: expect.stringContaining('不一致') } });
  const right = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: [id], invoice: payer.invoice, reentry: { companyName: ` ${payer.owner.name} `, taxId: payer.owner.uscc.toLowerCase() } } });
  expect(right.status).toBe(201);
});

test('bad inputs are refused with 4xx and a Chinese message', async () => {
  const cases = [
    await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: [] , invoice: payer.invoice } }),
    await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: ['nope'], invoice: payer.invoice } }),
    await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: ['0123456789abcdef01234567'], invoice: { ...payer.invoice, taxId: undefined } } }),
    await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds: ['0123456789abcdef01234567'] } }),
    await api.call('POST', '/api/orders/0123456789abcdef01234567/pay', { token: payer.token, body: { method: 'ALIPAY' } }),
    await api.call('GET', '/api/orders/not-an-id', { token: payer.token }),
    await api.call('GET', '/api/orders'),
  ];
  expect(cases.map((c) => [c.status, c.body.code])).toEqual([
    [400, 'VALIDATION_FAILED'],
    [400, 'VALIDATION_FAILED'],
    [400, 'VALIDATION_FAILED'],
    [400, 'INVOICE_PROFILE_REQUIRED'],
    [400, 'VALIDATION_FAILED'],
    [400, 'VALIDATION_FAILED'],
    [401, 'UNAUTHENTICATED'],
  ]);
  for (const c of cases) expect(c.body.message).toMatch(/[\u4e00-\u9fa5]/);
});
