import mongoose from 'mongoose';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber, makeUscc } from '../helpers/fixtures';
import { createClass, enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend({ env: { BODY_LIMIT_KB: '16' } });
const owner = enterprise(401, 'SD');
let token: string;
let classId: string;

async function documentCount(): Promise<number> {
  let total = 0;
  for (const name of mongoose.modelNames()) if (name !== 'Session' && name !== 'LoginThrottle') total += await mongoose.model(name).countDocuments();
  return total;
}

beforeAll(async () => {
  await importRecords([certificate(owner)], api.running.deps);
  classId = await createClass(api, await operatorReady(api), { province: 'SD', name: 'C类班', category: 'C' });
  token = await enterpriseReady(api, 'SD', owner.name, owner.uscc);
});

const badId = (() => {
  const good = makeIdNumber(5);
  return good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
})();

const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
  ['an ID number with a wrong check digit is queried', () => api.call('POST', '/api/public/certificate-query', { body: { name: '张三', idNumber: badId, category: 'C' } }), 400, 'VALIDATION_FAILED'],
  ['an ID number with an impossible birth date is queried', () => api.call('POST', '/api/public/certificate-query', { body: { name: '张三', idNumber: '370102198002300012', category: 'C' } }), 400, 'VALIDATION_FAILED'],
  ['a Yunnan login uses an invalid credit code', () => api.call('POST', '/api/auth/enterprise/login', { body: { province: 'YN', account: makeUscc(7).slice(0, 17) + 'I', password: 'x1234567' } }), 400, 'VALIDATION_FAILED'],
  ['the body is not JSON', () => api.call('POST', '/api/auth/enterprise/login', { raw: '{"province": "SD", ', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON'],
  ['the body has an unknown field', () => api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: owner.name, password: 'x', isAdmin: true } }), 400, 'VALIDATION_FAILED'],
  ['the body is too large', () => api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: owner.name, password: 'x'.repeat(20_000) } }), 413, 'PAYLOAD_TOO_LARGE'],
  ['the body is not JSON at all', () => api.call('POST', '/api/auth/enterprise/login', { raw: 'province=SD', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['a field has the wrong type', () => api.call('POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds: 'all' } }), 400, 'VALIDATION_FAILED'],
  ['an enrollment names no one', () => api.call('POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds: [] } }), 400, 'VALIDATION_FAILED'],
  ['an enrollment names a class that does not exist', () => api.call('POST', '/api/enterprise/enrollments', { token, body: { classId: 'a'.repeat(24), certificateIds: ['b'.repeat(24)] } }), 404, 'CLASS_NOT_FOUND'],
  ['a query parameter is not allowed', () => api.call('GET', '/api/enterprise/employees?filter=everything', { token }), 400, 'VALIDATION_FAILED'],
  ['a query parameter is unknown', () => api.call('GET', '/api/enterprise/employees?drop=1', { token }), 400, 'VALIDATION_FAILED'],
  ['an unknown path is called', () => api.call('GET', '/api/nothing-here'), 404, 'NOT_FOUND'],
  ['an unsupported province is asked for', () => api.call('POST', '/api/auth/enterprise/login', { body: { province: 'BJ', account: 'x', password: 'y' } }), 400, 'VALIDATION_FAILED'],
];

test.each(cases)('when %s, then the answer is a clear 4xx error and nothing is written', async (_story, request, status, code) => {
  const before = await documentCount();
  const res = await request();
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code, message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
  expect(await documentCount()).toBe(before);
});

test('when several fields are wrong, then each is named with a Chinese message', async () => {
  const res = await api.call('POST', '/api/public/certificate-query', { body: { name: '张', idNumber: badId, category: 'Z' } });
  const paths = res.body.details.issues.map((i: { path: string }) => i.path).sort();
  expect(paths).toEqual(['category', 'idNumber', 'name']);
  for (const issue of res.body.details.issues) expect(issue.message).toMatch(/[\u4e00-\u9fa5]/);
});
