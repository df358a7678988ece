import { isValidUscc, normalizeUscc, type PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { settingsFor } from '../policy';
import { EnterpriseAccountModel, type EnterpriseAccountDoc } from './data';
import { enterpriseNameKey } from './enterprise-accounts';
import { dummyVerify, isInitialPassword, verifyPassword } from './passwords';
import { openSession, type OpenedSession } from './sessions';
import { guardedCheck, identifiers, limitRate } from './throttle';

type LoginBy = PolicySettings['accounts']['enterpriseLoginBy'];

export interface EnterpriseLoginInput {
  province: string;
  account: string;
  password: string;
  uscc?: string;
}

/** What a typed account identifier points at: the account, and whether it was typed under a former name. */
interface Target {
  account?: EnterpriseAccountDoc;
  byFormerName: boolean;
  /** Counted against for lockout: the account when one is found, else what was typed. */
  identifier: string;
}

/** The identifier the enterprise logs in with under its province's policy. */
export function enterpriseLoginId(account: EnterpriseAccountDoc, loginBy: LoginBy): string {
  return loginBy === 'name' ? account.enterpriseName : account.enterpriseUscc;
}

export function enterpriseIdentifier(account: Pick<EnterpriseAccountDoc, 'province' | 'enterpriseUscc'>): string {
  return identifiers.enterprise(account.province, account.enterpriseUscc);
}

/** The initial password applies only while the enterprise has never set its own. */
export async function enterprisePasswordMatches(account: EnterpriseAccountDoc | undefined, password: string): Promise<boolean> {
  if (account?.passwordHash) return verifyPassword(account.passwordHash, password);
  await dummyVerify(password);
  if (!account) return false;
  const settings = await settingsFor(account.province, account.city);
  const source = { loginId: enterpriseLoginId(account, settings.accounts.enterpriseLoginBy), uscc: account.enterpriseUscc };
  return isInitialPassword(settings.accounts.enterpriseInitialPassword, source, password);
}

function validUscc(value: string, path: string): string {
  if (!isValidUscc(value)) {
    throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path, message: '统一社会信用代码不正确（18位，请核对末位校验码）' }] });
  }
  return normalizeUscc(value);
}

async function targetByUscc(province: string, typed: string): Promise<Target> {
  const uscc = validUscc(typed, 'account');
  const account = (await EnterpriseAccountModel.findOne({ province, enterpriseUscc: uscc }).lean()) ?? undefined;
  return { account, byFormerName: false, identifier: identifiers.enterprise(province, uscc) };
}

/**
 * By name: the current name first. A name several enterprises share needs the credit code (ACCOUNT_AMBIGUOUS);
 * a former name is looked at only when no enterprise has it now, so it never leads into another enterprise.
 */
async function targetByName(province: string, typed: string, uscc: string | undefined): Promise<Target> {
  const nameKey = enterpriseNameKey(typed);
  const unknown: Target = { byFormerName: false, identifier: identifiers.enterpriseName(province, nameKey) };
  const scope = uscc ? { province, enterpriseUscc: uscc } : { province };
  const current = await EnterpriseAccountModel.find({ ...scope, nameKey }).limit(2).lean();
  if (current.length > 1) throw new AppError('ACCOUNT_AMBIGUOUS');
  if (current.length === 1) return { account: current[0], byFormerName: false, identifier: enterpriseIdentifier(current[0]) };
  const former = await EnterpriseAccountModel.find({ ...scope, formerNameKeys: nameKey }).limit(2).lean();
  return former.length === 1 ? { account: former[0], byFormerName: true, identifier: enterpriseIdentifier(former[0]) } : unknown;
}

async function findTarget(input: EnterpriseLoginInput, loginBy: LoginBy): Promise<Target> {
  if (loginBy === 'uscc') return targetByUscc(input.province, input.account);
  return targetByName(input.province, input.account, input.uscc);
}

function renamedTo(account: EnterpriseAccountDoc): AppError {
  return new AppError('ACCOUNT_RENAMED', { newName: account.enterpriseName }, `企业名称已变更为「${account.enterpriseName}」，请使用新企业名称登录（密码不变）`);
}

/** 企业登录: by the identifier the province's policy names; the initial password must be changed first. */
export async function enterpriseLogin(input: EnterpriseLoginInput, ip: string, deps: Deps): Promise<OpenedSession> {
  await limitRate('login', ip, deps);
  const settings = await settingsFor(input.province);
  const target = await findTarget(input, settings.accounts.enterpriseLoginBy);
  await guardedCheck(
    { identifier: target.identifier, during: 'login', ip, failure: { code: 'INVALID_CREDENTIALS' }, check: () => enterprisePasswordMatches(target.account, input.password) },
    deps,
  );
  const account = target.account!;
  if (target.byFormerName) throw renamedTo(account);
  return openSession(
    {
      role: 'enterprise',
      subjectId: account.enterpriseUscc,
      accountId: String(account._id),
      province: account.province,
      city: account.city,
      mustChangePassword: !account.passwordHash,
    },
    deps,
  );
}
