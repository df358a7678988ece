import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { FaceStatus } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { LoadState } from '../../../components/LoadState';
import type { Photo } from '../../../platform';
import { chinaDateTime } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { useSubmit } from '../../../utils/useSubmit';
import { faceApi, type FaceVerificationResponse } from '../../api';
import { CameraShot } from '../../components/CameraShot';
import { PhotoResult } from '../../components/PhotoResult';
import { StepFirst } from '../../components/StepFirst';
import { useLearnerOnShow } from '../../learner';
import '../../study.css';

const REVIEW_WORDS: Record<FaceStatus['manualReview']['state'], string | undefined> = {
  NONE: undefined,
  PENDING: '已申请人工审核，审核员会尽快查看您的照片。审核期间也可以继续尝试拍照核验。',
  APPROVED: '人工审核已通过。',
  REJECTED: '人工审核未通过',
};

/**
 * 人脸核验 before studying: a live photo compared with the avatar. Failing says why and offers 重拍; after the
 * policy's number of failures in a row, 申请人工审核 is offered so no one is locked out by the camera.
 */
export default function FacePage() {
  const status = useLoader<FaceStatus>();
  const review = useSubmit();
  const [result, setResult] = useState<{ answer: FaceVerificationResponse; previewUrl: string }>();
  const [round, setRound] = useState(0);
  const [reviewSent, setReviewSent] = useState(false);

  const load = () => void status.load(() => faceApi.status());
  useLearnerOnShow(load);

  async function send(photo: Photo): Promise<'done' | 'retake'> {
    const answer = await faceApi.verify(photo);
    setResult({ answer, previewUrl: photo.previewUrl });
    return 'done';
  }

  function retake() {
    setResult(undefined);
    setRound((r) => r + 1);
  }

  function askReview() {
    void review.run(async () => {
      await faceApi.manualReview();
      setReviewSent(true);
      load();
    });
  }

  const face = status.data;
  const missing = face && (!face.consent.given ? 'consent' : !face.avatar.set ? 'avatar' : undefined);
  const offered = !!(result?.answer.manualReviewOffered || face?.manualReview.offered) && face?.manualReview.state !== 'PENDING' && !reviewSent;
  const reviewWords = face ? REVIEW_WORDS[face.manualReview.state] : undefined;
  return (
    <View className='page face-page' id='face-page'>
      <Text className='page__title'>人脸核验</Text>
      <LoadState id='face' loading={status.loading} error={status.error} hasData={!!face} onRetry={load} />
      {missing === 'consent' ? <StepFirst page='face' step='consent' message='请先阅读并同意《人脸信息处理授权》。' /> : null}
      {missing === 'avatar' ? <StepFirst page='face' step='avatar' message='核验要与您的头像比对，请先上传头像（白底一寸照）。' /> : null}
      {reviewWords ? <ErrorBanner id='face-review-state' kind='info' message={face?.manualReview.reason ? `${reviewWords}：${face.manualReview.reason}` : reviewWords} /> : null}
      {face && !missing && !result ? <CameraShot key={round} id='face-camera' hint='请正对镜头，摘下帽子，只让本人入镜，然后点“拍照核验”' shotLabel='拍照核验' onShot={send} /> : null}
      {result ? (
        <View id='face-result'>
          <PhotoResult id='face-check' check={result.answer.check} previewUrl={result.previewUrl} title={result.answer.passed ? '人脸核验通过' : '人脸核验未通过'} />
          {result.answer.passed ? (
            <>
              {result.answer.verifiedUntil ? <Text className='muted' id='face-valid-until'>{`${chinaDateTime(result.answer.verifiedUntil)} 前可以直接开始学习。`}</Text> : null}
              <BigButton id='face-done' onClick={() => void Taro.navigateBack().catch(() => undefined)}>
                去学习
              </BigButton>
            </>
          ) : (
            <>
              <Text className='muted' id='face-failures'>{`已连续 ${result.answer.failuresInRow} 次未通过。请按上面的提示调整后重拍。`}</Text>
              <BigButton id='face-retake' onClick={retake}>
                重拍
              </BigButton>
            </>
          )}
        </View>
      ) : null}
      {offered ? (
        <View className='card' id='face-review-offer'>
          <Text className='section-title'>多次核验不通过？</Text>
          <Text className='muted'>可以申请人工审核：审核员会对比您的头像和刚才拍的照片。</Text>
          <ErrorBanner id='face-review-error' message={review.error} reveal />
          <BigButton id='face-review' kind='secondary' loading={review.busy} onClick={askReview}>
            申请人工审核
          </BigButton>
        </View>
      ) : null}
      {reviewSent ? <ErrorBanner id='face-review-sent' kind='success' message='已提交人工审核申请。' /> : null}
    </View>
  );
}
