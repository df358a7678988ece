import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EnterpriseAccountModel } from '../../backend/src/modules/accounts/data';
import { CertificateModel, EnterpriseModel, SyncRunModel } from '../../backend/src/modules/registry/data';
import { ImportBusyError, ImportFailedError, type RegistryListener } from '../../backend/src/modules/registry';
import { registryListener } from '../../backend/src/composition';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber, makeUscc } from '../helpers/fixtures';
import { certificate, enterprise, type EnterpriseFixture } from '../helpers/records';
import { CSV_HEADER, importFile, jsonlFile, registrySnapshot, runScript, runSyncCli, scratchDir, toCsvRow } from './registry-helpers';

const api = useTestBackend();
const deps = () => api.running.deps;
const dir = scratchDir();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Distinct valid ID numbers beyond the thousand one birth date allows. */
function manyCertificates(owner: EnterpriseFixture, count: number, prefix: string) {
  return [...Array(count).keys()].map((i) =>
    certificate(owner, { certificateNo: `${prefix}-${String(i).padStart(5, '0')}`, idNumber: makeIdNumber(i % 1000, `19${70 + Math.floor(i / 1000)}0101`) }),
  );
}

test('when 1,100 good lines are followed by a bad one, then nothing at all is applied and the bad line is named', async () => {
  const owner = enterprise(801, 'SD');
  const before = await registrySnapshot();
  const file = jsonlFile(dir, 'late-bad-line.jsonl', [...manyCertificates(owner, 1100, 'LATE'), { ...certificate(owner), category: 'Z' }]);

  const summary = await importFile(file, deps());

  expect(summary).toMatchObject({ outcome: 'REJECTED', records: 1101, created: 0, updated: 0, rejected: 1 });
  expect(summary.rejections).toEqual([{ line: 1101, certificateNo: expect.any(String), reasons: [expect.stringMatching(/证书类别不正确/)] }]);
  expect(await registrySnapshot()).toEqual(before);
  expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(0);
  const run = await SyncRunModel.findById(summary.runId).lean();
  expect(run).toMatchObject({ status: 'REJECTED', counts: { records: 1101, rejected: 1, created: 0 }, firstRejections: [{ line: 1101 }] });
  expect(run!.finishedAt).toBeInstanceOf(Date);
});

