import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { OrderCheckResponse, OrderDetail } from '@ce/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { messageOf } from '../../api/client';
import { ordersApi } from '../api';

/**
 * 支付遇到问题？ — asks the backend to find out from WeChat Pay what really happened, and says so. It never
 * suggests paying again while a payment may be in flight: only when the backend says none can be.
 */
export function PayProblem({ orderId, onChecked }: { orderId: string; onChecked(order: OrderDetail): void }) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ kind: 'success' | 'info' | 'warning' | 'error'; text: string }>();

  async function check() {
    if (busy) return;
    setBusy(true);
    setAnswer(undefined);
    try {
      const res: OrderCheckResponse = await ordersApi.check(orderId);
      onChecked(res.order);
      const state = res.order.state;
      if (state === 'PAID') setAnswer({ kind: 'success', text: `已查询到付款：订单已支付。${res.advice}` });
      else if (res.canPayAgain) setAnswer({ kind: 'info', text: `${res.advice}（查询结果：没有扣款，可以放心重新支付。）` });
      else setAnswer({ kind: 'warning', text: `${res.advice}（请勿重复支付：如已扣款，系统会自动确认，无需再付。）` });
    } catch (e) {
      setAnswer({ kind: 'error', text: `没有查到结果：${messageOf(e)}。如已扣款，切勿重复支付，稍后再点一次查询即可。` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='pay-problem' id='pay-problem'>
      <View className='pay-problem__link' id='pay-problem-check' onClick={() => void check()}>
        <Text>{busy ? '正在向微信支付查询…' : '支付遇到问题？点此查询真实支付结果'}</Text>
      </View>
      <ErrorBanner id='pay-problem-answer' kind={answer?.kind} message={answer?.text} reveal />
    </View>
  );
}
