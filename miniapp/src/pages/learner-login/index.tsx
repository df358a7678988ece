import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { isValidIdNumber, learnerBindRequest } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { platform } from '../../platform';
import { ApiError, api, fieldErrorsFrom, messageOf, type FieldErrors } from '../../api/client';
import { getPrincipal, getToken, saveSession, takeNotice } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import type { LoginResponse } from '../../api/types';
import './index.css';

function goHome(res: LoginResponse) {
  saveSession(res.token, res.principal);
  relaunch(res.principal.mustChangePassword ? ROUTES.changePassword : ROUTES.learnerEnrollments);
}

export default function LearnerLoginPage() {
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [wechatToken, setWechatToken] = useState<string>();
  const [idNumber, setIdNumber] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  useDidShow(() => {
    const n = takeNotice();
    if (n) setNotice(n);
    const token = getToken();
    if (token && getPrincipal()?.role === 'wechat') setWechatToken(token);
  });

  async function wechatLogin() {
    setBusy(true);
    setError(undefined);
    try {
      let code: string;
      try {
        ({ code } = await platform.login());
      } catch (e) {
        throw new Error(e instanceof ApiError ? e.message : '微信登录失败，请检查网络后重试');
      }
      const res = await api.post<LoginResponse>('/api/auth/learner/wechat-login', { code }, { noRedirect: true });
      setNotice(undefined);
      if (res.principal.role === 'wechat') {
        saveSession(res.token, res.principal);
        setWechatToken(res.token);
      } else {
        goHome(res);
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function bind() {
    setError(undefined);
    const errors: FieldErrors = {};
    const parsed = learnerBindRequest.safeParse({ idNumber, password });
    if (!parsed.success) Object.assign(errors, fieldErrorsFrom(parsed.error.issues));
    if (!isValidIdNumber(idNumber)) errors.idNumber = errors.idNumber ?? '身份证号码不正确（请核对18位号码及末位校验码）';
    setFieldErrors(errors);
    if (!parsed.success || Object.keys(errors).length) return;
    setBusy(true);
    try {
      const res = await api.post<LoginResponse>('/api/auth/learner/bind', parsed.data, { token: wechatToken, noRedirect: true });
      goHome(res);
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldErrors);
        if (e.code === 'SESSION_EXPIRED' || e.code === 'UNAUTHENTICATED' || e.code === 'SESSION_REPLACED') setWechatToken(undefined);
      }
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='page learner-login'>
      <Text className='page__title'>学员登录</Text>
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      <ErrorBanner message={error} />
      {!wechatToken ? (
        <View className='card' id='wechat-step'>
          <Text className='page__subtitle'>使用微信登录。首次登录需要绑定身份证号。</Text>
          <BigButton id='wechat-login' onClick={() => void wechatLogin()} loading={busy}>
            微信一键登录
          </BigButton>
        </View>
      ) : (
        <View className='card' id='bind-form'>
          <Text className='section-title'>绑定身份证号</Text>
          <Text className='page__subtitle'>首次使用请输入身份证号和密码，绑定后下次直接登录。</Text>
          <Field
            id='idNumber'
            label='身份证号'
            type='idcard'
            maxlength={18}
            value={idNumber}
            onChange={setIdNumber}
            placeholder='18位身份证号码'
            error={fieldErrors.idNumber}
          />
          <Field
            id='password'
            label='密码'
            password
            value={password}
            onChange={setPassword}
            placeholder='请输入密码'
            hint='初始密码见说明'
            error={fieldErrors.password}
          />
          <View className='learner-login__help' id='password-help'>
            <Text className='learner-login__help-title'>说明</Text>
            <Text className='learner-login__help-text'>
              初始密码由所在省份规定，见企业或主管部门发布的继续教育通知。首次登录后须修改为自己的密码（至少8位，含字母和数字）。
            </Text>
          </View>
          <BigButton id='bind-submit' onClick={() => void bind()} loading={busy}>
            绑定并登录
          </BigButton>
        </View>
      )}
    </View>
  );
}
