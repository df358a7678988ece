import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { APPLICATION_KIND_LABELS, applicationRequest, type ApplicationKind, type ExamOverview, type SessionPrincipal } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { Chips } from '../../../components/Chips';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { fieldErrorsFrom } from '../../../api/client';
import { pageParam } from '../../../api/routes';
import { chinaDateTime } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { useSubmit } from '../../../utils/useSubmit';
import { useLearnerOnShow } from '../../../study/learner';
import { completionApi, examApi, type ApplicationOptions, type ApplicationView } from '../../api';
import '../../exam.css';

interface Loaded {
  options: ApplicationOptions;
  overview: ExamOverview;
}

/** Whether each kind may be applied for now, and if not, why (from the server). */
function Allowed({ options }: { options: ApplicationOptions }) {
  const rows: [ApplicationKind, { allowed: boolean; reason?: string }][] = [
    ['DEFERRAL', options.deferral],
    ['RETAKE', options.retake],
  ];
  return (
    <View className='card' id='apply-allowed'>
      {rows.map(([kind, rule]) => (
        <View key={kind} className='allowed' id={`allowed-${kind}`}>
          <Text className='allowed__title'>{`${APPLICATION_KIND_LABELS[kind]}：${rule.allowed ? '可以申请' : '暂不能申请'}`}</Text>
          {rule.reason ? <Text className='muted'>{rule.reason}</Text> : null}
        </View>
      ))}
    </View>
  );
}

function Item({ a }: { a: ApplicationView }) {
  return (
    <View className='card' id={`application-${a.id}`}>
      <View className='allowed__head'>
        <Text className='allowed__title'>{a.kindLabel}</Text>
        <Text className={`status status--app-${a.state}`}>{a.stateLabel}</Text>
      </View>
      <KeyValue label='提交时间'>{chinaDateTime(a.submittedAt)}</KeyValue>
      <KeyValue label='联系电话'>{a.mobileMasked}</KeyValue>
      {a.decidedAt ? <KeyValue label='审核时间'>{chinaDateTime(a.decidedAt)}</KeyValue> : null}
      {a.decisionReason ? <KeyValue label='审核意见'>{a.decisionReason}</KeyValue> : null}
      {a.effect ? <KeyValue label='结果'>{a.effect}</KeyValue> : null}
    </View>
  );
}

/** The form for an allowed kind: the learner confirms the details are theirs and leaves a mobile number. */
function ApplyForm({ kinds, who, className, enrollmentId, onDone }: { kinds: ApplicationKind[]; who?: SessionPrincipal; className: string; enrollmentId: string; onDone(a: ApplicationView): void }) {
  const [kind, setKind] = useState<ApplicationKind>(kinds[0]);
  const [mobile, setMobile] = useState('');
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();

  async function submit() {
    const body = { enrollmentId, kind, mobile: mobile.trim(), detailsConfirmed: confirmed, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    const parsed = applicationRequest.safeParse(body);
    const errors = parsed.success ? {} : fieldErrorsFrom(parsed.error.issues);
    if (!mobile.trim()) errors.mobile = '请输入手机号码';
    if (!checkFields(errors) || !parsed.success) return;
    await run(async () => onDone(await completionApi.apply(parsed.data)));
  }

  return (
    <View className='card' id='apply-form'>
      <Text className='section-title'>提交申请</Text>
      {kinds.length > 1 ? <Chips id='apply-kind' layout='segmented' value={kind} onChange={(v) => setKind(v as ApplicationKind)} options={kinds.map((k) => ({ value: k, label: APPLICATION_KIND_LABELS[k] }))} /> : <Text className='allowed__title'>{APPLICATION_KIND_LABELS[kind]}</Text>}
      <Text className='muted'>请核对本人信息：</Text>
      <KeyValue label='姓名'>{who?.displayName ?? ''}</KeyValue>
      {who?.idNumberMasked ? <KeyValue label='身份证号'>{who.idNumberMasked}</KeyValue> : null}
      <KeyValue label='班级'>{className}</KeyValue>
      <View className={`tick ${confirmed ? 'tick--on' : ''} ${fieldErrors.detailsConfirmed ? 'tick--error' : ''}`} id='apply-confirm' onClick={() => setConfirmed(!confirmed)}>
        <Text className='tick__box'>{confirmed ? '✓' : ''}</Text>
        <Text className='tick__text'>以上信息是我本人，确认无误</Text>
      </View>
      {fieldErrors.detailsConfirmed ? <Text className='field__error'>{fieldErrors.detailsConfirmed}</Text> : null}
      <Field id='mobile' label='手机号码' type='number' maxlength={11} value={mobile} onChange={setMobile} placeholder='11位手机号，审核结果会通知您' error={fieldErrors.mobile} />
      <Field id='reason' label='申请原因（可不填）' maxlength={200} value={reason} onChange={setReason} placeholder='例如：工地施工，未能按时学完' error={fieldErrors.reason} />
      <ErrorBanner id='apply-error' message={error} reveal />
      <BigButton id='apply-submit' loading={busy} onClick={() => void submit()}>
        提交申请
      </BigButton>
    </View>
  );
}

/** 延期 / 补考: whether the rules allow each now and why, past applications with their decisions, and the form. */
export default function ApplyPage() {
  const enrollmentId = pageParam('enrollmentId');
  const loaded = useLoader<Loaded>();
  const [who, setWho] = useState<SessionPrincipal>();
  const [sent, setSent] = useState<ApplicationView>();

  const load = () => void loaded.load(async () => {
    const [options, overview] = await Promise.all([completionApi.applications(enrollmentId), examApi.overview(enrollmentId)]);
    return { options, overview };
  });
  useLearnerOnShow((learner) => {
    setWho(learner);
    load();
  });

  const d = loaded.data;
  const kinds = d ? (['DEFERRAL', 'RETAKE'] as const).filter((k) => (k === 'DEFERRAL' ? d.options.deferral : d.options.retake).allowed) : [];
  const pending = d?.options.items.some((a) => a.state === 'PENDING');
  return (
    <View className='page exam-apply' id='exam-apply'>
      <Text className='page__title'>延期 / 补考申请</Text>
      <LoadState id='apply' loading={loaded.loading} error={loaded.error} hasData={!!d} onRetry={load} />
      <ErrorBanner id='apply-sent' kind='success' message={sent ? `${sent.kindLabel}已提交，状态：${sent.stateLabel}。审核结果会显示在本页。` : undefined} reveal />
      {d ? <Allowed options={d.options} /> : null}
      {d && kinds.length && !sent && !pending ? (
        <ApplyForm
          kinds={[...kinds]}
          who={who}
          className={d.overview.className}
          enrollmentId={enrollmentId}
          onDone={(a) => {
            setSent(a);
            load();
          }}
        />
      ) : null}
      {d?.options.items.length ? <Text className='section-title'>我的申请</Text> : null}
      {d?.options.items.map((a) => <Item a={a} key={a.id} />)}
    </View>
  );
}
