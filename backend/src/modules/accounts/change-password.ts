import { AppError } from '../../platform/errors';
import { decrypt } from '../../platform/crypto';
import type { Deps, Principal } from '../../platform/http/route';
import { settingsFor } from '../policy/policies';
import { PersonModel } from '../registry/data';
import { EnterpriseAccountModel, LearnerAccountModel, StaffAccountModel } from './data';
import { enterprisePasswordMatches } from './enterprise-login';
import { hashPassword, initialPassword, sameSecret, verifyPassword } from './passwords';
import { endOtherSessions, findSession, markPasswordChanged } from './sessions';

interface PasswordHolder {
  /** Passwords the new one may not equal: the current one, the initial one, the account identifier. */
  forbidden: string[];
  matches(password: string): Promise<boolean>;
  save(hash: string): Promise<void>;
}

async function enterpriseHolder(accountId: string): Promise<PasswordHolder> {
  const account = await EnterpriseAccountModel.findById(accountId).lean();
  if (!account) throw new AppError('UNAUTHENTICATED');
  const settings = await settingsFor(account.province);
  const initial = initialPassword(settings.accounts.enterpriseInitialPassword, { loginId: account.loginId, uscc: account.enterpriseUscc });
  return {
    forbidden: [account.loginId, account.enterpriseUscc, initial ?? ''],
    matches: (password) => enterprisePasswordMatches(account, password),
    save: async (hash) => void (await EnterpriseAccountModel.updateOne({ _id: account._id }, { $set: { passwordHash: hash } })),
  };
}

async function learnerHolder(accountId: string, province: string | undefined, city: string | undefined, deps: Deps): Promise<PasswordHolder> {
  const account = await LearnerAccountModel.findById(accountId).lean();
  const person = account && (await PersonModel.findById(account.personId).lean());
  if (!account || !person) throw new AppError('UNAUTHENTICATED');
  const idNumber = decrypt(deps.config.idEncryptionKey, person.idCipher);
  const settings = await settingsFor(province ?? 'SD', city);
  const initial = initialPassword(settings.accounts.learnerInitialPassword, { loginId: idNumber }) ?? '';
  return {
    forbidden: [idNumber, initial],
    matches: async (password) => (account.passwordHash ? verifyPassword(account.passwordHash, password) : sameSecret(initial, password)),
    save: async (hash) => void (await LearnerAccountModel.updateOne({ _id: account._id }, { $set: { passwordHash: hash } })),
  };
}

async function staffHolder(accountId: string): Promise<PasswordHolder> {
  const account = await StaffAccountModel.findById(accountId).lean();
  if (!account) throw new AppError('UNAUTHENTICATED');
  return {
    forbidden: [account.username],
    matches: (password) => verifyPassword(account.passwordHash, password),
    save: async (hash) => void (await StaffAccountModel.updateOne({ _id: account._id }, { $set: { passwordHash: hash, mustChangePassword: false } })),
  };
}

/** 修改密码: checks the current password, refuses the initial/known ones, and ends the account's other sessions. */
export async function changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }, deps: Deps): Promise<void> {
  const session = await findSession(principal.sessionId);
  if (!session.accountId) throw new AppError('FORBIDDEN');
  const holder =
    session.role === 'enterprise'
      ? await enterpriseHolder(session.accountId)
      : session.role === 'learner'
        ? await learnerHolder(session.accountId, session.province, session.city, deps)
        : await staffHolder(session.accountId);
  if (!(await holder.matches(input.currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', undefined, '原密码不正确');
  }
  const forbidden = [...holder.forbidden, input.currentPassword].filter(Boolean).map((p) => p.toUpperCase());
  if (forbidden.includes(input.newPassword.toUpperCase())) throw new AppError('PASSWORD_UNCHANGED');
  await holder.save(await hashPassword(input.newPassword));
  await markPasswordChanged(principal.sessionId);
  await endOtherSessions(session.role, session.subjectId, principal.sessionId, 'PASSWORD_CHANGED', deps);
}
