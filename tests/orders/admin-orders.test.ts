import { adminOrderListResponse } from '@ce/types';
import { createStaffAccount } from '../../backend/src/modules/accounts';
import { OrderModel, orderAdminRoutes } from '../../backend/src/modules/orders';
import { certificate } from '../helpers/records';
import { importRecords, learnerBinds, NEW_PASSWORD, operatorReady } from '../helpers/journeys';
import { enterpriseWithPeople, useOrdersStack, type Payer } from './helpers';

const { api } = useOrdersStack();
const FEE = 26000;
let jinan: Payer;
let qingdao: Payer;

async function staff(username: string, role: 'reviewer' | 'operator', province: string, city?: string): Promise<string> {
  const { initialPassword } = await createStaffAccount({ username, role, province, city });
  const login = await api.call('POST', '/api/auth/staff/login', { body: { username, password: initialPassword } });
  await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: NEW_PASSWORD } });
  return login.body.token;
}

async function order(who: Payer): Promise<{ id: string; orderNo: string }> {
  const placed = await api.call('POST', '/api/orders', { token: who.token, body: { enrollmentIds: await who.enroll(1), invoice: who.invoice } });
  expect(placed.status).toBe(201);
  return placed.body;
}

async function search(token: string, query = '') {
  const res = await api.call('GET', `/api/admin/orders${query}`, { token });
  expect(res.status).toBe(200);
  return adminOrderListResponse.parse(res.body).items;
}

beforeAll(async () => {
  jinan = await enterpriseWithPeople(api, 951, 3, FEE);
  qingdao = await enterpriseWithPeople(api, 952, 2, FEE);
});

test('when learners and enterprises call any staff order route, then each is refused with 403 and a Chinese message', async () => {
  const owner = jinan.owner;
  const holder = certificate(owner);
  await importRecords([holder], api.running.deps);
  const bound = await learnerBinds(api, 'device-admin-orders-1', holder.idNumber, '12345678');
  const learner = bound.body.token as string;
  await api.call('POST', '/api/auth/password', { token: learner, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
  const id = '0123456789abcdef01234567';
  for (const route of orderAdminRoutes) {
    const path = route.path.replace(':id', id);
    for (const [who, token] of [['learner', learner], ['enterprise', jinan.token]] as const) {
      const res = await api.call(route.method.toUpperCase(), path, { token, ...(route.method === 'post' ? { body: { amountFen: 1, reason: '试图越权' } } : {}) });
      expect({ route: `${route.method} ${route.path}`, who, status: res.status, code: res.body.code }).toEqual({ route: `${route.method} ${route.path}`, who, status: 403, code: 'FORBIDDEN' });
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await api.call(route.method.toUpperCase(), path, {})).status).toBe(401);
  }
});

test('when staff search orders, then a reviewer sees its city, an operator its province, and another province nothing', async () => {
  const mine = await order(jinan);
  const theirs = await order(qingdao);
  const jinanReviewer = await staff('search-reviewer-jn', 'reviewer', 'SD', '济南市');
  const qingdaoReviewer = await staff('search-reviewer-qd', 'reviewer', 'SD', '青岛市');
  const operator = await operatorReady(api, 'SD');
  const yunnan = await operatorReady(api, 'YN');

  // The second enterprise's order is one of 青岛市 (the fixtures put every enterprise in 济南市).
  await OrderModel.updateOne({ _id: theirs.id }, { $set: { city: '青岛市' } });

  const byReviewer = (await search(jinanReviewer)).map((o) => o.id);
  expect(byReviewer).toContain(mine.id);
  expect(byReviewer).not.toContain(theirs.id);
  const byQingdao = (await search(qingdaoReviewer)).map((o) => o.id);
  expect(byQingdao).toContain(theirs.id);
  expect(byQingdao).not.toContain(mine.id);
  expect((await search(operator)).map((o) => o.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  expect(await search(yunnan)).toEqual([]);
  expect((await api.call('GET', `/api/admin/orders/${mine.id}`, { token: qingdaoReviewer })).status).toBe(404);
  const detail = await api.call('GET', `/api/admin/orders/${mine.id}`, { token: jinanReviewer });
  expect(detail.body).toMatchObject({ id: mine.id, payerName: jinan.owner.name, city: '济南市', invoice: { status: 'NOT_ISSUED' }, refunds: [] });
});

test('when staff search by order number, payer name, state or dates, then only matching orders come back', async () => {
  const placed = await order(jinan);
  const operator = await operatorReady(api, 'SD');
  expect((await search(operator, `?q=${placed.orderNo}`)).map((o) => o.id)).toEqual([placed.id]);
  expect((await search(operator, `?q=${encodeURIComponent(jinan.owner.name.slice(0, 6))}&state=PENDING_PAYMENT`)).map((o) => o.id)).toContain(placed.id);
  expect(await search(operator, `?q=${placed.orderNo}&state=PAID`)).toEqual([]);
  expect(await search(operator, `?q=${placed.orderNo}&from=2001-01-01&to=2001-01-31`)).toEqual([]);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  expect((await search(operator, `?q=${placed.orderNo}&from=${today}&to=${today}`)).map((o) => o.id)).toEqual([placed.id]);
  expect((await search(operator, '?q=' + encodeURIComponent('.*(a+)+$'))).length).toBe(0);
  const backwards = await api.call('GET', '/api/admin/orders?from=2026-02-01&to=2026-01-01', { token: operator });
  expect([backwards.status, backwards.body.details.issues[0].message]).toEqual([400, '开始日期不能晚于结束日期']);
});
