import { AppError } from '../../platform/errors';
import { decrypt, keyedHash } from '../../platform/crypto';
import type { Deps } from '../../platform/http/route';
import { settingsFor } from '../policy/policies';
import { CertificateModel, PersonModel, type PersonDoc } from '../registry/data';
import { LearnerAccountModel, type LearnerAccountDoc } from './data';
import { initialPassword, sameSecret, verifyPassword } from './passwords';
import { endOtherSessions, endSession, openSession, type OpenedSession } from './sessions';
import { assertNotLocked, checkRate, clearFailures, recordFailure } from './throttle';
import { code2session } from './wechat';

/** A person's home policy: the province and city of their most recently expiring certificate. */
async function homeOf(personId: PersonDoc['_id']): Promise<{ province: string; city: string }> {
  const certificate = await CertificateModel.findOne({ personId }).sort({ expiryDate: -1 }).lean();
  if (!certificate) throw new AppError('PERSON_NOT_FOUND');
  return { province: certificate.province, city: certificate.city };
}

async function learnerPasswordMatches(person: PersonDoc, account: LearnerAccountDoc | null, password: string, deps: Deps): Promise<boolean> {
  if (account?.passwordHash) return verifyPassword(account.passwordHash, password);
  const home = await homeOf(person._id);
  const settings = await settingsFor(home.province, home.city);
  const idNumber = decrypt(deps.config.idEncryptionKey, person.idCipher);
  const initial = initialPassword(settings.accounts.learnerInitialPassword, { loginId: idNumber });
  return initial !== undefined && sameSecret(initial, password);
}

async function openLearnerSession(person: PersonDoc, account: LearnerAccountDoc, deps: Deps): Promise<OpenedSession> {
  const home = await homeOf(person._id);
  const opened = await openSession(
    { role: 'learner', subjectId: String(person._id), accountId: String(account._id), openid: account.openid, ...home, mustChangePassword: !account.passwordHash },
    deps,
  );
  const settings = await settingsFor(home.province, home.city);
  if (settings.accounts.singleActiveLearnerSession) await endOtherSessions('learner', String(person._id), String(opened.session._id), 'REPLACED', deps);
  return opened;
}

/** Step 1 inside WeChat: code → openid. A bound user is logged in; an unbound one may only bind. */
export async function learnerWechatLogin(code: string, deps: Deps): Promise<OpenedSession> {
  const openid = await code2session(code, deps);
  const account = await LearnerAccountModel.findOne({ openid }).lean();
  const person = account && (await PersonModel.findById(account.personId).lean());
  if (account && person) return openLearnerSession(person, account, deps);
  return openSession({ role: 'wechat', subjectId: openid, openid, mustChangePassword: false }, deps);
}

/** Step 2: bind this WeChat user to a person by ID number + password (the initial one on first use). */
export async function bindLearner(input: { idNumber: string; password: string }, wechatSessionId: string, openid: string, ip: string, deps: Deps): Promise<OpenedSession> {
  checkRate('login', ip, deps);
  const idHash = keyedHash(deps.config.idHashKey, input.idNumber);
  const throttleKey = `learner:${idHash}`;
  await assertNotLocked(throttleKey, deps);
  const person = await PersonModel.findOne({ idHash }).lean();
  if (!person) throw new AppError('PERSON_NOT_FOUND');
  const existing = await LearnerAccountModel.findOne({ personId: person._id }).lean();
  if (!(await learnerPasswordMatches(person, existing, input.password, deps))) return recordFailure(throttleKey, deps);
  await clearFailures(throttleKey);

  // One openid belongs to one person: a WeChat user who binds someone else gives up the old binding.
  await LearnerAccountModel.updateMany({ openid, personId: { $ne: person._id } }, { $unset: { openid: 1 } });
  const account = await LearnerAccountModel.findOneAndUpdate(
    { personId: person._id },
    { $set: { openid }, $setOnInsert: { createdAt: deps.clock.now() } },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  await endSession(wechatSessionId, 'BOUND', deps);
  return openLearnerSession(person, account!, deps);
}
