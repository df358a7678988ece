import { Text, View } from '@tarojs/components';
import { useDidHide, useDidShow, useUnload } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { ClassSummary, EnrollmentSummary, OrderDetail, OwnCertificate, SelfEnrollmentOptions } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { ApiError, fieldErrorsFrom, messageOf, request } from '../../../api/client';
import { getPrincipal, getToken } from '../../../api/session';
import { ROUTES, loginPageFor, relaunch } from '../../../api/routes';
import { platform } from '../../../platform';
import { yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { ordersApi } from '../../api';
import '../../pay.css';
import './index.css';

const POLL_MS = 2000;
type Outcome = { kind: 'success' | 'info' | 'warning' | 'error'; text: string };

/** The learner's own calls (types/src/api/enterprise.ts: selfEnrollmentOptions, selfEnrollRequest). */
const selfApi = {
  options: () => request<SelfEnrollmentOptions>('GET', '/api/learner/self-enrollment'),
  enrollments: async () => (await request<{ items: EnrollmentSummary[] }>('GET', '/api/learner/enrollments')).items,
  enroll: async (classId: string, certificateId: string) =>
    (await request<{ items: EnrollmentSummary[] }>('POST', '/api/learner/enrollments', { classId, certificateId })).items[0]!,
};

function classFits(klass: ClassSummary, certificate?: OwnCertificate): boolean {
  if (!certificate || klass.category !== certificate.category) return false;
  if (klass.jobType && klass.jobType !== certificate.jobType) return false;
  return !klass.subCategory || klass.subCategory === certificate.subCategory;
}

/** The order for this enrollment: a new one, or the open one it is already in. */
async function orderFor(enrollmentId: string, title: string, email: string): Promise<OrderDetail> {
  try {
    return await ordersApi.createOrder({ enrollmentIds: [enrollmentId], invoice: { kind: 'NORMAL', buyerType: 'PERSON', title, email } });
  } catch (e) {
    const open = e instanceof ApiError && e.code === 'ENROLLMENT_IN_OPEN_ORDER' ? (e.details as { orderIds?: string[] } | undefined)?.orderIds?.[0] : undefined;
    if (open) return ordersApi.order(open);
    throw e;
  }
}

function CertificateCard({ c, chosen, onChoose }: { c: OwnCertificate; chosen: boolean; onChoose(): void }) {
  return (
    <View className={`card self-cert ${c.eligible ? 'self-cert--eligible' : 'self-cert--blocked'} ${chosen ? 'self-cert--chosen' : ''}`} id={`self-cert-${c.certificateId}`} onClick={() => c.eligible && onChoose()}>
      <KeyValue label='证书编号' code>
        {c.certificateNo}
      </KeyValue>
      <KeyValue label='证书类别'>{c.categoryLabel + (c.jobType ? ` · ${c.jobType}` : '') + (c.subCategory ? ` · ${c.subCategory}` : '')}</KeyValue>
      <KeyValue label='有效期至'>{c.expiryDate}</KeyValue>
      <Text className={c.eligible ? 'status status--AWAITING_PAYMENT' : 'muted'}>{c.eligible ? (chosen ? '已选择' : '可以报名，点此选择') : c.reasons.map((r) => r.message).join('；')}</Text>
    </View>
  );
}

/**
 * 自己报名缴费 (where policy allows it, e.g. Yunnan): the learner picks their own eligible certificate and a class
 * of their province, confirms the 普票 (title: their own name), pays in WeChat (JSAPI; in the browser build the
 * pay simulator's page) and sees 已缴费 once the backend says the order is paid.
 */
export default function SelfEnrollPage() {
  const options = useLoader<SelfEnrollmentOptions>();
  const [certificateId, setCertificateId] = useState<string>();
  const [classId, setClassId] = useState<string>();
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string>();
  const [enrollment, setEnrollment] = useState<EnrollmentSummary>();
  const [order, setOrder] = useState<OrderDetail>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const polling = useRef<ReturnType<typeof setInterval>>();

  function stopPolling() {
    if (polling.current) clearInterval(polling.current);
    polling.current = undefined;
  }

  async function load() {
    const loaded = await options.load(selfApi.options);
    if (!loaded?.allowed) return;
    // An earlier self-enrollment still awaiting payment is paid here rather than enrolled again.
    const waiting = (await selfApi.enrollments().catch(() => [])).find((e) => e.selfEnrolled && e.status === 'AWAITING_PAYMENT');
    if (waiting) setEnrollment(waiting);
  }

  useDidShow(() => {
    const p = getPrincipal();
    if (!getToken() || !p || p.role !== 'learner') {
      relaunch(loginPageFor(p?.role));
      return;
    }
    void load();
  });
  useDidHide(stopPolling);
  useUnload(stopPolling);

  async function refreshOrder(id: string): Promise<OrderDetail | undefined> {
    const fresh = await ordersApi.order(id).catch(() => undefined);
    if (!fresh) return undefined;
    setOrder(fresh);
    if (fresh.state === 'PAID') {
      stopPolling();
      setOutcome({ kind: 'success', text: `已缴费 ${yuan(fresh.amountFen)}，报名已生效，可以开始学习。` });
    } else if (fresh.state === 'CLOSED') {
      stopPolling();
      setOutcome({ kind: 'warning', text: '订单已关闭，没有扣款。如仍需缴费，请再点“微信支付”。' });
    }
    return fresh;
  }

  async function payInWechat(placed: OrderDetail) {
    const res = await ordersApi.pay(placed.id, 'WECHAT_JSAPI');
    if (res.method !== 'WECHAT_JSAPI') throw new Error('支付方式不符，请刷新后重试');
    setOutcome({ kind: 'info', text: '请在微信支付页面完成付款，完成后这里会自动显示结果。' });
    const result = await platform.requestPayment({ params: res.requestPayment, settled: async () => (await ordersApi.order(placed.id)).state !== 'PENDING_PAYMENT' });
    const fresh = await refreshOrder(placed.id);
    if (fresh?.state !== 'PENDING_PAYMENT') return;
    if (result === 'cancelled') setOutcome({ kind: 'info', text: '您取消了付款，报名仍待缴费，可以再点“微信支付”。' });
    else {
      setOutcome({ kind: 'warning', text: '正在确认支付结果，请稍候，切勿重复支付。如已扣款，系统会自动确认。' });
      if (!polling.current) polling.current = setInterval(() => void refreshOrder(placed.id), POLL_MS);
    }
  }

  async function submit(o: SelfEnrollmentOptions) {
    if (busy) return;
    if (!email.trim()) {
      setEmailError('请填写接收电子发票的邮箱');
      return;
    }
    setBusy(true);
    setOutcome(undefined);
    setEmailError(undefined);
    try {
      const enrolled = enrollment ?? (await selfApi.enroll(classId!, certificateId!));
      setEnrollment(enrolled);
      const placed = order?.state === 'PENDING_PAYMENT' ? order : await orderFor(enrolled.id, o.invoiceTitle, email.trim());
      setOrder(placed);
      await payInWechat(placed);
    } catch (e) {
      const fields = e instanceof ApiError ? fieldErrorsFrom(e.details) : {};
      const byField = Object.entries(fields).find(([key]) => key.endsWith('email'))?.[1];
      if (byField) setEmailError(byField);
      setOutcome({ kind: 'error', text: messageOf(e) });
    } finally {
      setBusy(false);
    }
  }

  const o = options.data;
  const chosen = o?.certificates.find((c) => c.certificateId === certificateId);
  const classes = o?.classes.filter((k) => classFits(k, chosen)) ?? [];
  const klass = classes.find((k) => k.id === classId);
  const paid = order?.state === 'PAID';
  const ready = !!enrollment || (!!chosen && !!klass);
  const feeFen = enrollment?.feeFen ?? klass?.feeFen;
  return (
    <View className='page self-enroll-page' id='self-enroll-page'>
      <Text className='page__title'>自己报名缴费</Text>
      <LoadState id='self-options' loading={options.loading} error={options.error} hasData={!!o} onRetry={() => void load()} />
      {o && !o.allowed ? <ErrorBanner id='self-not-allowed' kind='warning' message={o.notAllowedReason} /> : null}
      {o?.allowed && !enrollment ? (
        <>
          <Text className='section__title'>1. 选择本人证书</Text>
          {o.certificates.length === 0 ? <Text className='empty'>没有查到您名下的证书</Text> : null}
          {o.certificates.map((c) => (
            <CertificateCard key={c.certificateId} c={c} chosen={c.certificateId === certificateId} onChoose={() => (setCertificateId(c.certificateId), setClassId(undefined))} />
          ))}
          {chosen ? (
            <>
              <Text className='section__title'>2. 选择班级</Text>
              {classes.length === 0 ? <Text className='empty'>本省暂无适合该证书的班级</Text> : null}
              {classes.map((k) => (
                <View key={k.id} className={`card self-class ${k.id === classId ? 'self-class--chosen' : ''}`} id={`self-class-${k.id}`} onClick={() => setClassId(k.id)}>
                  <Text className='self-class__name'>{k.name}</Text>
                  <Text className='self-class__fee'>{yuan(k.feeFen)}</Text>
                </View>
              ))}
            </>
          ) : null}
        </>
      ) : null}
      {o?.allowed && enrollment ? (
        <View className='card' id='self-enrollment'>
          <KeyValue label='班级'>{enrollment.className}</KeyValue>
          <KeyValue label='证书编号' code>
            {enrollment.certificateNo}
          </KeyValue>
          <Text className={`status status--${paid ? 'PAID' : 'AWAITING_PAYMENT'}`} id='self-status'>
            {paid ? '已缴费' : '待缴费'}
          </Text>
        </View>
      ) : null}
      {o?.allowed && ready && !paid ? (
        <View className='card' id='self-invoice'>
          <Text className='section__title'>3. 发票信息</Text>
          <KeyValue label='发票类型'>增值税普通发票（普票）</KeyValue>
          <KeyValue label='发票抬头' valueClass='self-invoice-title'>
            {o.invoiceTitle}
          </KeyValue>
          <Text className='muted'>个人缴费的发票抬头为本人姓名，无需纳税人识别号。</Text>
          <Field id='selfEmail' label='接收发票的邮箱' value={email} onChange={setEmail} error={emailError} placeholder='例如 name@example.com' />
          <BigButton id='self-pay' onClick={() => void submit(o)} loading={busy}>
            {`微信支付（${feeFen !== undefined ? yuan(feeFen) : ''}）`}
          </BigButton>
        </View>
      ) : null}
      <ErrorBanner id='self-outcome' kind={outcome?.kind} message={outcome?.text} reveal />
      <BigButton id='self-back' kind='plain' onClick={() => relaunch(ROUTES.learnerEnrollments)}>
        返回我的报名
      </BigButton>
    </View>
  );
}
