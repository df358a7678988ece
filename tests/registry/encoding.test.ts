import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { CertificateModel, EnterpriseModel, PersonModel } from '../../backend/src/modules/registry/data';
import { testDeps, useTestDatabase } from '../helpers/db';
import { makeIdNumber } from '../helpers/fixtures';
import { certificate, enterprise } from '../helpers/records';
import { CSV_HEADER, importFile, jsonlFile, registrySnapshot, scratchDir, toCsvRow } from './registry-helpers';

useTestDatabase();
const deps = () => testDeps();
const dir = scratchDir();

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

const csvText = (records: Record<string, unknown>[]) => [CSV_HEADER, ...records.map((r) => toCsvRow(r))].join('\r\n') + '\r\n';
const jsonlText = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('when a GBK export is imported, then names arrive intact, and the same data later in UTF-8 changes nothing', async () => {
  const owner = { ...enterprise(901, 'SD'), name: '济南市鲁班建筑工程有限公司' };
  const records = [certificate(owner, { name: '张三丰' }), certificate(owner, { name: '欧阳娜娜', category: 'SITE_PRO', jobType: '施工员', subCategory: '土建' })];

  const summary = await importFile(write('excel-export.csv', iconv.encode(csvText(records), 'gbk')), deps());

  expect(summary).toMatchObject({ outcome: 'SUCCEEDED', encoding: 'GB18030', created: 2 });
  expect((await PersonModel.find({ name: { $in: ['张三丰', '欧阳娜娜'] } }).lean()).length).toBe(2);
  expect((await EnterpriseModel.findOne({ uscc: owner.uscc }).lean())!.name).toBe('济南市鲁班建筑工程有限公司');
  expect(await CertificateModel.findOne({ certificateNo: records[1].certificateNo }).lean()).toMatchObject({ holderName: '欧阳娜娜', jobType: '施工员', subCategory: '土建', city: '济南市' });

  const before = await registrySnapshot();
  const again = await importFile(jsonlFile(dir, 'same-in-utf8.jsonl', records), deps());
  expect(again).toMatchObject({ outcome: 'SUCCEEDED', encoding: 'UTF-8', unchanged: 2, created: 0, updated: 0 });
  expect(await registrySnapshot()).toEqual(before);
  expect((await EnterpriseModel.findOne({ uscc: owner.uscc }).lean())!.formerNames).toEqual([]);
});

test('when a large GBK export spans many read chunks, then every name arrives intact', async () => {
  const owner = { ...enterprise(902, 'YN'), name: '云南滇建第二工程有限公司' };
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨';
  const records = [...Array(1200).keys()].map((i) =>
    certificate(owner, { certificateNo: `GBK-${i}`, idNumber: makeIdNumber(i % 1000, `19${80 + Math.floor(i / 1000)}0202`), name: `${surnames[i % 16]}${surnames[(i * 7) % 16]}云` }),
  );
  const bytes = iconv.encode(jsonlText(records), 'gb18030');
  expect(bytes.length).toBeGreaterThan(2 * 256 * 1024 * 0.6);

  const summary = await importFile(write('large.jsonl', bytes), deps());

  expect(summary).toMatchObject({ outcome: 'SUCCEEDED', encoding: 'GB18030', created: 1200, rejected: 0 });
  const stored = new Map((await CertificateModel.find({ enterpriseUscc: owner.uscc }).lean()).map((c) => [c.certificateNo, c.holderName]));
  expect(records.every((r) => stored.get(r.certificateNo) === r.name)).toBe(true);
});

test('when a UTF-8 file starts with a byte order mark, then its first line is read like any other', async () => {
  const owner = enterprise(903, 'SD');
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const jsonl = await importFile(write('bom.jsonl', Buffer.concat([bom, Buffer.from(jsonlText([certificate(owner)]))])), deps());
  const csv = await importFile(write('bom.csv', Buffer.concat([bom, Buffer.from(csvText([certificate(owner)]))])), deps());
  expect(jsonl).toMatchObject({ outcome: 'SUCCEEDED', encoding: 'UTF-8', created: 1 });
  expect(csv).toMatchObject({ outcome: 'SUCCEEDED', encoding: 'UTF-8', created: 1 });
});

describe('files that cannot be read safely are refused whole, with nothing written', () => {
  const owner = enterprise(904, 'SD');
  const records = [certificate(owner), certificate(owner, { name: '李四' }), certificate(owner, { name: '王五' })];
  const utf8Lines = (n: number) => Buffer.from(jsonlText(records.slice(0, n)));
  const cases: [string, () => Buffer, RegExp][] = [
    ['a UTF-16 export', () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(jsonlText(records), 'utf16le')]), /文件是 UTF-16 编码/],
    ['UTF-16 without a byte order mark', () => iconv.encode(jsonlText(records), 'utf16le'), /空字节/],
    ['UTF-8 lines with a GBK line among them', () => Buffer.concat([utf8Lines(2), iconv.encode(jsonlText(records.slice(2)), 'gbk')]), /混用了 GBK 和 UTF-8/],
    ['bytes that are neither UTF-8 nor GBK', () => Buffer.concat([utf8Lines(1), Buffer.from([0xff, 0xff, 0x0a])]), /无法识别文件编码/],
  ];

  test.each(cases)('when the file is %s, then it is refused whole with the reason in Chinese', async (_story, bytes, reason) => {
    const before = await registrySnapshot();
    const summary = await importFile(write('refused.jsonl', bytes()), deps());
    expect(summary).toMatchObject({ outcome: 'REJECTED', created: 0, refusal: expect.stringMatching(reason) });
    expect(summary.refusal).toContain('未导入任何数据');
    expect(await registrySnapshot()).toEqual(before);
  });

  test('when a UTF-8 export turns into GBK past its first read chunk, then the file is refused naming the first bad line', async () => {
    const many = [...Array(1100).keys()].map((i) => certificate(owner, { certificateNo: `MIX-${i}`, idNumber: makeIdNumber(i % 1000, `19${70 + Math.floor(i / 1000)}0303`) }));
    const bytes = Buffer.concat([Buffer.from(jsonlText(many)), iconv.encode(jsonlText([certificate(owner, { name: '赵六' })]), 'gbk')]);
    const summary = await importFile(write('turns-gbk.jsonl', bytes), deps());
    expect(summary).toMatchObject({ outcome: 'REJECTED', created: 0 });
    expect(summary.refusal).toMatch(/^第 1101 行不是有效的 UTF-8 文本/);
    expect(await CertificateModel.countDocuments({ certificateNo: /^MIX-/ })).toBe(0);
  });
});
