import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { chinaDate, offlineTransferRequest, type OfflineTransferView, type OrderDetail } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { ApiError, isRetryable, messageOf, type FieldErrors } from '../../../api/client';
import { chinaDateTime, yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { ordersApi } from '../../api';
import { transferApi } from '../../transfer-api';
import { nestedFieldErrors } from '../../issues';
import { PAY_ROUTES, openPay, pageParam } from '../../routes';
import '../../pay.css';
import { getPrincipal } from '../../../api/session';
import { usePayerOnShow } from '../../payer';

interface Loaded {
  order: OrderDetail;
  transfers: OfflineTransferView[];
}

/** "400.00" (yuan as typed) → 40000 fen; undefined when it is not an amount with at most two decimals. */
function fenOf(text: string): number | undefined {
  const t = text.trim().replace(/[,，\s]/g, '').replace(/元$/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  const [whole, part = ''] = t.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/**
 * 线下对公转账: the payer gives the transfer's details (and, if at hand, a photo of the bank slip); the order then
 * shows 订单待审核 until a reviewer confirms the money arrived, or rejects it with a reason shown here.
 */
export default function TransferPage() {
  const id = pageParam('id');
  const loaded = useLoader<Loaded>();
  const [accountName, setAccountName] = useState('');
  const [bankName, setBankName] = useState('');
  const [transferDate, setTransferDate] = useState(() => chinaDate(new Date()));
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [slip, setSlip] = useState<string>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function load() {
    const data = await loaded.load(async () => {
      const [order, transfers] = await Promise.all([ordersApi.order(id), transferApi.transfers(id)]);
      return { order, transfers };
    });
    if (data && !amount) setAmount((data.order.amountFen / 100).toFixed(2));
    if (data && !accountName) setAccountName(getPrincipal()?.displayName ?? '');
  }

  usePayerOnShow(() => {
    void load();
  });

  async function chooseSlip() {
    try {
      const res = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
      setSlip(res.tempFilePaths[0]);
    } catch {
      // the person closed the picker
    }
  }

  async function submit() {
    const order = loaded.data?.order;
    if (busy || !order) return;
    setDone(undefined);
    const fen = fenOf(amount);
    const details = { payerAccountName: accountName, bankName, transferDate, amountFen: fen ?? 0, reference: reference.trim() || undefined };
    const parsed = offlineTransferRequest.safeParse(details);
    const found = parsed.success ? {} : nestedFieldErrors(parsed.error.issues, '');
    if (fen === undefined) found.amountFen = '请按元填写金额，如 400.00';
    else if (fen !== order.amountFen) found.amountFen = `转账金额须与订单金额一致：${yuan(order.amountFen)}`;
    setErrors(found);
    if (Object.keys(found).length) {
      setError(`有 ${Object.keys(found).length} 处需要改正，请看红字提示`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await transferApi.submitTransfer(order.id, details, slip);
      setDone('已提交，订单待审核：审核员一般在 1 个工作日内核对到账，结果会显示在这里和订单详情中。');
      await load();
    } catch (e) {
      if (e instanceof ApiError) setErrors(nestedFieldErrors(e.details, ''));
      setError(isRetryable(e) ? `没有提交：${messageOf(e)}（已填写的内容不会丢失，稍后再点一次即可）` : `没有提交：${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  }

  const data = loaded.data;
  const order = data?.order;
  const canSubmit = !!order?.payableBy.includes('OFFLINE_TRANSFER');
  return (
    <View className='page pay-page' id='transfer-page'>
      <Text className='page__title'>线下对公转账</Text>
      <LoadState id='transfer' loading={loaded.loading} error={loaded.error} hasData={!!data} onRetry={() => void load()} />
      {order ? (
        <>
          <View className='card'>
            <View className='pay-order__head'>
              <Text className='pay-order__amount'>{yuan(order.amountFen)}</Text>
              <Text className={`status status--order-${order.state}`} id='transfer-order-state'>
                {order.stateLabel}
              </Text>
            </View>
            <KeyValue label='订单号' code>
              {order.orderNo}
            </KeyValue>
          </View>
          <ErrorBanner id='transfer-done' kind='success' message={done} reveal />

          {data.transfers.map((t) => (
            <View className='card' key={t.id} id={`transfer-${t.id}`}>
              <View className='pay-order__head'>
                <Text className='section-title'>已提交的转账信息</Text>
                <Text className={`status ${t.state === 'APPROVED' ? 'status--order-PAID' : t.state === 'REJECTED' ? 'status--order-CLOSED' : 'status--order-AWAITING_REVIEW'}`}>{t.state === 'AWAITING_REVIEW' ? '订单待审核' : t.stateLabel}</Text>
              </View>
              {t.state === 'REJECTED' && t.rejectReason ? <ErrorBanner id={`transfer-reason-${t.id}`} message={`审核未通过，原因：${t.rejectReason}。请核对后重新提交。`} /> : null}
              <KeyValue label='付款账户'>{t.payerAccountName}</KeyValue>
              <KeyValue label='付款银行'>{t.bankName}</KeyValue>
              <KeyValue label='转账日期'>{t.transferDate}</KeyValue>
              <KeyValue label='转账金额'>{yuan(t.amountFen)}</KeyValue>
              <KeyValue label='提交时间'>{chinaDateTime(t.submittedAt)}</KeyValue>
              {t.reviewedAt ? <KeyValue label='审核时间'>{chinaDateTime(t.reviewedAt)}</KeyValue> : null}
              {t.slip ? <Text className='muted'>已附转账回单</Text> : null}
            </View>
          ))}

          {canSubmit ? (
            <View className='card' id='transfer-form'>
              <Text className='section-title'>填写转账信息</Text>
              <Text className='pay-note'>请先通过银行向收款账户转账 {yuan(order.amountFen)}，再在这里填写转账信息，审核员核对到账后订单变为“已支付”。</Text>
              <Field id='payerAccountName' label='付款账户名称' value={accountName} onChange={setAccountName} error={errors.payerAccountName} />
              <Field id='transferBankName' label='付款银行' value={bankName} onChange={setBankName} placeholder='如 中国建设银行济南分行' error={errors.bankName} />
              <Field id='transferDate' label='转账日期' value={transferDate} onChange={setTransferDate} maxlength={10} placeholder='YYYY-MM-DD' error={errors.transferDate} />
              <Field id='transferAmount' label='转账金额（元）' value={amount} onChange={setAmount} maxlength={14} hint={`须与订单金额一致：${yuan(order.amountFen)}`} error={errors.amountFen} />
              <Field id='transferReference' label='转账附言（选填）' value={reference} onChange={setReference} maxlength={60} error={errors.reference} />
              <View className='small-button' id='transfer-slip' onClick={() => void chooseSlip()}>
                <Text>{slip ? '换一张回单照片' : '添加转账回单照片（选填）'}</Text>
              </View>
              {slip ? <Image className='pay-slip' src={slip} mode='aspectFit' /> : null}
              <ErrorBanner id='transfer-error' message={error} reveal />
              <BigButton id='transfer-submit' onClick={() => void submit()} loading={busy}>
                提交转账信息
              </BigButton>
            </View>
          ) : null}
          <BigButton id='transfer-to-order' kind='secondary' onClick={() => openPay(PAY_ROUTES.order, { id: order.id })}>
            查看订单详情
          </BigButton>
        </>
      ) : null}
    </View>
  );
}
