import mongoose from 'mongoose';
import { addDays, chinaDate } from '@ce/types';
import { policyPersonalEnrollment } from '../../backend/src/migrations/004-policy-personal-enrollment';
import { systemClock } from '../../backend/src/platform/clock';
import { createLogger } from '../../backend/src/platform/logger';
import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { CertificateModel } from '../../backend/src/modules/registry';
import { createClass, importRecords, learnerBinds, NEW_PASSWORD, operatorReady } from '../helpers/journeys';
import { certificate, enterprise, monthsFromToday } from '../helpers/records';
import { enterpriseWithPeople, useOrdersStack } from './helpers';

const stack = useOrdersStack();
const { api } = stack;

/** A learner with one current certificate, bound in WeChat on their own device and past the forced change. */
async function learnerWithCertificate(seed: number, province: 'SD' | 'YN', device: string, owner = enterprise(seed, province)) {
  const category = province === 'SD' ? 'C' : 'A';
  const record = certificate(owner, { category, ...(category === 'A' ? { aKind: 'MAIN' } : {}), expiryDate: monthsFromToday(3) });
  await importRecords([record], api.running.deps);
  const bound = await learnerBinds(api, device, record.idNumber, '12345678');
  if (bound.status !== 200) throw new Error(`bind failed: ${JSON.stringify(bound.body)}`);
  const token = bound.body.token as string;
  await api.call('POST', '/api/auth/password', { token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
  const certificateId = String((await CertificateModel.findOne({ certificateNo: record.certificateNo }).lean())!._id);
  return { owner, record, token, certificateId, invoice: { kind: 'NORMAL', buyerType: 'PERSON', title: record.name, email: `geren-${seed}@example.com` } };
}

async function payInMiniProgram(orderId: string, token: string) {
  const paying = await api.call('POST', `/api/orders/${orderId}/pay`, { token, body: { method: 'WECHAT_JSAPI' } });
  expect(paying).toMatchObject({ status: 200, body: { method: 'WECHAT_JSAPI', requestPayment: { package: expect.stringMatching(/^prepay_id=/) } } });
  // The learner confirms in WeChat: the simulator's control API, as its payment page does.
  const res = await fetch(`${stack.sim.url}/sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo: paying.body.outTradeNo }) });
  expect(res.status).toBe(200);
}

async function orderState(orderId: string, token: string): Promise<{ state: string; paidAt?: string }> {
  for (let i = 0; i < 50; i++) {
    const order = (await api.call('GET', `/api/orders/${orderId}`, { token })).body;
    if (order.state === 'PAID') return order;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await api.call('GET', `/api/orders/${orderId}`, { token })).body;
}

test('a Yunnan learner enrolls their own certificate, orders it with a 普票 in their own name, pays in WeChat and studies for 30 days from the payment', async () => {
  const learner = await learnerWithCertificate(941, 'YN', 'device-personal-yn-1');
  const classId = await createClass(api, await operatorReady(api, 'YN'), { province: 'YN', name: '个人报名A类班941', category: 'A', feeFen: 15000 });

  expect((await api.call('GET', '/api/learner/enrollments', { token: learner.token })).body).toMatchObject({ personalEnrollment: true, items: [] });
  const options = (await api.call('GET', '/api/learner/self-enrollment', { token: learner.token })).body;
  expect(options).toMatchObject({ allowed: true, invoiceTitle: learner.record.name, certificates: [{ certificateId: learner.certificateId, eligible: true, reasons: [] }] });
  expect(options.classes.map((c: { id: string }) => c.id)).toContain(classId);

  const enrolled = await api.call('POST', '/api/learner/enrollments', { token: learner.token, body: { classId, certificateId: learner.certificateId } });
  expect(enrolled).toMatchObject({ status: 201, body: { items: [{ status: 'AWAITING_PAYMENT', selfEnrolled: true, feeFen: 15000 }] } });
  const enrollmentIds = [enrolled.body.items[0].id];

  const asCompany = await api.call('POST', '/api/orders', { token: learner.token, body: { enrollmentIds, invoice: { kind: 'NORMAL', buyerType: 'ENTERPRISE', title: learner.owner.name, taxId: learner.owner.uscc, email: learner.invoice.email } } });
  expect(asCompany).toMatchObject({ status: 400, body: { code: 'PERSONAL_INVOICE_TITLE', message: expect.stringContaining(learner.record.name) } });

  const placed = await api.call('POST', '/api/orders', { token: learner.token, body: { enrollmentIds, invoice: learner.invoice } });
  expect(placed).toMatchObject({ status: 201, body: { amountFen: 15000, state: 'PENDING_PAYMENT' } });
  expect(placed.body.payableBy).toContain('WECHAT_JSAPI');

  await payInMiniProgram(placed.body.id, learner.token);
  const paid = await orderState(placed.body.id, learner.token);
  expect(paid.state).toBe('PAID');
  const lastStudyDay = addDays(chinaDate(new Date(paid.paidAt!)), 30);
  expect(await EnrollmentModel.findById(enrollmentIds[0]).lean()).toMatchObject({ status: 'PAID', studyUntil: lastStudyDay });
  const mine = (await api.call('GET', '/api/learner/enrollments', { token: learner.token })).body.items;
  expect(mine).toMatchObject([{ id: enrollmentIds[0], status: 'PAID', selfEnrolled: true, studyUntil: lastStudyDay, paidAt: paid.paidAt }]);
});

test('a Shandong learner is told in Chinese that they cannot enroll or pay alone there, and nothing is written', async () => {
  const learner = await learnerWithCertificate(942, 'SD', 'device-personal-sd-1');
  const classId = await createClass(api, await operatorReady(api, 'SD'), { province: 'SD', name: '个人报名C类班942', category: 'C' });

  expect((await api.call('GET', '/api/learner/enrollments', { token: learner.token })).body).toMatchObject({ personalEnrollment: false });
  expect((await api.call('GET', '/api/learner/self-enrollment', { token: learner.token })).body).toMatchObject({ allowed: false, notAllowedReason: expect.stringContaining('企业'), certificates: [] });
  const refused = await api.call('POST', '/api/learner/enrollments', { token: learner.token, body: { classId, certificateId: learner.certificateId } });
  expect(refused).toMatchObject({ status: 403, body: { code: 'PERSONAL_ENROLLMENT_NOT_ALLOWED', message: expect.stringContaining('不支持学员自己报名缴费') } });
  expect(await EnrollmentModel.countDocuments({ certificateId: learner.certificateId })).toBe(0);
  const ordered = await api.call('POST', '/api/orders', { token: learner.token, body: { enrollmentIds: ['0123456789abcdef01234567'], invoice: learner.invoice } });
  expect(ordered).toMatchObject({ status: 403, body: { code: 'PERSONAL_ENROLLMENT_NOT_ALLOWED' } });
});

test("a learner cannot enroll someone else's certificate, nor pay what their enterprise enrolled; the enterprise cannot order the learner's own enrollment", async () => {
  const company = await enterpriseWithPeople(api, 944, 1, 18000, 'YN');
  const learner = await learnerWithCertificate(943, 'YN', 'device-personal-yn-2', company.owner);
  const classId = await createClass(api, await operatorReady(api, 'YN'), { province: 'YN', name: '个人报名A类班943', category: 'A', feeFen: 15000 });
  const colleague = (await CertificateModel.findOne({ enterpriseUscc: company.owner.uscc, _id: { $ne: learner.certificateId } }).lean())!;

  const notMine = await api.call('POST', '/api/learner/enrollments', { token: learner.token, body: { classId, certificateId: String(colleague._id) } });
  expect(notMine).toMatchObject({ status: 404, body: { code: 'CERTIFICATE_NOT_YOURS', message: expect.stringContaining('本人') } });
  expect(await EnrollmentModel.countDocuments({ certificateId: colleague._id })).toBe(0);

  const [companyEnrollment] = await company.enroll(1);
  const paysCompanys = await api.call('POST', '/api/orders', { token: learner.token, body: { enrollmentIds: [companyEnrollment], invoice: learner.invoice } });
  expect(paysCompanys).toMatchObject({ status: 422, body: { code: 'ENROLLMENT_NOT_PAYABLE' } });

  const own = await api.call('POST', '/api/learner/enrollments', { token: learner.token, body: { classId, certificateId: learner.certificateId } });
  const again = await api.call('POST', '/api/learner/enrollments', { token: learner.token, body: { classId, certificateId: learner.certificateId } });
  expect(again).toMatchObject({ status: 422, body: { code: 'ENROLLMENT_REJECTED', details: { items: [{ reasons: [{ code: 'ALREADY_ENROLLED' }] }] } } });
  const reentry = { companyName: company.owner.name, taxId: company.owner.uscc };
  const companyOrders = await api.call('POST', '/api/orders', { token: company.token, body: { enrollmentIds: [own.body.items[0].id], invoice: company.invoice, reentry } });
  expect(companyOrders).toMatchObject({ status: 422, body: { code: 'ENROLLMENT_NOT_PAYABLE' } });
  const listed = (await api.call('GET', '/api/enterprise/enrollments', { token: company.token })).body.items.map((e: { id: string }) => e.id);
  expect(listed).toEqual([companyEnrollment]);
});

test('migration 004 gives policies stored before personal enrollment the setting (Yunnan on, Shandong off) and keeps what an operator set', async () => {
  const policies = mongoose.connection.db!.collection<{ province: string; settings: { orders: Record<string, unknown> } }>('policies');
  await policies.updateMany({}, { $unset: { 'settings.orders.personalEnrollment': '' } });
  await policies.insertOne({ province: 'XX', settings: { orders: { personalEnrollment: true } } });
  await policyPersonalEnrollment.up({ db: mongoose.connection.db!, clock: systemClock, logger: createLogger('silent') });
  const stored = Object.fromEntries((await policies.find({}).toArray()).map((p) => [p.province, p.settings.orders.personalEnrollment]));
  expect(stored).toMatchObject({ YN: true, SD: false, XX: true });
  await policies.deleteOne({ province: 'XX' });
});
