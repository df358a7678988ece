import type { PolicySettings } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { settingsFor } from '../policy';
import { FaceProfileModel, type FaceProfileDoc } from './data';

/** The learner whose face data is at stake: their person record and where they study. */
export interface FaceSubject {
  personId: string;
  province?: string;
  city?: string;
}

export function subjectOf(principal: { subjectId: string; province?: string; city?: string }): FaceSubject {
  return { personId: principal.subjectId, province: principal.province, city: principal.city };
}

export async function findProfile(personId: string): Promise<FaceProfileDoc | undefined> {
  return (await FaceProfileModel.findOne({ personId }).lean()) ?? undefined;
}

/** The person's profile, created on first use; where they study is kept current for the reviewers. */
export async function ensureProfile(subject: FaceSubject, deps: Deps): Promise<FaceProfileDoc> {
  const where = { ...(subject.province ? { province: subject.province } : {}), ...(subject.city ? { city: subject.city } : {}) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const doc = await FaceProfileModel.findOneAndUpdate(
        { personId: new Types.ObjectId(subject.personId) },
        { $set: where, $setOnInsert: { failuresInRow: 0, manualReview: { state: 'NONE' }, createdAt: deps.clock.now() } },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      return doc!;
    } catch (error) {
      // Two first requests at once: one inserts, the other reads what it inserted.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }
  throw new AppError('CONFLICT');
}

export async function settingsOf(subject: FaceSubject): Promise<PolicySettings> {
  if (!subject.province) throw new AppError('NOT_BOUND');
  return settingsFor(subject.province, subject.city);
}

/** The consent the current policy asks for is on record (not withdrawn, same text version). */
export function consentState(profile: FaceProfileDoc | undefined, settings: PolicySettings): 'GIVEN' | 'OUTDATED' | 'MISSING' {
  if (!profile?.consent?.given) return 'MISSING';
  return profile.consent.textVersion === settings.face.consentTextVersion ? 'GIVEN' : 'OUTDATED';
}

/** Face processing for this person is allowed only under a current consent; otherwise nothing runs. */
export async function requireConsent(subject: FaceSubject, deps: Deps): Promise<{ profile: FaceProfileDoc; settings: PolicySettings }> {
  const settings = await settingsOf(subject);
  const profile = await ensureProfile(subject, deps);
  const state = consentState(profile, settings);
  if (state === 'MISSING') throw new AppError('FACE_CONSENT_REQUIRED');
  if (state === 'OUTDATED') throw new AppError('FACE_CONSENT_OUTDATED');
  return { profile, settings };
}
