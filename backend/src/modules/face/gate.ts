import type { ErrorCode, FaceStatus } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { consentView } from './consent';
import { photoUrl } from './files';
import { consentState, findProfile, settingsOf, type FaceSubject } from './profile';
import { faceProviderFor } from './providers';
import type { FaceProfileDoc } from './data';

/**
 * May this learner study now? Consent on record, an avatar, and a face check passed within
 * study.faceCheckValidMinutes — or a manual review asked for (pending) or approved. Otherwise the code that
 * tells them what to do next.
 */
export async function studyGate(subject: FaceSubject, deps: Deps): Promise<ErrorCode | undefined> {
  const settings = await settingsOf(subject);
  const profile = await findProfile(subject.personId);
  const consent = consentState(profile, settings);
  if (consent === 'MISSING') return 'FACE_CONSENT_REQUIRED';
  if (consent === 'OUTDATED') return 'FACE_CONSENT_OUTDATED';
  if (!profile?.avatar) return 'AVATAR_REQUIRED';
  if (profile.manualReview.state === 'PENDING' || profile.manualReview.state === 'APPROVED') return undefined;
  return profile.verifiedUntil && profile.verifiedUntil > deps.clock.now() ? undefined : 'FACE_CHECK_REQUIRED';
}

/** The same gate, as a refusal for a route to answer. */
export async function assertStudyGate(subject: FaceSubject, deps: Deps): Promise<void> {
  const refusal = await studyGate(subject, deps);
  if (refusal) throw new AppError(refusal);
}

function verifiedUntil(profile: FaceProfileDoc | undefined, now: Date): string | undefined {
  return profile?.verifiedUntil && profile.verifiedUntil > now ? profile.verifiedUntil.toISOString() : undefined;
}

export async function faceStatus(subject: FaceSubject, deps: Deps): Promise<FaceStatus> {
  const settings = await settingsOf(subject);
  const profile = await findProfile(subject.personId);
  const failuresInRow = profile?.failuresInRow ?? 0;
  const review = profile?.manualReview ?? { state: 'NONE' as const };
  const until = verifiedUntil(profile, deps.clock.now());
  return {
    consent: consentView(profile, settings.face.consentTextVersion),
    avatar: profile?.avatar ? { set: true, url: photoUrl(profile.avatar.key, deps), setAt: profile.avatar.setAt.toISOString() } : { set: false },
    ...(until ? { verifiedUntil: until } : {}),
    failuresInRow,
    manualReview: {
      state: review.state,
      offered: review.state !== 'PENDING' && failuresInRow >= settings.face.failuresBeforeManualReview,
      ...(review.reason ? { reason: review.reason } : {}),
    },
    identityVerified: Boolean(profile?.identityVerifiedAt),
    provider: faceProviderFor(deps.config).name,
  };
}
