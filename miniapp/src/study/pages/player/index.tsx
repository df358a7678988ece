import { Text, Video, View } from '@tarojs/components';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { pageParam } from '../../../api/routes';
import { ProgressBar, minutesSeconds } from '../../components/ProgressBar';
import { STUDY_ROUTES, backOr, openStudy } from '../../routes';
import { VIDEO_ID, usePlayback } from './playback';
import '../../study.css';

/**
 * 课时学习: the video (no seek bar until the lesson is complete), what the server says about it, and what to do
 * when playing stopped. The heartbeats and the server's answers are usePlayback's.
 */
export default function PlayerPage() {
  const enrollmentId = pageParam('enrollmentId');
  const lessonId = pageParam('lessonId');
  const { session, src, startAt, lesson, notice, stopped, starting, start, events } = usePlayback(enrollmentId, lessonId);
  const duration = session?.durationSeconds ?? 0;
  const percent = lesson?.percent ?? (duration ? (Math.min(session!.furthestSecond, duration) / duration) * 100 : 0);
  const completed = lesson?.completed ?? session?.completed ?? false;
  return (
    <View className='page player-page' id='player-page'>
      <Text className='page__title' id='player-title'>
        {session?.title ?? '课时学习'}
      </Text>
      {stopped ? (
        <View className='card' id='player-stopped'>
          <ErrorBanner id='player-stopped-message' kind='warning' message={stopped.text} />
          {stopped.fix ? (
            <BigButton id='player-fix' onClick={() => openStudy(stopped.fix!.route)}>
              {stopped.fix.label}
            </BigButton>
          ) : null}
          {stopped.restart ? (
            <BigButton id='player-restart' kind={stopped.fix ? 'secondary' : 'primary'} loading={starting} onClick={() => void start()}>
              {session ? '在本设备继续学习' : '重新打开'}
            </BigButton>
          ) : null}
        </View>
      ) : null}
      {src && !stopped ? (
        <Video
          id={VIDEO_ID}
          className='player-video'
          src={src}
          initialTime={startAt}
          showProgress={completed}
          enableProgressGesture={completed}
          showFullscreenBtn
          showCenterPlayBtn
          autoPauseIfNavigate
          autoPauseIfOpenNative
          onPlay={events.onPlay}
          onPause={events.onPause}
          onEnded={events.onEnded}
          onError={events.onVideoError}
          onTimeUpdate={(e) => events.onTimeUpdate(e.detail.currentTime)}
        />
      ) : null}
      {!src && !stopped ? <Text className='muted'>正在打开课时…</Text> : null}
      <ErrorBanner id='player-notice' kind={notice?.kind} message={notice?.text} />
      {session ? (
        <View className='card'>
          <ProgressBar id='player-progress' percent={percent} met={completed} label={completed ? '本课时已学完' : `已学 ${Math.floor(percent)}%`} />
          <Text className='muted' id='player-rules'>
            {`本课时共 ${minutesSeconds(duration)}。首次学习不能快进；离开本页或切到后台会自动暂停；学习中会随机请您拍照核验本人。`}
          </Text>
        </View>
      ) : null}
      <BigButton id='player-back' kind='secondary' onClick={() => backOr(STUDY_ROUTES.course, { enrollmentId })}>
        返回课程列表
      </BigButton>
    </View>
  );
}
