import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { enterpriseLoginRequest, type ProvinceInfo } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips } from '../../components/Chips';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { platform } from '../../platform';
import { api, fieldErrorsFrom, messageOf } from '../../api/client';
import { saveSession, takeNotice } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import type { LoginResponse, ProvinceListResponse } from '../../api/types';
import './index.css';
import { useSubmit } from '../../utils/useSubmit';

const PROVINCE_KEY = 'ce.enterpriseProvince';

export default function EnterpriseLoginPage() {
  const [provinces, setProvinces] = useState<ProvinceInfo[]>();
  const [province, setProvince] = useState<string>(platform.storage.get(PROVINCE_KEY) ?? '');
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, setError, fieldErrors, setFieldErrors, run } = useSubmit();
  const [notice, setNotice] = useState<string>();

  async function loadProvinces() {
    setError(undefined);
    try {
      const res = await api.get<ProvinceListResponse>('/api/public/provinces', { noRedirect: true });
      setProvinces(res.items);
      setProvince((current) => (res.items.some((p) => p.code === current) ? current : res.items.length === 1 ? res.items[0].code : ''));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    void loadProvinces();
  }, []);

  useDidShow(() => {
    const n = takeNotice();
    if (n) setNotice(n);
  });

  const selected = provinces?.find((p) => p.code === province);

  async function login() {
    setError(undefined);
    const parsed = enterpriseLoginRequest.safeParse({ province, account, password });
    const errors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    if (errors.province) errors.province = '请选择所在省份';
    setFieldErrors(errors);
    if (!parsed.success) return;
    await run(async () => {
      const res = await api.post<LoginResponse>('/api/auth/enterprise/login', parsed.data, { noRedirect: true });
      platform.storage.set(PROVINCE_KEY, parsed.data.province);
      saveSession(res.token, res.principal);
      relaunch(res.principal.mustChangePassword ? ROUTES.changePassword : ROUTES.enterpriseEmployees);
    });
  }

  return (
    <View className='page enterprise-login'>
      <Text className='page__title'>企业登录</Text>
      <Text className='page__subtitle'>企业账号由证书信息自动生成，无需注册。</Text>
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      <ErrorBanner message={error} />
      {!provinces && error ? (
        <BigButton id='retry-provinces' kind='secondary' onClick={() => void loadProvinces()}>
          重新加载
        </BigButton>
      ) : null}
      <View className='card'>
        <View className='field' id='field-province'>
          <Text className='field__label'>所在省份</Text>
          {provinces ? (
            <Chips id='province' value={province} onChange={setProvince} options={provinces.map((p) => ({ value: p.code, label: p.name }))} />
          ) : (
            <Text className='muted'>正在加载省份…</Text>
          )}
          {fieldErrors.province ? (
            <Text className='field__error' id='error-province'>
              {fieldErrors.province}
            </Text>
          ) : null}
        </View>
        <Field
          id='account'
          label={selected?.enterpriseLoginLabel ?? '登录账号'}
          value={account}
          onChange={setAccount}
          placeholder={selected ? `请输入${selected.enterpriseLoginLabel}` : '请先选择省份'}
          hint={selected?.enterpriseLoginBy === 'name' ? '企业更名后请使用新企业名称登录' : undefined}
          error={fieldErrors.account}
        />
        <Field id='password' label='密码' password value={password} onChange={setPassword} placeholder='请输入密码' hint='首次登录请使用初始密码，登录后须修改' error={fieldErrors.password} />
        <BigButton id='enterprise-login-submit' onClick={() => void login()} loading={busy}>
          登录
        </BigButton>
      </View>
    </View>
  );
}
