import type { Deps } from '../http/route';
import type { JobDoc } from './model';

/** What a handler gets besides its payload. */
export interface JobContext {
  job: Readonly<JobDoc>;
  /** Which run this is: 1 for the first. */
  attempt: number;
  /** "now" on the runner's clock when the run started. */
  now: Date;
  deps: Deps;
  /**
   * Records progress on the job at once (merged into `job.progress`), so a later run of the same job can tell
   * what already happened — e.g. that the mail server accepted the mail. Refused if this run lost its lease.
   */
  recordProgress(progress: Record<string, unknown>): Promise<void>;
}

export type JobHandler<P = any> = (payload: P, context: JobContext) => Promise<unknown>;

export interface BackoffOptions {
  /** Delay before the first retry (default 30 s); each further retry doubles it. */
  baseMs?: number;
  /** Longest delay (default 1 h). */
  maxMs?: number;
}

export interface JobOptions {
  /** Runs in all, the first included, before the job is `failed` (default 5). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
}

export interface JobDefinition {
  name: string;
  handler: JobHandler;
  maxAttempts: number;
  backoff: Required<BackoffOptions>;
}

/** A failure no retry can fix (a malformed payload, a recipient the mail server refuses): the job fails at once. */
export class PermanentJobError extends Error {}

/**
 * The delay before run `attempt + 1`: base · 2^(attempt−1), capped, of which the upper half is random ("equal
 * jitter"), so jobs that failed together (a mail server that was down) do not all come back at the same moment.
 */
export function retryDelayMs(attempt: number, backoff: Required<BackoffOptions>, random: () => number = Math.random): number {
  const full = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

/** Handlers by job name. A runner claims only jobs whose name it has a handler for. */
export class JobDefinitions {
  private readonly byName = new Map<string, JobDefinition>();

  /** Defining a name again replaces the handler (a backend started twice in one process defines its jobs twice). */
  define<P>(name: string, handler: JobHandler<P>, options: JobOptions = {}): void {
    this.byName.set(name, {
      name,
      handler,
      maxAttempts: options.maxAttempts ?? 5,
      backoff: { baseMs: options.backoff?.baseMs ?? 30_000, maxMs: options.backoff?.maxMs ?? 3_600_000 },
    });
  }

  get(name: string): JobDefinition | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** The backend's handlers: modules define theirs here; the backend's runner runs them. */
export const jobs = new JobDefinitions();
