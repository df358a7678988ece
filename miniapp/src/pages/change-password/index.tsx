import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { changePasswordRequest, type SessionPrincipal } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { platform } from '../../platform';
import { ApiError, api, fieldErrorsFrom, type FieldErrors } from '../../api/client';
import { getPrincipal, getToken, lastRole, savePrincipal, takeLoginSecret, takeNotice } from '../../api/session';
import { homeFor, loginPageFor, relaunch } from '../../api/routes';
import type { PrincipalResponse } from '../../api/types';
import { logout } from '../../api/auth';
import './index.css';
import { useSubmit } from '../../utils/useSubmit';
import { askForEmptyFields } from '../../utils/validation';

/** PASSWORD_GUESSABLE lists why (e.g. it contains the credit code): show that under the new password. */
function guessableAsFieldError(e: unknown): unknown {
  if (!(e instanceof ApiError) || e.code !== 'PASSWORD_GUESSABLE') return e;
  const reasons = (e.details as { reasons?: unknown } | undefined)?.reasons;
  const why = (Array.isArray(reasons) ? reasons : [])
    .map((r: unknown) => (typeof r === 'string' ? r : (r as { message?: unknown } | null)?.message))
    .filter((r): r is string => typeof r === 'string');
  const message = why.length ? `${e.message}（${why.join('；')}）` : e.message;
  return new ApiError(e.status, e.code, e.message, { issues: [{ path: 'newPassword', message }] });
}

/** What the current secret is called: until a first password is set it is what the person logged in with. */
function currentSecretLabel(principal: SessionPrincipal | undefined, kind: 'password' | 'activationCode' | undefined): string {
  if (!principal?.mustChangePassword) return '原密码';
  if (kind === 'activationCode' || (principal.role === 'learner' && principal.binding?.state === 'VERIFIED')) return '激活码';
  return '初始密码';
}

/** Shared by learners and enterprises; afterwards each goes to its own home page. */
export default function ChangePasswordPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const [notice, setNotice] = useState<string>();
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();
  const [currentPassword, setCurrentPassword] = useState('');
  /** Set when the login just before handed over what was typed there: the field is then not asked again. */
  const [prefilled, setPrefilled] = useState<'password' | 'activationCode'>();
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');

  useDidShow(() => {
    if (!getToken()) {
      relaunch(loginPageFor(lastRole()));
      return;
    }
    const p = getPrincipal();
    // Only the forced first change lives here: once done (e.g. Back from the home page), go home.
    if (p && !p.mustChangePassword && (p.role === 'learner' || p.role === 'enterprise')) {
      relaunch(homeFor(p.role));
      return;
    }
    setPrincipal(p);
    const secret = takeLoginSecret();
    if (secret) {
      setCurrentPassword(secret.value);
      setPrefilled(secret.kind);
    }
    const n = takeNotice();
    setNotice(n ?? (p?.mustChangePassword ? '第一次登录，请先设置您自己的密码' : undefined));
  });

  const currentLabel = currentSecretLabel(principal, prefilled);
  const askCurrent = !prefilled || !!fieldErrors.currentPassword;

  async function submit() {
    const parsed = changePasswordRequest.safeParse({ currentPassword, newPassword });
    let errors: FieldErrors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    errors = askForEmptyFields(errors, { currentPassword, newPassword }, { currentPassword: currentLabel, newPassword: '新密码' });
    if (!confirmPassword) errors.confirmPassword = '请再次输入新密码';
    else if (confirmPassword !== newPassword) errors.confirmPassword = '两次输入的新密码不一致';
    if (!checkFields(errors) || !parsed.success) return;
    await run(async () => {
      const res = await api.post<PrincipalResponse>('/api/auth/password', parsed.data).catch((e: unknown) => {
        throw guessableAsFieldError(e);
      });
      savePrincipal(res.principal);
      platform.toast('密码已修改', 'success');
      relaunch(homeFor(res.principal.role));
    });
  }

  return (
    <View className='page change-password'>
      <Text className='page__title'>修改密码</Text>
      {principal ? <Text className='page__subtitle'>当前账号：{principal.displayName}</Text> : null}
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      <View className='card'>
        {askCurrent ? (
          <Field id='currentPassword' label={currentLabel} password value={currentPassword} onChange={setCurrentPassword} placeholder={`请输入${currentLabel}`} error={fieldErrors.currentPassword} />
        ) : (
          <Text className='muted change-password__prefilled' id='current-prefilled'>
            {currentLabel}已自动填好（就是您刚才登录时输入的），只需设置新密码。
          </Text>
        )}
        <Field id='newPassword' label='新密码' password value={newPassword} onChange={setNewPassword} placeholder='新密码' hint='至少8位，须同时包含字母和数字' error={fieldErrors.newPassword} />
        <Field id='confirmPassword' label='再输一次新密码' password value={confirmPassword} onChange={setConfirmPassword} placeholder='新密码' error={fieldErrors.confirmPassword} />
        <ErrorBanner message={error} reveal />
        <BigButton id='change-password-submit' onClick={() => void submit()} loading={busy}>
          确认修改
        </BigButton>
      </View>
      <BigButton id='logout' kind='plain' onClick={() => void logout()}>
        退出登录
      </BigButton>
    </View>
  );
}
