import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { bindWithIdentityFields, type FaceConsent } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { ApiError, fieldErrorsFrom } from '../../../api/client';
import { ROUTES, relaunch } from '../../../api/routes';
import { getPrincipal, getToken, saveSession } from '../../../api/session';
import type { Photo } from '../../../platform';
import { useSubmit } from '../../../utils/useSubmit';
import { askForEmptyFields } from '../../../utils/validation';
import { faceApi } from '../../api';
import { CameraShot } from '../../components/CameraShot';
import '../../study.css';

const whoFields = bindWithIdentityFields.pick({ name: true, idNumber: true });
type Step = 'who' | 'consent' | 'camera';

/**
 * 刷脸核身绑定, for a WeChat user not yet bound who has neither the initial password nor an activation code: name
 * and ID number, then the face-data consent, then a live photo the identity provider compares with the national
 * record. Passing binds the account verified (and takes the record back from anyone who bound it provisionally).
 */
export default function BindWithIdentityPage() {
  const [step, setStep] = useState<Step>('who');
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [consent, setConsent] = useState<FaceConsent>();
  const submit = useSubmit();

  useDidShow(() => {
    const principal = getPrincipal();
    if (getToken() && principal?.role === 'learner') relaunch(ROUTES.learnerEnrollments);
    else if (!getToken() || principal?.role !== 'wechat') relaunch(ROUTES.learnerLogin);
  });

  function next() {
    const parsed = whoFields.safeParse({ name, idNumber });
    const errors = askForEmptyFields(parsed.success ? {} : fieldErrorsFrom(parsed.error.issues), { name, idNumber }, { name: '姓名', idNumber: '身份证号' });
    if (!submit.checkFields(errors)) return;
    void submit.run(async () => {
      setConsent(await faceApi.consentText());
      setStep('consent');
    });
  }

  async function send(photo: Photo): Promise<'done' | 'retake'> {
    try {
      const res = await faceApi.bindWithIdentity(photo, { name: name.trim(), idNumber: idNumber.trim(), consentTextVersion: consent!.textVersion });
      saveSession(res.token, res.principal);
      relaunch(res.principal.mustChangePassword ? ROUTES.changePassword : ROUTES.learnerEnrollments);
      return 'done';
    } catch (e) {
      // a mistyped name or ID number is fixed on the first screen, not by another photo
      if (e instanceof ApiError && Object.keys(e.fieldErrors).some((k) => k === 'name' || k === 'idNumber')) {
        submit.checkFields(e.fieldErrors);
        setStep('who');
        return 'done';
      }
      throw e;
    }
  }

  return (
    <View className='page bind-identity-page' id='bind-identity-page'>
      <Text className='page__title'>刷脸核身绑定</Text>
      {step === 'who' ? (
        <View className='card' id='bind-identity-who'>
          <Text className='page__subtitle'>没有初始密码或激活码时，可以拍一张本人照片，与身份证登记照片比对后直接绑定为“已核验”。</Text>
          <Field id='bindName' label='姓名' value={name} onChange={setName} placeholder='证书上的姓名' maxlength={30} error={submit.fieldErrors.name} />
          <Field id='bindIdNumber' label='身份证号' type='idcard' maxlength={18} value={idNumber} onChange={setIdNumber} placeholder='18位号码' error={submit.fieldErrors.idNumber} />
          <ErrorBanner id='bind-identity-error' message={submit.error} reveal />
          <BigButton id='bind-identity-next' loading={submit.busy} onClick={next}>
            下一步
          </BigButton>
        </View>
      ) : null}
      {step === 'consent' && consent ? (
        <>
          <View className='consent-text' id='bind-identity-consent'>
            <Text className='consent-text__body'>{consent.text}</Text>
            <Text className='muted'>{`授权书版本：${consent.textVersion}`}</Text>
          </View>
          <BigButton id='bind-identity-agree' onClick={() => setStep('camera')}>
            同意并拍照
          </BigButton>
          <BigButton id='bind-identity-decline' kind='secondary' onClick={() => relaunch(ROUTES.learnerLogin)}>
            不同意，改用密码或激活码
          </BigButton>
        </>
      ) : null}
      {step === 'camera' ? <CameraShot id='bind-identity-camera' hint='请摘下帽子和眼镜，正对镜头，光线充足，只让本人入镜' onShot={send} /> : null}
    </View>
  );
}
