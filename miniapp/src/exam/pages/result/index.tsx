import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { AttemptView } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { LoadState } from '../../../components/LoadState';
import { pageParam } from '../../../api/routes';
import { useLoader } from '../../../utils/useLoader';
import { useLearnerOnShow } from '../../../study/learner';
import { examApi } from '../../api';
import { ResultCard } from '../../components/ResultCard';
import { EXAM_ROUTES, openExam, replaceExam } from '../../routes';
import '../../exam.css';

/** One attempt's result, as the server graded it, and where to go next. */
export default function ResultPage() {
  const attemptId = pageParam('attemptId');
  const attempt = useLoader<AttemptView>();

  const load = () => void attempt.load(() => examApi.attempt(attemptId));
  useLearnerOnShow(load);

  const a = attempt.data;
  const params = a ? { enrollmentId: a.enrollmentId } : undefined;
  // the overview opened the exam (or this result), and shows the new attempt count when it shows again
  const backToOverview = () => {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => undefined);
    else if (params) replaceExam(EXAM_ROUTES.overview, params);
  };
  return (
    <View className='page exam-result' id='exam-result'>
      <Text className='page__title'>考试结果</Text>
      <LoadState id='result' loading={attempt.loading} error={attempt.error} hasData={!!a} onRetry={load} />
      {a && !a.result ? (
        <View className='card' id='result-pending'>
          <Text className='muted'>这次考试还没有结束。</Text>
          <BigButton id='result-continue' onClick={() => replaceExam(EXAM_ROUTES.attempt, { attemptId })}>
            回到考试
          </BigButton>
        </View>
      ) : null}
      {a?.result ? <ResultCard id='result' result={a.result} /> : null}
      {a?.result?.passed ? (
        <>
          <Text className='muted' id='result-next'>
            考试已通过。接下来由审核人员核对您的学习和考试照片，审核通过即为“合格结业”，可下载学时证明。
          </Text>
          <BigButton id='result-to-completion' onClick={() => openExam(EXAM_ROUTES.completion, params)}>
            查看结业进度
          </BigButton>
        </>
      ) : null}
      {params ? (
        <BigButton id='result-to-overview' kind={a?.result?.passed ? 'secondary' : 'primary'} onClick={backToOverview}>
          返回考试首页
        </BigButton>
      ) : null}
    </View>
  );
}
