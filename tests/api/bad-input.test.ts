import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber, makeUscc } from '../helpers/fixtures';
import { createClass, enterpriseReady, importRecords, operatorReady, wechatCode } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

/** Served like `npm start` serves the mini-program's H5 build, so static serving meets the odd paths too. */
const h5Dir = mkdtempSync(path.join(tmpdir(), 'ce-h5-'));
writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>h5</title>');

const api = useTestBackend({ env: { BODY_LIMIT_KB: '16', H5_DIST_DIR: h5Dir, LOGIN_RATE_PER_MINUTE: '1000' } });
const owner = enterprise(401, 'SD');
let token: string;
let classId: string;

/** Sessions and rate-limit/lockout counters are bookkeeping every attempt may touch; everything else is data. */
const BOOKKEEPING = new Set(['Session', 'RateLimit', 'LoginFailure']);

async function documentCount(): Promise<number> {
  let total = 0;
  for (const name of mongoose.modelNames()) if (!BOOKKEEPING.has(name)) total += await mongoose.model(name).countDocuments();
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
  ['a path starts with a double slash', () => api.call('GET', '//api/auth/me', { token }), 404, 'NOT_FOUND'],
  ['a path has a double slash inside', () => api.call('GET', '/api//auth/me', { token }), 404, 'NOT_FOUND'],
  ['a path names another host', () => api.call('GET', '//evil.example/index.html'), 404, 'NOT_FOUND'],
  ['a path has broken percent-encoding', () => api.call('GET', '/%E0%A4%A'), 404, 'NOT_FOUND'],
  ['a path climbs out of the served folder', () => api.call('GET', '/..%2F..%2Fetc%2Fpasswd'), 404, 'NOT_FOUND'],
  ['a route parameter has broken percent-encoding', () => api.call('GET', '/api/admin/policies/%E0%A4%A/effective', { token }), 404, 'NOT_FOUND'],
  ['a WeChat login code is made up', () => api.call('POST', '/api/auth/learner/wechat-login', { body: { code: 'made-up-code' } }), 401, 'WECHAT_CODE_INVALID'],
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

test('when a WeChat login code is used a second time, then the answer is a 4xx that says to reopen the mini-program', async () => {
  const code = await wechatCode('device-bad-input-1');
  expect((await api.call('POST', '/api/auth/learner/wechat-login', { body: { code } })).status).toBe(200);
  const again = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code } });
  expect(again.status).toBe(401);
  expect(again.body).toMatchObject({ code: 'WECHAT_CODE_INVALID', message: expect.stringContaining('重新打开小程序') });
});

/** Bodies a careless or hostile client might send to any route. */
const JUNK_BODIES: [string, string][] = [
  ['null', 'null'],
  ['an array', '[1,2,3]'],
  ['a bare string', '"x"'],
  ['an empty object', '{}'],
  ['a prototype-polluting object', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'],
  ['deeply nested arrays', '['.repeat(2000) + ']'.repeat(2000)],
  ['wrong types everywhere', '{"province":1,"account":[],"password":{},"classId":true,"certificateIds":[{"$gt":""}],"code":{"$ne":null},"idNumber":1e400}'],
];

test('when every route is called with junk paths, bodies and tokens, then no answer is a 5xx and each says why in Chinese', async () => {
  const doc = (await api.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const tokens = [undefined, 'not-a-token', token];
  const failures: string[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const method of Object.keys(operations)) {
      for (const param of ['x', 'a'.repeat(300), '%00', '..%2F']) {
        const url = template.replace(/\{\w+\}/g, param);
        for (const auth of tokens) {
          for (const [label, raw] of method === 'get' ? [['no body', undefined] as [string, undefined]] : JUNK_BODIES) {
            const res = await api.call(method.toUpperCase(), url, { token: auth, raw, headers: raw === undefined ? {} : { 'content-type': 'application/json' } });
            const chinese = typeof res.body === 'object' && /[\u4e00-\u9fa5]/.test(String(res.body?.message));
            if (res.status >= 500 || (res.status >= 400 && !chinese)) failures.push(`${method} ${url.slice(0, 60)} token=${auth ? 'yes' : 'no'} body=${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          }
        }
      }
    }
  }
  expect(failures).toEqual([]);
}, 120_000);
