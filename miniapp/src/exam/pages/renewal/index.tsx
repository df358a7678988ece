import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { renewalRequest, type SessionPrincipal } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { KeyValue } from '../../../components/KeyValue';
import { fieldErrorsFrom } from '../../../api/client';
import { pageParam } from '../../../api/routes';
import { useSubmit } from '../../../utils/useSubmit';
import { useLearnerOnShow } from '../../../study/learner';
import { completionApi } from '../../api';
import '../../exam.css';

/** 到期换证: after 合格结业, within the window before the certificate expires (the server decides). */
export default function RenewalPage() {
  const enrollmentId = pageParam('enrollmentId');
  const [who, setWho] = useState<SessionPrincipal>();
  const [mobile, setMobile] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();

  useLearnerOnShow(setWho);

  async function submit() {
    const parsed = renewalRequest.safeParse({ enrollmentId, mobile: mobile.trim() });
    const errors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    if (!mobile.trim()) errors.mobile = '请输入手机号码';
    if (!checkFields(errors) || !parsed.success) return;
    await run(async () => {
      await completionApi.renew(parsed.data);
      setDone(true);
    });
  }

  return (
    <View className='page exam-renewal' id='exam-renewal'>
      <Text className='page__title'>到期换证申请</Text>
      <View className='card'>
        <KeyValue label='姓名'>{who?.displayName ?? ''}</KeyValue>
        {who?.idNumberMasked ? <KeyValue label='身份证号'>{who.idNumberMasked}</KeyValue> : null}
        <Text className='muted'>继续教育已合格结业。提交后，换证办理进度会通知到您留的手机号。</Text>
      </View>
      {done ? (
        <>
          <ErrorBanner id='renewal-done' kind='success' message='换证申请已提交，请留意手机短信通知。' reveal />
          <BigButton id='renewal-back' onClick={() => void Taro.navigateBack().catch(() => undefined)}>
            返回结业进度
          </BigButton>
        </>
      ) : (
        <View className='card'>
          <Field id='mobile' label='手机号码' type='number' maxlength={11} value={mobile} onChange={setMobile} placeholder='11位手机号' error={fieldErrors.mobile} />
          <ErrorBanner id='renewal-error' message={error} reveal />
          <BigButton id='renewal-submit' loading={busy} onClick={() => void submit()}>
            提交换证申请
          </BigButton>
        </View>
      )}
    </View>
  );
}
