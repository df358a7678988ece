import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { enterpriseLoginRequest, type ProvinceInfo } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips } from '../../components/Chips';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { LoadState } from '../../components/LoadState';
import { platform } from '../../platform';
import { ApiError, api, fieldErrorsFrom } from '../../api/client';
import { getPrincipal, getToken, rememberLoginSecret, saveSession, takeNotice } from '../../api/session';
import { ROUTES, homeFor, relaunch } from '../../api/routes';
import type { LoginResponse, ProvinceListResponse } from '../../api/types';
import { useLoader } from '../../utils/useLoader';
import { useSubmit } from '../../utils/useSubmit';
import { askForEmptyFields } from '../../utils/validation';
import './index.css';

const PROVINCE_KEY = 'ce.enterpriseProvince';

function loginPlaceholder(province?: ProvinceInfo): string {
  if (!province) return '请先选择省份';
  return province.enterpriseLoginBy === 'name' ? '企业全称' : '18位信用代码';
}

export default function EnterpriseLoginPage() {
  const provinces = useLoader<ProvinceInfo[]>();
  const [province, setProvince] = useState<string>(platform.storage.get(PROVINCE_KEY) ?? '');
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  /** Shown only after the server says several enterprises share the name typed. */
  const [askUscc, setAskUscc] = useState(false);
  const [uscc, setUscc] = useState('');
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();
  const [notice, setNotice] = useState<string>();

  async function loadProvinces() {
    const items = await provinces.load(async () => (await api.get<ProvinceListResponse>('/api/public/provinces', { noRedirect: true })).items);
    if (items) setProvince((current) => (items.some((p) => p.code === current) ? current : items.length === 1 ? items[0].code : ''));
  }

  useEffect(() => {
    void loadProvinces();
  }, []);

  useDidShow(() => {
    // Already logged in (e.g. Back from the home page): go home instead of showing the form again.
    const principal = getPrincipal();
    if (getToken() && principal?.role === 'enterprise') {
      relaunch(principal.mustChangePassword ? ROUTES.changePassword : homeFor('enterprise'));
      return;
    }
    const n = takeNotice();
    if (n) setNotice(n);
  });

  const selected = provinces.data?.find((p) => p.code === province);

  function changeAccount(value: string) {
    setAccount(value);
    setAskUscc(false); // another name may well be unique
  }

  function validate() {
    const parsed = enterpriseLoginRequest.safeParse({ province, account, password, uscc: askUscc ? uscc : undefined });
    let errors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    errors = askForEmptyFields(errors, { account, password, uscc }, { account: selected?.enterpriseLoginLabel ?? '账号', password: '密码', ...(askUscc ? { uscc: '统一社会信用代码' } : {}) });
    if (!province) errors.province = '请选择所在省份';
    return { parsed, errors };
  }

  async function login() {
    const { parsed, errors } = validate();
    if (!checkFields(errors) || !parsed.success) return;
    await run(async () => {
      try {
        const res = await api.post<LoginResponse>('/api/auth/enterprise/login', parsed.data, { noRedirect: true });
        platform.storage.set(PROVINCE_KEY, parsed.data.province);
        saveSession(res.token, res.principal);
        if (res.principal.mustChangePassword) rememberLoginSecret(parsed.data.password, 'password');
        relaunch(res.principal.mustChangePassword ? ROUTES.changePassword : ROUTES.enterpriseEmployees);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'ACCOUNT_AMBIGUOUS') setAskUscc(true);
        throw e;
      }
    });
  }

  return (
    <View className='page enterprise-login'>
      <Text className='page__title'>企业登录</Text>
      <Text className='page__subtitle'>企业账号由证书信息自动生成，无需注册。</Text>
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      <View className='card'>
        <View className='field' id='field-province'>
          <Text className='field__label'>所在省份</Text>
          <LoadState id='provinces' loading={provinces.loading} error={provinces.error} hasData={!!provinces.data} onRetry={() => void loadProvinces()} loadingText='正在加载省份…' />
          {provinces.data ? (
            <Chips id='province' value={province} onChange={setProvince} options={provinces.data.map((p) => ({ value: p.code, label: p.name }))} />
          ) : null}
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
          onChange={changeAccount}
          placeholder={loginPlaceholder(selected)}
          hint={selected?.enterpriseLoginBy === 'name' ? '请输入营业执照上的企业全称；企业更名后请使用新名称' : undefined}
          error={fieldErrors.account}
        />
        {askUscc ? (
          <Field
            id='uscc'
            label='统一社会信用代码'
            value={uscc}
            onChange={setUscc}
            maxlength={18}
            placeholder='18位信用代码'
            hint='有多家企业使用这个名称，请同时输入本企业的统一社会信用代码（见营业执照）'
            error={fieldErrors.uscc}
          />
        ) : null}
        <Field id='password' label='密码' password value={password} onChange={setPassword} placeholder='请输入密码' error={fieldErrors.password} />
        <View className='help-box' id='initial-password-hint'>
          <Text className='help-box__title'>首次登录的初始密码</Text>
          <Text className='help-box__text'>
            {selected ? `${selected.name}：${selected.enterpriseInitialPasswordHint ?? '见主管部门发布的通知'}` : '选择省份后，这里会说明初始密码是什么。'}
          </Text>
          <Text className='help-box__text'>首次登录后须立即修改为自己的密码。</Text>
        </View>
        <ErrorBanner message={error} reveal />
        <BigButton id='enterprise-login-submit' onClick={() => void login()} loading={busy}>
          登录
        </BigButton>
      </View>
    </View>
  );
}
