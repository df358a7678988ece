import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { OrderSummary, SessionPrincipal } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { chinaDateTime, yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { ordersApi } from '../../api';
import { Countdown } from '../../components/Countdown';
import { PAY_ROUTES, openPay } from '../../routes';
import '../../pay.css';
import { usePayerOnShow } from '../../payer';

/** 我的订单: each order's state in plain words, and for an unpaid one the time left to pay, live. */
export default function OrdersPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const orders = useLoader<OrderSummary[]>();

  async function load() {
    await orders.load(() => ordersApi.listOrders());
    Taro.stopPullDownRefresh();
  }

  usePayerOnShow((p) => {
    setPrincipal(p);
    void load();
  });
  usePullDownRefresh(() => void load());

  return (
    <View className='page pay-page' id='orders-page'>
      <Text className='page__title'>我的订单</Text>
      {principal ? <Text className='page__subtitle'>{principal.displayName}</Text> : null}
      <BigButton id='orders-to-invoices' kind='secondary' onClick={() => openPay(PAY_ROUTES.invoices)}>
        发票（下载、重发）
      </BigButton>
      <LoadState id='orders' loading={orders.loading} error={orders.error} hasData={!!orders.data} onRetry={() => void load()} />
      {orders.data && orders.data.length === 0 ? (
        <Text className='empty' id='orders-empty'>
          还没有订单。报名后点“去缴费”即可下单。
        </Text>
      ) : null}
      {orders.data?.map((o) => (
        <View className='card pay-order' key={o.id} id={`order-${o.id}`} onClick={() => openPay(PAY_ROUTES.order, { id: o.id })}>
          <View className='pay-order__head'>
            <Text className='pay-order__amount'>{yuan(o.amountFen)}</Text>
            <Text className={`status status--order-${o.state}`} id={`order-state-${o.id}`}>
              {o.stateLabel}
            </Text>
          </View>
          {o.state === 'PENDING_PAYMENT' ? <Countdown id={`order-countdown-${o.id}`} expiresAt={o.expiresAt} onExpired={() => void load()} /> : null}
          <KeyValue label='人数'>{`${o.itemCount} 人`}</KeyValue>
          <KeyValue label='订单号' code>
            {o.orderNo}
          </KeyValue>
          <KeyValue label='下单时间'>{chinaDateTime(o.createdAt)}</KeyValue>
          {o.paidAt ? <KeyValue label='支付时间'>{chinaDateTime(o.paidAt)}</KeyValue> : null}
          <Text className='pay-order__more'>{o.state === 'PENDING_PAYMENT' ? '去支付 / 查看详情 ›' : '查看详情 ›'}</Text>
        </View>
      ))}
    </View>
  );
}
