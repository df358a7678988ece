import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { StudyOverview } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { useLoader } from '../../../utils/useLoader';
import { studyApi } from '../../api';
import { ProgressBar, hours, percentOf } from '../../components/ProgressBar';
import { useLearnerOnShow } from '../../learner';
import { STUDY_ROUTES, openStudy } from '../../routes';
import { WINDOW_WORDS } from '../../words';
import { EXAM_ROUTES, openExam } from '../../../exam/routes';
import '../../study.css';

/** 学时, 专题 and photos of one paid class, and whether the exam is open (or what still blocks it). */
function OverviewCard({ o }: { o: StudyOverview }) {
  return (
    <View className='card study-class' id={`study-${o.enrollmentId}`}>
      <View className='study-class__head'>
        <Text className='study-class__name'>{o.className}</Text>
        <Text className={`status status--window-${o.window}`}>{WINDOW_WORDS[o.window]}</Text>
      </View>
      <KeyValue label='证书编号' code>
        {o.certificateNo}
      </KeyValue>
      {o.studyUntil ? <KeyValue label='学习截止'>{o.studyUntil.slice(0, 10)}</KeyValue> : null}
      <Text className='study-class__sub'>总学时</Text>
      <ProgressBar
        id={`hours-${o.enrollmentId}`}
        percent={percentOf(o.hoursEarned, o.hoursRequired)}
        met={o.hoursEarned >= o.hoursRequired}
        label={`已获 ${hours(o.hoursEarned)} / 需 ${hours(o.hoursRequired)} 学时`}
      />
      {o.topics.map((t) => (
        <View className='study-topic' key={t.code} id={`topic-${o.enrollmentId}-${t.code}`}>
          <Text className='study-topic__name'>{t.name}</Text>
          <ProgressBar id={`topic-hours-${o.enrollmentId}-${t.code}`} percent={percentOf(t.earnedHours, t.requiredHours)} met={t.met} label={`${hours(t.earnedHours)} / ${hours(t.requiredHours)} 学时`} />
          <Text className='muted'>{`学习照片 ${t.photos.kept} / ${t.photos.expected} 张`}</Text>
        </View>
      ))}
      <Text className='study-class__sub'>学习照片</Text>
      <ProgressBar
        id={`photos-${o.enrollmentId}`}
        percent={o.photoCoverage.percent}
        met={o.photoCoverage.met}
        label={`已有 ${Math.round(o.photoCoverage.percent)}%，需达到 ${o.photoCoverage.requiredPercent}%`}
      />
      <View className={`exam-state ${o.examEligible ? 'exam-state--open' : ''}`} id={`exam-state-${o.enrollmentId}`}>
        <Text className='exam-state__title'>{o.examEligible ? '已满足考试条件' : '暂不能参加考试'}</Text>
        {o.examBlockers.map((b) => (
          <Text className='exam-state__blocker' key={b}>
            {`· ${b}`}
          </Text>
        ))}
      </View>
      {o.window === 'OPEN' ? (
        <BigButton id={`study-open-${o.enrollmentId}`} onClick={() => openStudy(STUDY_ROUTES.course, { enrollmentId: o.enrollmentId })}>
          进入课程学习
        </BigButton>
      ) : null}
      <BigButton id={`exam-open-${o.enrollmentId}`} kind={o.examEligible ? 'primary' : 'secondary'} onClick={() => openExam(EXAM_ROUTES.overview, { enrollmentId: o.enrollmentId })}>
        {o.examEligible ? '去考试' : '考试与结业'}
      </BigButton>
    </View>
  );
}

/** 我的学习: every paid class with its hours, topics, photo coverage and exam eligibility (all from the server). */
export default function StudyHomePage() {
  const overviews = useLoader<StudyOverview[]>();

  async function load() {
    await overviews.load(() => studyApi.overviews());
    Taro.stopPullDownRefresh();
  }

  useLearnerOnShow(() => void load());
  usePullDownRefresh(() => void load());

  const items = overviews.data;
  return (
    <View className='page study-home' id='study-home'>
      <Text className='page__title'>我的学习</Text>
      <LoadState id='study' loading={overviews.loading} error={overviews.error} hasData={!!items} onRetry={() => void load()} />
      {items && items.length === 0 ? (
        <View className='card' id='study-empty'>
          <Text className='empty'>还没有可以学习的班级</Text>
          <Text className='muted'>报名并缴费后，班级会显示在这里。请在“我的报名”查看缴费情况。</Text>
        </View>
      ) : null}
      {items?.map((o) => <OverviewCard o={o} key={o.enrollmentId} />)}
    </View>
  );
}
