import mongoose, { Schema, model, type Types } from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { keyedHash } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';

/**
 * Guessing protection, one mechanism for every kind of account, stored in the database so it holds across
 * backend instances and restarts (rate-limiter-flexible's MongoDB store):
 * - per identifier: an attempt is reserved atomically BEFORE the password is checked, so however many
 *   requests arrive at once, at most LOGIN_MAX_FAILURES checks run; after that many failures within the
 *   lock period the identifier is locked for that period, whether or not the account exists;
 * - per client address and bucket: at most LOGIN_RATE_PER_MINUTE calls a minute.
 */

/** The limiter's own documents; declared as a model only so `ensureIndexes` builds the unique key and the TTL. */
interface RateLimitDoc {
  key: string;
  points: number;
  expire: Date | null;
}
const rateLimitSchema = new Schema<RateLimitDoc>({ key: { type: String, required: true }, points: { type: Number, required: true }, expire: Date }, { collection: 'ratelimits' });
rateLimitSchema.index({ key: 1 }, { unique: true });
rateLimitSchema.index({ expire: -1 }, { expireAfterSeconds: 0 });
export const RateLimitModel = model<RateLimitDoc>('RateLimit', rateLimitSchema);

/** One password (or activation code) check that failed: the security record of guessing, kept 30 days. */
export interface LoginFailureDoc {
  _id: Types.ObjectId;
  /** The identifier attacked, as the limiter knows it (credit code, ID-number hash, user name — never a raw ID number). */
  identifier: string;
  during: 'login' | 'bind' | 'password-change';
  ip?: string;
  at: Date;
  expiresAt: Date;
}
const loginFailureSchema = new Schema<LoginFailureDoc>({
  identifier: { type: String, required: true },
  during: { type: String, required: true },
  ip: String,
  at: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
loginFailureSchema.index({ identifier: 1, at: -1 });
loginFailureSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const LoginFailureModel = model<LoginFailureDoc>('LoginFailure', loginFailureSchema);

const FAILURE_RECORD_DAYS = 30;

const limiters = new Map<string, RateLimiterMongo>();

function limiter(keyPrefix: string, points: number, durationSeconds: number): RateLimiterMongo {
  const id = `${keyPrefix}/${points}/${durationSeconds}`;
  let found = limiters.get(id);
  if (!found) {
    found = new RateLimiterMongo({
      storeClient: mongoose.connection,
      tableName: RateLimitModel.collection.collectionName,
      keyPrefix,
      points,
      duration: durationSeconds,
      disableIndexesCreation: true, // built with the other models' indexes
    });
    limiters.set(id, found);
  }
  return found;
}

function failureLimiter(deps: Deps): RateLimiterMongo {
  return limiter('failures', deps.config.LOGIN_MAX_FAILURES, deps.config.LOGIN_LOCK_MINUTES * 60);
}

/** The limiter measures time with the system clock, so lock ends are told in system time too. */
function fromNow(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export type RateBucket = 'login' | 'wechat-login' | 'certificate-query';

/** At most LOGIN_RATE_PER_MINUTE calls a minute per client address and bucket, counted in the database. */
export async function limitRate(bucket: RateBucket, ip: string, deps: Deps): Promise<void> {
  try {
    await limiter(`rate:${bucket}`, deps.config.LOGIN_RATE_PER_MINUTE, 60).consume(ip);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(refusal.msBeforeNext / 1000) });
    throw refusal;
  }
}

export interface GuardedCheck {
  /** The identifier attacked, per person or account: attempts on it are counted wherever they come from. */
  identifier: string;
  during: LoginFailureDoc['during'];
  ip?: string;
  /** What a failed check answers while attempts remain. */
  failure: { code: 'INVALID_CREDENTIALS' | 'LEARNER_BIND_FAILED' | 'IDENTITY_VERIFICATION_FAILED'; message?: string };
  /** The password (or code) check; called only once an attempt is reserved. */
  check(): Promise<boolean>;
}

/**
 * Runs one password check under the lockout: reserves an attempt first (or answers ACCOUNT_LOCKED), then
 * checks; success frees the identifier, failure is recorded and answered with the attempts left, and the
 * last allowed failure locks the identifier for LOGIN_LOCK_MINUTES.
 */
export async function guardedCheck(guard: GuardedCheck, deps: Deps): Promise<void> {
  const limits = failureLimiter(deps);
  let reservation: RateLimiterRes;
  try {
    reservation = await limits.consume(guard.identifier);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new AppError('ACCOUNT_LOCKED', { lockedUntil: fromNow(refusal.msBeforeNext) });
    throw refusal;
  }
  if (await checkRecordingFailure(guard, deps)) {
    await limits.delete(guard.identifier);
    return;
  }
  if (reservation.remainingPoints > 0) throw new AppError(guard.failure.code, { remainingAttempts: reservation.remainingPoints }, guard.failure.message);
  const lockSeconds = deps.config.LOGIN_LOCK_MINUTES * 60;
  await limits.block(guard.identifier, lockSeconds);
  throw new AppError('ACCOUNT_LOCKED', { lockedUntil: fromNow(lockSeconds * 1000) });
}

/** Every check that fails leaves a record, so the records count the checks that really ran. */
async function checkRecordingFailure(guard: GuardedCheck, deps: Deps): Promise<boolean> {
  if (await guard.check()) return true;
  const at = deps.clock.now();
  await LoginFailureModel.create({ identifier: guard.identifier, during: guard.during, ip: guard.ip, at, expiresAt: new Date(at.getTime() + FAILURE_RECORD_DAYS * 86_400_000) });
  return false;
}

/** Whose password checks: an enterprise (province + credit code), a person (ID number) or a staff user. */
export type CheckedSubject = { enterprise: { province: string; uscc: string } } | { learnerIdNumber: string } | { staffUsername: string };

/** Identifiers the lockout counts per: per legal entity, per person (never the raw ID number), per staff user. */
export const identifiers = {
  enterprise: (province: string, uscc: string) => `enterprise:${province}:${uscc}`,
  /** A name no enterprise has: counted per typed name, so a lock looks the same as for a real one. */
  enterpriseName: (province: string, nameKey: string) => `enterprise:${province}:name:${nameKey}`,
  learner: (idHash: string) => `learner:${idHash}`,
  staff: (username: string) => `staff:${username.toLowerCase()}`,
};

function identifierOf(subject: CheckedSubject, deps: Deps): string {
  if ('enterprise' in subject) return identifiers.enterprise(subject.enterprise.province, subject.enterprise.uscc);
  if ('learnerIdNumber' in subject) return identifiers.learner(keyedHash(deps.config.idHashKey, subject.learnerIdNumber));
  return identifiers.staff(subject.staffUsername);
}

/** How many password checks failed for a subject since a moment (security review; tests count guesses with it). */
export async function failedChecksSince(subject: CheckedSubject, since: Date, deps: Deps): Promise<number> {
  return LoginFailureModel.countDocuments({ identifier: identifierOf(subject, deps), at: { $gte: since } });
}
