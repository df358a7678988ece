import { randomInt } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import type { PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import { StudyProgressModel, type StudyProgressDoc } from './data';

const progress = () => mongoose.connection.collection<StudyProgressDoc>(StudyProgressModel.collection.collectionName);

/** How many times a write that lost its version race is recomputed from a fresh read before the caller is told CONFLICT. */
const MAX_ATTEMPTS = 60;

/** Credited seconds from now until the next study photo: a random moment within the policy's range. */
export function nextCaptureGap(range: { min: number; max: number }): number {
  return randomInt(range.min, Math.max(range.min, range.max) + 1);
}

export async function findProgress(enrollmentId: Types.ObjectId): Promise<StudyProgressDoc | null> {
  return progress().findOne({ _id: enrollmentId });
}

/** The enrollment's progress document, created on first use (a concurrent creation is found, not duplicated). */
export async function ensureProgress(enrollment: { _id: Types.ObjectId; personId: Types.ObjectId }, settings: PolicySettings): Promise<StudyProgressDoc> {
  const found = await findProgress(enrollment._id);
  if (found) return found;
  const created: StudyProgressDoc = { _id: enrollment._id, personId: enrollment.personId, version: 0, lessons: {}, creditedTotal: 0, nextCaptureAt: nextCaptureGap(settings.photos.captureEverySeconds) };
  try {
    await progress().insertOne(created);
    return created;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    return (await findProgress(enrollment._id))!;
  }
}

/** What a change decides from the document it read: fields to set (and unset), and the answer. */
export interface ProgressChange<T> {
  set?: Record<string, unknown>;
  unset?: string[];
  answer: T;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 8));

/**
 * Applies `decide` to the current document as one conditional write guarded by its version. When another write
 * got there first, the document is read again and the change decided again (never dropped): a duplicate then sees
 * the winner's sequence number and adds nothing.
 */
export async function changeProgress<T>(enrollmentId: Types.ObjectId, decide: (doc: StudyProgressDoc) => ProgressChange<T>): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = await findProgress(enrollmentId);
    if (!doc) throw new AppError('PLAYBACK_SESSION_NOT_FOUND');
    const change = decide(doc);
    if (!change.set && !change.unset) return change.answer;
    const update: Record<string, unknown> = { $set: { ...change.set, version: doc.version + 1 } };
    if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((path) => [path, '']));
    const written = await progress().updateOne({ _id: enrollmentId, version: doc.version }, update);
    if (written.matchedCount === 1) return change.answer;
    await pause();
  }
  throw new AppError('CONFLICT');
}
