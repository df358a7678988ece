import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { EnterpriseAccountModel } from '../../backend/src/modules/accounts/data';
import { CertificateModel, EnterpriseModel, PersonModel } from '../../backend/src/modules/registry/data';
import { importCertificates } from '../../backend/src/modules/registry/import';
import { withDatabaseName } from '../../backend/src/platform/embeddedMongo';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber, makeUscc } from '../helpers/fixtures';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend();
const deps = () => api.running.deps;
const dir = mkdtempSync(path.join(tmpdir(), 'ce-import-'));

async function snapshot() {
  const strip = (docs: object[]) => (docs as Record<string, unknown>[]).map(({ syncedAt: _s, ...rest }) => rest);
  return {
    certificates: strip(await CertificateModel.find().sort({ certificateNo: 1 }).lean()),
    persons: await PersonModel.find().sort({ idHash: 1 }).lean(),
    enterprises: strip(await EnterpriseModel.find().sort({ uscc: 1 }).lean()),
  };
}

test('when the same file is imported twice, then the second run changes nothing', async () => {
  const owner = enterprise(601, 'SD');
  const records = [certificate(owner), certificate(owner, { category: 'A', aKind: 'MAIN' }), certificate(owner, { category: 'B', constructorEnterpriseUscc: owner.uscc, constructorValidUntil: '2028-01-01' })];
  const first = await importRecords(records, deps());
  expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 0 });
  const before = await snapshot();
  const second = await importRecords(records, deps());
  expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 0 });
  expect(await snapshot()).toEqual(before);
});

test('when a certificate moves to another enterprise, then it belongs to the new one and remembers the old', async () => {
  const from = enterprise(611, 'SD');
  const to = enterprise(612, 'SD');
  const record = certificate(from);
  await importRecords([record], deps());
  const moved = await importRecords([{ ...record, enterpriseName: to.name, enterpriseUscc: to.uscc }], deps());
  expect(moved).toMatchObject({ updated: 1, created: 0 });
  const doc = await CertificateModel.findOne({ certificateNo: record.certificateNo }).lean();
  expect(doc).toMatchObject({ enterpriseUscc: to.uscc, previousEnterpriseUscc: from.uscc });
  expect(doc!.transferredAt).toBeInstanceOf(Date);
  expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: to.uscc, status: 'ACTIVE' })).toBe(1);
});

test('when an enterprise is renamed in Shandong (login by name), then the new name gets a new account and the old one points to it', async () => {
  const owner = enterprise(621, 'SD');
  const record = certificate(owner);
  await importRecords([record], deps());
  await importRecords([{ ...record, enterpriseName: '济南新名称建设集团有限公司' }], deps());
  const accounts = await EnterpriseAccountModel.find({ enterpriseUscc: owner.uscc }).sort({ createdAt: 1 }).lean();
  expect(accounts.map((a) => [a.loginId, a.status])).toEqual([
    [owner.name, 'RENAMED'],
    ['济南新名称建设集团有限公司', 'ACTIVE'],
  ]);
  expect((await EnterpriseModel.findOne({ uscc: owner.uscc }).lean())!.formerNames).toEqual([owner.name]);

  const oldLogin = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: owner.name, password: owner.uscc } });
  expect(oldLogin.status).toBe(401);
  expect(oldLogin.body).toMatchObject({ code: 'ACCOUNT_RENAMED', details: { newName: '济南新名称建设集团有限公司' } });
  expect(oldLogin.body.message).toContain('济南新名称建设集团有限公司');
  const newLogin = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: '济南新名称建设集团有限公司', password: owner.uscc } });
  expect(newLogin.body.principal).toMatchObject({ displayName: '济南新名称建设集团有限公司', mustChangePassword: true });
});

test('when an enterprise is renamed in Yunnan (login by credit code), then the same account stays', async () => {
  const owner = enterprise(631, 'YN');
  const record = certificate(owner, { category: 'B' });
  await importRecords([record], deps());
  await importRecords([{ ...record, enterpriseName: '昆明更名后工程有限公司' }], deps());
  const accounts = await EnterpriseAccountModel.find({ enterpriseUscc: owner.uscc }).lean();
  expect(accounts.map((a) => [a.loginId, a.status, a.enterpriseName])).toEqual([[owner.uscc, 'ACTIVE', '昆明更名后工程有限公司']]);
});

