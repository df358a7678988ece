import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { LoginThrottleModel } from './data';

/**
 * Login protection, one mechanism for every kind of account:
 * - per identifier (stored, survives restarts): after N failures within the lock period the identifier is
 *   locked for that period, whether or not the account exists;
 * - per client address (in memory, `checkRate`): at most M attempts a minute.
 */
const attempts = new Map<string, number[]>();

/** At most LOGIN_RATE_PER_MINUTE calls a minute per client address, per bucket (logins, public queries). */
export function checkRate(bucket: string, ip: string, deps: Deps): void {
  const key = `${bucket}:${ip}`;
  const now = deps.clock.now().getTime();
  const recent = (attempts.get(key) ?? []).filter((t) => now - t < 60_000);
  if (recent.length >= deps.config.LOGIN_RATE_PER_MINUTE) throw new AppError('RATE_LIMITED');
  recent.push(now);
  attempts.set(key, recent);
}

export async function assertNotLocked(key: string, deps: Deps): Promise<void> {
  const doc = await LoginThrottleModel.findOne({ key }).lean();
  if (doc?.lockedUntil && doc.lockedUntil > deps.clock.now()) {
    throw new AppError('ACCOUNT_LOCKED', { lockedUntil: doc.lockedUntil.toISOString() });
  }
}

export async function recordFailure(key: string, deps: Deps): Promise<never> {
  const now = deps.clock.now();
  const lockMs = deps.config.LOGIN_LOCK_MINUTES * 60_000;
  const existing = await LoginThrottleModel.findOne({ key }).lean();
  const windowExpired = !existing || now.getTime() - existing.windowStartedAt.getTime() > lockMs;
  const doc = windowExpired
    ? await LoginThrottleModel.findOneAndUpdate({ key }, { $set: { failures: 1, windowStartedAt: now }, $unset: { lockedUntil: 1 } }, { upsert: true, returnDocument: 'after' })
    : await LoginThrottleModel.findOneAndUpdate({ key }, { $inc: { failures: 1 } }, { returnDocument: 'after' });
  const remaining = deps.config.LOGIN_MAX_FAILURES - (doc?.failures ?? 1);
  if (remaining <= 0) {
    const lockedUntil = new Date(now.getTime() + lockMs);
    await LoginThrottleModel.updateOne({ key }, { $set: { lockedUntil } });
    throw new AppError('ACCOUNT_LOCKED', { lockedUntil: lockedUntil.toISOString() });
  }
  throw new AppError('INVALID_CREDENTIALS', { remainingAttempts: remaining });
}

export async function clearFailures(key: string): Promise<void> {
  await LoginThrottleModel.deleteOne({ key });
}
