/**
 * `npm run bench [N]`: the certificate import of N generated records, against a plain driver insertMany of
 * the same certificate documents into the same database in the same run (ratio target ≥ 0.5 on a real
 * MongoDB), and against all of the import's writes (persons, enterprises, certificates, accounts) done bare
 * with insertMany into copies of their collections with the same indexes: the floor for what the import
 * has to write. Then where the import's time went, step by step, and its peak memory.
 *
 * 200,000 records on a real MongoDB (MONGODB_URI, or a mongod found by the embedded default). On the
 * in-memory stand-in, whose writes slow with every document a collection holds and which pauses now and
 * then, it runs 2,000 records five times (each round in a fresh database) and reports the median.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import mongoose from 'mongoose';
import { registryListener } from '../src/composition';
import { EnterpriseAccountModel } from '../src/modules/accounts/data';
import { CertificateModel, EnterpriseModel, PersonModel } from '../src/modules/registry/data';
import { importCertificates, type ImportSummary } from '../src/modules/registry';
import { seedBuiltInPolicies } from '../src/modules/policy/policies';
import { allRoutes } from '../src/routes';
import { systemClock } from '../src/platform/clock';
import { loadConfig } from '../src/platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from '../src/platform/db';
import { startEmbeddedMongo } from '../src/platform/embeddedMongo';
import { createLogger } from '../src/platform/logger';
import { idNumber, uscc } from './fixtures';

void allRoutes;
const FULL_RUN = 200_000;
const STAND_IN_RUN = 2_000;
const STAND_IN_ROUNDS = 5;
const ENTERPRISES = 200;
const WRITE_BATCH = 1000;
async function generate(file: string, records: number): Promise<void> {
  const out = createWriteStream(file);
  for (let n = 0; n < records; n++) {
    const e = n % ENTERPRISES;
    const line = JSON.stringify({
      certificateNo: `BENCH-${String(n).padStart(7, '0')}`,
      name: '测试学员',
      idNumber: idNumber(n),
      category: n % 3 === 0 ? 'A' : 'C',
      aKind: n % 3 === 0 ? 'MAIN' : undefined,
      issueDate: '2023-05-01',
      expiryDate: '2026-05-01',
      status: 'VALID',
      enterpriseName: `基准测试建筑公司${e}`,
      enterpriseUscc: uscc(e + 1),
      province: 'SD',
      city: '济南市',
    });
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function insertInBatches(collection: mongoose.mongo.Collection, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += WRITE_BATCH) await collection.insertMany(docs.slice(i, i + WRITE_BATCH).map((d) => ({ ...d })), { ordered: false });
}

/** Every document the import wrote, inserted again bare into same-indexed copies: what writing alone costs. */
async function bareWritesSeconds(): Promise<number> {
  const db = mongoose.connection.db!;
  const copies: { target: mongoose.mongo.Collection; docs: object[] }[] = [];
  for (const model of [PersonModel, EnterpriseModel, CertificateModel, EnterpriseAccountModel] as mongoose.Model<any>[]) {
    const target = db.collection(`bare_${model.collection.collectionName}`);
    for (const { key, unique } of await model.collection.indexes()) if (!(key._id && Object.keys(key).length === 1)) await target.createIndex(key, { unique: unique === true });
    const docs = (await model.collection.find().toArray()).map(({ _id, ...doc }) => doc);
    copies.push({ target, docs });
  }
  return seconds(async () => {
    for (const { target, docs } of copies) await insertInBatches(target, docs);
  });
}

/** The stand-in has no dropDatabase, and its transactions cost more the more it holds: empty what a round wrote. */
async function emptyDatabase(): Promise<void> {
  const db = mongoose.connection.db!;
  const names = new Set([...mongoose.modelNames().map((n) => mongoose.model(n).collection.collectionName), 'bench_plain']);
  for (const model of [PersonModel, EnterpriseModel, CertificateModel, EnterpriseAccountModel] as mongoose.Model<any>[]) names.add(`bare_${model.collection.collectionName}`);
  for (const name of names) await db.collection(name).deleteMany({});
}

interface Round {
  summary: ImportSummary;
  importSeconds: number;
  plainSeconds: number;
  bareSeconds: number;
  peakRssMb: number;
  ratio: number;
}