describe('bad lines', () => {
  const owner = enterprise(641, 'SD');
  const good = () => certificate(owner);
  const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
  const bad: [string, Record<string, unknown> | string, RegExp][] = [
    ['an ID number with a wrong check digit', { ...good(), idNumber: wrongCheckDigit(makeIdNumber(642)) }, /身份证号码不正确/],
    ['a credit code with a wrong check character', { ...good(), enterpriseUscc: makeUscc(643).slice(0, 17) + '0' === makeUscc(643) ? makeUscc(643).slice(0, 17) + '1' : makeUscc(643).slice(0, 17) + '0' }, /统一社会信用代码不正确/],
    ['an unknown category', { ...good(), category: 'Z' }, /证书类别不正确/],
    ['an expiry before the issue date', { ...good(), issueDate: '2027-01-01', expiryDate: '2026-01-01' }, /有效期截止日须晚于发证日期/],
    ['a missing holder name', (({ name: _n, ...rest }) => rest)(good()), /name/],
    ['an A certificate without main/additional', { ...good(), category: 'A' }, /主A证或增发A证/],
    ['an unknown field', { ...good(), salary: 1 }, /不支持的字段/],
    ['a line that is not JSON', '{"certificateNo": "broken"', /不是合法的 JSON/],
  ];

  test.each(bad)('when a line has %s, then it is reported with its line number and nothing of it is written', async (_story, line, reason) => {
    const before = await snapshot();
    async function* lines() {
      yield JSON.stringify(good()); // line 1 is fine
      yield typeof line === 'string' ? line : JSON.stringify(line);
    }
    const summary = await importCertificates({ lines: lines(), format: 'jsonl' }, { deps: deps(), trigger: 'cli' });
    expect(summary).toMatchObject({ created: 1, rejected: 1 });
    expect(summary.rejections[0].line).toBe(2);
    expect(summary.rejections[0].reasons.join(' ')).toMatch(reason);
    const after = await snapshot();
    expect(after.certificates.length).toBe(before.certificates.length + 1);
    expect(after.persons.length).toBe(before.persons.length + 1);
  });

  test('when a certificate number arrives with another holder\'s ID number, then the line is refused', async () => {
    const record = good();
    await importRecords([record], deps());
    const summary = await importRecords([{ ...record, idNumber: makeIdNumber(649), name: '冒名者' }], deps());
    expect(summary.rejections[0].reasons).toEqual(['证书编号已属于其他持证人']);
    expect((await CertificateModel.findOne({ certificateNo: record.certificateNo }).lean())!.holderName).toBe(record.name);
  });
});

const CSV_HEADER = 'certificateNo,name,idNumber,category,jobType,subCategory,aKind,issueDate,expiryDate,status,busy,enterpriseName,enterpriseUscc,province,city,constructorEnterpriseUscc,constructorValidUntil';
const toCsv = (r: Record<string, unknown>) => CSV_HEADER.split(',').map((k) => (r[k] === undefined ? '' : String(r[k]))).join(',');

test('when CSV and JSON lines carry the same records, then the result is the same', async () => {
  const owner = enterprise(651, 'YN');
  const records = [certificate(owner, { category: 'SITE_PRO', jobType: '施工员', subCategory: '土建', busy: true }), certificate(owner, { category: 'A', aKind: 'ADDITIONAL' })];
  const csvFile = path.join(dir, 'same.csv');
  writeFileSync(csvFile, [CSV_HEADER, ...records.map(toCsv)].join('\n') + '\n');
  expect(await importCertificates({ path: csvFile }, { deps: deps(), trigger: 'cli' })).toMatchObject({ created: 2, rejected: 0 });
  const jsonlFile = path.join(dir, 'same.jsonl');
  writeFileSync(jsonlFile, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  expect(await importCertificates({ path: jsonlFile }, { deps: deps(), trigger: 'cli' })).toMatchObject({ unchanged: 2, created: 0, updated: 0 });
  const doc = await CertificateModel.findOne({ certificateNo: records[0].certificateNo }).lean();
  expect(doc).toMatchObject({ jobType: '施工员', subCategory: '土建', busy: true });
});

test('when a CSV row has the wrong number of columns, then that row is refused with its line number', async () => {
  const owner = enterprise(652, 'SD');
  const file = path.join(dir, 'columns.csv');
  writeFileSync(file, [CSV_HEADER, toCsv(certificate(owner)), 'SD-SHORT-1,张三,370102198001010011'].join('\n') + '\n');
  const summary = await importCertificates({ path: file }, { deps: deps(), trigger: 'cli' });
  expect(summary).toMatchObject({ created: 1, rejected: 1 });
  expect(summary.rejections[0]).toMatchObject({ line: 3, reasons: [expect.stringContaining('列数不正确')] });
});

test('when the sync command runs on a file, then it prints the summary and each rejected line', async () => {
  const owner = enterprise(661, 'SD');
  const file = path.join(dir, 'cli.jsonl');
  writeFileSync(file, [JSON.stringify(certificate(owner)), JSON.stringify(certificate(owner)), 'oops'].join('\n') + '\n');
  const dbName = mongoose.connection.db!.databaseName;
  const result = spawnSync('npx', ['tsx', 'backend/src/cli/sync-certificates.ts', file], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, MONGODB_URI: withDatabaseName(process.env.TEST_MONGODB_URI!, dbName) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('导入完成：新增 2，更新 0，未变 0，拒绝 1');
  expect(result.stdout).toContain('第 3 行：不是合法的 JSON');
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(2);

  const missing = spawnSync('npx', ['tsx', 'backend/src/cli/sync-certificates.ts', path.join(dir, 'nope.jsonl')], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('找不到文件');
});
