import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { FaceStatus } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { LoadState } from '../../../components/LoadState';
import { platform } from '../../../platform';
import { chinaDateTime } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { useSubmit } from '../../../utils/useSubmit';
import { faceApi } from '../../api';
import { useLearnerOnShow } from '../../learner';
import '../../study.css';

/**
 * 人脸信息处理授权, on its own screen (not bundled into any other agreement): the full text, then 同意 or
 * 不同意. Once given it can be withdrawn here; after that no photo is taken or checked.
 */
export default function ConsentPage() {
  const status = useLoader<FaceStatus>();
  const submit = useSubmit();
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'info'; text: string }>();

  const load = () => void status.load(() => faceApi.status());
  useLearnerOnShow(load);

  const consent = status.data?.consent;

  function agree() {
    if (!consent) return;
    void submit.run(async () => {
      await faceApi.consent(consent.textVersion);
      setOutcome({ kind: 'success', text: '已同意授权。下一步请完成实名核身和头像上传。' });
      load();
    });
  }

  function decline() {
    setOutcome({ kind: 'info', text: '您没有同意授权。学习需要拍照核验本人，未同意时无法开始计时学习。如有疑问，请联系报名企业。' });
  }

  async function withdraw() {
    const res = await Taro.showModal({
      title: '撤回授权',
      content: '撤回后将不再拍照和处理您的人脸信息，学习也无法继续计时，直到您重新同意。确定撤回吗？',
      confirmText: '撤回',
      cancelText: '不撤回',
    }).catch(() => undefined);
    if (!res?.confirm) return;
    void submit.run(async () => {
      await faceApi.withdraw();
      setOutcome({ kind: 'info', text: '已撤回授权。需要继续学习时，可回到本页重新同意。' });
      load();
      platform.toast('已撤回', 'success');
    });
  }

  return (
    <View className='page consent-page' id='consent-page'>
      <Text className='page__title'>人脸信息处理授权</Text>
      <LoadState id='consent' loading={status.loading} error={status.error} hasData={!!consent} onRetry={load} />
      {consent ? (
        <>
          <View className='consent-text' id='consent-text'>
            <Text className='consent-text__body'>{consent.text}</Text>
            <Text className='muted'>{`授权书版本：${consent.textVersion}`}</Text>
          </View>
          <ErrorBanner id='consent-outcome' kind={outcome?.kind} message={outcome?.text} reveal />
          <ErrorBanner id='consent-error' message={submit.error} reveal />
          {consent.given ? (
            <>
              <ErrorBanner id='consent-given' kind='success' message={`您已于 ${consent.givenAt ? chinaDateTime(consent.givenAt) : ''} 同意本授权。`} />
              <BigButton id='consent-withdraw' kind='secondary' loading={submit.busy} onClick={() => void withdraw()}>
                撤回授权
              </BigButton>
            </>
          ) : (
            <>
              <BigButton id='consent-agree' loading={submit.busy} onClick={agree}>
                同意
              </BigButton>
              <BigButton id='consent-decline' kind='secondary' onClick={decline}>
                不同意
              </BigButton>
            </>
          )}
          <BigButton id='consent-back' kind='plain' onClick={() => void Taro.navigateBack().catch(() => undefined)}>
            返回
          </BigButton>
        </>
      ) : null}
    </View>
  );
}
