import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { CertificateModel } from '../../backend/src/modules/registry/data';
import { EnrollmentModel } from '../../backend/src/modules/enrollment/data';
import { EnterpriseAccountModel } from '../../backend/src/modules/accounts';
import { startBackend } from '../../backend/src/app';
import { useTestBackend } from '../helpers/backend';
import { testConfig } from '../helpers/db';
import { REPO_ROOT } from '../helpers/h5-build';

const logLines: Record<string, unknown>[] = [];
const api = useTestBackend({ env: { LOG_LEVEL: 'info' }, logDestination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });

test('when the service is up, then /healthz and /readyz say so', async () => {
  expect((await api.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
  expect((await api.call('GET', '/readyz')).body).toEqual({ status: 'ready' });
});

test('when the OpenAPI document is read, then every route is there and says who may call it', async () => {
  const doc = (await api.call('GET', '/openapi.json')).body;
  expect(doc.openapi).toBe('3.1.0');
  const operations = Object.values(doc.paths as Record<string, Record<string, { 'x-audience': string }>>).flatMap((p) => Object.values(p));
  expect(operations.length).toBeGreaterThanOrEqual(15);
  for (const op of operations) expect(op['x-audience']).toMatch(/^(public|[a-z, ]+)$/);
  expect(doc.paths['/api/enterprise/enrollments'].post['x-audience']).toBe('enterprise');
  const page = await fetch(api.url + '/docs');
  expect(await page.text()).toContain('/openapi.json');
  expect((await fetch(api.url + '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
});

describe('indexes are built at start', () => {
  const doc = () => ({
    certificateNo: 'DUP-0001', personId: new mongoose.Types.ObjectId(), idHash: 'h', holderName: 'x', category: 'C' as const, issueDate: '2024-01-01',
    expiryDate: '2027-01-01', status: 'VALID' as const, enterpriseUscc: 'u', province: 'SD', city: '济南市', contentHash: 'c', syncedAt: new Date(),
  });

  test('when a certificate number is inserted twice, then the second is refused', async () => {
    await CertificateModel.create(doc());
    await expect(CertificateModel.create(doc())).rejects.toMatchObject({ code: 11000 });
    expect(await CertificateModel.countDocuments({ certificateNo: 'DUP-0001' })).toBe(1);
  });

  test('when the same certificate is enrolled twice in one cycle, then the second is refused', async () => {
    const e = {
      certificateId: new mongoose.Types.ObjectId(), cycleExpiry: '2027-01-01', classId: new mongoose.Types.ObjectId(), className: 'c', personId: new mongoose.Types.ObjectId(),
      enterpriseUscc: 'u', enterpriseName: 'n', certificateNo: 'x', category: 'C' as const, holderName: 'h', idMasked: 'm', feeFen: 1, status: 'AWAITING_PAYMENT' as const, enrolledBy: 'a', createdAt: new Date(),
    };
    await EnrollmentModel.create(e);
    await expect(EnrollmentModel.create({ ...e, _id: undefined })).rejects.toMatchObject({ code: 11000 });
  });

  test('when one enterprise gets a second account in the same province, then the second is refused', async () => {
    const a = { province: 'SD', enterpriseUscc: 'u1', enterpriseName: '某公司', nameKey: '某公司' };
    await EnterpriseAccountModel.create(a);
    await expect(EnterpriseAccountModel.create({ ...a, enterpriseName: '某公司（新名）', nameKey: '某公司（新名）' })).rejects.toMatchObject({ code: 11000 });
    expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: 'u1' })).toBe(1);
  });
});

describe('request ids', () => {
  test('when a client sends a sane X-Request-Id, then every answer echoes it and the log line carries it', async () => {
    for (const path of ['/healthz', '/api/auth/me', '/api/nothing-here', '/openapi.json']) {
      const res = await fetch(api.url + path, { headers: { 'x-request-id': 'client-42.retry_1' } });
      expect(res.headers.get('x-request-id')).toBe('client-42.retry_1');
    }
    const logged = logLines.filter((l) => l.reqId === 'client-42.retry_1' && l.msg === 'request');
    expect(logged.map((l) => l.path)).toEqual(['/healthz', '/api/auth/me', '/api/nothing-here', '/openapi.json']);
  });

  test('when a client sends no X-Request-Id, or one that is too long or has odd characters, then a fresh one is made', async () => {
    const seen = new Set<string>();
    for (const given of [undefined, 'x'.repeat(65), 'evil id\twith spaces', '../../etc', '"><script>']) {
      const res = await fetch(api.url + '/healthz', { headers: given === undefined ? {} : { 'x-request-id': given } });
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      expect(id).not.toBe(given);
      seen.add(id);
    }
    expect(seen.size).toBe(5);
    expect(logLines.some((l) => typeof l.reqId === 'string' && String(l.reqId).includes('script'))).toBe(false);
  });
});

test('when WeChat cannot be reached, then a learner login is answered 502 with a Chinese message, not 500', async () => {
  const cutOff = await startBackend(testConfig({ WECHAT_API_BASE: 'http://127.0.0.1:9' }), { connected: true });
  try {
    const res = await fetch(cutOff.url + '/api/auth/learner/wechat-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'any-code' }) });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'WECHAT_LOGIN_FAILED', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
  } finally {
    await cutOff.stop();
  }
});

test('when code uses a module from outside it, then only through the module\'s index (its public face)', () => {
  const src = path.join(REPO_ROOT, 'backend/src');
  const modules = readdirSync(path.join(src, 'modules'));
  for (const name of modules) expect(readdirSync(path.join(src, 'modules', name))).toContain('index.ts');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => (statSync(path.join(dir, entry)).isDirectory() ? files(path.join(dir, entry)) : [path.join(dir, entry)]));
  const deepImports = files(src)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const home = path.relative(src, file).split(path.sep);
      const ownModule = home[0] === 'modules' ? home[1] : undefined;
      return [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
        .map((m) => path.relative(src, path.resolve(path.dirname(file), m[1])).split(path.sep))
        .filter((target) => target[0] === 'modules' && target[1] !== ownModule && target.length > 2)
        .map((target) => `${path.relative(src, file)} → ${target.join('/')}`);
    });
  expect(deepImports).toEqual([]);
});
