import Taro, { useDidHide, useUnload } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { ErrorCode, HeartbeatResponse, PlaybackSession, PlayerState } from '@ce/types';
import { API_BASE, ApiError, messageOf } from '../../../api/client';
import { platform } from '../../../platform';
import { studyApi } from '../../api';
import { takeCaptureAccepted } from '../../capture-state';
import { useLearnerOnShow } from '../../learner';
import { STUDY_ROUTES, openStudy, type StudyRoute } from '../../routes';

export const VIDEO_ID = 'player-video';
/** A position this far past the furthest watched second is a seek ahead (the server has the last word). */
const SEEK_SLACK_SECONDS = 3;
/** Ordinary playback moves ~0.25 s between time updates; a bigger step is a seek, which never extends "watched". */
const PLAYBACK_STEP_SECONDS = 2;

/** Starting a lesson can be refused for something the learner can fix on another page. */
const FIX_PAGES: Partial<Record<ErrorCode, { route: StudyRoute; label: string }>> = {
  FACE_CONSENT_REQUIRED: { route: STUDY_ROUTES.consent, label: '去同意授权' },
  FACE_CONSENT_OUTDATED: { route: STUDY_ROUTES.consent, label: '去阅读新的授权' },
  AVATAR_REQUIRED: { route: STUDY_ROUTES.avatar, label: '去上传头像' },
  FACE_CHECK_REQUIRED: { route: STUDY_ROUTES.face, label: '去人脸核验' },
};

/** Heartbeats that added nothing for an ordinary reason are not worth a message. */
const QUIET_IGNORES = new Set(['DUPLICATE', 'OUT_OF_ORDER', 'NOT_PLAYING']);

type Notice = { kind: 'success' | 'info' | 'warning' | 'error'; text: string };
type Stop = { text: string; fix?: { route: StudyRoute; label: string }; restart: boolean };

function absolute(url: string): string {
  return /^https?:\/\//.test(url) ? url : `${API_BASE}${url}`;
}

function video(): Taro.VideoContext {
  return Taro.createVideoContext(VIDEO_ID);
}

/**
 * The player's side of a playback session: it reports what it sees (position and state, numbered heartbeats every
 * `heartbeatSeconds` and at once on pause, hide and end) and obeys the server's answers (seekTo, furthest,
 * captures, another device taking over). Seeking past the furthest watched point is undone here as a courtesy;
 * the server refuses it anyway.
 */
