import { ALREADY_VERIFIED, type PolicySettings } from '@ce/types';
import type { Types } from 'mongoose';
import { keyedHash } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { settingsFor } from '../policy';
import { CertificateModel, PersonModel, type PersonDoc } from '../registry';
import { useActivationCode, type ActivationCodeDoc } from './activation-codes';
import { audit, wechatActor, type AuditActor } from './audit';
import { LearnerAccountModel, type LearnerAccountDoc } from './data';
import { provisionalBinding, takeOverAsVerified, verifyLearnerIdentity } from './learner-binding';
import { dummyVerify, isInitialPassword, verifyPassword } from './passwords';
import { endOtherHoldersSessions, endOtherSessions, endSession, findSession, openSession, type OpenedSession } from './sessions';
import { guardedCheck, identifiers, limitRate } from './throttle';
import { code2session } from './wechat';

interface Home {
  province: string;
  city: string;
}

/** A person's home policy: the province and city of their most recently expiring certificate. */
export async function homeOf(personId: Types.ObjectId | string): Promise<Home | undefined> {
  const certificate = await CertificateModel.findOne({ personId }).sort({ expiryDate: -1 }).lean();
  return certificate ? { province: certificate.province, city: certificate.city } : undefined;
}

/** Names compare as a person reads them: width, spaces and the middle dot of minority names (·・•) do not matter. */
export function personNameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').replace(/[·・•‧⋅]/gu, '·').toUpperCase();
}

async function openLearnerSession(person: PersonDoc, account: LearnerAccountDoc, home: Home, deps: Deps): Promise<OpenedSession> {
  const opened = await openSession(
    {
      role: 'learner',
      subjectId: String(person._id),
      accountId: String(account._id),
      openid: account.openid,
      ...home,
      // The initial password is public: whoever bound with it (or a one-time code) must set their own. A learner
      // proven by 实名核身 needs none (a new phone binds by 实名核身 again or with an activation code).
      mustChangePassword: !account.passwordHash && account.binding.proof !== 'IDENTITY_VERIFICATION',
      binding: account.binding,
    },
    deps,
  );
  const settings = await settingsFor(home.province, home.city);
  if (settings.accounts.singleActiveLearnerSession) await endOtherSessions('learner', String(person._id), String(opened.session._id), 'REPLACED', deps);
  return opened;
}

/** Step 1 inside WeChat: code → openid. A bound user is logged in; an unbound one may only bind. */
export async function learnerWechatLogin(code: string, ip: string, deps: Deps): Promise<OpenedSession> {
  await limitRate('wechat-login', ip, deps);
  const openid = await code2session(code, deps);
  const account = await LearnerAccountModel.findOne({ openid }).lean();
  const person = account && (await PersonModel.findById(account.personId).lean());
  const home = person && (await homeOf(person._id));
  if (account && person && home) return openLearnerSession(person, account, home, deps);
  return openSession({ role: 'wechat', subjectId: openid, openid, mustChangePassword: false }, deps);
}

export interface BindInput {
  name: string;
  idNumber: string;
  password?: string;
  activationCode?: string;
}

/** The person a bind request names, when the name matches the record (otherwise nobody, answered alike). */
interface Candidate {
  person: PersonDoc;
  account?: LearnerAccountDoc;
  home: Home;
  settings: PolicySettings;
}

type Proven = { by: 'OWN_PASSWORD' } | { by: 'INITIAL_PASSWORD' } | { by: 'ACTIVATION_CODE'; code: ActivationCodeDoc };

async function candidateFor(idHash: string, name: string): Promise<Candidate | undefined> {
  const person = await PersonModel.findOne({ idHash }).lean();
  if (!person || personNameKey(person.name) !== personNameKey(name)) return undefined;
  return candidateOf(person);
}

/** A person with their account and home policy; nobody when they hold no certificate. */
async function candidateOf(person: PersonDoc): Promise<Candidate | undefined> {
  const home = await homeOf(person._id);
  if (!home) return undefined;
  const account = (await LearnerAccountModel.findOne({ personId: person._id }).lean()) ?? undefined;
  return { person, account, home, settings: await settingsFor(home.province, home.city) };
}

/** The initial password binds only where policy allows it, and never once the person's binding was verified. */
function initialPasswordMayBind(candidate: Candidate): boolean {
  return candidate.settings.accounts.learnerBindProofs.includes('INITIAL_PASSWORD') && candidate.account?.binding?.state !== 'VERIFIED';
}

/** Uses the person's live activation code if it is this one and policy accepts codes there. */
async function proveWithCode(candidate: Candidate | undefined, activationCode: string, deps: Deps): Promise<ActivationCodeDoc | undefined> {
  await dummyVerify(activationCode);
  if (!candidate?.settings.accounts.learnerBindProofs.includes('ACTIVATION_CODE')) return undefined;
  return useActivationCode(candidate.person._id, activationCode, deps);
}

