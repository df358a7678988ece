import { EnrollmentModel } from '../../backend/src/modules/enrollment/data';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';
import { createClass, enterpriseReady, importRecords, learnerBinds, NEW_PASSWORD, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend();
const alpha = enterprise(301, 'SD');
const beta = enterprise(302, 'SD');
const alphaWorker = certificate(alpha, { idNumber: makeIdNumber(311), name: '李明' });
const betaWorker = certificate(beta, { idNumber: makeIdNumber(312), name: '王强' });
let alphaToken: string;
let betaToken: string;
let classId: string;

beforeAll(async () => {
  await importRecords([alphaWorker, betaWorker], api.running.deps);
  classId = await createClass(api, await operatorReady(api), { province: 'SD', name: 'C类班', category: 'C' });
  alphaToken = await enterpriseReady(api, 'SD', alpha.name, alpha.uscc);
  betaToken = await enterpriseReady(api, 'SD', beta.name, beta.uscc);
});

test('when an enterprise lists its employees, then it sees only its own', async () => {
  const res = await api.call('GET', '/api/enterprise/employees', { token: alphaToken });
  expect(res.body.items.map((i: { certificateNo: string }) => i.certificateNo)).toEqual([alphaWorker.certificateNo]);
});

test('when an enterprise tries to enroll another enterprise\'s employee, then it is refused and nothing is written', async () => {
  const betaList = await api.call('GET', '/api/enterprise/employees', { token: betaToken });
  const betaCertificateId = betaList.body.items[0].certificateId;
  const alphaList = await api.call('GET', '/api/enterprise/employees', { token: alphaToken });
  const res = await api.call('POST', '/api/enterprise/enrollments', {
    token: alphaToken,
    body: { classId, certificateIds: [alphaList.body.items[0].certificateId, betaCertificateId] },
  });
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('ENROLLMENT_REJECTED');
  expect(res.body.details.items).toEqual([{ certificateId: betaCertificateId, reasons: [expect.objectContaining({ code: 'NOT_CURRENT_ENTERPRISE' })] }]);
  expect(await EnrollmentModel.countDocuments()).toBe(0);
});

test('when two employees are enrolled, then each learner sees only their own enrollment', async () => {
  const alphaList = await api.call('GET', '/api/enterprise/employees', { token: alphaToken });
  const betaList = await api.call('GET', '/api/enterprise/employees', { token: betaToken });
  expect((await api.call('POST', '/api/enterprise/enrollments', { token: alphaToken, body: { classId, certificateIds: [alphaList.body.items[0].certificateId] } })).status).toBe(201);
  expect((await api.call('POST', '/api/enterprise/enrollments', { token: betaToken, body: { classId, certificateIds: [betaList.body.items[0].certificateId] } })).status).toBe(201);

  const li = await learnerBinds(api, 'device-li-ming-01', alphaWorker.idNumber as string, '12345678');
  await api.call('POST', '/api/auth/password', { token: li.body.token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
  const mine = await api.call('GET', '/api/learner/enrollments', { token: li.body.token });
  expect(mine.body.items.map((e: { holderName: string }) => e.holderName)).toEqual(['李明']);
  expect(mine.body.items[0]).toMatchObject({ statusLabel: '待缴费', enterpriseName: alpha.name, feeFen: 20000 });

  const alphaEnrollments = await api.call('GET', '/api/enterprise/enrollments', { token: alphaToken });
  expect(alphaEnrollments.body.items.map((e: { holderName: string }) => e.holderName)).toEqual(['李明']);
});

test('when a caller uses a route meant for someone else, then it is refused', async () => {
  expect((await api.call('GET', '/api/enterprise/employees')).body.code).toBe('UNAUTHENTICATED');
  expect((await api.call('GET', '/api/learner/enrollments', { token: alphaToken })).body.code).toBe('FORBIDDEN');
  expect((await api.call('GET', '/api/admin/policies', { token: alphaToken })).body.code).toBe('FORBIDDEN');
  expect((await api.call('GET', '/api/enterprise/employees', { token: 'not-a-real-token' })).status).toBe(401);
});