export function usePlayback(enrollmentId: string, lessonId: string) {
  const [session, setSession] = useState<PlaybackSession>();
  const [src, setSrc] = useState<string>();
  const [startAt, setStartAt] = useState(0);
  const [lesson, setLesson] = useState<HeartbeatResponse['lesson']>();
  const [notice, setNotice] = useState<Notice>();
  const [stopped, setStopped] = useState<Stop>();
  const [starting, setStarting] = useState(false);
  const live = useRef({
    sessionId: '',
    seq: 1,
    position: 0,
    furthest: 0,
    completed: false,
    playing: false,
    heartbeatMs: 10_000,
    duration: 0,
    capture: '',
    freshUrl: '',
    over: false,
  });
  const timer = useRef<ReturnType<typeof setInterval>>();
  const queue = useRef<Promise<void>>(Promise.resolve());

  function stopTimer() {
    if (timer.current) clearInterval(timer.current);
    timer.current = undefined;
  }

  function endSession(stop: Stop) {
    live.current.over = true;
    live.current.playing = false;
    stopTimer();
    platform.keepScreenOn(false);
    video().pause();
    setStopped(stop);
  }

  function failed(e: unknown) {
    if (!(e instanceof ApiError)) return;
    if (e.code === 'PLAYBACK_SESSION_REPLACED') endSession({ text: `${e.message}。如要在这里继续，请点“在本设备继续学习”（另一处的播放会停止）。`, restart: true });
    else if (e.code === 'PLAYBACK_SESSION_NOT_FOUND') endSession({ text: e.message, restart: true });
    else if (e.code === 'STUDY_WINDOW_CLOSED' || e.code === 'STUDY_NOT_PAID') endSession({ text: e.message, restart: false });
    else if (FIX_PAGES[e.code as ErrorCode]) endSession({ text: e.message, fix: FIX_PAGES[e.code as ErrorCode], restart: true });
    else if (e.code === 'NETWORK_ERROR' || e.status >= 500) setNotice({ kind: 'warning', text: '网络不稳定，进度暂未保存。继续播放即可，恢复后会自动补上。' });
  }

  function openCapture(capture: NonNullable<HeartbeatResponse['capture']>) {
    const s = live.current;
    s.capture = capture.captureId;
    if (s.playing) {
      s.playing = false;
      stopTimer();
      video().pause();
      beat('paused');
    }
    openStudy(STUDY_ROUTES.capture, { sessionId: s.sessionId, captureId: capture.captureId, message: capture.message });
  }

  function apply(res: HeartbeatResponse) {
    const s = live.current;
    s.seq = res.nextSeq;
    const justCompleted = res.lesson.completed && !s.completed;
    s.completed = res.lesson.completed;
    setLesson(res.lesson);
    if (res.seekTo !== undefined) {
      s.furthest = res.lesson.furthestSecond;
      s.position = res.seekTo;
      video().seek(res.seekTo);
    } else s.furthest = Math.max(s.furthest, res.lesson.furthestSecond);
    if (res.videoUrl) s.freshUrl = absolute(res.videoUrl);
    if (justCompleted) setNotice({ kind: 'success', text: '本课时已学完，学时已计入。' });
    else if (!res.accepted && res.ignored && !QUIET_IGNORES.has(res.ignored) && res.message) setNotice({ kind: 'warning', text: res.message });
    if (res.capture && s.capture !== res.capture.captureId) openCapture(res.capture);
  }

  /** Heartbeats go one at a time, in order; each is numbered when it is sent (a lost one keeps its number). */
  function beat(state: PlayerState) {
    queue.current = queue.current.then(async () => {
      const s = live.current;
      if (!s.sessionId || s.over) return;
      const seq = s.seq++;
      try {
        apply(await studyApi.heartbeat(s.sessionId, { seq, position: Math.round(s.position * 100) / 100, state, rate: 1 }));
      } catch (e) {
        failed(e);
      }
    });
  }

  async function start() {
    setStarting(true);
    setStopped(undefined);
    setNotice(undefined);
    try {
      const res = await studyApi.startPlayback(enrollmentId, lessonId);
      live.current = {
        ...live.current,
        sessionId: res.playbackSessionId,
        seq: res.nextSeq,
        position: res.resumeAtSecond,
        furthest: res.furthestSecond,
        completed: res.completed,
        heartbeatMs: res.heartbeatSeconds * 1000,
        duration: res.durationSeconds,
        capture: '',
        freshUrl: '',
        over: false,
      };
      setSession(res);
      setStartAt(res.resumeAtSecond);
      setSrc(absolute(res.videoUrl));
    } catch (e) {
      if (e instanceof ApiError && FIX_PAGES[e.code as ErrorCode]) setStopped({ text: e.message, fix: FIX_PAGES[e.code as ErrorCode], restart: true });
      else setStopped({ text: messageOf(e), restart: true });
    } finally {
      setStarting(false);
    }
  }

  /** Leaving the page or the app pauses, and the server hears it at once. */
  function hide() {
    const s = live.current;
    if (!s.playing) return;
    s.playing = false;
    stopTimer();
    platform.keepScreenOn(false);
    video().pause();
    beat('hidden');
  }

  useLearnerOnShow(() => {
    const s = live.current;
    if (!s.sessionId && !starting && !stopped) void start();
    else if (s.capture) {
      // back from the capture page: after an accepted photo, play on; otherwise the next heartbeat asks again
      const accepted = takeCaptureAccepted(s.capture);
      s.capture = '';
      if (accepted) {
        setNotice({ kind: 'success', text: '拍照核验通过，继续学习。' });
        video().play();
      }
    }
  });
  useDidHide(hide);
  useUnload(() => {
    hide();
    stopTimer();
  });
  useEffect(() => platform.onAppHide(hide), []);

  function onPlay() {
    const s = live.current;
    if (s.over || s.playing) return;
    s.playing = true;
    platform.keepScreenOn(true);
    beat('playing');
    stopTimer();
    timer.current = setInterval(() => beat('playing'), s.heartbeatMs);
  }

  function onPause() {
    const s = live.current;
    if (!s.playing) return;
    s.playing = false;
    stopTimer();
    platform.keepScreenOn(false);
    beat('paused');
  }

  function onEnded() {
    const s = live.current;
    s.position = Math.max(s.position, s.duration);
    s.playing = false;
    stopTimer();
    platform.keepScreenOn(false);
    beat('ended');
  }

  function onTimeUpdate(position: number) {
    const s = live.current;
    if (!s.completed && position > s.furthest + SEEK_SLACK_SECONDS) {
      video().seek(s.furthest);
      setNotice({ kind: 'warning', text: '首次学习不能快进，已回到上次学到的位置。' });
      return;
    }
    if (position > s.furthest && position - s.position <= PLAYBACK_STEP_SECONDS) s.furthest = position;
    s.position = position;
  }

  /** A signed URL that expired mid-lesson: continue from the same second with the fresh one. */
  function onVideoError() {
    const s = live.current;
    if (s.freshUrl) {
      setStartAt(s.position);
      setSrc(s.freshUrl);
      s.freshUrl = '';
    } else setNotice({ kind: 'error', text: '视频加载失败，请检查网络后点“重新打开”。' });
  }

  return {
    session,
    src,
    startAt,
    lesson,
    notice,
    stopped,
    starting,
    start,
    events: { onPlay, onPause, onEnded, onVideoError, onTimeUpdate },
  };
}