/** Checks the proof. Every path costs one password-hash verification, so timing tells nothing. */
async function prove(candidate: Candidate | undefined, input: BindInput, deps: Deps): Promise<Proven | undefined> {
  if (input.activationCode !== undefined) {
    const code = await proveWithCode(candidate, input.activationCode, deps);
    return code && { by: 'ACTIVATION_CODE', code };
  }
  const password = input.password ?? '';
  if (candidate?.account?.passwordHash) return (await verifyPassword(candidate.account.passwordHash, password)) ? { by: 'OWN_PASSWORD' } : undefined;
  await dummyVerify(password);
  if (!candidate || !initialPasswordMayBind(candidate)) return undefined;
  return isInitialPassword(candidate.settings.accounts.learnerInitialPassword, { loginId: input.idNumber }, password) ? { by: 'INITIAL_PASSWORD' } : undefined;
}

function bindFailed(): AppError {
  return new AppError('LEARNER_BIND_FAILED');
}

/** Own password: the holder moves to this WeChat user; the binding keeps its state. */
async function bindWithOwnPassword(candidate: Candidate, openid: string): Promise<LearnerAccountDoc> {
  const account = await LearnerAccountModel.findOneAndUpdate(
    { _id: candidate.account!._id, passwordHash: candidate.account!.passwordHash },
    { $set: { openid } },
    { returnDocument: 'after', lean: true },
  );
  if (!account) throw bindFailed(); // the password changed meanwhile
  return account;
}

/** Initial password: a provisional binding, refused atomically if the record got verified or a password meanwhile. */
async function bindWithInitialPassword(candidate: Candidate, openid: string, deps: Deps): Promise<LearnerAccountDoc> {
  const before = candidate.account;
  const binding = before?.openid === openid ? before.binding : provisionalBinding(deps.clock.now());
  try {
    const account = await LearnerAccountModel.findOneAndUpdate(
      { personId: candidate.person._id, 'binding.state': { $ne: 'VERIFIED' }, passwordHash: { $exists: false } },
      { $set: { openid, binding }, $setOnInsert: { createdAt: deps.clock.now() } },
      { upsert: true, returnDocument: 'after', lean: true },
    );
    return account!;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) throw bindFailed();
    throw error;
  }
}

/** Activation code: `openid` becomes the verified holder (other holders are out); the use is audited. */
async function bindWithActivationCode(candidate: Candidate, code: ActivationCodeDoc, openid: string, deps: Deps, actorRole: AuditActor['role'] = 'wechat'): Promise<LearnerAccountDoc> {
  const { account } = await takeOverAsVerified(candidate.person._id, openid, 'ACTIVATION_CODE', { bindCodeHash: code.codeHash }, deps);
  await audit({
    at: deps.clock.now(),
    action: 'ACTIVATION_CODE_USED',
    actor: wechatActor(openid, actorRole),
    personId: candidate.person._id,
    idMasked: candidate.person.idMasked,
    certificateId: code.certificateId,
    details: { issuedBy: code.enterpriseUscc, issuedAt: code.issuedAt },
  });
  return account;
}

/**
 * Step 2: bind this WeChat user to a person by name + ID number + proof. Unknown person, wrong name and
 * wrong proof are answered alike (LEARNER_BIND_FAILED) and count toward the person's lockout.
 */
export async function bindLearner(input: BindInput, wechat: { sessionId: string; openid: string }, ip: string, deps: Deps): Promise<OpenedSession> {
  await limitRate('login', ip, deps);
  const idHash = keyedHash(deps.config.idHashKey, input.idNumber);
  const candidate = await candidateFor(idHash, input.name);
  let proven: Proven | undefined;
  await guardedCheck(
    {
      identifier: identifiers.learner(idHash),
      during: 'bind',
      ip,
      failure: { code: 'LEARNER_BIND_FAILED' },
      check: async () => Boolean((proven = await prove(candidate, input, deps))),
    },
    deps,
  );
  const { openid } = wechat;
  const found = candidate!;
  const proof = proven!;
  if (proof.by !== 'ACTIVATION_CODE') await LearnerAccountModel.updateMany({ openid, personId: { $ne: found.person._id } }, { $unset: { openid: 1 } });
  const account =
    proof.by === 'ACTIVATION_CODE'
      ? await bindWithActivationCode(found, proof.code, openid, deps)
      : proof.by === 'OWN_PASSWORD'
        ? await bindWithOwnPassword(found, openid)
        : await bindWithInitialPassword(found, openid, deps);
  // Someone else held the record provisionally (initial password) or on another phone: their device is told.
  await endOtherHoldersSessions(String(found.person._id), openid, 'REPLACED', deps);
  await audit({ at: deps.clock.now(), action: 'LEARNER_BOUND', actor: wechatActor(openid), personId: found.person._id, idMasked: found.person.idMasked, details: { proof: proof.by, state: account.binding?.state } });
  await endSession(wechat.sessionId, 'BOUND', deps);
  return openLearnerSession(found.person, account, found.home, deps);
}

/** What a learner is told when the code they entered is not their live one (wrong, used, superseded or expired). */
const WRONG_CODE_MESSAGE = '激活码不正确，或已使用、已过期。请核对后重试，或请所在企业重新生成激活码';

