import mongoose from 'mongoose';
import { importRecords } from '../helpers/journeys';
import { testDeps, useTestDatabase } from '../helpers/db';
import { makeIdNumber } from '../helpers/fixtures';
import { certificate, enterprise } from '../helpers/records';
import { createLogger } from '../../backend/src/platform/logger';
import { jsonlFile, runSyncCli, scratchDir } from './registry-helpers';

useTestDatabase();
const dir = scratchDir();

/** Every document of every registered model, as JSON text. */
async function everyDocumentAsJson(): Promise<string> {
  const parts: string[] = [];
  for (const name of mongoose.modelNames()) {
    const docs = await mongoose.model(name).collection.find({}).toArray();
    parts.push(JSON.stringify(docs));
  }
  return parts.join('\n');
}

function expectNoneOf(ids: string[], text: string): void {
  for (const id of ids) expect(text.toUpperCase()).not.toContain(id.toUpperCase());
}

const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

test('when records are imported and a later file is refused, then no document, log line or summary holds a raw ID number', async () => {
  const owner = enterprise(701, 'SD');
  const withX = [...Array(200).keys()].map((i) => makeIdNumber(700 + i, '19750505')).find((id) => id.endsWith('X'))!;
  const accepted = [makeIdNumber(702, '19820202'), withX];
  const rejectedValidId = makeIdNumber(703, '19830303');
  const stolenNumberId = makeIdNumber(704, '19840404');
  const first = certificate(owner, { idNumber: accepted[0] });
  const logged: string[] = [];
  const deps = { ...testDeps(), logger: createLogger('debug', { write: (line: string) => void logged.push(line) }) };

  const applied = await importRecords([first, certificate(owner, { idNumber: withX.toLowerCase() })], deps);
  const refused = await importRecords([certificate(owner, { idNumber: rejectedValidId, category: 'Z' }), { ...first, idNumber: stolenNumberId, name: '冒名者' }], deps);

  expect(applied).toMatchObject({ outcome: 'SUCCEEDED', created: 2 });
  expect(refused).toMatchObject({ outcome: 'REJECTED', rejected: 2 });
  const stored = await everyDocumentAsJson();
  expect(stored).toContain('"idMasked"');
  const ids = [...accepted, rejectedValidId, stolenNumberId];
  expectNoneOf(ids, stored);
  expectNoneOf(ids, logged.join('\n'));
  expectNoneOf(ids, JSON.stringify([applied, refused]));
});

test('when the sync command reports bad lines that carry ID numbers, then neither its output nor its errors show one', async () => {
  const owner = enterprise(711, 'SD');
  const asCertificateNo = makeIdNumber(712, '19700101');
  const insideCertificateNo = makeIdNumber(713, '19710101');
  const asFieldName = makeIdNumber(714, '19720101');
  const badCheckDigit = wrongCheckDigit(makeIdNumber(715, '19730101'));
  const inBrokenJson = makeIdNumber(716, '19740101');
  const underTwoNames = makeIdNumber(717, '19750101');
  const inName = makeIdNumber(718, '19760101');
  const file = jsonlFile(dir, 'ids-everywhere.jsonl', [
    certificate(owner, { certificateNo: asCertificateNo, category: 'Z' }),
    certificate(owner, { certificateNo: `鲁A${insideCertificateNo}`, status: 'MAYBE' }),
    { ...certificate(owner), [asFieldName]: 'x' },
    certificate(owner, { idNumber: badCheckDigit }),
    `{"idNumber": "${inBrokenJson}", `,
    certificate(owner, { idNumber: underTwoNames, name: '王小明' }),
    certificate(owner, { idNumber: underTwoNames, name: '王晓明' }),
    certificate(owner, { name: inName }),
  ]);

  const result = await runSyncCli(file);

  expect(result.status).toBe(1);
  expect(result.stdout).toContain('第 8 行');
  expectNoneOf([asCertificateNo, insideCertificateNo, asFieldName, badCheckDigit, inBrokenJson, underTwoNames, inName], result.stdout + result.stderr);
  expect(result.stdout).toContain('3701**********');
});
