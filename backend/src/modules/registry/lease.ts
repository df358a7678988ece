import { ImportLeaseModel, type SyncTrigger } from './data';

const LEASE_ID = 'certificate-import';
/** Long enough to ride out a slow batch; short enough that a crashed run blocks the next one only briefly. */
export const DEFAULT_LEASE_TTL_MS = 2 * 60 * 1000;

/** Another import holds the lease: this one did not start and changed nothing. */
export class ImportBusyError extends Error {
  readonly code = 'IMPORT_IN_PROGRESS';

  constructor(readonly startedAt: Date | undefined) {
    super(`另一个导入正在进行（开始于 ${startedAt ? chinaTime(startedAt) : '刚才'}），本次未执行，请等它结束后再试`);
  }
}

/** The lease was lost (expired without renewal and taken over): this run must stop writing. */
export class LeaseLostError extends Error {
  readonly code = 'IMPORT_LEASE_LOST';

  constructor() {
    super('导入租约已失效（本次运行过久未续约，可能已被另一个导入接管），已停止写入');
  }
}

function chinaTime(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/**
 * One import at a time, across processes: an atomic acquire (take the lease if absent or expired), renewal
 * before every write and on a heartbeat, release at the end. Writes are fenced: `renew` throws once the
 * lease is gone, so a run that stalled past its expiry cannot write over its successor. Lease times are
 * wall-clock, not the injected business clock: a lease must run out in real time whatever day a demo or test
 * stands on. (Unlike platform/lease.ts `withLease`, a second import does not wait: it is refused at once.)
 */
export class ImportLease {
  private heartbeat: NodeJS.Timeout | undefined;
  private lost = false;

  private constructor(
    private readonly runId: string,
    private readonly ttlMs: number,
  ) {}

  static async acquire(runId: string, trigger: SyncTrigger, ttlMs = DEFAULT_LEASE_TTL_MS): Promise<ImportLease> {
    const now = new Date();
    try {
      // Matches only an expired lease; when a live one exists the upsert collides on _id and is refused.
      await ImportLeaseModel.findOneAndUpdate(
        { _id: LEASE_ID, expiresAt: { $lte: now } },
        { $set: { runId, trigger, startedAt: now, expiresAt: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const holder = await ImportLeaseModel.findById(LEASE_ID).lean();
      throw new ImportBusyError(holder?.startedAt);
    }
    const lease = new ImportLease(runId, ttlMs);
    lease.startHeartbeat();
    return lease;
  }

  /** Extends the lease; throws if it is no longer this run's. Called before every batch is written. */
  async renew(): Promise<void> {
    if (this.lost) throw new LeaseLostError();
    const expiresAt = new Date(Date.now() + this.ttlMs);
    const { matchedCount } = await ImportLeaseModel.updateOne({ _id: LEASE_ID, runId: this.runId }, { $set: { expiresAt } });
    // Under load the stand-in has answered "matched 0" for a lease that was still ours: look before giving up.
    if (matchedCount === 0 && !(await this.stillOurs())) {
      this.lost = true;
      throw new LeaseLostError();
    }
  }

  private async stillOurs(): Promise<boolean> {
    const holder = await ImportLeaseModel.findById(LEASE_ID).lean();
    return holder?.runId === this.runId && holder.expiresAt > new Date();
  }

  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await ImportLeaseModel.deleteOne({ _id: LEASE_ID, runId: this.runId });
  }

  /** Keeps the lease alive through long reading and checking, when no batch is being written. */
  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => void this.renew().catch(() => undefined), Math.max(this.ttlMs / 3, 50));
    this.heartbeat.unref();
  }
}
