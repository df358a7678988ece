import { AppError } from '../../platform/errors';
import { decrypt } from '../../platform/crypto';
import type { Deps, Principal } from '../../platform/http/route';
import { settingsFor } from '../policy';
import { PersonModel } from '../registry';
import { activationCodeHash } from './activation-codes';
import { EnterpriseAccountModel, LearnerAccountModel, StaffAccountModel } from './data';
import { enterpriseIdentifier, enterpriseLoginId, enterprisePasswordMatches } from './enterprise-login';
import { homeOf } from './learner-login';
import { assertNotGuessable, idNumberFacts, usccFacts, type PublicFact } from './password-rules';
import { dummyVerify, hashPassword, initialPassword, isInitialPassword, sameSecret, verifyPassword } from './passwords';
import { endOtherSessions, findSession, markPasswordChanged } from './sessions';
import { guardedCheck, identifiers } from './throttle';

interface PasswordHolder {
  /** Counted against for lockout: the same identifier its logins count against. */
  identifier: string;
  /** What anyone may know about the account; a new password must not be built from it. */
  publicFacts: PublicFact[];
  matches(password: string): Promise<boolean>;
  save(hash: string, at: Date): Promise<void>;
}

async function enterpriseHolder(accountId: string): Promise<PasswordHolder> {
  const account = await EnterpriseAccountModel.findById(accountId).lean();
  if (!account) throw new AppError('UNAUTHENTICATED');
  const settings = await settingsFor(account.province, account.city);
  const initial = initialPassword(settings.accounts.enterpriseInitialPassword, { loginId: enterpriseLoginId(account, settings.accounts.enterpriseLoginBy), uscc: account.enterpriseUscc });
  return {
    identifier: enterpriseIdentifier(account),
    publicFacts: [{ label: '初始密码', value: initial ?? '' }, ...usccFacts(account.enterpriseUscc), { label: '企业名称', value: account.enterpriseName }],
    matches: (password) => enterprisePasswordMatches(account, password),
    save: async (hash, at) => void (await EnterpriseAccountModel.updateOne({ _id: account._id }, { $set: { passwordHash: hash, passwordChangedAt: at } })),
  };
}

/** Until a learner sets a password, the current one is the proof they bound with: the initial password or the activation code. */
async function learnerHolder(accountId: string, deps: Deps): Promise<PasswordHolder> {
  const account = await LearnerAccountModel.findById(accountId).lean();
  const person = account && (await PersonModel.findById(account.personId).lean());
  const home = person && (await homeOf(person._id));
  if (!account || !person || !home) throw new AppError('UNAUTHENTICATED');
  const idNumber = decrypt(deps.config.idEncryptionKey, person.idCipher);
  const rule = (await settingsFor(home.province, home.city)).accounts.learnerInitialPassword;
  const initial = initialPassword(rule, { loginId: idNumber }) ?? '';
  const matches = async (password: string) => {
    if (account.passwordHash) return verifyPassword(account.passwordHash, password);
    await dummyVerify(password);
    if (account.bindCodeHash) return sameSecret(account.bindCodeHash, activationCodeHash(password.replace(/[\s-]/g, '').toUpperCase(), deps));
    return isInitialPassword(rule, { loginId: idNumber }, password);
  };
  return {
    identifier: identifiers.learner(person.idHash),
    publicFacts: [{ label: '初始密码', value: initial }, ...idNumberFacts(idNumber), { label: '姓名', value: person.name }],
    matches,
    save: async (hash) => void (await LearnerAccountModel.updateOne({ _id: account._id }, { $set: { passwordHash: hash }, $unset: { bindCodeHash: 1 } })),
  };
}

async function staffHolder(accountId: string): Promise<PasswordHolder> {
  const account = await StaffAccountModel.findById(accountId).lean();
  if (!account) throw new AppError('UNAUTHENTICATED');
  return {
    identifier: identifiers.staff(account.username),
    publicFacts: [{ label: '用户名', value: account.username }],
    matches: (password) => verifyPassword(account.passwordHash, password),
    save: async (hash) => void (await StaffAccountModel.updateOne({ _id: account._id }, { $set: { passwordHash: hash, mustChangePassword: false } })),
  };
}

/**
 * 修改密码: the current password is checked under the same lockout as logins (a stolen session cannot guess
 * it); a new password built from the account's public data or common ones is refused; other sessions end.
 */
export async function changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }, ip: string, deps: Deps): Promise<void> {
  const session = await findSession(principal.sessionId);
  if (!session.accountId) throw new AppError('FORBIDDEN');
  const holder =
    session.role === 'enterprise'
      ? await enterpriseHolder(session.accountId)
      : session.role === 'learner'
        ? await learnerHolder(session.accountId, deps)
        : await staffHolder(session.accountId);
  await guardedCheck(
    { identifier: holder.identifier, during: 'password-change', ip, failure: { code: 'INVALID_CREDENTIALS', message: '原密码不正确' }, check: () => holder.matches(input.currentPassword) },
    deps,
  );
  if (input.newPassword.toUpperCase() === input.currentPassword.toUpperCase()) throw new AppError('PASSWORD_UNCHANGED');
  assertNotGuessable(input.newPassword, holder.publicFacts);
  await holder.save(await hashPassword(input.newPassword), deps.clock.now());
  await markPasswordChanged(principal.sessionId);
  await endOtherSessions(session.role, session.subjectId, principal.sessionId, 'PASSWORD_CHANGED', deps);
}
