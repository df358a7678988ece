import { randomInt } from 'node:crypto';
import { ACTIVATION_CODE_ALPHABET, type ActivationCodeResponse } from '@ce/types';
import { Schema, Types, model } from 'mongoose';
import { keyedHash } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import type { Deps, Principal } from '../../platform/http/route';
import { settingsFor } from '../policy';
import { CertificateModel, PersonModel } from '../registry';
import { audit } from './audit';
import { sameSecret } from './passwords';

/**
 * 激活码: the enterprise vouches for its employee by handing over a one-time code in person. One live code
 * per person (a new one supersedes the unused previous one); only a keyed hash is stored; it is used once
 * and expires after the policy's activationCodeValidHours (the database then drops it).
 */
export interface ActivationCodeDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  codeHash: string;
  state: 'LIVE' | 'USED';
  certificateId: Types.ObjectId;
  enterpriseUscc: string;
  issuedByAccountId?: string;
  issuedAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

const activationCodeSchema = new Schema<ActivationCodeDoc>({
  personId: { type: Schema.Types.ObjectId, required: true },
  codeHash: { type: String, required: true },
  state: { type: String, required: true },
  certificateId: { type: Schema.Types.ObjectId, required: true },
  enterpriseUscc: { type: String, required: true },
  issuedByAccountId: String,
  issuedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: Date,
});
activationCodeSchema.index({ personId: 1 }, { unique: true });
activationCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const ActivationCodeModel = model<ActivationCodeDoc>('ActivationCode', activationCodeSchema);

const CODE_LENGTH = 10;

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ACTIVATION_CODE_ALPHABET[randomInt(ACTIVATION_CODE_ALPHABET.length)]).join('');
}

/** Codes are hashed with the server's lookup key, so a copied database does not let anyone try codes offline. */
export function activationCodeHash(code: string, deps: Deps): string {
  return keyedHash(deps.config.idHashKey, `activation-code:${code}`);
}

async function certificateOfEnterprise(certificateId: string, enterpriseUscc: string) {
  const certificate = await CertificateModel.findById(certificateId).lean();
  if (!certificate || (certificate.enterpriseUscc !== enterpriseUscc && certificate.previousEnterpriseUscc !== enterpriseUscc)) throw new AppError('NOT_FOUND');
  if (certificate.enterpriseUscc !== enterpriseUscc) {
    throw new AppError('FORBIDDEN', { reason: 'CERTIFICATE_MOVED' }, '该证书已转到其他企业，只有证书当前所在企业可以为持证人申请激活码');
  }
  return certificate;
}

/** 申请激活码: for a certificate currently in the calling enterprise; shown once. */
export async function issueActivationCode(principal: Principal, certificateId: string, accountId: string | undefined, deps: Deps): Promise<ActivationCodeResponse> {
  const certificate = await certificateOfEnterprise(certificateId, principal.subjectId);
  const person = await PersonModel.findById(certificate.personId).lean();
  if (!person) throw new AppError('NOT_FOUND');
  const settings = await settingsFor(certificate.province, certificate.city);
  if (!settings.accounts.learnerBindProofs.includes('ACTIVATION_CODE')) {
    throw new AppError('FORBIDDEN', { reason: 'ACTIVATION_CODE_NOT_ALLOWED' }, '本地区未开放激活码绑定');
  }
  const code = newCode();
  const issuedAt = deps.clock.now();
  const expiresAt = new Date(issuedAt.getTime() + settings.accounts.activationCodeValidHours * 3600_000);
  const replace = () =>
    ActivationCodeModel.findOneAndUpdate(
      { personId: person._id },
      {
        $set: { codeHash: activationCodeHash(code, deps), state: 'LIVE', certificateId: certificate._id, enterpriseUscc: principal.subjectId, issuedByAccountId: accountId, issuedAt, expiresAt },
        $unset: { usedAt: 1 },
      },
      { upsert: true, returnDocument: 'before', lean: true },
    );
  // Two clerks issuing the first code at once: the loser's insert meets the unique key; it then replaces.
  const previous = await replace().catch((error) => (error?.code === 11000 ? replace() : Promise.reject(error)));
  const actor = { role: 'enterprise' as const, accountId, enterpriseUscc: principal.subjectId };
  const subject = { personId: person._id, idMasked: person.idMasked, certificateId: certificate._id };
  if (previous?.state === 'LIVE' && previous.expiresAt > issuedAt) {
    await audit({ at: issuedAt, action: 'ACTIVATION_CODE_SUPERSEDED', actor, ...subject, details: { issuedAt: previous.issuedAt, issuedBy: previous.enterpriseUscc } });
  }
  await audit({ at: issuedAt, action: 'ACTIVATION_CODE_ISSUED', actor, ...subject, details: { expiresAt } });
  return { code, expiresAt: expiresAt.toISOString(), holderName: person.name, idNumberMasked: person.idMasked };
}

/**
 * Uses a person's live code if `code` is it: atomically, so one code binds once however many try at once.
 * Returns the used code's record, or undefined.
 */
export async function useActivationCode(personId: Types.ObjectId, code: string, deps: Deps): Promise<ActivationCodeDoc | undefined> {
  const now = deps.clock.now();
  const codeHash = activationCodeHash(code, deps);
  const live = await ActivationCodeModel.findOne({ personId, state: 'LIVE', expiresAt: { $gt: now } }).lean();
  if (!live || !sameSecret(live.codeHash, codeHash)) return undefined;
  const used = await ActivationCodeModel.findOneAndUpdate({ _id: live._id, codeHash, state: 'LIVE' }, { $set: { state: 'USED', usedAt: now } }, { returnDocument: 'after', lean: true });
  return used ?? undefined;
}
