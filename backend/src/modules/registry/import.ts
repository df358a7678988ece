import { Types } from 'mongoose';
import { today } from '../../platform/clock';
import type { Deps } from '../../platform/http/route';
import { BatchWriter } from './apply';
import { RecordChecker, type CheckedRecord } from './check-records';
import type { SyncRunCounts, SyncTrigger } from './data';
import { FileRefusedError, type SourceEncoding } from '../../platform/text-decoding';
import type { RegistryListener } from './index';
import { ImportLease } from './lease';
import { BatchPlanner } from './plan';
import { openRecords, type RecordSource, type RegistrySource } from './read-records';
import { maskIdNumbersAnywhere, Rejections, type Rejection } from './rejections';
import { closeAbandonedRuns, finishRun, markApplying, openRun } from './runs';
import { StagedPlan } from './staging';
import { Stopwatch } from './stopwatch';

export type { Rejection };

export type ImportProgress = { phase: 'checking'; bytesRead: number } | { phase: 'applying'; applied: number; total: number };

export interface ImportOptions {
  deps: Pick<Deps, 'config' | 'clock' | 'logger'>;
  /** Told about the enterprises each applied batch created, renamed or moved (wired at the composition root). */
  listener: RegistryListener;
  trigger: SyncTrigger;
  onProgress?(progress: ImportProgress): void;
  /** Records per batch: per collection, one read and one bulk write per batch. */
  batchSize?: number;
  leaseTtlMs?: number;
}

export interface ImportSummary extends SyncRunCounts {
  runId: string;
  /** SUCCEEDED: the whole file is applied. REJECTED: it had bad lines (or was unreadable) and nothing was applied. */
  outcome: 'SUCCEEDED' | 'REJECTED';
  encoding?: SourceEncoding;
  /** Every bad line (up to MAX_LISTED_REJECTIONS), in line order, ID numbers masked. */
  rejections: Rejection[];
  /** Why the file was refused as a whole (its encoding, say), in Chinese. */
  refusal?: string;
  /** Earlier runs that had died half way, closed as FAILED by this one (which re-applied what they left). */
  recoveredRuns: { runId: string; startedAt: Date }[];
  timings: Record<string, number>;
}

/** The import stopped on an error after it started; the run is recorded as FAILED with the reason. */
export class ImportFailedError extends Error {
  readonly code = 'IMPORT_FAILED';

  constructor(
    readonly runId: string,
    readonly reason: string,
    readonly anythingWritten: boolean,
  ) {
    super(
      anythingWritten
        ? `证书导入失败：${reason}。已完成的批次已写入，其余未写入；排除问题后重新导入同一文件即可补齐（重复导入不会产生重复数据）`
        : `证书导入失败：${reason}。未写入任何数据`,
    );
  }
}

const DEFAULT_BATCH_SIZE = 1000;

function sourceName(source: RegistrySource): string {
  return 'path' in source ? source.path : `(${source.format} lines)`;
}

function reasonOf(error: unknown): string {
  if ((error as { code?: string })?.code === 'ENOENT') return '找不到导入文件';
  return maskIdNumbersAnywhere(error instanceof Error ? error.message : String(error));
}

/** One import run: check and plan the whole source first, then apply it batch by batch. */
class ImportRun {
  private readonly rejections = new Rejections();
  private readonly checker: RecordChecker;
  private readonly planner: BatchPlanner;
  readonly stopwatch = new Stopwatch();
  private readonly batchSize: number;
  private records = 0;
  private refusal: string | undefined;
  encoding: SourceEncoding | undefined;
  private batchesApplied = 0;

