import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { FaceStatus } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { LoadState } from '../../../components/LoadState';
import { api } from '../../../api/client';
import { savePrincipal } from '../../../api/session';
import type { PrincipalResponse } from '../../../api/types';
import type { Photo } from '../../../platform';
import { useLoader } from '../../../utils/useLoader';
import { faceApi, type IdentityVerificationResponse } from '../../api';
import { CameraShot } from '../../components/CameraShot';
import { StepFirst } from '../../components/StepFirst';
import { useLearnerOnShow } from '../../learner';
import '../../study.css';

/**
 * 实名核身: a live photo, checked by the identity provider against the national record for the bound name and ID
 * number. Passing it confirms the binding (and takes the record back from anyone who bound it provisionally).
 */
export default function IdentityPage() {
  const status = useLoader<FaceStatus>();
  const [result, setResult] = useState<IdentityVerificationResponse>();
  const [round, setRound] = useState(0);

  const load = () => void status.load(() => faceApi.status());
  useLearnerOnShow(load);

  async function send(photo: Photo): Promise<'done' | 'retake'> {
    const res = await faceApi.identity(photo);
    setResult(res);
    if (res.verified) {
      // the binding is verified now: the stored principal says so too
      const me = await api.get<PrincipalResponse>('/api/auth/me').catch(() => undefined);
      if (me) savePrincipal(me.principal);
    }
    return 'done';
  }

  const face = status.data;
  return (
    <View className='page identity-page' id='identity-page'>
      <Text className='page__title'>实名核身</Text>
      <LoadState id='identity' loading={status.loading} error={status.error} hasData={!!face} onRetry={load} />
      {face && !face.consent.given ? <StepFirst page='identity' step='consent' message='核身要拍照并比对人脸，请先阅读并同意《人脸信息处理授权》。' /> : null}
      {face?.consent.given && face.identityVerified && !result ? <ErrorBanner id='identity-done' kind='success' message='您已通过实名核身。' /> : null}
      {face?.consent.given && !face.identityVerified && !result ? (
        <>
          <Text className='page__subtitle'>拍一张本人正脸照片，系统将与身份证登记照片比对，确认是您本人。</Text>
          <CameraShot key={round} id='identity-camera' hint='请摘下帽子和眼镜，正对镜头，光线充足，只让本人入镜' onShot={send} />
        </>
      ) : null}
      {result ? (
        <View id='identity-result'>
          <ErrorBanner id='identity-message' kind={result.verified ? 'success' : 'error'} message={result.message} />
          {result.verified ? (
            <BigButton id='identity-next' onClick={() => void Taro.navigateBack().catch(() => undefined)}>
              完成，返回
            </BigButton>
          ) : (
            <BigButton
              id='identity-retake'
              onClick={() => {
                setResult(undefined);
                setRound((r) => r + 1);
              }}
            >
              重拍
            </BigButton>
          )}
        </View>
      ) : null}
    </View>
  );
}
