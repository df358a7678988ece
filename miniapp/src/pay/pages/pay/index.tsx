import { Text, View } from '@tarojs/components';
import { useDidHide, useUnload } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { OrderDetail, PayOrderResponse, SessionPrincipal } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { ApiError, messageOf } from '../../../api/client';
import { ROUTES, homeFor, relaunch } from '../../../api/routes';
import { platform } from '../../../platform';
import { yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { ordersApi } from '../../api';
import { Countdown } from '../../components/Countdown';
import { PayProblem } from '../../components/PayProblem';
import { QrCode } from '../../components/QrCode';
import { PAY_ROUTES, openPay, pageParam } from '../../routes';
import { breakdown, stateExplanation } from '../../words';
import '../../pay.css';
import { usePayerOnShow } from '../../payer';

const POLL_MS = 2000;
type Outcome = { kind: 'success' | 'info' | 'warning' | 'error'; text: string };

/**
 * 订单支付: a learner pays in WeChat (JSAPI); an enterprise on a PC scans a Native QR code (and, in the browser
 * build, can open the local simulator's pay page). Whatever the device says, the page shows only what the
 * backend says about the order, and waits for it.
 */
export default function PayPage() {
  const id = pageParam('id');
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const order = useLoader<OrderDetail>();
  const [native, setNative] = useState<Extract<PayOrderResponse, { method: 'WECHAT_NATIVE' }>>();
  const [simLink, setSimLink] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const polling = useRef<ReturnType<typeof setInterval>>();

  function stopPolling() {
    if (polling.current) clearInterval(polling.current);
    polling.current = undefined;
  }

  async function refresh(): Promise<OrderDetail | undefined> {
    const o = await order.load(() => ordersApi.order(id));
    if (o && o.state !== 'PENDING_PAYMENT') {
      stopPolling();
      setNative(undefined);
      if (o.state === 'PAID') setOutcome({ kind: 'success', text: `已支付 ${yuan(o.amountFen)}，报名已生效。` });
      else if (o.state === 'AWAITING_REVIEW') setOutcome({ kind: 'info', text: '订单待审核：转账信息已提交，审核通过后报名生效。' });
      else if (o.state === 'CLOSED') setOutcome({ kind: 'warning', text: '订单已关闭，没有扣款。如仍需缴费，请重新下单。' });
    }
    return o;
  }

  /** While a payment may be under way: ask the backend every 2 s (only the backend's answer counts). */
  function startPolling() {
    if (polling.current) return;
    polling.current = setInterval(() => void refresh(), POLL_MS);
  }

  usePayerOnShow((p) => {
    setPrincipal(p);
    void refresh();
    if (native) startPolling();
  });
  useDidHide(stopPolling);
  useUnload(stopPolling);

  const o = order.data;
  const canJsapi = !!o?.payableBy.includes('WECHAT_JSAPI') && principal?.role === 'learner';
  const canNative = !!o?.payableBy.includes('WECHAT_NATIVE') && principal?.role !== 'learner';

  function payFailed(e: unknown) {
    if (e instanceof ApiError && e.code === 'PAYMENT_IN_PROGRESS') {
      setOutcome({ kind: 'warning', text: messageOf(e) });
      startPolling();
    } else setOutcome({ kind: 'error', text: `没有发起支付：${messageOf(e)}` });
    void refresh();
  }

  async function payInWechat() {
    if (busy) return;
    setBusy(true);
    setOutcome(undefined);
    try {
      const res = await ordersApi.pay(id, 'WECHAT_JSAPI');
      if (res.method !== 'WECHAT_JSAPI') throw new Error('支付方式不符，请刷新后重试');
      setOutcome({ kind: 'info', text: '请在微信支付页面完成付款，完成后这里会自动显示结果。' });
      const result = await platform.requestPayment({
        params: res.requestPayment,
        settled: async () => (await ordersApi.order(id)).state !== 'PENDING_PAYMENT',
      });
      const fresh = await refresh();
      if (fresh?.state === 'PENDING_PAYMENT') {
        if (result === 'cancelled') setOutcome({ kind: 'info', text: '您取消了付款，订单仍待支付，可以再点“微信支付”。' });
        else {
          setOutcome({ kind: 'warning', text: '正在确认支付结果，请稍候，切勿重复支付。如已扣款，系统会自动确认。' });
          startPolling();
        }
      }
    } catch (e) {
      payFailed(e);
    } finally {
      setBusy(false);
    }
  }

  async function showQrCode() {
    if (busy) return;
    setBusy(true);
    setOutcome(undefined);
    try {
      const res = await ordersApi.pay(id, 'WECHAT_NATIVE');
      if (res.method !== 'WECHAT_NATIVE') throw new Error('支付方式不符，请刷新后重试');
      setNative(res);
      setSimLink(await platform.payPageLink(res.codeUrl));
      startPolling();
    } catch (e) {
      payFailed(e);
    } finally {
      setBusy(false);
    }
  }

  function openSimulator() {
    if (simLink && typeof window !== 'undefined') window.open(simLink, '_blank');
  }

  const pending = o?.state === 'PENDING_PAYMENT';
  return (
    <View className='page pay-page' id='pay-page'>
      <Text className='page__title'>订单支付</Text>
      <LoadState id='pay-order' loading={order.loading} error={order.error} hasData={!!o} onRetry={() => void refresh()} />
      {o ? (
        <>
          <View className='card pay-summary' id='pay-summary'>
            <Text className='pay-summary__label'>应付金额</Text>
            <Text className='pay-summary__amount' id='pay-amount'>
              {yuan(o.amountFen)}
            </Text>
            <Text className='muted' id='pay-breakdown'>
              {breakdown(o)}
            </Text>
            <View className='pay-summary__state'>
              <Text className={`status status--order-${o.state}`} id='pay-state'>
                {o.stateLabel}
              </Text>
            </View>
            {pending ? <Countdown id='pay-countdown' expiresAt={o.expiresAt} onExpired={() => void refresh()} /> : null}
            <KeyValue label='订单号' code>
              {o.orderNo}
            </KeyValue>
          </View>

          <ErrorBanner id='pay-outcome' kind={outcome?.kind} message={outcome?.text} reveal />

          {pending && native ? (
            <View className='card' id='pay-native'>
              <Text className='section-title'>请用手机微信“扫一扫”付款</Text>
              <QrCode id='pay-qr' svg={native.qrSvg} />
              <Text className='pay-note'>付款 {yuan(native.amountFen)}。付款后本页会自动显示“已支付”，不用刷新。</Text>
              {simLink ? (
                <View className='pay-sim' id='pay-sim'>
                  <Text className='muted'>本地开发：没有真实微信支付时，可打开模拟器的付款页面。</Text>
                  <View className='small-button' id='pay-sim-link' onClick={openSimulator}>
                    <Text>打开模拟付款页面</Text>
                  </View>
                </View>
              ) : null}
            </View>
          ) : null}

          {pending && !native ? (
            <View className='card' id='pay-methods'>
              <Text className='section-title'>选择支付方式</Text>
              {canJsapi ? (
                <BigButton id='pay-jsapi' onClick={() => void payInWechat()} loading={busy}>
                  {`微信支付 ${yuan(o.amountFen)}`}
                </BigButton>
              ) : null}
              {canNative ? (
                <BigButton id='pay-native-start' onClick={() => void showQrCode()} loading={busy}>
                  {`显示微信付款二维码（${yuan(o.amountFen)}）`}
                </BigButton>
              ) : null}
              {!canJsapi && !canNative ? <Text className='muted'>此订单暂不能在线支付。</Text> : null}
              {o.payableBy.includes('OFFLINE_TRANSFER') ? (
                <BigButton id='pay-transfer' kind='secondary' onClick={() => openPay(PAY_ROUTES.transfer, { id: o.id })}>
                  线下对公转账
                </BigButton>
              ) : null}
            </View>
          ) : null}

          {!pending && !outcome ? (
            <Text className='pay-note' id='pay-explain'>
              {stateExplanation(o)}
            </Text>
          ) : null}
          {/* keyed by state: an answer about an unpaid order is not left standing once it is paid */}
          {pending || o.state === 'CLOSED' ? <PayProblem key={o.state} orderId={o.id} onChecked={() => void refresh()} /> : null}

          <View className='pay-links'>
            <BigButton id='pay-to-order' kind='secondary' onClick={() => openPay(PAY_ROUTES.order, { id: o.id })}>
              查看订单详情
            </BigButton>
            {o.state === 'PAID' ? (
              <BigButton id='pay-to-invoices' kind='secondary' onClick={() => openPay(PAY_ROUTES.invoices)}>
                查看发票
              </BigButton>
            ) : null}
            <BigButton id='pay-home' kind='plain' onClick={() => relaunch(principal ? homeFor(principal.role) : ROUTES.index)}>
              返回首页
            </BigButton>
          </View>
        </>
      ) : null}
    </View>
  );
}
