/**
 * `npm run bench`: certificate import of 200,000 generated records.
 * Prints records/s for the import and for a plain driver insertMany of the same certificate documents into
 * the same database, their ratio (target ≥ 0.5) and peak memory (target < 300 MB).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { idNumberCheckChar, usccCheckChar } from '@ce/types';
import mongoose from 'mongoose';
import { CertificateModel } from '../src/modules/registry/data';
import { importCertificates } from '../src/modules/registry/import';
import { seedBuiltInPolicies } from '../src/modules/policy/policies';
import { allRoutes } from '../src/routes';
import { systemClock } from '../src/platform/clock';
import { loadConfig } from '../src/platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from '../src/platform/db';
import { startEmbeddedMongo } from '../src/platform/embeddedMongo';
import { createLogger } from '../src/platform/logger';

void allRoutes;
const FULL_RUN = 200_000;
/** The in-memory stand-in slows with every document a collection holds (see shared/notes/mongodb.md). */
const STAND_IN_RUN = 2_000;
const ENTERPRISES = 200;
let RECORDS = FULL_RUN;
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function uscc(n: number): string {
  let body = '';
  for (let i = 0, v = n; i < 9; i++, v = Math.floor(v / 31)) body = USCC_ALPHABET[v % 31] + body;
  const first17 = '91370100' + body;
  return first17 + usccCheckChar(first17);
}

function idNumber(n: number): string {
  const birth = `19${60 + (n % 40)}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}`;
  const region = String(370000 + Math.floor(n / 1000) % 1000).padStart(6, '0');
  const first17 = region + birth + String(n % 1000).padStart(3, '0');
  return first17 + idNumberCheckChar(first17);
}

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (let n = 0; n < RECORDS; n++) {
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

async function main(): Promise<void> {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const mongo = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const onStandIn = mongo?.kind === 'jongodb';
  RECORDS = Number(process.argv[2] ?? (onStandIn ? STAND_IN_RUN : FULL_RUN));
  if (onStandIn && !process.argv[2]) {
    console.log(`note: no real mongod here, only the in-memory stand-in, whose writes slow with collection size; running ${RECORDS} records instead of ${FULL_RUN}. Set MONGODB_URI or MONGOMS_SYSTEM_BINARY for the full run.`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ce-bench-'));
  const file = path.join(dir, 'certificates.jsonl');
  await generate(file);

  await connectDatabase(process.env.MONGODB_URI ?? mongo!.uri, 'bench');
  await ensureIndexes();
  await seedBuiltInPolicies();
  const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
  const deps = { config, clock: systemClock, logger: createLogger('warn') };

  let started = Date.now();
  const summary = await importCertificates({ path: file }, { deps, trigger: 'cli' });
  const importSeconds = (Date.now() - started) / 1000;

  // The same certificate documents, written with a plain driver insertMany into another collection.
  const docs = await CertificateModel.find().lean();
  const plain = mongoose.connection.db!.collection('bench_plain');
  started = Date.now();
  for (let i = 0; i < docs.length; i += 1000) await plain.insertMany(docs.slice(i, i + 1000).map(({ _id: _i, ...d }) => d), { ordered: false });
  const plainSeconds = (Date.now() - started) / 1000;

  clearInterval(sampler);
  const maxRssMb = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024;
  const importRate = RECORDS / importSeconds;
  const plainRate = docs.length / plainSeconds;
  console.log(`records: ${RECORDS} (created ${summary.created}, rejected ${summary.rejected}) on ${mongo?.kind ?? 'MONGODB_URI'}`);
  console.log(`import:        ${importRate.toFixed(0)} records/s (${importSeconds.toFixed(1)} s)`);
  console.log(`insertMany:    ${plainRate.toFixed(0)} records/s (${plainSeconds.toFixed(1)} s)`);
  console.log(`ratio:         ${(importRate / plainRate).toFixed(2)} (target ≥ 0.5)`);
  console.log(`peak memory:   ${maxRssMb.toFixed(0)} MB RSS of this process, including the plain insertMany's in-memory copy (target < 300 MB for the import)`);

  await disconnectDatabase();
  await mongo?.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
