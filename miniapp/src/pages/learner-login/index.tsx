import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { learnerBindRequest, type ProvinceInfo } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips } from '../../components/Chips';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ActivationCodeField } from '../../components/ActivationCodeField';
import { Field } from '../../components/Field';
import { platform } from '../../platform';
import { api, fieldErrorsFrom, isSessionEnded, type FieldErrors } from '../../api/client';
import { getPrincipal, getToken, rememberLoginSecret, saveSession, takeNotice } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import { STUDY_ROUTES, openStudy } from '../../study/routes';
import type { LoginResponse, ProvinceListResponse } from '../../api/types';
import { useSubmit } from '../../utils/useSubmit';
import { askForEmptyFields } from '../../utils/validation';
import './index.css';

type Proof = 'password' | 'activationCode';

function goHome(res: LoginResponse) {
  saveSession(res.token, res.principal);
  relaunch(res.principal.mustChangePassword ? ROUTES.changePassword : ROUTES.learnerEnrollments);
}

/** Said when the provinces cannot be loaded; the API's hints say it per province. */
const FALLBACK_PASSWORD_HINT = '初始密码由省里统一规定，见所在企业或主管部门的继续教育通知。用初始密码绑定后显示“未核验”，向所在企业要一个激活码即可完成核验。';

/** "山东：…；云南：…", or one sentence when every province says the same. */
function learnerPasswordHints(provinces: ProvinceInfo[] | undefined): string[] {
  const hints = (provinces ?? []).filter((p) => p.learnerInitialPasswordHint);
  const distinct = [...new Set(hints.map((p) => p.learnerInitialPasswordHint))];
  if (distinct.length <= 1) return distinct;
  return hints.map((p) => `${p.name}：${p.learnerInitialPasswordHint}`);
}

export default function LearnerLoginPage() {
  const [notice, setNotice] = useState<string>();
  const [wechatToken, setWechatToken] = useState<string>();
  const [provinces, setProvinces] = useState<ProvinceInfo[]>();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [proof, setProof] = useState<Proof>('password');
  const [password, setPassword] = useState('');
  const [activationCode, setActivationCode] = useState('');
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();

  useDidShow(() => {
    const principal = getPrincipal();
    const token = getToken();
    // Already logged in (e.g. Back from 我的报名): go there instead of showing the login again.
    if (token && principal?.role === 'learner') {
      relaunch(principal.mustChangePassword ? ROUTES.changePassword : ROUTES.learnerEnrollments);
      return;
    }
    const n = takeNotice();
    if (n) setNotice(n);
    if (token && principal?.role === 'wechat') setWechatToken(token);
  });

  useEffect(() => {
    // Only for the explanation of the initial password: the form works without it.
    api
      .get<ProvinceListResponse>('/api/public/provinces', { noRedirect: true })
      .then((res) => setProvinces(res.items))
      .catch(() => undefined);
  }, []);

  async function wechatLogin() {
    await run(async () => {
      let code: string;
      try {
        ({ code } = await platform.login());
      } catch {
        throw new Error('微信登录没有成功，请再点一次“微信一键登录”');
      }
      const res = await api.post<LoginResponse>('/api/auth/learner/wechat-login', { code }, { noRedirect: true });
      setNotice(undefined);
      if (res.principal.role === 'wechat') {
        saveSession(res.token, res.principal);
        setWechatToken(res.token);
      } else {
        goHome(res);
      }
    });
  }

  function validate() {
    const proofValue: Record<string, string> = proof === 'password' ? { password } : { activationCode };
    const parsed = learnerBindRequest.safeParse({ name, idNumber, ...proofValue });
    let errors: FieldErrors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    errors = askForEmptyFields(errors, { name, idNumber, ...proofValue }, { name: '姓名', idNumber: '身份证号', ...(proof === 'password' ? { password: '密码' } : { activationCode: '激活码' }) });
    return { parsed, errors };
  }

  async function bind() {
    const { parsed, errors } = validate();
    if (!checkFields(errors) || !parsed.success) return;
    await run(async () => {
      try {
        const res = await api.post<LoginResponse>('/api/auth/learner/bind', parsed.data, { token: wechatToken, noRedirect: true });
        if (res.principal.mustChangePassword) rememberLoginSecret(proof === 'password' ? password : activationCode, proof);
        goHome(res);
      } catch (e) {
        if (isSessionEnded(e)) setWechatToken(undefined);
        throw e;
      }
    });
  }

  function chooseProof(value: string) {
    setProof(value as Proof);
    checkFields({});
  }

  const passwordHints = learnerPasswordHints(provinces);

  return (
    <View className='page learner-login'>
      <Text className='page__title'>学员登录</Text>
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      {!wechatToken ? (
        <View className='card' id='wechat-step'>
          <Text className='page__subtitle'>使用微信登录。第一次使用时，还要填写姓名和身份证号，确认证书是您本人的。</Text>
          <ErrorBanner message={error} reveal />
          <BigButton id='wechat-login' onClick={() => void wechatLogin()} loading={busy}>
            微信一键登录
          </BigButton>
        </View>
      ) : (
        <View className='card' id='bind-form'>
          <Text className='section-title'>第一次使用：确认身份</Text>
          <Text className='page__subtitle'>填写证书上的姓名和身份证号，以后用微信直接登录。</Text>
          <Field id='name' label='姓名' value={name} onChange={setName} placeholder='证书上的姓名' maxlength={30} error={fieldErrors.name} />
          <Field id='idNumber' label='身份证号' type='idcard' maxlength={18} value={idNumber} onChange={setIdNumber} placeholder='18位号码' error={fieldErrors.idNumber} />
          <View className='field' id='field-proof'>
            <Text className='field__label'>用什么确认</Text>
            <Chips
              id='proof'
              value={proof}
              onChange={chooseProof}
              options={[
                { value: 'password', label: '密码' },
                { value: 'activationCode', label: '企业给的激活码' },
              ]}
            />
          </View>
          {proof === 'password' ? (
            <>
              <Field id='password' label='密码' password value={password} onChange={setPassword} placeholder='请输入密码' error={fieldErrors.password} />
              <View className='help-box' id='password-help'>
                <Text className='help-box__title'>第一次用哪个密码？</Text>
                {(passwordHints.length ? passwordHints : [FALLBACK_PASSWORD_HINT]).map((hint) => (
                  <Text className='help-box__text' key={hint}>
                    {hint}
                  </Text>
                ))}
              </View>
            </>
          ) : (
            <>
              <ActivationCodeField value={activationCode} onChange={setActivationCode} error={fieldErrors.activationCode} />
              <View className='help-box' id='activation-code-help'>
                <Text className='help-box__title'>激活码从哪里来？</Text>
                <Text className='help-box__text'>由您所在企业的经办人在“员工证书”里为您生成，当面交给您。字母不分大小写，空格可不输。用激活码绑定后即为“已核验”。</Text>
              </View>
            </>
          )}
          <ErrorBanner message={error} reveal />
          <BigButton id='bind-submit' onClick={() => void bind()} loading={busy}>
            确认并登录
          </BigButton>
          <BigButton id='bind-with-face' kind='plain' onClick={() => openStudy(STUDY_ROUTES.bind)}>
            没有密码和激活码？刷脸核身绑定
          </BigButton>
        </View>
      )}
    </View>
  );
}
