import type { AsyncLocalStorage } from 'node:async_hooks';
import mongoose from 'mongoose';
import { AppError } from './errors';

mongoose.set('autoCreate', false);
mongoose.set('autoIndex', false);
mongoose.set('strictQuery', true);
// Queries go straight to the driver, which waits for a usable server itself (serverSelectionTimeoutMS). With
// mongoose's buffering, a moment of "server unknown" (the stand-in drops connections when a commit loses a race)
// parked every query until mongoose saw the server again — up to 10 s — and then failed them all.
mongoose.set('bufferCommands', false);
// Every mongoose query run inside `inTransaction` gets the transaction's session, even from code that
// does not pass it (e.g. a policy lookup); passing it explicitly stays the rule for readable code.
mongoose.set('transactionAsyncLocalStorage', true);

/**
 * The server monitor polls (`hello` every 10 s) instead of streaming: under a couple of hundred concurrent requests
 * the in-memory stand-in breaks the streaming monitor ("Server ended moreToCome unexpectedly"), the driver clears
 * its pool and every operation in flight fails. Polling is what drivers did before streaming; on a real MongoDB it
 * only notices a failover a little later.
 */
export async function connectDatabase(uri: string, dbName?: string): Promise<typeof mongoose> {
  return mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, serverMonitoringMode: 'poll' });
}

/** Builds every model's indexes explicitly (autoIndex is off), so a unique rule holds from the first write. */
export async function ensureIndexes(): Promise<void> {
  for (const name of mongoose.modelNames()) await mongoose.model(name).createIndexes();
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/**
 * Ready when a ping answers within 2 s. (Not mongoose's readyState: it reads "disconnected" between heartbeats
 * on the stand-in even while every query works.)
 */
export async function isDatabaseReady(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db) return false;
  try {
    await db.command({ ping: 1 }, { timeoutMS: 2000 });
    return true;
  } catch {
    return false;
  }
}

interface MongoLikeError {
  code?: number;
  name?: string;
  hasErrorLabel?(label: string): boolean;
}

const DUPLICATE_KEY = 11000;
const WRITE_CONFLICT = 112;
const NO_SUCH_TRANSACTION = 251;

function hasLabel(error: unknown, label: string): boolean {
  const e = error as MongoLikeError | undefined;
  return typeof e?.hasErrorLabel === 'function' && e.hasErrorLabel(label);
}

/** A write lost a race with another one (unique index, write conflict): the client may refresh and retry. */
export function isConflictError(error: unknown): boolean {
  const code = (error as MongoLikeError | undefined)?.code;
  return code === DUPLICATE_KEY || code === WRITE_CONFLICT || hasLabel(error, 'TransientTransactionError');
}

/** The database could not be reached or dropped the connection: nothing the client did wrong. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  const name = (error as MongoLikeError | undefined)?.name ?? '';
  return /^(MongoNetworkError|MongoNetworkTimeoutError|MongoServerSelectionError|MongoPoolClearedError|PoolClearedOnNetworkError|MongoNotConnectedError|MongoTopologyClosedError)$/.test(name);
}

/** The connection broke under an operation (the stand-in also closes it when a commit loses a race). */
const isNetworkError = (error: unknown) => /^(MongoNetworkError|MongoNetworkTimeoutError|MongoPoolClearedError|PoolClearedOnNetworkError)$/.test((error as MongoLikeError | undefined)?.name ?? '');

/**
 * Worth running the whole transaction again: MongoDB's TransientTransactionError label, a write conflict, a
 * duplicate key (the retry reads the winner's write and answers from it), a commit whose outcome stayed unknown,
 * or a dropped connection (the in-memory stand-in closes the connection when a commit loses a race). A database
 * that cannot be reached at all is not retried here (server selection already waited).
 */
function isRetryable(error: unknown): boolean {
  const code = (error as MongoLikeError | undefined)?.code;
  return (
    isConflictError(error) ||
    code === NO_SUCH_TRANSACTION ||
    hasLabel(error, 'UnknownTransactionCommitResult') ||
    isNetworkError(error)
  );
}

/**
 * What a transaction that kept losing is answered: a conflict. (Only retryable errors get here; a database that is
 * really gone shows as a server-selection error, which is not retried and is answered 503 by the HTTP layer.)
 */
function finalError(attempts: number): AppError {
  return new AppError('CONFLICT', { attempts });
}

export const TRANSACTION_ATTEMPTS = 6;
const COMMIT_ATTEMPTS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 25, 50, 100, 200, 400 ms, each with up to as much again of random jitter, so racing requests spread out. The
 * total (0.8–1.6 s) outlasts the driver's pause after a dropped connection (it re-checks the server at most every
 * 500 ms and refuses new operations until then).
 */
function backoffMs(attempt: number): number {
  const base = 25 * 2 ** (attempt - 1);
  return base + Math.random() * base;
}

/** A commit whose outcome is unknown (network, primary step-down) may be committed again: commit is idempotent. */
async function commit(session: mongoose.ClientSession): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await session.commitTransaction();
    } catch (error) {
      if (!hasLabel(error, 'UnknownTransactionCommitResult') || attempt >= COMMIT_ATTEMPTS) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * Ends a failed attempt. When the connection broke (or the abort did not get through), the server may still hold
 * the transaction open under this session's id, so the session is marked dirty and never reused: the driver
 * does this itself, except when another operation already cleared the pool — which is what the stand-in does
 * when a commit loses a race — and the next transaction on the reused id would then be refused.
 */
async function abandon(session: mongoose.ClientSession, error: unknown): Promise<void> {
  let clean = !isNetworkError(error) && !hasLabel(error, 'UnknownTransactionCommitResult');
  if (session.inTransaction()) await session.abortTransaction().catch(() => (clean = false));
  if (!clean) session.serverSession!.isDirty = true;
}

type SessionStore = AsyncLocalStorage<{ session: mongoose.ClientSession }>;

function runWithSession<T>(session: mongoose.ClientSession, work: (session: mongoose.ClientSession) => Promise<T>): Promise<T> {
  const store = (mongoose as unknown as { transactionAsyncLocalStorage?: SessionStore }).transactionAsyncLocalStorage;
  return store ? store.run({ session }, () => work(session)) : work(session);
}

/**
 * Runs `work` inside a transaction; every query in it must pass the session along. A transaction that loses a
 * race (see `isRetryable`) is run again, a few times with jittered backoff; one that still loses is answered
 * CONFLICT (409), never an internal error. `work` must therefore be safe to run more than once: it reads what it
 * decides on inside the transaction, and has no effects outside the database.
 */
export async function inTransaction<T>(work: (session: mongoose.ClientSession) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const session = await mongoose.startSession();
    try {
      session.startTransaction();
      const result = await runWithSession(session, work);
      await commit(session);
      return result;
    } catch (error) {
      await abandon(session, error);
      if (!isRetryable(error)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) throw finalError(attempt);
      await sleep(backoffMs(attempt));
    } finally {
      await session.endSession().catch(() => undefined);
    }
  }
}
