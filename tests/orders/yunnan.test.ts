import { addDays, chinaDate } from '@ce/types';
import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { enterpriseWithPeople, useOrdersStack, type Payer } from './helpers';

const stack = useOrdersStack();
const { api } = stack;
let payer: Payer;

beforeAll(async () => {
  payer = await enterpriseWithPeople(api, 931, 2, 18000, 'YN');
});

test('in Yunnan an enterprise re-enters its name and tax ID to order, and its people study for 30 days from the payment', async () => {
  const enrollmentIds = await payer.enroll(2);
  const without = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds, invoice: payer.invoice } });
  expect(without).toMatchObject({ status: 400, body: { code: 'PAYER_REENTRY_REQUIRED', message: expect.stringContaining('纳税人识别号') } });

  const reentry = { companyName: payer.owner.name, taxId: payer.owner.uscc };
  const placed = await api.call('POST', '/api/orders', { token: payer.token, body: { enrollmentIds, invoice: payer.invoice, reentry } });
  expect(placed).toMatchObject({ status: 201, body: { amountFen: 36000, payableBy: ['WECHAT_NATIVE'] } });
  const paying = await api.call('POST', `/api/orders/${placed.body.id}/pay`, { token: payer.token, body: { method: 'WECHAT_NATIVE' } });
  await stack.sim.payNow(paying.body.outTradeNo);

  const paid = (await api.call('GET', `/api/orders/${placed.body.id}`, { token: payer.token })).body;
  expect(paid.state).toBe('PAID');
  const lastStudyDay = addDays(chinaDate(new Date(paid.paidAt)), 30);
  for (const enrollment of await EnrollmentModel.find({ _id: { $in: enrollmentIds } }).lean()) expect(enrollment).toMatchObject({ status: 'PAID', studyUntil: lastStudyDay });
});
