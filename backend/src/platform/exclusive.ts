import mongoose from 'mongoose';
import { AppError } from './errors';
import { leaseHolderName } from './lease';

/**
 * Short claims on business keys (e.g. one certificate's enrollment), taken with single-document inserts
 * outside any transaction. A real MongoDB also stops concurrent duplicates through unique indexes inside
 * transactions (write conflicts); the in-memory stand-in does not detect conflicts between concurrent
 * transactions, so work that must happen once per key claims the key first. A crashed holder's claim runs
 * out after `ttlMs` and is taken over. Claim times are wall-clock, like leases.
 */
interface ClaimDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

const claims = () => mongoose.connection.collection<ClaimDoc>('claims');

async function claim(key: string, holder: string, ttlMs: number): Promise<boolean> {
  const expiresAt = new Date(Date.now() + ttlMs);
  try {
    await claims().insertOne({ _id: key, holder, expiresAt });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  const takeover = await claims().updateOne({ _id: key, expiresAt: { $lt: new Date() } }, { $set: { holder, expiresAt } });
  return takeover.modifiedCount === 1;
}

async function release(keys: string[], holder: string): Promise<void> {
  await claims().deleteMany({ _id: { $in: keys }, holder });
}

/**
 * Runs `work` while holding every key; if another request holds any of them, nothing runs and the caller is
 * told CONFLICT with `busyMessage` (Chinese, for the person). Keys are claimed in sorted order.
 */
export async function withExclusiveKeys<T>(keys: string[], busyMessage: string, work: () => Promise<T>, ttlMs = 60_000): Promise<T> {
  const holder = leaseHolderName();
  const held: string[] = [];
  try {
    for (const key of [...new Set(keys)].sort()) {
      if (!(await claim(key, holder, ttlMs))) throw new AppError('CONFLICT', { busy: true }, busyMessage);
      held.push(key);
    }
    return await work();
  } finally {
    await release(held, holder).catch(() => undefined);
  }
}
