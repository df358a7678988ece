import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { ExamOverview } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { ApiError, messageOf } from '../../../api/client';
import { pageParam } from '../../../api/routes';
import { chinaDateTime } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { useLearnerOnShow } from '../../../study/learner';
import { examApi } from '../../api';
import { EXAM_ROUTES, openExam } from '../../routes';
import '../../exam.css';

function Rules({ o }: { o: ExamOverview }) {
  return (
    <View className='card' id='exam-rules'>
      <Text className='section-title'>考试规则</Text>
      <KeyValue label='考试时长'>{`${o.durationMinutes} 分钟`}</KeyValue>
      <KeyValue label='题目数量'>{`${o.questionCount} 题`}</KeyValue>
      <KeyValue label='满分 / 及格'>{`${o.fullMarks} 分 / ${o.passMark} 分`}</KeyValue>
      <KeyValue label='考试机会'>{`共 ${o.maxAttempts} 次，已用 ${o.attemptsUsed} 次，剩 ${o.attemptsLeft} 次`}</KeyValue>
      {o.bestScore !== undefined ? <KeyValue label='最好成绩'>{`${o.bestScore} 分`}</KeyValue> : null}
      <Text className='muted'>每选一个答案都会自动保存；时间到时系统按已保存的答案自动交卷。</Text>
    </View>
  );
}

function History({ o }: { o: ExamOverview }) {
  if (!o.attempts.length) return null;
  return (
    <View className='card' id='exam-history'>
      <Text className='section-title'>考试记录</Text>
      {o.attempts.map((a) => (
        <View className='history' key={a.id} id={`attempt-${a.no}`} onClick={() => a.result && openExam(EXAM_ROUTES.result, { attemptId: a.id })}>
          <Text className='history__title'>{`第 ${a.no} 次 · ${chinaDateTime(a.startedAt)}`}</Text>
          <Text className={`history__score ${a.result?.passed ? 'history__score--passed' : ''}`}>
            {a.result ? `${a.result.score} 分 · ${a.result.passed ? '通过' : '未通过'}` : '进行中'}
          </Text>
          {a.result ? <Text className='muted'>{a.result.endedByLabel}</Text> : null}
        </View>
      ))}
    </View>
  );
}

/** What the learner can do next, in one place: continue, start (after the warning), apply, or see the completion. */
function NextStep({ o, onStart }: { o: ExamOverview; onStart(): void }) {
  const params = { enrollmentId: o.enrollmentId };
  if (o.passed)
    return (
      <BigButton id='exam-to-completion' onClick={() => openExam(EXAM_ROUTES.completion, params)}>
        查看结业进度和学时证明
      </BigButton>
    );
  if (o.activeAttemptId)
    return (
      <BigButton id='exam-continue' onClick={() => openExam(EXAM_ROUTES.attempt, { attemptId: o.activeAttemptId! })}>
        继续考试（计时未停）
      </BigButton>
    );
  if (o.eligible && o.attemptsLeft > 0)
    return (
      <BigButton id='exam-start' onClick={onStart}>
        开始考试
      </BigButton>
    );
  return (
    <BigButton id='exam-to-apply' kind='secondary' onClick={() => openExam(EXAM_ROUTES.apply, params)}>
      {o.attemptsLeft === 0 ? '申请补考' : '申请延期'}
    </BigButton>
  );
}

/** The leaving rule and what starting means, said before the clock starts; nothing starts until confirmed. */
function StartConfirm({ o, busy, error, onConfirm, onCancel }: { o: ExamOverview; busy: boolean; error?: string; onConfirm(): void; onCancel(): void }) {
  return (
    <View className='card confirm' id='start-confirm'>
      <Text className='section-title'>开始前请读完</Text>
      <ErrorBanner id='leaving-warning' kind='warning' message={o.leavingWarning} reveal />
      <Text className='confirm__line'>{`· 开始后计时 ${o.durationMinutes} 分钟，中途不会暂停。`}</Text>
      <Text className='confirm__line'>{`· 这是第 ${o.attemptsUsed + 1} 次考试，开始即用掉一次机会（共 ${o.maxAttempts} 次）。`}</Text>
      <Text className='confirm__line'>· 考试中会请您正对镜头拍照，请准备好并保持网络畅通。</Text>
      <ErrorBanner id='start-error' message={error} reveal />
      <BigButton id='start-confirm-yes' loading={busy} onClick={onConfirm}>
        我已了解，开始考试
      </BigButton>
      <BigButton id='start-confirm-no' kind='secondary' onClick={onCancel}>
        暂不开始
      </BigButton>
    </View>
  );
}

/** 结业考试: whether the exam is open (and what blocks it), the rules, attempts and results, and the way in. */
export default function ExamOverviewPage() {
  const enrollmentId = pageParam('enrollmentId');
  const overview = useLoader<ExamOverview>();
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string>();

  async function load() {
    await overview.load(() => examApi.overview(enrollmentId));
    Taro.stopPullDownRefresh();
  }

  useLearnerOnShow(() => void load());
  usePullDownRefresh(() => void load());

  async function start() {
    setStarting(true);
    setStartError(undefined);
    try {
      const attempt = await examApi.start(enrollmentId);
      setConfirming(false);
      openExam(EXAM_ROUTES.attempt, { attemptId: attempt.id });
    } catch (e) {
      const blockers = e instanceof ApiError && Array.isArray((e.details as { blockers?: unknown })?.blockers) ? (e.details as { blockers: string[] }).blockers : [];
      setStartError([messageOf(e), ...blockers].join('；'));
      void load();
    } finally {
      setStarting(false);
    }
  }

  const o = overview.data;
  return (
    <View className='page exam-overview' id='exam-overview'>
      <Text className='page__title'>结业考试</Text>
      <LoadState id='exam' loading={overview.loading} error={overview.error} hasData={!!o} onRetry={() => void load()} />
      {o ? (
        <>
          <Text className='page__subtitle'>{o.className}</Text>
          <View className={`exam-state ${o.eligible ? 'exam-state--open' : ''}`} id='exam-eligibility'>
            <Text className='exam-state__title'>{o.passed ? '您已通过考试' : o.eligible ? '已满足考试条件' : '暂不能参加考试'}</Text>
            {o.blockers.map((b) => (
              <Text className='exam-state__blocker' key={b}>{`· ${b}`}</Text>
            ))}
          </View>
          <Rules o={o} />
          {confirming ? (
            <StartConfirm o={o} busy={starting} error={startError} onConfirm={() => void start()} onCancel={() => setConfirming(false)} />
          ) : (
            <NextStep o={o} onStart={() => setConfirming(true)} />
          )}
          <History o={o} />
          <BigButton id='exam-to-applications' kind='plain' onClick={() => openExam(EXAM_ROUTES.apply, { enrollmentId })}>
            延期 / 补考申请
          </BigButton>
          {!o.passed ? (
            <BigButton id='exam-to-completion-plain' kind='plain' onClick={() => openExam(EXAM_ROUTES.completion, { enrollmentId })}>
              结业进度
            </BigButton>
          ) : null}
        </>
      ) : null}
    </View>
  );
}
