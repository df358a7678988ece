import type { InitialPasswordRule, PolicySettings } from './policy';

type AccountSettings = PolicySettings['accounts'];

/**
 * What a person is told about initial passwords, derived from the policy's rules (never written per
 * province), so the login pages and the API say exactly what the backend checks.
 */
export function enterpriseInitialPasswordHint(accounts: Pick<AccountSettings, 'enterpriseLoginBy' | 'enterpriseInitialPassword'>): string {
  const account = accounts.enterpriseLoginBy === 'uscc' ? '账号（统一社会信用代码）' : '账号（企业名称）';
  return describeRule(accounts.enterpriseInitialPassword, account);
}

export function learnerInitialPasswordHint(accounts: Pick<AccountSettings, 'learnerInitialPassword' | 'learnerBindProofs'>): string {
  if (!accounts.learnerBindProofs.includes('INITIAL_PASSWORD')) {
    return '本地区不能用初始密码绑定：请向所在企业申请激活码，用姓名、身份证号和激活码绑定';
  }
  const rule = describeRule(accounts.learnerInitialPassword, '身份证号');
  const activation = accounts.learnerBindProofs.includes('ACTIVATION_CODE') ? '，可向所在企业申请激活码完成核验' : '';
  return `${rule}；首次绑定后须修改密码。用初始密码绑定为“未核验”状态${activation}`;
}

function describeRule(rule: InitialPasswordRule, account: string): string {
  switch (rule.rule) {
    case 'uscc':
      return '初始密码为统一社会信用代码（18位）';
    case 'accountSuffix':
      return `初始密码为${account}后${rule.length}位，字母不区分大小写`;
    case 'fixed':
      return `初始密码为 ${rule.value}`;
  }
}
