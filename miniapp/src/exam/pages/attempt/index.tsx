import { Text, View } from '@tarojs/components';
import { useDidHide, useDidShow, useUnload } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { AttemptView } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { LoadState } from '../../../components/LoadState';
import { ApiError, messageOf } from '../../../api/client';
import { pageParam } from '../../../api/routes';
import { platform, type Photo } from '../../../platform';
import { CameraShot } from '../../../study/components/CameraShot';
import { useLearnerOnShow } from '../../../study/learner';
import { examApi, type ExamPhotoResponse } from '../../api';
import { Autosaver, SAVE_WORDS, type Capture, type SaveState } from '../../autosave';
import { QuestionCard } from '../../components/QuestionCard';
import { QuestionGrid } from '../../components/QuestionGrid';
import { EXAM_ROUTES, replaceExam } from '../../routes';
import { ServerClock, clockText } from '../../server-clock';
import '../../exam.css';

type Notice = { kind: 'info' | 'warning' | 'error' | 'success'; text: string };
type Phase = 'answering' | 'confirming' | 'submitting' | 'timeup';

/** After the deadline the server finishes the attempt (at once on a read, or by its job): ask until it has. */
const FINISH_POLL_MS = 2000;
const FINISH_POLL_TRIES = 60;
/** How long 交卷 waits for answers still being saved. */
const SUBMIT_SETTLE_MS = 8000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function initialAnswers(view: AttemptView): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const q of view.questions) if (q.saved?.length) out[q.id] = q.saved;
  return out;
}

/**
 * The exam itself. The countdown is the server's (deadline − serverNow, run on from when the answer arrived);
 * every tap is saved at once with a visible status; leaving the app is reported to the server, which applies
 * the policy's leaving rule; when time is up the page shows the result the server finalised.
 */