  constructor(
    readonly runId: Types.ObjectId,
    private readonly options: ImportOptions,
    private readonly lease: ImportLease,
  ) {
    const { config, clock } = options.deps;
    this.checker = new RecordChecker(config.idHashKey, today(clock), this.rejections);
    this.planner = new BatchPlanner(config.idEncryptionKey, this.rejections);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** Created, updated and unchanged as planned; a rejected file applies nothing, so those are zero. */
  get counts(): SyncRunCounts {
    const planned = this.rejected ? { created: 0, updated: 0, unchanged: 0 } : this.planner.counts;
    return { records: this.records, ...planned, rejected: this.rejections.count };
  }

  get anythingWritten(): boolean {
    return this.batchesApplied > 0;
  }

  /** Pass 1: every line read and checked; the good ones planned (database reads only) and staged. */
  async checkAndPlan(source: RegistrySource, staged: StagedPlan): Promise<void> {
    let records: RecordSource | undefined;
    try {
      records = openRecords(source, (bytesRead) => this.options.onProgress?.({ phase: 'checking', bytesRead }));
      await this.stopwatch.time('check', () => this.checkAll(records!, staged));
    } catch (error) {
      if (!(error instanceof FileRefusedError)) throw error;
      this.refusal = error.message;
    }
    this.encoding = records?.encoding();
  }

  get rejected(): boolean {
    return this.refusal !== undefined || this.rejections.any;
  }

  private async checkAll(records: RecordSource, staged: StagedPlan): Promise<void> {
    let batch: CheckedRecord[] = [];
    // Planning batch k (database reads) overlaps checking batch k+1 (CPU); batches are planned in order.
    let planning: Promise<void> = Promise.resolve();
    const planInTurn = async (full: CheckedRecord[]) => {
      await planning;
      planning = this.planAndStage(full, staged);
      planning.catch(() => undefined); // awaited in turn; this only keeps it from counting as unhandled meanwhile
    };
    try {
      for await (const raws of records.batches) {
        for (const raw of raws) {
          if (!raw.header) this.records += 1;
          const checked = this.checker.check(raw);
          if (checked) batch.push(checked);
          if (batch.length >= this.batchSize) {
            await planInTurn(batch);
            batch = [];
          }
        }
      }
      if (batch.length) await planInTurn(batch);
      await planning;
    } finally {
      await planning.catch(() => undefined); // a file refused mid-read leaves no planning running behind it
    }
  }

  /** Once a line is bad nothing will be applied: later batches are only checked against stored holders. */
  private async planAndStage(batch: CheckedRecord[], staged: StagedPlan): Promise<void> {
    if (this.rejections.any) return this.stopwatch.time('plan', () => this.planner.checkHolders(batch));
    const planned = await this.stopwatch.time('plan', () => this.planner.plan(batch));
    await this.stopwatch.time('stage', () => staged.append(planned));
  }

  /** Pass 2: the staged batches written in order, each behind a lease check. */
  async apply(staged: StagedPlan): Promise<void> {
    const { listener, deps, onProgress } = this.options;
    const total = this.planner.counts.created + this.planner.counts.updated;
    let applied = 0;
    const writer = new BatchWriter(listener, this.stopwatch);
    await this.stopwatch.time('apply', async () => {
      for await (const batch of staged.batches()) {
        await this.stopwatch.time('renewLease', () => this.lease.renew());
        this.batchesApplied += 1;
        await writer.write(batch, deps.clock.now());
        applied += batch.certificates.length;
        onProgress?.({ phase: 'applying', applied, total });
      }
      await writer.finish();
    });
  }

  summary(outcome: ImportSummary['outcome'], recoveredRuns: ImportSummary['recoveredRuns']): ImportSummary {
    const rejections = this.rejections.list();
    return { runId: String(this.runId), outcome, encoding: this.encoding, ...this.counts, rejections, refusal: this.refusal, recoveredRuns, timings: this.stopwatch.toJSON() };
  }
}

async function execute(run: ImportRun, source: RegistrySource, staged: StagedPlan, options: ImportOptions, recoveredRuns: ImportSummary['recoveredRuns']): Promise<ImportSummary> {
  const { clock } = options.deps;
  await run.checkAndPlan(source, staged);
  if (run.rejected) {
    const summary = run.summary('REJECTED', recoveredRuns);
    await finishRun(run.runId, { status: 'REJECTED', counts: run.counts, rejections: summary.rejections, encoding: summary.encoding, error: summary.refusal, timings: summary.timings }, clock);
    return summary;
  }
  await run.stopwatch.time('runRecord', () => markApplying(run.runId, run.counts, run.encoding));
  await run.apply(staged);
  const summary = run.summary('SUCCEEDED', recoveredRuns);
  await finishRun(run.runId, { status: 'SUCCEEDED', counts: run.counts, encoding: summary.encoding, timings: summary.timings }, clock);
  return summary;
}

/** Runs a dead process left open are closed as FAILED, and the plans they staged on this machine removed. */
async function closeAbandoned(run: ImportRun, clock: ImportOptions['deps']['clock']): Promise<ImportSummary['recoveredRuns']> {
  const abandoned = await run.stopwatch.time('runRecord', () => closeAbandonedRuns(clock));
  await Promise.all(abandoned.map((r) => r.stagingDir && StagedPlan.discard(r.stagingDir)));
  return abandoned.map((r) => ({ runId: String(r._id), startedAt: r.startedAt }));
}

/**
 * 证书同步: imports a provincial registry export, all or nothing. One import at a time (a lease shared by the
 * CLI and the nightly job: a second one gets ImportBusyError). Every line is read, decoded strictly, checked
 * and planned before anything is written; a single bad line rejects the file and every bad line is reported.
 * Only then is the plan applied batch by batch. Every run is recorded with its outcome. Re-importing the
 * same data changes nothing, so a run that failed half way is completed by running it again.
 */
export async function importCertificates(source: RegistrySource, options: ImportOptions): Promise<ImportSummary> {
  const { clock, logger } = options.deps;
  const runId = new Types.ObjectId();
  const lease = await ImportLease.acquire(String(runId), options.trigger, options.leaseTtlMs);
  const run = new ImportRun(runId, options, lease);
  let staged: StagedPlan | undefined;
  try {
    const recovered = await closeAbandoned(run, clock);
    staged = await run.stopwatch.time('tempFile', () => StagedPlan.create());
    const stagingDir = staged.dir;
    await run.stopwatch.time('runRecord', () => openRun(runId, sourceName(source), options.trigger, stagingDir, clock));
    const summary = await execute(run, source, staged, options, recovered);
    logger.info({ runId: summary.runId, trigger: options.trigger, outcome: summary.outcome, ...run.counts, timings: summary.timings }, 'certificate import finished');
    return summary;
  } catch (error) {
    const reason = reasonOf(error);
    logger.error({ runId: String(runId), trigger: options.trigger, reason }, 'certificate import failed');
    await finishRun(runId, { status: 'FAILED', counts: run.counts, error: reason }, clock).catch(() => undefined);
    throw new ImportFailedError(String(runId), reason, run.anythingWritten);
  } finally {
    await staged?.remove();
    await lease.release().catch(() => undefined);
  }
}
