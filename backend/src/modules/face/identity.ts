import type { z } from 'zod';
import type { identityVerificationResponse, PolicySettings } from '@ce/types';
import { Types } from 'mongoose';
import { decrypt } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import type { Deps, UploadedFile } from '../../platform/http/route';
import { bindLearnerByIdentity, confirmLearnerIdentity, type IdentitySubject } from '../accounts';
import { recordConsent } from './consent';
import { FaceProfileModel, faceAudit } from './data';
import { ensureProfile, requireConsent, settingsOf, type FaceSubject } from './profile';
import { identityProviderFor } from './providers';

function photoRequired(): AppError {
  return new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'file', message: '请用相机拍摄本人正面照片' }] });
}

function identityThreshold(settings: PolicySettings, provider: string): number {
  const threshold = settings.face.identityThresholds[provider];
  if (threshold === undefined) throw new AppError('FACE_SERVICE_UNAVAILABLE', { reason: `policy face.identityThresholds has no entry for ${provider}` });
  return threshold;
}

/**
 * The provider compares the live photo with the national ID photo of the named person. Passed only on its
 * `Success` with a similarity at or above policy face.identityThresholds[provider]; every answer is audited
 * (result code and similarity; never the ID number or the photo).
 */
async function matchesNationalRecord(person: IdentitySubject, photo: Buffer, deps: Deps): Promise<boolean> {
  const settings = await settingsOf(person);
  const provider = identityProviderFor(deps.config);
  const threshold = identityThreshold(settings, provider.name);
  const answer = await provider.verify({ name: person.name, idNumber: decrypt(deps.config.idEncryptionKey, person.idCipher), photo });
  const passed = answer.result === 'Success' && answer.similarity >= threshold;
  await faceAudit({
    at: deps.clock.now(),
    action: passed ? 'IDENTITY_VERIFIED' : 'IDENTITY_REFUSED',
    personId: new Types.ObjectId(person.personId),
    actor: 'learner',
    details: { provider: provider.name, result: answer.result, similarity: answer.similarity, threshold },
  });
  return passed;
}

async function markVerified(subject: FaceSubject, deps: Deps): Promise<void> {
  const profile = await ensureProfile(subject, deps);
  await FaceProfileModel.updateOne({ _id: profile._id }, { $set: { identityVerifiedAt: deps.clock.now() } });
}

/** 实名核身 by a bound learner (under their face consent): a provisional binding becomes verified. */
export async function verifyOwnIdentity(subject: FaceSubject, sessionId: string, ip: string, file: UploadedFile | undefined, deps: Deps): Promise<z.input<typeof identityVerificationResponse>> {
  if (!file) throw photoRequired();
  await requireConsent(subject, deps);
  await confirmLearnerIdentity(sessionId, ip, (person) => matchesNationalRecord(person, file.bytes, deps), deps);
  await markVerified(subject, deps);
  return { verified: true, message: '实名核身通过，您的学员身份已核验为本人', reclaimed: false };
}

export interface IdentityBindInput {
  name: string;
  idNumber: string;
  consentTextVersion: string;
}

/**
 * 实名核身绑定 by an unbound WeChat user: they accepted the consent text (its version comes with the form) before
 * the photo was taken; the consent is recorded for the person once the check proves who they are.
 */
export async function bindByIdentity(input: IdentityBindInput, wechat: { sessionId: string; openid: string }, ip: string, file: UploadedFile | undefined, deps: Deps): ReturnType<typeof bindLearnerByIdentity> {
  if (!file) throw photoRequired();
  let subject: FaceSubject | undefined;
  const opened = await bindLearnerByIdentity(
    input,
    wechat,
    ip,
    async (person) => {
      const settings = await settingsOf(person);
      if (input.consentTextVersion !== settings.face.consentTextVersion) throw new AppError('FACE_CONSENT_OUTDATED', { textVersion: settings.face.consentTextVersion });
      subject = person;
      return matchesNationalRecord(person, file.bytes, deps);
    },
    deps,
  );
  await recordConsent(subject!, input.consentTextVersion, deps);
  await markVerified(subject!, deps);
  return opened;
}