describe('every bad line is reported', () => {
  const owner = enterprise(811, 'SD');
  const good = () => certificate(owner);
  const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
  const uscc = makeUscc(812);
  const wrongUscc = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
  const bad: [string, string, RegExp][] = [
    ['an ID number with a wrong check digit', JSON.stringify({ ...good(), idNumber: wrongCheckDigit(makeIdNumber(813)) }), /身份证号码不正确/],
    ['a credit code with a wrong check character', JSON.stringify({ ...good(), enterpriseUscc: wrongUscc }), /统一社会信用代码不正确/],
    ['an unknown category', JSON.stringify({ ...good(), category: 'Z' }), /证书类别不正确/],
    ['an expiry before the issue date', JSON.stringify({ ...good(), issueDate: '2025-01-01', expiryDate: '2024-01-01' }), /有效期截止日须晚于发证日期/],
    ['a missing holder name', JSON.stringify((({ name: _n, ...rest }) => rest)(good())), /name：请填写姓名/],
    ['a name hiding a right-to-left override', JSON.stringify({ ...good(), name: '张\u202e三' }), /不可见或控制字符/],
    ['an A certificate without main/additional', JSON.stringify({ ...good(), category: 'A' }), /主A证或增发A证/],
    ['an unknown field', JSON.stringify({ ...good(), salary: 1 }), /不支持的字段：salary/],
    ['a field named __proto__', JSON.stringify(good()).replace(/^\{/, '{"__proto__":{"polluted":true},'), /不支持的字段：__proto__/],
    ['a field named constructor', JSON.stringify({ ...good(), constructor: 'x' }), /不支持的字段：constructor/],
    ['a JSON array', JSON.stringify([good()]), /每行须为一个 JSON 对象/],
    ['a line that is not JSON', '{"certificateNo": "broken"', /不是合法的 JSON/],
  ];

  test('when a file has many kinds of bad lines, then each is reported with its line number and reasons, and nothing is written', async () => {
    const before = await registrySnapshot();
    const file = jsonlFile(dir, 'many-bad.jsonl', [good(), ...bad.map(([, line]) => line), good()]);
    const summary = await importFile(file, deps());
    expect(summary).toMatchObject({ outcome: 'REJECTED', records: bad.length + 2, rejected: bad.length, created: 0 });
    expect(summary.rejections.map((r) => r.line)).toEqual(bad.map((_, i) => i + 2));
    bad.forEach(([story, , reason], i) => expect([story, summary.rejections[i].reasons.join(' ')]).toEqual([story, expect.stringMatching(reason)]));
    expect(await registrySnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

test('when a CSV header has a __proto__ column and an unknown one, then both are named and nothing is written', async () => {
  const owner = enterprise(821, 'SD');
  const header = `${CSV_HEADER},__proto__,remark`;
  const file = path.join(dir, 'proto-column.csv');
  writeFileSync(file, [header, `${toCsvRow(certificate(owner))},x,y`].join('\n') + '\n');
  const summary = await importFile(file, deps());
  expect(summary).toMatchObject({ outcome: 'REJECTED', records: 1, rejected: 1 });
  expect(summary.rejections).toEqual([{ line: 1, reasons: ['表头含不支持的列：__proto__、remark'] }]);
  expect(await EnterpriseModel.countDocuments({ uscc: owner.uscc })).toBe(0);
});

test('when a CSV row has the wrong number of columns, then that row is refused with its line number', async () => {
  const owner = enterprise(822, 'SD');
  const file = path.join(dir, 'columns.csv');
  writeFileSync(file, [CSV_HEADER, toCsvRow(certificate(owner)), 'SD-SHORT-1,张三,370102198001010011'].join('\n') + '\n');
  const summary = await importFile(file, deps());
  expect(summary).toMatchObject({ outcome: 'REJECTED', created: 0, rejected: 1 });
  expect(summary.rejections[0]).toMatchObject({ line: 3, reasons: [expect.stringContaining('列数不正确')] });
});

test('when a CSV has an unclosed quote, then the sync command says where in Chinese, exits 1 without a stack trace, and writes nothing', async () => {
  const owner = enterprise(831, 'SD');
  const rows = [toCsvRow(certificate(owner)), toCsvRow(certificate(owner)).replace(/^/, '"'), toCsvRow(certificate(owner))];
  const file = path.join(dir, 'unclosed.csv');
  writeFileSync(file, [CSV_HEADER, ...rows].join('\n') + '\n');

  const result = await runSyncCli(file);

  expect(result.status).toBe(1);
  expect(result.stdout).toContain('第 3 行：从此行起引号未闭合');
  expect(result.stderr).toContain('文件未导入');
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at |Error:|CsvError/);
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(0);
  const run = await SyncRunModel.findOne({ source: file }).lean();
  expect(run).toMatchObject({ status: 'REJECTED', trigger: 'cli' });
});

test('when telling accounts fails while applying, then that batch\'s enterprise is rolled back, the run is FAILED, and running again completes it', async () => {
  const first = enterprise(841, 'SD');
  const second = enterprise(842, 'SD');
  const records = [certificate(first), certificate(first), certificate(second), certificate(second)];
  const file = jsonlFile(dir, 'listener-fails.jsonl', records);
  let calls = 0;
  const failing: RegistryListener = {
    async enterprisesSeen(seen) {
      await registryListener.enterprisesSeen(seen);
      if (++calls === 2) throw new Error('账户服务暂时不可用');
    },
  };

  const failure = await importFile(file, deps(), { listener: failing, batchSize: 2 }).catch((e: unknown) => e);

  expect(failure).toBeInstanceOf(ImportFailedError);
  expect((failure as ImportFailedError).message).toMatch(/^证书导入失败：账户服务暂时不可用。已完成的批次已写入/);
  expect(await SyncRunModel.findById((failure as ImportFailedError).runId).lean()).toMatchObject({ status: 'FAILED', error: '账户服务暂时不可用' });
  expect(await EnterpriseModel.countDocuments({ uscc: second.uscc })).toBe(0);
  expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: second.uscc })).toBe(0);
  expect(await CertificateModel.countDocuments({ enterpriseUscc: { $in: [first.uscc, second.uscc] } })).toBe(2);

  const again = await importFile(file, deps());
  expect(again).toMatchObject({ outcome: 'SUCCEEDED', created: 2, unchanged: 2, recoveredRuns: [] });
  expect(await CertificateModel.countDocuments({ enterpriseUscc: { $in: [first.uscc, second.uscc] } })).toBe(4);
  expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: second.uscc })).toBe(1);
});

test('when an import dies half way through applying, then the next run marks it FAILED, removes its staged plan (which holds no raw ID number) and completes the data', async () => {
  const owners = [enterprise(851, 'SD'), enterprise(852, 'SD'), enterprise(853, 'SD')];
  const records = owners.flatMap((owner) => [certificate(owner), certificate(owner), certificate(owner)]);
  const file = jsonlFile(dir, 'dies.jsonl', records);

  const died = await runScript('tests/registry/fixtures/import-then-die.ts', [file]);

  expect(died.status).toBeNull(); // killed, no chance to clean up
  const abandoned = await SyncRunModel.findOne({ source: file }).lean();
  expect(abandoned).toMatchObject({ status: 'APPLYING' });
  const staged = readFileSync(path.join(abandoned!.stagingDir!, 'plan.jsonl'), 'utf8');
  expect(staged).toContain(records[8].certificateNo);
  for (const { idNumber } of records) expect(staged.toUpperCase()).not.toContain(idNumber.toUpperCase());
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owners[0].uscc })).toBe(3);
  expect(await CertificateModel.countDocuments({ enterpriseUscc: { $in: [owners[1].uscc, owners[2].uscc] } })).toBe(0);

  let summary;
  for (let attempt = 0; !summary; attempt++) {
    try {
      summary = await importFile(file, deps());
    } catch (error) {
      if (!(error instanceof ImportBusyError) || attempt > 40) throw error; // the dead run's lease runs out in about a second
      await sleep(100);
    }
  }

  expect(summary).toMatchObject({ outcome: 'SUCCEEDED', created: 6, unchanged: 3, recoveredRuns: [{ runId: String(abandoned!._id) }] });
  expect(await SyncRunModel.findById(abandoned!._id).lean()).toMatchObject({ status: 'FAILED', error: expect.stringContaining('中途退出') });
  expect(existsSync(abandoned!.stagingDir!)).toBe(false);
  for (const owner of owners) {
    expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(3);
    expect(await EnterpriseAccountModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(1);
  }
  expect(await SyncRunModel.countDocuments({ status: { $in: ['VALIDATING', 'APPLYING'] } })).toBe(0);
});
