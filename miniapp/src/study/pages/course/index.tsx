import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { EnrollmentContent, FaceStatus, SessionPrincipal } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { LoadState } from '../../../components/LoadState';
import { pageParam } from '../../../api/routes';
import { useLoader } from '../../../utils/useLoader';
import { faceApi, studyApi } from '../../api';
import { PrepSteps, prepSteps } from '../../components/PrepSteps';
import { ProgressBar, hours, minutesSeconds, percentOf } from '../../components/ProgressBar';
import { useLearnerOnShow } from '../../learner';
import { STUDY_ROUTES, openStudy } from '../../routes';
import '../../study.css';

type Lesson = EnrollmentContent['topics'][number]['courses'][number]['lessons'][number];

function lessonAction(l: Lesson): string {
  if (l.completed) return '重新观看';
  return l.resumeAtSecond > 0 ? `继续学习（从 ${minutesSeconds(l.resumeAtSecond)} 处）` : '开始学习';
}

/**
 * One class: first what must be done before studying (consent, identity, avatar, face check), then its topics →
 * courses → lessons, each with the server's progress. A lesson opens the player only when nothing is missing.
 */
export default function CoursePage() {
  const enrollmentId = pageParam('enrollmentId');
  const content = useLoader<{ content: EnrollmentContent; face: FaceStatus }>();
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const [blocked, setBlocked] = useState<string>();

  function load() {
    setBlocked(undefined);
    void content.load(async () => {
      const [c, f] = await Promise.all([studyApi.enrollment(enrollmentId), faceApi.status()]);
      return { content: c, face: f };
    });
  }

  useLearnerOnShow((p) => {
    setPrincipal(p);
    load();
  });

  const data = content.data;
  const steps = data ? prepSteps(data.face, principal, new Date()) : [];
  const next = steps.find((s) => !s.done);

  function openLesson(lessonId: string) {
    if (next) {
      setBlocked(`请先完成“${next.title}”，再开始学习。`);
      return;
    }
    openStudy(STUDY_ROUTES.player, { enrollmentId, lessonId });
  }

  const overview = data?.content.overview;
  return (
    <View className='page study-course' id='study-course'>
      <Text className='page__title'>{overview?.className ?? '课程学习'}</Text>
      <LoadState id='course' loading={content.loading} error={content.error} hasData={!!data} onRetry={load} />
      {data && overview ? (
        <>
          <View className='card'>
            <ProgressBar
              id='course-hours'
              percent={percentOf(overview.hoursEarned, overview.hoursRequired)}
              met={overview.hoursEarned >= overview.hoursRequired}
              label={`已获 ${hours(overview.hoursEarned)} / 需 ${hours(overview.hoursRequired)} 学时`}
            />
          </View>
          <PrepSteps steps={steps} />
          <ErrorBanner id='course-blocked' kind='warning' message={blocked} reveal />
          {next ? (
            <BigButton id='prep-next' onClick={() => openStudy(next.route)}>
              {`下一步：${next.title}`}
            </BigButton>
          ) : null}
          {data.content.topics.map((t) => (
            <View className='card' key={t.id} id={`topic-${t.code}`}>
              <Text className='section-title'>{t.name}</Text>
              <ProgressBar id={`topic-progress-${t.code}`} percent={percentOf(t.earnedHours, t.requiredHours)} met={t.met} label={`${hours(t.earnedHours)} / ${hours(t.requiredHours)} 学时`} />
              {t.courses.map((c) => (
                <View className='study-course-item' key={c.id} id={`course-${c.id}`}>
                  <Text className='study-course-item__title'>{`${c.title}（${hours(c.creditHours)} 学时）${c.completed ? ' · 已学完' : ''}`}</Text>
                  {c.lessons.map((l) => (
                    <View className='lesson' key={l.id} id={`lesson-${l.id}`}>
                      <Text className='lesson__title'>{l.title}</Text>
                      <ProgressBar id={`lesson-progress-${l.id}`} percent={l.percent} met={l.completed} label={l.completed ? '已学完' : `${Math.floor(l.percent)}% · 共 ${minutesSeconds(l.durationSeconds)}`} />
                      <BigButton id={`lesson-open-${l.id}`} kind={l.completed ? 'secondary' : 'primary'} onClick={() => openLesson(l.id)}>
                        {lessonAction(l)}
                      </BigButton>
                    </View>
                  ))}
                </View>
              ))}
            </View>
          ))}
          <BigButton id='course-to-home' kind='plain' onClick={() => openStudy(STUDY_ROUTES.home)}>
            查看学时和考试条件
          </BigButton>
        </>
      ) : null}
    </View>
  );
}
