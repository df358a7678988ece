import mongoose from 'mongoose';
import { importRecords } from '../helpers/journeys';
import { testDeps, useTestDatabase } from '../helpers/db';
import { makeIdNumber } from '../helpers/fixtures';
import { certificate, enterprise } from '../helpers/records';
import { createLogger } from '../../backend/src/platform/logger';

useTestDatabase();

/** Every document of every registered model, as JSON text. */
async function everyDocumentAsJson(): Promise<string> {
  const parts: string[] = [];
  for (const name of mongoose.modelNames()) {
    const docs = await mongoose.model(name).collection.find({}).toArray();
    parts.push(JSON.stringify(docs));
  }
  return parts.join('\n');
}

test('when records are imported, then no database document and no log line contains a raw ID number', async () => {
  const owner = enterprise(701, 'SD');
  const withX = [...Array(200).keys()].map((i) => makeIdNumber(700 + i, '19750505')).find((id) => id.endsWith('X'))!;
  const accepted = [makeIdNumber(702, '19820202'), withX];
  const rejectedValidId = makeIdNumber(703, '19830303');
  const stolenNumberId = makeIdNumber(704, '19840404');
  const first = certificate(owner, { idNumber: accepted[0] });
  const records = [
    first,
    certificate(owner, { idNumber: withX.toLowerCase() }),
    certificate(owner, { idNumber: rejectedValidId, category: 'Z' }),
    { ...first, idNumber: stolenNumberId, name: '冒名者' },
  ];

  const logged: string[] = [];
  const deps = { ...testDeps(), logger: createLogger('debug', { write: (line: string) => void logged.push(line) }) };
  const summary = await importRecords(records, deps);
  expect(summary).toMatchObject({ created: 2, rejected: 2 });

  const stored = await everyDocumentAsJson();
  expect(stored).toContain('"idMasked"');
  for (const id of [...accepted, rejectedValidId, stolenNumberId]) {
    expect(stored).not.toContain(id);
    expect(stored.toUpperCase()).not.toContain(id.toUpperCase());
    expect(logged.join('\n').toUpperCase()).not.toContain(id.toUpperCase());
    expect(JSON.stringify(summary)).not.toContain(id);
  }
});