export default function AttemptPage() {
  const attemptId = pageParam('attemptId');
  const [view, setView] = useState<AttemptView>();
  const [loadError, setLoadError] = useState<string>();
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [index, setIndex] = useState(0);
  const [remaining, setRemaining] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [phase, setPhase] = useState<Phase>('answering');
  const [notice, setNotice] = useState<Notice>();
  const [capture, setCapture] = useState<Capture>();
  const clock = useRef(new ServerClock());
  const saver = useRef<Autosaver>();
  const hidden = useRef(false);
  const over = useRef(false);
  const timingOut = useRef(false);
  const timer = useRef<ReturnType<typeof setInterval>>();

  function showResult() {
    if (over.current) return;
    over.current = true;
    saver.current?.stop();
    if (timer.current) clearInterval(timer.current);
    replaceExam(EXAM_ROUTES.result, { attemptId });
  }

  function tick(deadline: string) {
    const left = clock.current.remainingMs(deadline);
    setRemaining(left);
    if (left <= 0 && !over.current && !timingOut.current) void timeUp();
  }

  function adopt(next: AttemptView) {
    clock.current.sync(next.serverNow);
    if (next.state === 'FINISHED') {
      showResult();
      return;
    }
    setView(next);
    if (next.capture) setCapture(next.capture);
    if (!saver.current) {
      setAnswers(initialAnswers(next));
      saver.current = new Autosaver((questionId, body) => examApi.save(attemptId, questionId, body), clock.current, { onState: setSaveState, onCapture: setCapture, onClosed: () => void finishedElsewhere() }, next.questions);
    }
    if (timer.current) clearInterval(timer.current);
    tick(next.deadline);
    timer.current = setInterval(() => tick(next.deadline), 1000);
  }

  async function load() {
    setLoadError(undefined);
    try {
      adopt(await examApi.attempt(attemptId));
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }

  /** The server said the attempt is closed (time up, submitted on another phone, or ended by leaving). */
  async function finishedElsewhere() {
    setPhase('timeup');
    await waitForResult();
  }

  async function waitForResult() {
    for (let i = 0; i < FINISH_POLL_TRIES && !over.current; i++) {
      const next = await examApi.attempt(attemptId).catch(() => undefined);
      if (next?.state === 'FINISHED') return showResult();
      await sleep(FINISH_POLL_MS);
    }
    if (!over.current) setNotice({ kind: 'error', text: '暂时拿不到考试结果，请检查网络后返回考试首页查看成绩。' });
  }

  async function timeUp() {
    timingOut.current = true;
    if (timer.current) clearInterval(timer.current);
    setPhase('timeup');
    // answers tapped just before the deadline are still sent: the server keeps them within its grace
    await saver.current?.settled(SUBMIT_SETTLE_MS);
    await waitForResult();
  }

  async function submit() {
    setPhase('submitting');
    setNotice(undefined);
    await saver.current?.settled(SUBMIT_SETTLE_MS);
    const unsaved = saver.current?.unsavedCount() ?? 0;
    if (unsaved) {
      setPhase('answering');
      setNotice({ kind: 'error', text: `还有 ${unsaved} 题的答案没有保存成功，暂不能交卷。请检查网络，页面会自动重试，显示“已保存”后再交卷。` });
      return;
    }
    try {
      const done = await examApi.submit(attemptId);
      if (done.state === 'FINISHED') showResult();
      else adopt(done);
    } catch (e) {
      setPhase('answering');
      setNotice({ kind: 'error', text: `交卷没有成功：${messageOf(e)}。答案都已保存，请再点一次“交卷”。` });
    }
  }

  async function reportVisibility(state: 'hidden' | 'visible') {
    if (!saver.current || over.current || hidden.current === (state === 'hidden')) return;
    hidden.current = state === 'hidden';
    try {
      const res = await examApi.visibility(attemptId, state);
      if (res.attempt.state === 'FINISHED') return showResult();
      if (res.warning) setNotice({ kind: 'warning', text: res.warning });
    } catch {
      // the server learns of the return from the next save or read anyway
    }
  }

  useLearnerOnShow(() => {
    if (!view) void load();
    else void examApi.attempt(attemptId).then(adopt, () => undefined);
  });
  useDidShow(() => void reportVisibility('visible'));
  useDidHide(() => void reportVisibility('hidden'));
  useEffect(() => platform.onAppHide(() => void reportVisibility('hidden')), []);
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return undefined;
    const onChange = () => void reportVisibility(document.visibilityState === 'hidden' ? 'hidden' : 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  useUnload(() => {
    if (timer.current) clearInterval(timer.current);
  });

  function answer(questionId: string, next: string[]) {
    setAnswers((a) => ({ ...a, [questionId]: next }));
    saver.current?.change(questionId, next);
  }

  /** A refused photo is retaken at once for the same capture; an accepted one closes the camera. */
  async function sendPhoto(photo: Photo): Promise<'done' | 'retake'> {
    if (!capture) return 'done';
    let res: ExamPhotoResponse;
    try {
      res = await examApi.photo(attemptId, capture.captureId, photo);
    } catch (e) {
      if (!(e instanceof ApiError) || (e.code !== 'CAPTURE_NOT_FOUND' && e.code !== 'ATTEMPT_CLOSED')) throw e;
      setCapture(undefined);
      if (e.code === 'ATTEMPT_CLOSED') void finishedElsewhere();
      return 'done';
    }
    const problems = res.check.problems.map((p) => p.message).join('；') || '请正对镜头';
    if (!res.check.accepted && res.retake) {
      setNotice({ kind: 'warning', text: `照片未通过：${problems}。请调整后重拍。` });
      return 'retake';
    }
    setCapture(res.capture);
    setNotice(res.check.accepted ? { kind: 'success', text: '拍照完成，请继续答题。' } : { kind: 'warning', text: `照片未通过：${problems}。请继续答题。` });
    return 'done';
  }

  if (!view) {
    return (
      <View className='page exam-attempt' id='exam-attempt'>
        <LoadState id='attempt' loading={!loadError} error={loadError} hasData={false} onRetry={() => void load()} loadingText='正在打开试卷…' />
      </View>
    );
  }

  const questions = view.questions;
  const question = questions[Math.min(index, questions.length - 1)];
  const answeredNos = new Set(questions.filter((q) => answers[q.id]?.length).map((q) => q.no));
  const unanswered = questions.length - answeredNos.size;
  const locked = phase !== 'answering' && phase !== 'confirming';
  return (
    <View className='page exam-attempt' id='exam-attempt'>
      <View className={`exam-bar ${remaining < 5 * 60_000 ? 'exam-bar--late' : ''}`} id='exam-bar'>
        <Text className='exam-bar__clock' id='exam-countdown'>{`剩余 ${clockText(remaining)}`}</Text>
        <Text className={`exam-bar__save exam-bar__save--${saveState}`} id='save-status'>
          {SAVE_WORDS[saveState]}
        </Text>
      </View>
      {phase === 'timeup' ? <ErrorBanner id='time-up' kind='info' message='考试时间到，系统正在按已保存的答案交卷，请稍候…' /> : null}
      <ErrorBanner id='exam-notice' kind={notice?.kind} message={notice?.text} reveal />
      {capture && !locked ? (
        <View className='card' id='exam-capture'>
          <Text className='section-title'>考试拍照</Text>
          <CameraShot key={capture.captureId} id='exam-camera' hint={capture.message} onShot={sendPhoto} />
        </View>
      ) : null}
      <QuestionCard question={question} answer={answers[question.id] ?? []} disabled={locked} onAnswer={(next) => answer(question.id, next)} />
      <View className='exam-nav'>
        <BigButton id='question-prev' kind='secondary' disabled={index === 0} onClick={() => setIndex(index - 1)}>
          上一题
        </BigButton>
        <BigButton id='question-next' kind='secondary' disabled={index >= questions.length - 1} onClick={() => setIndex(index + 1)}>
          下一题
        </BigButton>
      </View>
      <QuestionGrid numbers={questions.map((q) => q.no)} answered={answeredNos} current={index} onPick={setIndex} />
      {phase === 'confirming' ? (
        <View className='card confirm' id='submit-confirm'>
          <Text className='section-title' id='submit-confirm-text'>
            {unanswered ? `还有 ${unanswered} 题未作答，交卷后不能再修改。确定交卷吗？` : '全部题目已作答。交卷后不能再修改，确定交卷吗？'}
          </Text>
          <BigButton id='submit-yes' onClick={() => void submit()}>
            确定交卷
          </BigButton>
          <BigButton id='submit-no' kind='secondary' onClick={() => setPhase('answering')}>
            继续答题
          </BigButton>
        </View>
      ) : (
        <BigButton id='submit-open' loading={phase === 'submitting'} disabled={locked} onClick={() => setPhase('confirming')}>
          交卷
        </BigButton>
      )}
      <Text className='muted' id='exam-leaving-rule'>
        {view.leavingRule === 'END_ATTEMPT_SCORE_ZERO'
          ? `考试中请勿离开本页面或切到其他应用：离开超过 ${view.leavingGraceSeconds} 秒，本次考试即结束并记 0 分。`
          : '离开本页面计时不会暂停，请尽快回来继续作答。'}
      </Text>
    </View>
  );
}
