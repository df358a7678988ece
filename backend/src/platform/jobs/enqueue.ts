import { randomUUID } from 'node:crypto';
import type { AsyncLocalStorage } from 'node:async_hooks';
import mongoose, { type ClientSession, type Types } from 'mongoose';
import { processNow } from '../clock';
import { JobModel, UNLOCKED } from './model';

export interface EnqueueOptions {
  /**
   * A business key (`invoice-mail:<invoiceId>:<version>`, `order-expiry:<orderId>`): the same key never makes a
   * second job, whoever enqueues it and however often. Without one, every call makes a new job.
   */
  key?: string;
  /** When it may run first (default: now on the backend's clock). */
  runAt?: Date;
  /**
   * The caller's transaction: the job exists exactly when that transaction commits (outbox). Inside
   * `inTransaction` the transaction's session is used even when not passed.
   */
  session?: ClientSession;
  /** "now" for `runAt`'s default and `createdAt` (default: the backend's clock). */
  now?: Date;
}

export interface Enqueued {
  id: Types.ObjectId;
  key: string;
  /** False when a job with this key already existed (nothing was changed). */
  created: boolean;
}

type SessionStore = AsyncLocalStorage<{ session?: ClientSession }>;

/** The session of the `inTransaction` this call runs in, if any (the driver-level write below does not see it). */
function ambientSession(): ClientSession | undefined {
  const store = (mongoose as unknown as { transactionAsyncLocalStorage?: SessionStore }).transactionAsyncLocalStorage;
  return store?.getStore()?.session;
}

/**
 * Stores a job to run. An upsert on the unique key rather than insert-and-catch: inside a transaction a
 * duplicate-key error would abort the caller's whole transaction, whereas a matched upsert changes nothing.
 */
export async function enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<Enqueued> {
  const key = options.key ?? randomUUID();
  const session = options.session ?? ambientSession();
  const now = options.now ?? processNow();
  const fresh = {
    name,
    key,
    payload: payload ?? null,
    status: 'queued',
    runAt: options.runAt ?? now,
    attempts: 0,
    lockedBy: null,
    lockedUntil: UNLOCKED,
    progress: {},
    lastError: null,
    result: null,
    createdAt: now,
    finishedAt: null,
  };
  const outcome = await JobModel.collection.updateOne({ key }, { $setOnInsert: fresh }, { upsert: true, session });
  if (outcome.upsertedId) return { id: outcome.upsertedId as unknown as Types.ObjectId, key, created: true };
  const existing = await JobModel.findOne({ key }, null, { session }).lean();
  if (!existing) throw new Error(`job with key "${key}" vanished while being enqueued`);
  return { id: existing._id, key, created: false };
}
