import { isValidUscc, normalizeUscc } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { EnterpriseModel } from '../registry/data';
import { settingsFor } from '../policy/policies';
import { EnterpriseAccountModel, type EnterpriseAccountDoc } from './data';
import { initialPassword, sameSecret, verifyPassword } from './passwords';
import { openSession } from './sessions';
import { assertNotLocked, checkRate, clearFailures, recordFailure } from './throttle';

export async function enterprisePasswordMatches(account: EnterpriseAccountDoc, password: string): Promise<boolean> {
  if (account.passwordHash) return verifyPassword(account.passwordHash, password);
  const enterprise = await EnterpriseModel.findOne({ uscc: account.enterpriseUscc }).lean();
  const settings = await settingsFor(account.province, enterprise?.city);
  const initial = initialPassword(settings.accounts.enterpriseInitialPassword, { loginId: account.loginId, uscc: account.enterpriseUscc });
  return initial !== undefined && sameSecret(initial, password);
}

/** A credit code is checked (GB 32100) and upper-cased before it is looked up; a name is only trimmed. */
function normalizeLoginId(account: string, loginBy: 'name' | 'uscc'): string {
  if (loginBy === 'name') return account.trim();
  if (!isValidUscc(account)) {
    throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'account', message: '统一社会信用代码不正确（18位，请核对末位校验码）' }] });
  }
  return normalizeUscc(account);
}

/** 企业登录: by the identifier the province's policy names; the initial password must be changed first. */
export async function enterpriseLogin(input: { province: string; account: string; password: string }, ip: string, deps: Deps) {
  checkRate('login', ip, deps);
  const loginId = normalizeLoginId(input.account, (await settingsFor(input.province)).accounts.enterpriseLoginBy);
  const throttleKey = `enterprise:${input.province}:${loginId.toUpperCase()}`;
  await assertNotLocked(throttleKey, deps);

  const account = await EnterpriseAccountModel.findOne({ province: input.province, loginId }).lean();
  if (!account || !(await enterprisePasswordMatches(account, input.password))) return recordFailure(throttleKey, deps);
  await clearFailures(throttleKey);
  if (account.status === 'RENAMED') {
    throw new AppError('ACCOUNT_RENAMED', { newName: account.renamedTo }, `企业名称已变更为「${account.renamedTo}」，请使用新企业名称登录（初始密码规则不变）`);
  }
  const enterprise = await EnterpriseModel.findOne({ uscc: account.enterpriseUscc }).lean();
  return openSession(
    {
      role: 'enterprise',
      subjectId: account.enterpriseUscc,
      accountId: String(account._id),
      province: account.province,
      city: enterprise?.city,
      mustChangePassword: !account.passwordHash,
    },
    deps,
  );
}
