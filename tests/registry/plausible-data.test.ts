import { fixedClock } from '../../backend/src/platform/clock';
import { testDeps, useTestDatabase } from '../helpers/db';
import { makeIdNumber } from '../helpers/fixtures';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';
import { registrySnapshot } from './registry-helpers';

useTestDatabase();
/** The registry is read on 2026-03-01 (China time). */
const deps = () => testDeps(fixedClock('2026-03-01T02:00:00Z'));
const owner = enterprise(971, 'SD');

async function refusedLines(records: object[]) {
  const before = await registrySnapshot();
  const summary = await importRecords(records, deps());
  expect(summary.outcome).toBe('REJECTED');
  expect(await registrySnapshot()).toEqual(before);
  return summary.rejections.map((r) => ({ line: r.line, reasons: r.reasons.join('；') }));
}

test('when a certificate was issued after today, then its line is refused', async () => {
  expect(await refusedLines([certificate(owner, { issueDate: '2026-03-01', expiryDate: '2029-03-01' }), certificate(owner, { issueDate: '2026-03-02', expiryDate: '2029-03-02' })])).toEqual([
    { line: 2, reasons: '发证日期 2026-03-02 晚于今天（2026-03-01），请核对' },
  ]);
});

test('when a certificate runs more than ten years, then its line is refused (ten years exactly is fine)', async () => {
  expect(await refusedLines([certificate(owner, { issueDate: '2020-05-01', expiryDate: '2030-05-01' }), certificate(owner, { issueDate: '2020-05-01', expiryDate: '2030-05-02' }), certificate(owner, { issueDate: '2023-06-01', expiryDate: '9999-12-31' })])).toEqual([
    { line: 2, reasons: 'expiryDate：有效期截止日距发证日期超过10年，请核对' },
    { line: 3, reasons: 'expiryDate：有效期截止日距发证日期超过10年，请核对' },
  ]);
});

test('when one ID number arrives under two names, then both lines are refused, each naming the other', async () => {
  const idNumber = makeIdNumber(972, '19800808');
  expect(await refusedLines([certificate(owner, { idNumber, name: '刘德华' }), certificate(owner), certificate(owner, { idNumber, name: '刘得华' }), certificate(owner, { idNumber, name: '刘德华' })])).toEqual([
    { line: 1, reasons: '同一身份证号在第 3 行的姓名为「刘得华」，与本行「刘德华」不一致' },
    { line: 3, reasons: '同一身份证号在第 1 行的姓名为「刘德华」，与本行「刘得华」不一致' },
  ]);
});

test('when a certificate number appears twice in one file, then the second line is refused', async () => {
  const record = certificate(owner);
  expect(await refusedLines([record, certificate(owner), { ...record, status: 'SUSPENDED' }])).toEqual([{ line: 3, reasons: '证书编号与第 1 行重复（同一证书在文件中只能出现一次）' }]);
});

test('when one person holds several certificates under one name, then all are imported', async () => {
  const idNumber = makeIdNumber(973, '19790909');
  const summary = await importRecords([certificate(owner, { idNumber, name: '周杰' }), certificate(owner, { idNumber, name: '周杰', category: 'A', aKind: 'MAIN' })], deps());
  expect(summary).toMatchObject({ outcome: 'SUCCEEDED', created: 2 });
});
