import { EnterpriseAccountModel } from '../../backend/src/modules/accounts/data';
import { CertificateModel, EnterpriseModel, SyncRunModel } from '../../backend/src/modules/registry/data';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';
import { csvFile, importFile, jsonlFile, registrySnapshot, runSyncCli, scratchDir } from './registry-helpers';

const api = useTestBackend();
const deps = () => api.running.deps;
const dir = scratchDir();

test('when the same file is imported twice, then the second run changes nothing', async () => {
  const owner = enterprise(601, 'SD');
  const records = [certificate(owner), certificate(owner, { category: 'A', aKind: 'MAIN' }), certificate(owner, { category: 'B', constructorEnterpriseUscc: owner.uscc, constructorValidUntil: '2028-01-01' })];
  const first = await importRecords(records, deps());
  expect(first).toMatchObject({ outcome: 'SUCCEEDED', created: 3, updated: 0, unchanged: 0, rejected: 0 });
  const before = await registrySnapshot();
  const second = await importRecords(records, deps());
  expect(second).toMatchObject({ outcome: 'SUCCEEDED', created: 0, updated: 0, unchanged: 3, rejected: 0 });
  expect(await registrySnapshot()).toEqual(before);
  const runs = await SyncRunModel.find({ _id: { $in: [first.runId, second.runId] } }).lean();
  expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
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
  expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: to.uscc })).toBe(1);
});

test('when an enterprise is renamed in Shandong (login by name), then it keeps its former name and logs in under the new one', async () => {
  const owner = enterprise(621, 'SD');
  const record = certificate(owner);
  await importRecords([record], deps());
  await importRecords([{ ...record, enterpriseName: '济南新名称建设集团有限公司' }], deps());
  expect((await EnterpriseModel.findOne({ uscc: owner.uscc }).lean())!.formerNames).toEqual([owner.name]);
  const accounts = await EnterpriseAccountModel.find({ enterpriseUscc: owner.uscc }).lean();
  expect(accounts.map((a) => a.enterpriseName)).toEqual(['济南新名称建设集团有限公司']);

  const oldLogin = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: owner.name, password: owner.uscc } });
  expect(oldLogin.body).toMatchObject({ code: 'ACCOUNT_RENAMED', details: { newName: '济南新名称建设集团有限公司' } });
  const newLogin = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: '济南新名称建设集团有限公司', password: owner.uscc } });
  expect(newLogin.body.principal).toMatchObject({ displayName: '济南新名称建设集团有限公司', mustChangePassword: true });
});

test('when an enterprise is renamed in Yunnan (login by credit code), then the same account carries the new name', async () => {
  const owner = enterprise(631, 'YN');
  const record = certificate(owner, { category: 'B' });
  await importRecords([record], deps());
  await importRecords([{ ...record, enterpriseName: '昆明更名后工程有限公司' }], deps());
  const accounts = await EnterpriseAccountModel.find({ enterpriseUscc: owner.uscc }).lean();
  expect(accounts.map((a) => a.enterpriseName)).toEqual(['昆明更名后工程有限公司']);
});

test('when a certificate number arrives with another holder\'s ID number, then it is reported with the file\'s other bad lines and the holder stays', async () => {
  const owner = enterprise(641, 'SD');
  const record = certificate(owner);
  await importRecords([record], deps());
  const summary = await importRecords([certificate(owner, { status: 'MAYBE' }), certificate(owner), { ...record, idNumber: makeIdNumber(649), name: '冒名者' }], deps());
  expect(summary).toMatchObject({ outcome: 'REJECTED', created: 0, rejected: 2 });
  expect(summary.rejections[0]).toMatchObject({ line: 1, reasons: [expect.stringContaining('证书状态不正确')] });
  expect(summary.rejections[1]).toEqual({ line: 3, certificateNo: record.certificateNo, reasons: ['证书编号已属于其他持证人'] });
  expect((await CertificateModel.findOne({ certificateNo: record.certificateNo }).lean())!.holderName).toBe(record.name);
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(1);
});

test('when CSV and JSON lines carry the same records, then the result is the same', async () => {
  const owner = enterprise(651, 'YN');
  const records = [certificate(owner, { category: 'SITE_PRO', jobType: '施工员', subCategory: '土建', busy: true }), certificate(owner, { category: 'A', aKind: 'ADDITIONAL' })];
  expect(await importFile(csvFile(dir, 'same.csv', records), deps())).toMatchObject({ outcome: 'SUCCEEDED', created: 2, records: 2 });
  expect(await importFile(jsonlFile(dir, 'same.jsonl', records), deps())).toMatchObject({ outcome: 'SUCCEEDED', unchanged: 2, created: 0, updated: 0 });
  const doc = await CertificateModel.findOne({ certificateNo: records[0].certificateNo }).lean();
  expect(doc).toMatchObject({ jobType: '施工员', subCategory: '土建', busy: true });
});

test('when an optional field is dropped in a later export, then it is removed from the certificate', async () => {
  const owner = enterprise(653, 'YN');
  const record = certificate(owner, { category: 'SITE_PRO', jobType: '施工员', subCategory: '土建' });
  await importRecords([record], deps());
  await importRecords([{ ...record, subCategory: undefined }], deps());
  const doc = await CertificateModel.findOne({ certificateNo: record.certificateNo }).lean();
  expect(doc).toMatchObject({ jobType: '施工员' });
  expect(doc).not.toHaveProperty('subCategory');
});

test('when the sync command imports a good file, then it prints the summary and exits 0', async () => {
  const owner = enterprise(661, 'SD');
  const file = jsonlFile(dir, 'cli.jsonl', [certificate(owner), certificate(owner)]);
  const result = await runSyncCli(file);
  expect(result.stdout).toContain('导入完成：新增 2，更新 0，未变 0，拒绝 0（共 2 条');
  expect(result.status).toBe(0);
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(2);

  const missing = await runSyncCli(`${dir}/nope.jsonl`);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('找不到文件');
});
