import type { PhotoCheck, PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { avatarPhoto } from './avatar';
import type { FacePhotoDoc, FaceProfileDoc } from './data';
import { storeFacePhoto } from './files';
import { checkLivePhoto } from './photo-check';
import { requireConsent, type FaceSubject } from './profile';
import { faceProviderFor } from './providers';

export interface StoredLivePhoto {
  profile: FaceProfileDoc;
  settings: PolicySettings;
  check: PhotoCheck;
  /** The photo's record but for what it was taken for (purpose, enrollment, topic, capture). */
  record: Pick<FacePhotoDoc, 'personId' | 'key' | 'contentType' | 'takenAt' | 'accepted' | 'score' | 'problems' | 'kept'>;
}

/** A live photo checked against the person's avatar (one face, the avatar's): allowed only under consent and with an avatar. */
export async function checkAgainstAvatar(subject: FaceSubject, photo: Buffer, deps: Deps): Promise<{ profile: FaceProfileDoc; settings: PolicySettings; check: PhotoCheck }> {
  const { profile, settings } = await requireConsent(subject, deps);
  if (!profile.avatar) throw new AppError('AVATAR_REQUIRED');
  const provider = faceProviderFor(deps.config);
  const { check } = await checkLivePhoto(provider, await avatarPhoto(profile.avatar, provider.name, deps), photo, settings);
  return { profile, settings, check };
}

/**
 * A photo taken during study or the exam: checked against the avatar the moment it arrives, then stored privately;
 * kept when accepted. The caller records it.
 */
export async function storeLivePhoto(subject: FaceSubject, file: UploadedFile, deps: Deps): Promise<StoredLivePhoto> {
  const { profile, settings, check } = await checkAgainstAvatar(subject, file.bytes, deps);
  const stored = await storeFacePhoto('photos', subject.personId, file, deps);
  return {
    profile,
    settings,
    check,
    record: { personId: profile.personId, ...stored, takenAt: deps.clock.now(), accepted: check.accepted, score: check.score, problems: check.problems.map((p) => p.code), kept: check.accepted },
  };
}
