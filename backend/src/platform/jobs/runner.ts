import type { Clock } from '../clock';
import type { Deps } from '../http/route';
import { leaseHolderName } from '../lease';
import { type JobContext, type JobDefinition, type JobDefinitions, jobs as backendJobs, PermanentJobError, retryDelayMs } from './definitions';
import { type JobDoc, JobModel, JobRunFenceModel, UNLOCKED } from './model';

export interface JobRunnerOptions {
  deps: Deps;
  /** Whose handlers to run (default: the backend's `jobs`). */
  definitions?: JobDefinitions;
  /** The clock due times and leases are read on (default `deps.clock`). */
  clock?: Clock;
  /** Written into `lockedBy` (default: host, pid and a random suffix). */
  runnerId?: string;
  /** How long a claim holds a job without renewal (default 60 s; renewed every third of it while the handler runs). */
  leaseMs?: number;
  /** Jobs one `runDueJobs` call runs side by side (default 1). */
  concurrency?: number;
}

export type RunOutcome = 'done' | 'retrying' | 'failed' | 'leaseLost';

export interface RunSummary {
  ran: number;
  done: number;
  retrying: number;
  failed: number;
  /** Runs whose result was not written because another runner had taken the job over meanwhile. */
  leaseLost: number;
}

/** How many runs one `runDueJobs` call makes at most, so one poll cannot go on for ever. */
const MAX_RUNS_PER_CALL = 200;
const MAX_ERROR_LENGTH = 2000;

