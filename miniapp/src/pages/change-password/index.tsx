import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { changePasswordRequest, type SessionPrincipal } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { platform } from '../../platform';
import { api, fieldErrorsFrom, type FieldErrors } from '../../api/client';
import { getPrincipal, getToken, lastRole, savePrincipal, takeNotice } from '../../api/session';
import { homeFor, loginPageFor, relaunch } from '../../api/routes';
import type { PrincipalResponse } from '../../api/types';
import { logout } from '../../api/auth';
import './index.css';
import { useSubmit } from '../../utils/useSubmit';

/** Shared by learners and enterprises; afterwards each goes to its own home page. */
export default function ChangePasswordPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const [notice, setNotice] = useState<string>();
  const { busy, error, setError, fieldErrors, setFieldErrors, run } = useSubmit();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');

  useDidShow(() => {
    if (!getToken()) {
      relaunch(loginPageFor(lastRole()));
      return;
    }
    const p = getPrincipal();
    setPrincipal(p);
    const n = takeNotice();
    setNotice(n ?? (p?.mustChangePassword ? '首次登录请先修改初始密码' : undefined));
  });

  async function submit() {
    setError(undefined);
    const parsed = changePasswordRequest.safeParse({ currentPassword, newPassword });
    const errors: FieldErrors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    if (!confirmPassword) errors.confirmPassword = '请再次输入新密码';
    else if (confirmPassword !== newPassword) errors.confirmPassword = '两次输入的新密码不一致';
    setFieldErrors(errors);
    if (!parsed.success || Object.keys(errors).length) return;
    await run(async () => {
      const res = await api.post<PrincipalResponse>('/api/auth/password', parsed.data);
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
      <ErrorBanner message={error} />
      <View className='card'>
        <Field id='currentPassword' label='原密码' password value={currentPassword} onChange={setCurrentPassword} placeholder='初始密码或原密码' error={fieldErrors.currentPassword} />
        <Field
          id='newPassword'
          label='新密码'
          password
          value={newPassword}
          onChange={setNewPassword}
          placeholder='至少8位，含字母和数字'
          hint='至少8位，须同时包含字母和数字'
          error={fieldErrors.newPassword}
        />
        <Field id='confirmPassword' label='确认新密码' password value={confirmPassword} onChange={setConfirmPassword} placeholder='再次输入新密码' error={fieldErrors.confirmPassword} />
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
