import type { FaceConsent } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { CONSENT_TEXTS, consentText } from './consent-text';
import { FacePhotoModel, FaceProfileModel, FaceReviewModel, faceAudit, type FaceProfileDoc } from './data';
import { deleteFacePhotos } from './files';
import { ensureProfile, findProfile, settingsOf, type FaceSubject } from './profile';

/** The newest text, for a WeChat user who has not bound a person yet (and so has no province's policy). */
export function latestConsentVersion(): string {
  return Object.keys(CONSENT_TEXTS).sort().at(-1)!;
}

export function consentView(profile: FaceProfileDoc | undefined, version: string): FaceConsent {
  const consent = profile?.consent;
  const given = Boolean(consent?.given && consent.textVersion === version);
  return {
    textVersion: version,
    text: consentText(version),
    given,
    ...(given && consent?.givenAt ? { givenAt: consent.givenAt.toISOString() } : {}),
    ...(consent?.withdrawnAt ? { withdrawnAt: consent.withdrawnAt.toISOString() } : {}),
  };
}

export async function getConsent(subject: FaceSubject): Promise<FaceConsent> {
  const settings = await settingsOf(subject);
  return consentView(await findProfile(subject.personId), settings.face.consentTextVersion);
}

/** The learner accepts the text they were shown: only the version policy asks for counts. */
export async function giveConsent(subject: FaceSubject, textVersion: string, deps: Deps): Promise<FaceConsent> {
  const settings = await settingsOf(subject);
  if (textVersion !== settings.face.consentTextVersion) throw new AppError('FACE_CONSENT_OUTDATED', { textVersion: settings.face.consentTextVersion });
  await recordConsent(subject, textVersion, deps);
  return getConsent(subject);
}

export async function recordConsent(subject: FaceSubject, textVersion: string, deps: Deps): Promise<void> {
  const profile = await ensureProfile(subject, deps);
  if (profile.consent?.given && profile.consent.textVersion === textVersion) return;
  const now = deps.clock.now();
  await FaceProfileModel.updateOne({ _id: profile._id }, { $set: { consent: { given: true, textVersion, givenAt: now } } });
  await faceAudit({ at: now, action: 'CONSENT_GIVEN', personId: profile.personId, actor: 'learner', details: { textVersion } });
}

/**
 * 撤回授权: from now on nothing is captured or processed; the avatar, its template and every photo no reviewer
 * has decided on are deleted, and an open manual review ends (its photos go with it).
 */
export async function withdrawConsent(subject: FaceSubject, deps: Deps): Promise<FaceConsent> {
  const now = deps.clock.now();
  const before = await FaceProfileModel.findOneAndUpdate(
    { personId: new Types.ObjectId(subject.personId), 'consent.given': true },
    { $set: { 'consent.given': false, 'consent.withdrawnAt': now }, $unset: { avatar: 1, verifiedUntil: 1 } },
    { returnDocument: 'before', lean: true },
  );
  if (before) {
    await closeOpenReview(before, now);
    await deleteUnreviewedFaceData(before, deps);
    await faceAudit({ at: now, action: 'CONSENT_WITHDRAWN', personId: before.personId, actor: 'learner', details: { textVersion: before.consent?.textVersion } });
  }
  return getConsent(subject);
}

async function closeOpenReview(profile: FaceProfileDoc, now: Date): Promise<void> {
  const closed = await FaceReviewModel.findOneAndUpdate(
    { personId: profile.personId, state: 'PENDING' },
    { $set: { state: 'REJECTED', decidedAt: now, decidedBy: 'system', reason: '学员已撤回人脸信息授权，申请自动结束' } },
  );
  if (closed) await FaceProfileModel.updateOne({ _id: profile._id }, { $set: { manualReview: { state: 'NONE' } } });
}

async function deleteUnreviewedFaceData(profile: FaceProfileDoc, deps: Deps): Promise<void> {
  const decided = await FaceReviewModel.find({ personId: profile.personId, state: { $ne: 'PENDING' }, decidedBy: { $ne: 'system' } }, { _id: 1 }).lean();
  const photos = await FacePhotoModel.find({ personId: profile.personId, reviewId: { $nin: decided.map((r) => r._id) } }, { key: 1 }).lean();
  await deleteFacePhotos([...(profile.avatar ? [profile.avatar.key] : []), ...photos.map((p) => p.key)], deps);
  await FacePhotoModel.deleteMany({ _id: { $in: photos.map((p) => p._id) } });
  await faceAudit({ at: deps.clock.now(), action: 'FACE_DATA_DELETED', personId: profile.personId, actor: 'system', details: { avatar: Boolean(profile.avatar), photos: photos.length } });
}
