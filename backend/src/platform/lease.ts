import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Logger } from './logger';

/**
 * A lease document in `leases`: whoever holds `_id = name` (until `expiresAt`) is the one instance doing the
 * work. The holder renews it while working; one that dies leaves it to expire, and the next taker proceeds.
 * Lease times are wall-clock (Date.now), not the injected business clock: a lease must run out in real time
 * even when a test or demo stands the product on another day.
 */
interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal (default 30 s). */
  ttlMs?: number;
  /** How long to wait for another holder before giving up (default 5 minutes). */
  waitMs?: number;
  logger?: Logger;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function leaseHolderName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

async function tryAcquire(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const leases = db.collection<LeaseDoc>('leases');
  const expiresAt = new Date(Date.now() + ttlMs);
  try {
    await leases.insertOne({ _id: name, holder, expiresAt });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  const takeover = await leases.updateOne({ _id: name, expiresAt: { $lt: new Date() } }, { $set: { holder, expiresAt } });
  return takeover.modifiedCount === 1;
}

/** Runs `work` while holding the named lease; waits while another live instance holds it. */
export async function withLease<T>(db: Db, name: string, work: () => Promise<T>, options: LeaseOptions = {}): Promise<T> {
  const ttlMs = options.ttlMs ?? 30_000;
  const holder = leaseHolderName();
  const giveUpAt = Date.now() + (options.waitMs ?? 300_000);
  let told = false;
  while (!(await tryAcquire(db, name, holder, ttlMs))) {
    if (Date.now() > giveUpAt) throw new Error(`lease "${name}" is still held by another instance; gave up waiting`);
    if (!told) {
      const current = await db.collection<LeaseDoc>('leases').findOne({ _id: name });
      options.logger?.info({ lease: name, heldBy: current?.holder, until: current?.expiresAt }, 'waiting for another instance to finish');
      told = true;
    }
    await sleep(200 + Math.random() * 300);
  }
  const leases = db.collection<LeaseDoc>('leases');
  const renew = setInterval(() => {
    leases.updateOne({ _id: name, holder }, { $set: { expiresAt: new Date(Date.now() + ttlMs) } }).catch(() => undefined);
  }, ttlMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await leases.deleteOne({ _id: name, holder }).catch(() => undefined);
  }
}
