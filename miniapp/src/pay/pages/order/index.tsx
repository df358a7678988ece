import { Text, View } from '@tarojs/components';
import type { OrderDetail } from '@ce/types';
import { PAYMENT_METHOD_LABELS } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { chinaDateTime, yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { ordersApi } from '../../api';
import { Countdown } from '../../components/Countdown';
import { PayProblem } from '../../components/PayProblem';
import { PAY_ROUTES, openPay, pageParam } from '../../routes';
import { actorWords, byStaff, stateExplanation, transitionWords } from '../../words';
import '../../pay.css';
import { usePayerOnShow } from '../../payer';

/** 订单详情: who is paid for, the amount, the invoice details, and every step the order took, in plain words. */
export default function OrderDetailPage() {
  const id = pageParam('id');
  const order = useLoader<OrderDetail>();

  function load() {
    return order.load(() => ordersApi.order(id));
  }

  usePayerOnShow(() => {
    void load();
  });

  const o = order.data;
  return (
    <View className='page pay-page' id='order-page'>
      <Text className='page__title'>订单详情</Text>
      <LoadState id='order' loading={order.loading} error={order.error} hasData={!!o} onRetry={() => void load()} />
      {o ? (
        <>
          <View className='card' id='order-summary'>
            <View className='pay-order__head'>
              <Text className='pay-order__amount'>{yuan(o.amountFen)}</Text>
              <Text className={`status status--order-${o.state}`} id='order-state'>
                {o.stateLabel}
              </Text>
            </View>
            <Text className='pay-note' id='order-explain'>
              {stateExplanation(o)}
            </Text>
            {o.state === 'PENDING_PAYMENT' ? <Countdown id='order-countdown' expiresAt={o.expiresAt} onExpired={() => void load()} /> : null}
            <KeyValue label='订单号' code>
              {o.orderNo}
            </KeyValue>
            <KeyValue label='下单时间'>{chinaDateTime(o.createdAt)}</KeyValue>
            {o.paymentMethod ? <KeyValue label='支付方式'>{PAYMENT_METHOD_LABELS[o.paymentMethod]}</KeyValue> : null}
            {o.paidAt ? <KeyValue label='支付时间'>{chinaDateTime(o.paidAt)}</KeyValue> : null}
            {o.state === 'PENDING_PAYMENT' ? (
              <BigButton id='order-pay' onClick={() => openPay(PAY_ROUTES.pay, { id: o.id })}>
                {`去支付 ${yuan(o.amountFen)}`}
              </BigButton>
            ) : null}
          </View>

          {o.payableBy.includes('OFFLINE_TRANSFER') || o.state === 'AWAITING_REVIEW' || o.paymentMethod === 'OFFLINE_TRANSFER' ? (
            <BigButton id='order-transfer' kind='secondary' onClick={() => openPay(PAY_ROUTES.transfer, { id: o.id })}>
              {o.state === 'PENDING_PAYMENT' ? '线下对公转账 / 查看审核结果' : '转账信息与审核结果'}
            </BigButton>
          ) : null}
          {o.state === 'PENDING_PAYMENT' || o.state === 'CLOSED' ? <PayProblem key={o.state} orderId={o.id} onChecked={() => void load()} /> : null}

          <View className='card' id='order-people'>
            <Text className='section-title'>缴费名单（{o.items.length} 人）</Text>
            {o.items.map((i) => (
              <View className='pay-person' key={i.enrollmentId}>
                <View className='pay-person__row'>
                  <Text className='pay-person__name'>{i.holderName}</Text>
                  <Text className='pay-person__fee'>{yuan(i.feeFen)}</Text>
                </View>
                <Text className='muted'>
                  {i.className} · <Text className='pay-code'>{i.certificateNo}</Text>
                </Text>
              </View>
            ))}
            <View className='pay-total'>
              <Text>合计</Text>
              <Text className='pay-total__amount'>{yuan(o.amountFen)}</Text>
            </View>
          </View>

          <View className='card' id='order-invoice'>
            <Text className='section-title'>发票（{o.invoice.kindLabel}）</Text>
            <KeyValue label='开票状态'>{o.invoice.statusLabel}</KeyValue>
            <KeyValue label='抬头'>{o.invoice.title}</KeyValue>
            {o.invoice.taxId ? (
              <KeyValue label='纳税人识别号' code>
                {o.invoice.taxId}
              </KeyValue>
            ) : null}
            <KeyValue label='接收邮箱'>{o.invoice.email}</KeyValue>
            {o.invoice.address ? <KeyValue label='注册地址'>{o.invoice.address}</KeyValue> : null}
            {o.invoice.phone ? <KeyValue label='注册电话'>{o.invoice.phone}</KeyValue> : null}
            {o.invoice.bankName ? <KeyValue label='开户银行'>{o.invoice.bankName}</KeyValue> : null}
            {o.invoice.bankAccount ? (
              <KeyValue label='银行账号' code>
                {o.invoice.bankAccount}
              </KeyValue>
            ) : null}
            {o.invoice.status !== 'NOT_ISSUED' ? (
              <BigButton id='order-to-invoices' kind='secondary' onClick={() => openPay(PAY_ROUTES.invoices)}>
                下载或重发发票
              </BigButton>
            ) : null}
          </View>

          {o.extraPayments.length ? (
            <View className='card' id='order-extra'>
              <Text className='section-title'>另外收到的付款</Text>
              {o.extraPayments.map((x) => (
                <KeyValue key={x.outTradeNo} label={yuan(x.amountFen)}>
                  {x.outcomeLabel}
                </KeyValue>
              ))}
            </View>
          ) : null}

          <View className='card' id='order-history'>
            <Text className='section-title'>订单经过</Text>
            {o.transitions.map((t, n) => (
              <View className='pay-step' key={`${t.at}-${n}`}>
                <Text className='pay-step__time'>{chinaDateTime(t.at)}</Text>
                <Text className='pay-step__text'>
                  {transitionWords(t)}（{actorWords(t.by)}）
                </Text>
                {t.reason && byStaff(t.by) && t.to !== 'PAID' ? <Text className='pay-step__reason'>原因：{t.reason}</Text> : null}
              </View>
            ))}
          </View>
        </>
      ) : null}
    </View>
  );
}
