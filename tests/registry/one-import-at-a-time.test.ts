import { registryListener } from '../../backend/src/composition';
import { CertificateModel, ImportLeaseModel, SyncRunModel } from '../../backend/src/modules/registry/data';
import { ImportBusyError, importCertificates, runNightlySync } from '../../backend/src/modules/registry';
import { testDeps, useTestDatabase } from '../helpers/db';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';
import { jsonlFile, runSyncCli, scratchDir } from './registry-helpers';

useTestDatabase();
const deps = () => testDeps();
const dir = scratchDir();
const STARTED_AT = /另一个导入正在进行（开始于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}）/;

/** An import that has taken the lease and waits, mid-read, until the test lets it go on. */
function importHeldOpen(records: object[]) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  async function* lines() {
    yield JSON.stringify(records[0]);
    await gate;
    for (const record of records.slice(1)) yield JSON.stringify(record);
  }
  const running = importCertificates({ lines: lines(), format: 'jsonl' }, { deps: deps(), listener: registryListener, trigger: 'cli' });
  return { running, release };
}

/** The held import has taken the lease and recorded its run. */
async function runStarted(): Promise<void> {
  while (!(await SyncRunModel.exists({ status: 'VALIDATING' }))) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('when two imports start at once, then one runs and the other is refused without touching anything', async () => {
  const owner = enterprise(951, 'SD');
  const records = [certificate(owner), certificate(owner)];
  const outcomes = await Promise.allSettled([importRecords(records, deps()), importRecords(records, deps())]);

  const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
  expect(refused).toHaveLength(1);
  expect(refused[0]).toBeInstanceOf(ImportBusyError);
  expect(refused[0].message).toMatch(STARTED_AT);
  expect(outcomes.find((o) => o.status === 'fulfilled')).toMatchObject({ value: { outcome: 'SUCCEEDED', created: 2 } });
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(2);
  expect(await ImportLeaseModel.countDocuments()).toBe(0);
});

test('while an import runs, then the sync command says when it began and exits 2, and the nightly job skips', async () => {
  const owner = enterprise(952, 'SD');
  const { running, release } = importHeldOpen([certificate(owner), certificate(owner)]);
  await runStarted();
  const runsBefore = await SyncRunModel.countDocuments();
  try {
    const cli = await runSyncCli(jsonlFile(dir, 'second.jsonl', [certificate(owner)]));
    const nightly = await runNightlySync(jsonlFile(dir, 'nightly.jsonl', [certificate(owner)]), deps(), registryListener);

    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(STARTED_AT);
    expect(nightly).toEqual({ skipped: expect.stringMatching(STARTED_AT) });
    expect(await SyncRunModel.countDocuments()).toBe(runsBefore);
  } finally {
    release();
  }
  expect(await running).toMatchObject({ outcome: 'SUCCEEDED', created: 2 });
  expect(await CertificateModel.countDocuments({ enterpriseUscc: owner.uscc })).toBe(2);
});

test('when an import finishes, then the next one may start at once', async () => {
  const owner = enterprise(953, 'SD');
  await importRecords([certificate(owner)], deps());
  expect(await importRecords([certificate(owner)], deps())).toMatchObject({ outcome: 'SUCCEEDED', created: 1 });
});
