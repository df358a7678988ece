/**
 * `npm run sync:certificates -- <file.jsonl|file.ndjson|file.csv>`
 * Imports a provincial registry export into MONGODB_URI (or, for a try-out, the embedded default, whose data
 * ends with the command), all or nothing: the whole file is checked first; any bad line (all of them are
 * listed) or an unreadable encoding leaves the database untouched. Progress on stderr, summary on stdout.
 * Nothing printed ever holds a raw ID number; nothing printed is a stack trace.
 *
 * Exit status: 0 imported · 1 file refused (nothing changed) or wrong usage · 2 another import is running
 * (nothing changed) · 3 the import failed (the message says what; running it again completes it).
 */
import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { registryListener } from '../composition';
import { fileSize, formatOf, ImportBusyError, ImportFailedError, importCertificates, maskIdNumbersAnywhere, type ImportProgress, type ImportSummary } from '../modules/registry';
import { prepareDatabase } from '../app';
import { allRoutes } from '../routes';
import { systemClock } from '../platform/clock';
import { loadConfig } from '../platform/config';
import { connectDatabase, disconnectDatabase } from '../platform/db';
import { startEmbeddedMongo, type EmbeddedMongo } from '../platform/embeddedMongo';
import { createLogger } from '../platform/logger';

void allRoutes; // registers every model, so indexes are complete

const EXIT = { imported: 0, refused: 1, busy: 2, failed: 3 } as const;

function print(text: string): void {
  process.stdout.write(maskIdNumbersAnywhere(text) + '\n');
}

function warn(text: string): void {
  process.stderr.write(maskIdNumbersAnywhere(text) + '\n');
}

function chinaTime(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** 校验 by bytes of the file, then 写入 by records; drawn on stderr, only on a terminal. */
class ProgressDisplay {
  private readonly bar = new SingleBar({ format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit} | {duration}s', stream: process.stderr, hideCursor: true });
  private phase: ImportProgress['phase'] | undefined;

  constructor(private readonly fileBytes: number) {}

  update(progress: ImportProgress): void {
    if (progress.phase !== this.phase) {
      if (this.phase) this.bar.stop();
      this.phase = progress.phase;
      const total = progress.phase === 'checking' ? this.fileBytes : progress.total;
      this.bar.start(total, 0, progress.phase === 'checking' ? { phase: '校验', unit: '字节' } : { phase: '写入', unit: '条' });
    }
    this.bar.update(progress.phase === 'checking' ? Math.min(progress.bytesRead, this.fileBytes) : progress.applied);
  }

  stop(): void {
    if (this.phase) this.bar.stop();
    this.phase = undefined;
  }
}

function reportRecoveredRuns(summary: ImportSummary): void {
  for (const run of summary.recoveredRuns) {
    const then = summary.outcome === 'SUCCEEDED' ? '本次导入已补齐其数据' : '请修正文件后重新导入以补齐其数据';
    warn(`注意：上一次导入（开始于 ${chinaTime(run.startedAt)}）中途退出，已标记为失败；${then}。`);
  }
}

function reportRejected(summary: ImportSummary): number {
  if (summary.refusal) {
    warn(`文件未导入：${summary.refusal}`);
    return EXIT.refused;
  }
  print(`\n文件未导入：共 ${summary.records} 条记录，其中 ${summary.rejected} 行有错误，数据库未做任何更改。请修正以下各行后重新导入：`);
  for (const r of summary.rejections) print(`  第 ${r.line} 行${r.certificateNo ? `（${r.certificateNo}）` : ''}：${r.reasons.join('；')}`);
  const unlisted = summary.rejected - summary.rejections.length;
  if (unlisted > 0) print(`  ……另有 ${unlisted} 行有错误未列出`);
  warn(`文件未导入：${summary.rejected} 行有错误（见上方列表），未做任何更改。`);
  return EXIT.refused;
}

function reportImported(summary: ImportSummary): number {
  const encoding = summary.encoding ? `，文件编码 ${summary.encoding}` : '';
  print(`\n导入完成：新增 ${summary.created}，更新 ${summary.updated}，未变 ${summary.unchanged}，拒绝 0（共 ${summary.records} 条${encoding}）`);
  return EXIT.imported;
}

function usageProblem(file: string | undefined): string | undefined {
  if (!file) return '用法: npm run sync:certificates -- <文件.jsonl|文件.csv>';
  if (!existsSync(file)) return `找不到文件: ${file}`;
  try {
    formatOf(file);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

async function run(file: string): Promise<number> {
  const config = loadConfig();
  let embedded: EmbeddedMongo | undefined;
  if (!config.MONGODB_URI) {
    embedded = await startEmbeddedMongo();
    warn('未设置 MONGODB_URI：导入到临时内置数据库（命令结束后数据清空），仅用于试运行。');
  }
  await connectDatabase(config.MONGODB_URI ?? embedded!.uri);
  const progress = new ProgressDisplay(fileSize(file));
  try {
    const deps = { config, clock: systemClock, logger: createLogger(process.env.LOG_LEVEL ?? 'silent', process.stderr) };
    await prepareDatabase(deps);
    const summary = await importCertificates({ path: file }, { deps, listener: registryListener, trigger: 'cli', onProgress: (p) => progress.update(p) });
    progress.stop();
    reportRecoveredRuns(summary);
    return summary.outcome === 'SUCCEEDED' ? reportImported(summary) : reportRejected(summary);
  } finally {
    progress.stop();
    await disconnectDatabase();
    await embedded?.stop();
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof ImportBusyError) {
    warn(error.message);
    return EXIT.busy;
  }
  if (error instanceof ImportFailedError) {
    warn(`${error.message}（运行编号 ${error.runId}）`);
    return EXIT.failed;
  }
  warn(`证书导入出错：${error instanceof Error ? error.message : String(error)}`);
  return EXIT.failed;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const problem = usageProblem(file);
  if (problem) {
    warn(problem);
    process.exitCode = EXIT.refused;
    return;
  }
  process.exitCode = await run(file!).catch(exitCodeFor);
}

// Whatever goes wrong, the operator reads one Chinese line, never a stack trace.
process.on('uncaughtException', (error) => process.exit(exitCodeFor(error)));
process.on('unhandledRejection', (error) => process.exit(exitCodeFor(error)));
void main();