function alreadyVerified(): AppError {
  return new AppError('CONFLICT', { reason: ALREADY_VERIFIED }, '您的学员身份已核验，无需再输入激活码');
}

/**
 * 输入激活码: a learner bound provisionally (initial password) proves with their enterprise's code that they
 * are the holder. The code is checked for the learner's own person under the same lockout as binding; on
 * success the binding turns VERIFIED exactly as binding with a code does, and this session stays.
 */
export async function verifyWithActivationCode(activationCode: string, sessionId: string, ip: string, deps: Deps): Promise<void> {
  await limitRate('login', ip, deps);
  const session = await findSession(sessionId);
  const person = await PersonModel.findById(session.subjectId).lean();
  const candidate = person ? await candidateOf(person) : undefined;
  if (!person || !session.openid || candidate?.account?.openid !== session.openid) throw new AppError('NOT_BOUND');
  if (candidate.account.binding.state === 'VERIFIED') throw alreadyVerified();
  let code: ActivationCodeDoc | undefined;
  await guardedCheck(
    {
      identifier: identifiers.learner(person.idHash),
      during: 'bind',
      ip,
      failure: { code: 'LEARNER_BIND_FAILED', message: WRONG_CODE_MESSAGE },
      check: async () => Boolean((code = await proveWithCode(candidate, activationCode, deps))),
    },
    deps,
  );
  const account = await bindWithActivationCode(candidate, code!, session.openid, deps, 'learner');
  await audit({ at: deps.clock.now(), action: 'LEARNER_VERIFIED', actor: wechatActor(session.openid, 'learner'), personId: person._id, idMasked: person.idMasked, details: { proof: 'ACTIVATION_CODE', state: account.binding.state } });
}

/** The person 实名核身 is asked about: the registry's name and (encrypted) ID number, and where they study. */
export interface IdentitySubject {
  personId: string;
  name: string;
  idCipher: string;
  province: string;
  city: string;
}

/** The provider's verdict on a live photo against the national record (called once an attempt is reserved). */
export type IdentityCheck = (person: IdentitySubject) => Promise<boolean>;

function identitySubject(candidate: Candidate): IdentitySubject {
  return { personId: String(candidate.person._id), name: candidate.person.name, idCipher: candidate.person.idCipher, ...candidate.home };
}

/**
 * 实名核身绑定: an unbound WeChat user names a person (name + ID number) and proves it with a live photo the
 * provider matches to the national record. Passing binds VERIFIED and reclaims the record from anyone holding
 * it (their sessions end with BINDING_REPLACED); failures count toward the person's lockout like any bind.
 */
export async function bindLearnerByIdentity(
  input: { name: string; idNumber: string },
  wechat: { sessionId: string; openid: string },
  ip: string,
  check: IdentityCheck,
  deps: Deps,
): Promise<OpenedSession & { reclaimed: boolean }> {
  await limitRate('login', ip, deps);
  const idHash = keyedHash(deps.config.idHashKey, input.idNumber);
  const candidate = await candidateFor(idHash, input.name);
  await guardedCheck(
    {
      identifier: identifiers.learner(idHash),
      during: 'bind',
      ip,
      failure: { code: 'IDENTITY_VERIFICATION_FAILED' },
      check: async () => Boolean(candidate && (await check(identitySubject(candidate)))),
    },
    deps,
  );
  const found = candidate!;
  const { account, previousOpenid } = await takeOverAsVerified(found.person._id, wechat.openid, 'IDENTITY_VERIFICATION', {}, deps);
  await audit({ at: deps.clock.now(), action: 'LEARNER_BOUND', actor: wechatActor(wechat.openid), personId: found.person._id, idMasked: found.person.idMasked, details: { proof: 'IDENTITY_VERIFICATION', state: account.binding.state } });
  await endSession(wechat.sessionId, 'BOUND', deps);
  return { ...(await openLearnerSession(found.person, account, found.home, deps)), reclaimed: Boolean(previousOpenid) };
}

/**
 * 实名核身 by a bound learner: passing turns their binding VERIFIED (a provisional one is confirmed) and this
 * session stays; failures count toward the same lockout as binding.
 */
export async function confirmLearnerIdentity(sessionId: string, ip: string, check: IdentityCheck, deps: Deps): Promise<void> {
  await limitRate('login', ip, deps);
  const session = await findSession(sessionId);
  const person = await PersonModel.findById(session.subjectId).lean();
  const candidate = person ? await candidateOf(person) : undefined;
  if (!candidate || !session.openid || candidate.account?.openid !== session.openid) throw new AppError('NOT_BOUND');
  await guardedCheck(
    { identifier: identifiers.learner(candidate.person.idHash), during: 'bind', ip, failure: { code: 'IDENTITY_VERIFICATION_FAILED' }, check: () => check(identitySubject(candidate)) },
    deps,
  );
  await verifyLearnerIdentity(String(candidate.person._id), deps, { openid: session.openid });
}
