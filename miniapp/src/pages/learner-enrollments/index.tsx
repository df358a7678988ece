import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { EnrollmentSummary, SessionPrincipal } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { KeyValue } from '../../components/KeyValue';
import { LoadState } from '../../components/LoadState';
import { api } from '../../api/client';
import { getPrincipal, getToken, savePrincipal, takeNotice } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import { logout } from '../../api/auth';
import type { EnrollmentListResponse } from '../../api/types';
import { chinaDateTime, yuan } from '../../utils/format';
import { useLoader } from '../../utils/useLoader';
import { PAY_ROUTES, openPay } from '../../pay/routes';
import { STUDY_ROUTES, openStudy } from '../../study/routes';
import { EXAM_ROUTES, openExam } from '../../exam/routes';
import { VerifyWithCode } from './VerifyWithCode';
import './index.css';

const PROVISIONAL_DEFAULT_HINT = '您是用初始密码绑定的，还没有核验本人身份。请向所在企业索取激活码，点下方“输入激活码”完成核验。';

/**
 * How this WeChat account was tied to the certificate holder: a provisional binding (initial password only)
 * is said plainly, with the way out right under it (输入激活码); a verified one in one short line.
 */
function BindingBanner({ principal, onVerified }: { principal?: SessionPrincipal; onVerified(principal: SessionPrincipal): void }) {
  const binding = principal?.binding;
  if (!binding || binding.state === 'UNBOUND') return null;
  const since = binding.since ? `（${chinaDateTime(binding.since).slice(0, 10)} 起）` : '';
  if (binding.state === 'VERIFIED') return <ErrorBanner id='binding-banner' kind='success' message={`${binding.stateLabel || '已核验'}${since}：已确认为证书持有人本人`} />;
  return (
    <>
      <ErrorBanner id='binding-banner' kind='warning' message={`未核验${since}：${binding.hint ?? PROVISIONAL_DEFAULT_HINT}`} />
      <VerifyWithCode onVerified={onVerified} />
    </>
  );
}

/** What the backend adds once an order is paid (optional: older answers do not carry them). */

/** Who pays, in words: enrollments made by an enterprise are paid by that enterprise; once paid, until when to study. */
function paymentNote(e: EnrollmentSummary): string | undefined {
  if (e.status === 'PAID') {
    const paid = e.paidAt ? `${chinaDateTime(e.paidAt).slice(0, 10)} ` : '';
    const until = e.studyUntil ? `请在 ${e.studyUntil.slice(0, 10)} 前学完全部课时并通过考试。` : '';
    return `${paid}已缴费，可以开始学习。${until}`;
  }
  if (e.status !== 'AWAITING_PAYMENT') return undefined;
  if (e.selfEnrolled) return '由您本人缴费：请点下方“自己报名缴费”完成付款，缴费后即可开始学习。';
  return `由${e.enterpriseName}缴费，您本人不用付款。企业缴费后即可开始学习。`;
}

export default function LearnerEnrollmentsPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const enrollments = useLoader<EnrollmentSummary[]>();
  const [notice, setNotice] = useState<string>();
  const [selfEnroll, setSelfEnroll] = useState(false);

  async function load() {
    await enrollments.load(async () => {
      const res = await api.get<EnrollmentListResponse>('/api/learner/enrollments');
      setSelfEnroll(!!res.personalEnrollment);
      return res.items;
    });
    Taro.stopPullDownRefresh();
  }

  useDidShow(() => {
    const p = getPrincipal();
    if (!getToken() || !p || p.role !== 'learner') {
      relaunch(ROUTES.learnerLogin);
      return;
    }
    setPrincipal(p);
    setNotice(takeNotice());
    void load();
  });

  usePullDownRefresh(() => void load());

  function showVerified(verified: SessionPrincipal) {
    savePrincipal(verified);
    setPrincipal(verified);
  }

  const items = enrollments.data;
  return (
    <View className='page learner-enrollments'>
      <Text className='page__title'>我的报名</Text>
      {principal ? (
        <Text className='page__subtitle' id='learner-name'>
          {principal.displayName}
          {principal.idNumberMasked ? `（${principal.idNumberMasked}）` : ''}
        </Text>
      ) : null}
      <BindingBanner principal={principal} onVerified={showVerified} />
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      <LoadState id='enrollments' loading={enrollments.loading} error={enrollments.error} hasData={!!items} onRetry={() => void load()} />
      {items && items.length === 0 ? (
        <View className='card' id='enrollments-empty'>
          <Text className='empty'>暂无报名记录</Text>
          <Text className='muted'>继续教育由您所在的企业统一报名。企业报名后，报名信息会显示在这里；如有疑问请联系企业经办人。</Text>
        </View>
      ) : null}
      {items?.map((e) => (
        <View className='card enrollment' key={e.id} id={`enrollment-${e.id}`}>
          <View className='enrollment__head'>
            <Text className='enrollment__class'>{e.className}</Text>
            <Text className={`status status--${e.status}`}>{e.statusLabel}</Text>
          </View>
          {paymentNote(e) ? (
            <Text className={`enrollment__note ${e.status === 'PAID' ? 'enrollment__note--paid' : ''}`} id={`payment-note-${e.id}`}>
              {paymentNote(e)}
            </Text>
          ) : null}
          <KeyValue label='证书编号' code>
            {e.certificateNo}
          </KeyValue>
          <KeyValue label='证书类别'>{e.categoryLabel}</KeyValue>
          <KeyValue label='报名企业'>{e.enterpriseName}</KeyValue>
          <KeyValue label='费用' valueClass='enrollment__fee'>
            {yuan(e.feeFen)}
          </KeyValue>
          {e.studyUntil ? <KeyValue label='学习截止'>{e.studyUntil.slice(0, 10)}</KeyValue> : null}
          {e.status === 'PAID' ? (
            <BigButton id={`study-${e.id}`} className='enrollment__study' onClick={() => openStudy(STUDY_ROUTES.course, { enrollmentId: e.id })}>
              去学习
            </BigButton>
          ) : null}
          {e.status === 'PAID' ? (
            <BigButton id={`exam-${e.id}`} kind='secondary' onClick={() => openExam(EXAM_ROUTES.overview, { enrollmentId: e.id })}>
              考试与结业
            </BigButton>
          ) : null}
        </View>
      ))}
      {items?.some((e) => e.status === 'PAID') ? (
        <BigButton id='study-home-entry' kind='secondary' onClick={() => openStudy(STUDY_ROUTES.home)}>
          我的学习（学时和考试条件）
        </BigButton>
      ) : null}
      {selfEnroll ? (
        <BigButton id='self-enroll-entry' kind='secondary' onClick={() => openPay(PAY_ROUTES.selfEnroll)}>
          自己报名缴费
        </BigButton>
      ) : null}
      <BigButton id='logout' kind='plain' onClick={() => void logout()}>
        退出登录
      </BigButton>
    </View>
  );
}
