import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { ApiError } from '../../../api/client';
import { pageParam } from '../../../api/routes';
import type { Photo } from '../../../platform';
import { studyApi, type StudyPhotoResponse } from '../../api';
import { markCaptureAccepted } from '../../capture-state';
import { CameraShot } from '../../components/CameraShot';
import { PhotoResult } from '../../components/PhotoResult';
import { useLearnerOnShow } from '../../learner';
import '../../study.css';

type Outcome = { answer: StudyPhotoResponse; previewUrl: string } | { fatal: string };

/**
 * A study photo the server asked for: from the live camera only, checked the moment it arrives. Accepted → back
 * to the lesson, which plays on; not accepted → what was wrong, and 重拍 at once for the same request.
 */
export default function CapturePage() {
  const sessionId = pageParam('sessionId');
  const captureId = pageParam('captureId');
  const message = pageParam('message') || '请正对镜头拍一张照片，核验通过后继续学习。';
  const [outcome, setOutcome] = useState<Outcome>();
  const [round, setRound] = useState(0);

  useLearnerOnShow(() => undefined);

  async function send(photo: Photo): Promise<'done' | 'retake'> {
    try {
      const answer = await studyApi.capture(sessionId, captureId, photo);
      if (answer.check.accepted) markCaptureAccepted(captureId);
      setOutcome({ answer, previewUrl: photo.previewUrl });
      return 'done';
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'PLAYBACK_SESSION_REPLACED' || e.code === 'CAPTURE_NOT_FOUND' || e.code === 'PLAYBACK_SESSION_NOT_FOUND')) {
        setOutcome({ fatal: e.message });
        return 'done';
      }
      throw e;
    }
  }

  function retake() {
    setOutcome(undefined);
    setRound((r) => r + 1);
  }

  const back = () => void Taro.navigateBack().catch(() => undefined);
  return (
    <View className='page capture-page' id='capture-page'>
      <Text className='page__title'>拍照核验</Text>
      {!outcome ? <CameraShot key={round} id='capture-camera' hint={message} onShot={send} /> : null}
      {outcome && 'fatal' in outcome ? (
        <>
          <ErrorBanner id='capture-fatal' kind='warning' message={outcome.fatal} />
          <BigButton id='capture-back' onClick={back}>
            返回课时
          </BigButton>
        </>
      ) : null}
      {outcome && 'answer' in outcome ? (
        <>
          <PhotoResult id='capture-result' check={outcome.answer.check} previewUrl={outcome.previewUrl} title={outcome.answer.check.accepted ? '拍照核验通过' : '拍照核验未通过'} />
          <Text className='muted capture-page__photos' id='capture-topic-photos'>{`本专题已留存学习照片 ${outcome.answer.topicPhotos.kept} / ${outcome.answer.topicPhotos.expected} 张`}</Text>
          {outcome.answer.check.accepted ? (
            <BigButton id='capture-continue' onClick={back}>
              继续学习
            </BigButton>
          ) : outcome.answer.retake ? (
            <>
              <Text className='capture-page__retake-hint'>未通过的照片不计入，学时暂停累计。请按提示调整后重拍。</Text>
              <BigButton id='capture-retake' onClick={retake}>
                重拍
              </BigButton>
            </>
          ) : (
            <BigButton id='capture-back' onClick={back}>
              返回课时
            </BigButton>
          )}
        </>
      ) : null}
    </View>
  );
}
