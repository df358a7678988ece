import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { FaceStatus } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { LoadState } from '../../../components/LoadState';
import { platform, type Photo } from '../../../platform';
import { useLoader } from '../../../utils/useLoader';
import { useSubmit } from '../../../utils/useSubmit';
import { faceApi, type AvatarResponse } from '../../api';
import { CameraShot } from '../../components/CameraShot';
import { PhotoResult } from '../../components/PhotoResult';
import { StepFirst } from '../../components/StepFirst';
import { useLearnerOnShow } from '../../learner';
import '../../study.css';

const GUIDANCE = ['浅色纯色背景（白墙最好）', '脸在正中，露出双耳和额头', '不戴帽子，眼镜不反光，不化浓妆', '光线均匀，脸上没有阴影', '只拍本人，不要有其他人入镜'];

/**
 * 头像 (白底一寸照): every study photo and face check is compared with it. The only photo that may come from the
 * album; it is checked at once (exactly one face, big enough) and the reasons shown when it is not usable.
 */
export default function AvatarPage() {
  const status = useLoader<FaceStatus>();
  const submit = useSubmit();
  const [mode, setMode] = useState<'choose' | 'camera'>('choose');
  const [result, setResult] = useState<{ answer: AvatarResponse; previewUrl: string }>();

  const load = () => void status.load(() => faceApi.status());
  useLearnerOnShow(load);

  async function send(photo: Photo): Promise<'done' | 'retake'> {
    const answer = await faceApi.avatar(photo);
    setResult({ answer, previewUrl: photo.previewUrl });
    setMode('choose');
    if (answer.check.accepted) load();
    return 'done';
  }

  function fromAlbum() {
    void submit.run(async () => {
      const photo = await platform.chooseAvatarImage();
      if (photo) await send(photo);
    });
  }

  const face = status.data;
  const accepted = result?.answer.check.accepted;
  return (
    <View className='page avatar-page' id='avatar-page'>
      <Text className='page__title'>上传头像</Text>
      <LoadState id='avatar' loading={status.loading} error={status.error} hasData={!!face} onRetry={load} />
      {face && !face.consent.given ? <StepFirst page='avatar' step='consent' message='头像要用于人脸比对，请先阅读并同意《人脸信息处理授权》。' /> : null}
      {face?.consent.given && mode === 'camera' ? <CameraShot id='avatar-camera' hint='正对镜头，脸在画面中间，背景尽量是白墙' onShot={send} /> : null}
      {face?.consent.given && mode === 'choose' ? (
        <>
          {result ? <PhotoResult id='avatar-result' check={result.answer.check} previewUrl={result.previewUrl} title={accepted ? '头像已保存' : '这张照片不能用作头像'} /> : null}
          {!result && face.avatar.url ? (
            <View className='card avatar-current' id='avatar-current'>
              <Text className='section-title'>当前头像</Text>
              <Image className='avatar-current__image' src={face.avatar.url} mode='aspectFit' />
            </View>
          ) : null}
          {accepted ? (
            <BigButton id='avatar-done' onClick={() => void Taro.navigateBack().catch(() => undefined)}>
              完成，返回
            </BigButton>
          ) : (
            <>
              <View className='card'>
                <Text className='section-title'>请按“白底一寸照”的要求拍摄</Text>
                {GUIDANCE.map((g) => (
                  <Text className='guidance' key={g}>
                    {`· ${g}`}
                  </Text>
                ))}
              </View>
              <ErrorBanner id='avatar-error' message={submit.error} reveal />
              <BigButton id='avatar-camera-start' onClick={() => setMode('camera')}>
                {face.avatar.set || result ? '用相机重新拍摄' : '用相机拍摄'}
              </BigButton>
              <BigButton id='avatar-album' kind='secondary' loading={submit.busy} onClick={fromAlbum}>
                从相册选择
              </BigButton>
            </>
          )}
        </>
      ) : null}
    </View>
  );
}