async function round(uri: string, dbName: string, file: string, records: number): Promise<Round> {
  await connectDatabase(uri, dbName);
  await ensureIndexes();
  await seedBuiltInPolicies();
  const deps = { config: loadConfig({ ...process.env, NODE_ENV: 'development' }), clock: systemClock, logger: createLogger('warn') };

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let summary!: ImportSummary;
  const importSeconds = await seconds(async () => (summary = await importCertificates({ path: file }, { deps, listener: registryListener, trigger: 'cli' })));
  clearInterval(sampler);
  if (summary.outcome !== 'SUCCEEDED' || summary.created !== records) throw new Error(`import did not create every record: ${JSON.stringify(summary).slice(0, 500)}`);

  const certificates = (await CertificateModel.collection.find().toArray()).map(({ _id, ...doc }) => doc);
  const plainSeconds = await seconds(() => insertInBatches(mongoose.connection.db!.collection('bench_plain'), certificates));
  const bareSeconds = await bareWritesSeconds();
  await emptyDatabase();
  await disconnectDatabase();
  return { summary, importSeconds, plainSeconds, bareSeconds, peakRssMb: peakRss / 1024 / 1024, ratio: plainSeconds / importSeconds };
}

const rate = (records: number, s: number) => `${Math.round(records / s).toLocaleString('en')} records/s (${s.toFixed(2)} s)`;

function printWhereTimeWent(r: Round): void {
  const t = r.summary.timings;
  const ms = (step: string) => `${String(t[step] ?? 0).padStart(6)} ms`;
  const total = Math.round(r.importSeconds * 1000);
  console.log(`where the import's ${total} ms went (median round; overlapping steps each count in full, so they need not add up):`);
  console.log(`  pass 1, read + decode + check every line, plan, stage ${ms('check')}`);
  console.log(`    plan: one $in read per collection per batch, encrypt new ID numbers ${ms('plan')}  (overlaps the checking of the next batch)`);
  console.log(`    stage the plan to a local temp file                    ${ms('stage')}`);
  console.log(`  pass 2, apply the staged batches                         ${ms('apply')}`);
  console.log(`    persons bulkWrite                                      ${ms('writePersons')}  (alongside the enterprises)`);
  console.log(`    enterprises bulkWrite + accounts listener, one transaction ${ms('writeEnterprisesAndListener')}`);
  console.log(`    certificates bulkWrite                                 ${ms('writeCertificates')}  (alongside the next batch's persons)`);
  console.log(`    lease renewals (one per batch)                         ${ms('renewLease')}`);
  console.log(`  run record (open, close abandoned runs, mark applying)   ${ms('runRecord')}`);
  console.log(`  temp file (create, remove)                               ${ms('tempFile')}`);
  const accounted = ['check', 'apply', 'runRecord', 'tempFile'].reduce((sum, step) => sum + (t[step] ?? 0), 0);
  console.log(`  the rest (lease, closing the run, waiting on the database) ${String(Math.max(0, total - accounted)).padStart(6)} ms`);
  console.log(`  for scale: every one of the import's writes done bare    ${String(Math.round(r.bareSeconds * 1000)).padStart(6)} ms`);
}

async function main(): Promise<void> {
  const mongo = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const onStandIn = mongo?.kind === 'jongodb';
  const records = Number(process.argv[2] ?? (onStandIn ? STAND_IN_RUN : FULL_RUN));
  const rounds = onStandIn ? STAND_IN_ROUNDS : 1;
  if (onStandIn && !process.argv[2]) {
    console.log(`note: no real mongod here, only the in-memory stand-in, whose writes slow with collection size and which pauses now and then; running ${records} records ${rounds} times instead of ${FULL_RUN}. Its figures say little about MongoDB. Set MONGODB_URI or MONGOMS_SYSTEM_BINARY for the full run.`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ce-bench-'));
  const file = path.join(dir, 'certificates.jsonl');
  await generate(file, records);

  const uri = process.env.MONGODB_URI ?? mongo!.uri;
  const results: Round[] = [];
  for (let i = 1; i <= rounds; i++) {
    const r = await round(uri, `bench_import_${i}`, file, records);
    results.push(r);
    console.log(
      `round ${i}: import ${rate(records, r.importSeconds)} | insertMany of its certificates ${rate(records, r.plainSeconds)} | ratio ${r.ratio.toFixed(2)} | all its writes bare ${r.bareSeconds.toFixed(2)} s`,
    );
  }
  const median = [...results].sort((a, b) => a.ratio - b.ratio)[Math.floor(results.length / 2)];
  console.log(`records: ${records} per round on ${mongo?.kind ?? 'MONGODB_URI'}`);
  console.log(`ratio:         ${median.ratio.toFixed(2)}${rounds > 1 ? ` (median of ${rounds})` : ''} (target ≥ 0.5 on a real MongoDB)`);
  console.log(`bare floor:    all the import's writes done bare take ${(median.bareSeconds / median.plainSeconds).toFixed(1)}× the certificates' insertMany, so the ratio cannot pass ${(median.plainSeconds / median.bareSeconds).toFixed(2)} here`);
  console.log(`peak memory:   ${Math.max(...results.map((r) => r.peakRssMb)).toFixed(0)} MB RSS of this process during the import (target < 300 MB)`);
  printWhereTimeWent(median);

  await mongo?.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