function describeError(error: unknown): string {
  const e = error as { name?: string; code?: unknown; message?: string } | undefined;
  const text = e?.message ? `${e.name ?? 'Error'}${e.code ? ` (${String(e.code)})` : ''}: ${e.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Claims due jobs one at a time (an atomic findOneAndUpdate that takes a lease) and runs their handlers: on
 * success the job is `done`; on failure it is retried later with exponential backoff and jitter, and after its
 * last attempt it is `failed` with the error kept for operators. Any number of runners, in any number of
 * processes, may work on one database: a job is run by the one holding its lease, and a runner that dies leaves
 * its job to the next runner once the lease has run out.
 */
export class JobRunner {
  readonly runnerId: string;
  private readonly definitions: JobDefinitions;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.runnerId = options.runnerId ?? `jobs:${leaseHolderName()}`;
    this.definitions = options.definitions ?? backendJobs;
    this.clock = options.clock ?? options.deps.clock;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.concurrency = options.concurrency ?? 1;
  }

  /** Runs every job due at `now` (default: the clock's now), including retries that fall due meanwhile. */
  async runDueJobs(now?: Date): Promise<RunSummary> {
    const summary: RunSummary = { ran: 0, done: 0, retrying: 0, failed: 0, leaseLost: 0 };
    const worker = async () => {
      while (summary.ran < MAX_RUNS_PER_CALL) {
        const at = now ?? this.clock.now();
        const job = await this.claim(at);
        if (!job) return;
        summary.ran++;
        summary[await this.run(job, at)]++;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    return summary;
  }

  /** Polls every `intervalMs` (one poll at a time) until `stop`. */
  start(intervalMs: number): void {
    if (this.timer || this.stopped) return;
    const poll = () => {
      this.polling = this.runDueJobs()
        .catch((error) => this.options.deps.logger.warn({ err: error, runner: this.runnerId }, 'job poll failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(poll, intervalMs);
        });
    };
    this.timer = setTimeout(poll, 0);
  }

  /**
   * Stops polling and waits up to `graceMs` for the runs in progress. A run still going after that keeps its lease
   * until the process ends; the job is then due again once the lease runs out.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.polling, new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
  }

  /** Takes one due job whose lease is free or expired, and leases it to this runner; null when none is due. */
  private async claim(now: Date): Promise<JobDoc | null> {
    const lockedUntil = new Date(now.getTime() + this.leaseMs);
    const before = await JobModel.collection.findOneAndUpdate(
      { status: 'queued', name: { $in: this.definitions.names() }, runAt: { $lte: now }, lockedUntil: { $lte: now } },
      { $set: { lockedBy: this.runnerId, lockedUntil }, $inc: { attempts: 1 } },
      { sort: { runAt: 1 }, returnDocument: 'before' },
    );
    if (!before) return null;
    const job = { ...(before as unknown as JobDoc), attempts: before.attempts + 1, lockedBy: this.runnerId, lockedUntil };
    if (!(await this.fenceRun(job, before.runAt as Date))) return this.claim(now);
    // The fence's winner states the claim once more: a second claimer's write may have bumped attempts twice.
    await JobModel.collection.updateOne({ _id: job._id }, { $set: { lockedBy: this.runnerId, lockedUntil, attempts: job.attempts } });
    if (before.lockedBy) this.options.deps.logger.warn(this.about(job, { previousRunner: before.lockedBy }), 'job taken over: its previous run never finished');
    return job;
  }

  /**
   * True for the one claimer of this run; a second claimer of the same attempt (possible on the stand-in, whose
   * findOneAndUpdate is not atomic under concurrent clients) backs off. The key holds the job's due time, so a
   * failed job an operator puts back (attempts start again at 0, due now) gets fresh keys.
   */
  private async fenceRun(job: JobDoc, dueAt: Date): Promise<boolean> {
    try {
      await JobRunFenceModel.create({ _id: `${job._id}:${job.attempts}:${dueAt.getTime()}`, at: this.clock.now() });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      this.options.deps.logger.warn(this.about(job), 'job claimed twice at once: the other claimer runs it');
      return false;
    }
  }

  private async run(job: JobDoc, now: Date): Promise<RunOutcome> {
    const definition = this.definitions.get(job.name)!;
    if (job.attempts > definition.maxAttempts) {
      return this.fail(job, `the last of ${definition.maxAttempts} attempts never finished (its runner stopped or lost its lease)`);
    }
    const renewal = setInterval(() => void this.renewLease(job), this.leaseMs / 3);
    renewal.unref();
    const started = Date.now();
    try {
      const result = await definition.handler(job.payload, this.contextFor(job, now));
      const outcome = await this.settle(job, { status: 'done', result: result ?? null, finishedAt: this.clock.now() });
      if (outcome === 'done') this.options.deps.logger.info(this.about(job, { ms: Date.now() - started }), 'job finished');
      return outcome;
    } catch (error) {
      if (error instanceof PermanentJobError || job.attempts >= definition.maxAttempts) return this.fail(job, describeError(error));
      return this.retryLater(job, definition, now, describeError(error));
    } finally {
      clearInterval(renewal);
    }
  }

  private contextFor(job: JobDoc, now: Date): JobContext {
    return {
      job,
      attempt: job.attempts,
      now,
      deps: this.options.deps,
      recordProgress: async (progress) => {
        const fields = Object.fromEntries(Object.entries(progress).map(([k, v]) => [`progress.${k}`, v]));
        const written = await JobModel.collection.updateOne(this.ownClaim(job), { $set: fields });
        if (written.matchedCount !== 1) throw new Error(`job ${String(job._id)} is no longer held by ${this.runnerId}`);
        Object.assign(job.progress, progress);
      },
    };
  }

  private async retryLater(job: JobDoc, definition: JobDefinition, now: Date, lastError: string): Promise<RunOutcome> {
    const runAt = new Date(now.getTime() + retryDelayMs(job.attempts, definition.backoff));
    const outcome = await this.settle(job, { status: 'queued', runAt, lastError }, 'retrying');
    if (outcome === 'retrying') this.options.deps.logger.warn(this.about(job, { error: lastError, retryAt: runAt }), 'job will retry');
    return outcome;
  }

  private async fail(job: JobDoc, lastError: string): Promise<RunOutcome> {
    const outcome = await this.settle(job, { status: 'failed', lastError, finishedAt: this.clock.now() }, 'failed');
    if (outcome === 'failed') this.options.deps.logger.error(this.about(job, { error: lastError }), 'job failed');
    return outcome;
  }

  /** Writes the run's end and releases the lease — only if this run still holds it. */
  private async settle(job: JobDoc, fields: Partial<JobDoc>, outcome: RunOutcome = 'done'): Promise<RunOutcome> {
    const written = await JobModel.collection.updateOne(this.ownClaim(job), { $set: { ...fields, lockedBy: null, lockedUntil: UNLOCKED } });
    if (written.matchedCount === 1) return outcome;
    this.options.deps.logger.warn(this.about(job, { outcome }), 'job lease lost: another runner took the job over; this run’s end is not recorded');
    return 'leaseLost';
  }

  private async renewLease(job: JobDoc): Promise<void> {
    const lockedUntil = new Date(this.clock.now().getTime() + this.leaseMs);
    await JobModel.collection.updateOne(this.ownClaim(job), { $set: { lockedUntil } }).catch(() => undefined);
  }

  /** This run's claim: the runner and the attempt it took (a later claim of the same job has another attempt). */
  private ownClaim(job: JobDoc) {
    return { _id: job._id, lockedBy: this.runnerId, attempts: job.attempts };
  }

  private about(job: JobDoc, extra: Record<string, unknown> = {}) {
    return { job: job.name, jobId: String(job._id), key: job.key, attempt: job.attempts, runner: this.runnerId, ...extra };
  }
}
