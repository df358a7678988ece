/**
 * `npm run sync:certificates -- <file.jsonl|file.ndjson|file.csv>`
 * Imports a provincial registry export into MONGODB_URI (or, for a try-out, the embedded default, whose data
 * ends with the command). Shows a progress bar, then a summary and every rejected line with its reasons.
 */
import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { importCertificates } from '../modules/registry/import';
import { fileSize, formatOf } from '../modules/registry/read-records';
import { seedBuiltInPolicies } from '../modules/policy/policies';
import { allRoutes } from '../routes';
import { systemClock } from '../platform/clock';
import { loadConfig } from '../platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from '../platform/db';
import { startEmbeddedMongo } from '../platform/embeddedMongo';
import { createLogger } from '../platform/logger';

void allRoutes; // registers every model, so indexes are complete

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) fail('用法: npm run sync:certificates -- <文件.jsonl|文件.csv>');
  if (!existsSync(file)) fail(`找不到文件: ${file}`);
  try {
    formatOf(file);
  } catch (error) {
    fail((error as Error).message);
  }

  const config = loadConfig();
  const embedded = config.MONGODB_URI ? undefined : await startEmbeddedMongo();
  if (embedded) console.error('未设置 MONGODB_URI：导入到临时内置数据库（命令结束后数据清空），仅用于试运行。');
  await connectDatabase(config.MONGODB_URI ?? embedded!.uri);
  await ensureIndexes();
  await seedBuiltInPolicies();

  const total = fileSize(file);
  const bar = new SingleBar({ format: '导入 [{bar}] {percentage}% | {value}/{total} 字节 | {duration}s', stream: process.stderr, hideCursor: true });
  bar.start(total, 0);
  const deps = { config, clock: systemClock, logger: createLogger('warn') };
  const summary = await importCertificates({ path: file }, { deps, trigger: 'cli', onProgress: (read) => bar.update(Math.min(read, total)) });
  bar.update(total);
  bar.stop();

  console.log(`\n导入完成：新增 ${summary.created}，更新 ${summary.updated}，未变 ${summary.unchanged}，拒绝 ${summary.rejected}`);
  for (const r of summary.rejections) console.log(`  第 ${r.line} 行${r.certificateNo ? `（${r.certificateNo}）` : ''}：${r.reasons.join('；')}`);

  await disconnectDatabase();
  await embedded?.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
