import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { CompletionView } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { authHeader, messageOf } from '../../../api/client';
import { pageParam } from '../../../api/routes';
import { platform } from '../../../platform';
import { chinaDateTime } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { useLearnerOnShow } from '../../../study/learner';
import { completionApi } from '../../api';
import { EXAM_ROUTES, openExam } from '../../routes';
import '../../exam.css';

/** exam passed → under review → 合格结业 → reported: each step done or not, with its time and note. */
function Timeline({ c }: { c: CompletionView }) {
  const next = c.timeline.findIndex((s) => !s.done);
  return (
    <View className='card timeline' id='completion-timeline'>
      {c.timeline.map((s, i) => (
        <View key={s.key} id={`step-${s.key}`} className={`timeline__step ${s.done ? 'timeline__step--done' : ''} ${i === next ? 'timeline__step--next' : ''}`}>
          <Text className='timeline__mark'>{s.done ? '✓' : String(i + 1)}</Text>
          <View className='timeline__body'>
            <Text className='timeline__label'>{s.label}</Text>
            {s.at ? <Text className='timeline__sub'>{chinaDateTime(s.at)}</Text> : null}
            {s.note ? <Text className='timeline__sub'>{s.note}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  );
}

function Report({ c }: { c: CompletionView }) {
  const r = c.report;
  return (
    <View className='card' id='completion-report'>
      <Text className='section-title'>上报主管部门</Text>
      <KeyValue label='上报状态'>{r.stateLabel}</KeyValue>
      {r.reportedAt ? <KeyValue label='上报时间'>{chinaDateTime(r.reportedAt)}</KeyValue> : null}
      {r.receipt ? (
        <KeyValue label='回执编号' code>
          {r.receipt}
        </KeyValue>
      ) : null}
      {r.state === 'PENDING' ? <Text className='muted'>{r.nextTryAt ? `主管部门平台暂未确认，系统会在 ${chinaDateTime(r.nextTryAt)} 自动重试，您无需操作。` : '正在上报，您无需操作。'}</Text> : null}
    </View>
  );
}

/** The completion certificate (学时证明): what it says, its verification code, and the PDF. */
function Certificate({ c }: { c: CompletionView }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const cert = c.completionCertificate;
  if (!cert) return null;

  async function download() {
    setBusy(true);
    setError(undefined);
    try {
      await platform.openPdf(completionApi.certificateUrl(c.enrollmentId), authHeader(), `学时证明-${cert!.code}.pdf`);
    } catch (e) {
      setError(`${messageOf(e)}。请检查网络后再点一次。`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='card certificate' id='completion-certificate'>
      <Text className='section-title'>学时证明</Text>
      <KeyValue label='班级'>{c.className}</KeyValue>
      <KeyValue label='证书编号' code>
        {c.certificateNo}
      </KeyValue>
      <KeyValue label='出具日期'>{chinaDateTime(cert.issuedAt).slice(0, 10)}</KeyValue>
      <KeyValue label='验证码' code>
        {cert.code}
      </KeyValue>
      <Text className='muted'>任何人可扫描证明上的二维码，或在“证书验证”中输入验证码，核对这份证明的真伪。</Text>
      <ErrorBanner id='certificate-error' message={error} reveal />
      <BigButton id='certificate-download' loading={busy} onClick={() => void download()}>
        下载学时证明（PDF）
      </BigButton>
    </View>
  );
}

function Renewal({ c }: { c: CompletionView }) {
  const r = c.renewal;
  return (
    <View className='card' id='completion-renewal'>
      <Text className='section-title'>到期换证</Text>
      {r.applied ? <Text id='renewal-applied'>{`已于 ${chinaDateTime(r.applied.at).slice(0, 10)} 提交换证申请：${r.applied.state}`}</Text> : null}
      {!r.applied && r.reason ? <Text className='muted'>{r.reason}</Text> : null}
      {!r.applied && r.windowOpensOn ? <Text className='muted'>{`可于 ${r.windowOpensOn.slice(0, 10)} 起申请`}</Text> : null}
      {!r.applied && r.allowed ? (
        <BigButton id='renewal-open' onClick={() => openExam(EXAM_ROUTES.renewal, { enrollmentId: c.enrollmentId })}>
          申请换证
        </BigButton>
      ) : null}
    </View>
  );
}

/** 结业进度: where the learner stands after the exam, the report, the certificate and renewal. */
export default function CompletionPage() {
  const enrollmentId = pageParam('enrollmentId');
  const completion = useLoader<CompletionView>();

  async function load() {
    await completion.load(() => completionApi.completion(enrollmentId));
    Taro.stopPullDownRefresh();
  }
  useLearnerOnShow(() => void load());
  usePullDownRefresh(() => void load());

  const c = completion.data;
  return (
    <View className='page exam-completion' id='exam-completion'>
      <Text className='page__title'>结业进度</Text>
      <LoadState id='completion' loading={completion.loading} error={completion.error} hasData={!!c} onRetry={() => void load()} />
      {c ? (
        <>
          <Text className='page__subtitle'>{c.className}</Text>
          <View className={`completion-state completion-state--${c.state}`} id='completion-state'>
            <Text className='completion-state__label'>{c.stateLabel}</Text>
          </View>
          {c.notes.map((n, i) => (
            <ErrorBanner key={n} id={`completion-note-${i}`} kind='warning' message={n} />
          ))}
          <Timeline c={c} />
          <Certificate c={c} />
          {c.state === 'COMPLETED' ? <Report c={c} /> : null}
          {c.state === 'COMPLETED' ? <Renewal c={c} /> : null}
          {c.state === 'STUDYING' ? (
            <BigButton id='completion-to-exam' onClick={() => openExam(EXAM_ROUTES.overview, { enrollmentId })}>
              去考试
            </BigButton>
          ) : null}
        </>
      ) : null}
    </View>
  );
}
