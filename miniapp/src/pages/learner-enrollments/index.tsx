import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { EnrollmentSummary, SessionPrincipal } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, messageOf } from '../../api/client';
import { getPrincipal, getToken, takeNotice } from '../../api/session';
import { ROUTES, relaunch } from '../../api/routes';
import type { EnrollmentListResponse } from '../../api/types';
import { yuan } from '../../utils/format';
import { logout } from '../../api/auth';
import './index.css';
import { KeyValue } from '../../components/KeyValue';

export default function LearnerEnrollmentsPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const [items, setItems] = useState<EnrollmentSummary[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [loading, setLoading] = useState(false);

  async function load() {
    setLoading(true);
    setError(undefined);
    try {
      const res = await api.get<EnrollmentListResponse>('/api/learner/enrollments');
      setItems(res.items);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
      Taro.stopPullDownRefresh();
    }
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

  return (
    <View className='page learner-enrollments'>
      <Text className='page__title'>我的报名</Text>
      {principal ? (
        <Text className='page__subtitle' id='learner-name'>
          {principal.displayName}
          {principal.idNumberMasked ? `（${principal.idNumberMasked}）` : ''}
        </Text>
      ) : null}
      <ErrorBanner id='notice-banner' message={notice} kind='info' />
      <ErrorBanner message={error} />
      {error ? (
        <BigButton id='retry' kind='secondary' onClick={() => void load()}>
          重新加载
        </BigButton>
      ) : null}
      {items === undefined && loading ? <Text className='empty'>正在加载…</Text> : null}
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
          <KeyValue label='证书编号' valueClass='enrollment__cert'>{e.certificateNo}</KeyValue>
          <KeyValue label='证书类别'>{e.categoryLabel}</KeyValue>
          <KeyValue label='报名企业'>{e.enterpriseName}</KeyValue>
          <KeyValue label='费用' valueClass='enrollment__fee'>{yuan(e.feeFen)}</KeyValue>
        </View>
      ))}
      <BigButton id='logout' kind='plain' onClick={() => void logout()}>
        退出登录
      </BigButton>
    </View>
  );
}
