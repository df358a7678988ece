import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { invoiceEmailField, type InvoiceSummary } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { KeyValue } from '../../../components/KeyValue';
import { LoadState } from '../../../components/LoadState';
import { authHeader, messageOf } from '../../../api/client';
import { platform } from '../../../platform';
import { chinaDateTime, yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { invoicePdfUrl, ordersApi } from '../../api';
import '../../pay.css';
import { usePayerOnShow } from '../../payer';

type Answer = { kind: 'success' | 'error'; text: string };

/** One invoice: download its PDF; resend it, to the address on file or a corrected one. */
function InvoiceCard({ invoice, onResent }: { invoice: InvoiceSummary; onResent(): void }) {
  const [editing, setEditing] = useState(false);
  const [email, setEmail] = useState(invoice.email);
  const [emailError, setEmailError] = useState<string>();
  const [busy, setBusy] = useState<'pdf' | 'resend'>();
  const [answer, setAnswer] = useState<Answer>();
  const id = invoice.id;

  async function download() {
    setBusy('pdf');
    setAnswer(undefined);
    try {
      await platform.openPdf(invoicePdfUrl(id), authHeader(), `发票-${invoice.number}.pdf`);
    } catch (e) {
      setAnswer({ kind: 'error', text: `没有下载成功：${messageOf(e)}` });
    } finally {
      setBusy(undefined);
    }
  }

  async function resend() {
    let to: string | undefined;
    if (editing) {
      const parsed = invoiceEmailField.safeParse(email);
      if (!parsed.success) {
        setEmailError(parsed.error.issues[0]?.message ?? '邮箱格式不正确');
        return;
      }
      to = parsed.data;
    }
    setEmailError(undefined);
    setBusy('resend');
    setAnswer(undefined);
    try {
      await ordersApi.resendInvoice(id, to);
      setAnswer({ kind: 'success', text: `已重新发送到 ${to ?? invoice.email}，几分钟内可收到；收不到请查看垃圾邮件。` });
      setEditing(false);
      onResent();
    } catch (e) {
      setAnswer({ kind: 'error', text: `没有发送：${messageOf(e)}` });
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <View className='card pay-invoice' id={`invoice-${id}`}>
      <View className='pay-order__head'>
        <Text className='pay-order__amount'>{yuan(invoice.totalFen)}</Text>
        <Text className={`status ${invoice.redLetter ? 'status--order-REFUNDED' : 'status--order-PAID'}`}>{invoice.redLetter ? `红字${invoice.kindLabel}` : invoice.kindLabel}</Text>
      </View>
      <KeyValue label='发票号码' code>
        {invoice.number}
      </KeyValue>
      <KeyValue label='抬头'>{invoice.title}</KeyValue>
      <KeyValue label='开票时间'>{chinaDateTime(invoice.issuedAt)}</KeyValue>
      {invoice.originalNumber ? (
        <KeyValue label='冲红的原发票' code>
          {invoice.originalNumber}
        </KeyValue>
      ) : null}
      {invoice.status === 'REVERSED' ? <Text className='pay-note'>此发票已因退款冲红（作废），以红字发票为准。</Text> : null}
      <KeyValue label='接收邮箱'>{invoice.email}</KeyValue>
      <BigButton id={`invoice-pdf-${id}`} kind='secondary' onClick={() => void download()} loading={busy === 'pdf'}>
        下载 PDF
      </BigButton>
      {editing ? (
        <Field id={`invoice-email-${id}`} label='新的接收邮箱' value={email} onChange={setEmail} error={emailError} placeholder='name@example.com' />
      ) : (
        <View className='small-button' id={`invoice-change-email-${id}`} onClick={() => setEditing(true)}>
          <Text>邮箱有误？改邮箱后重发</Text>
        </View>
      )}
      <ErrorBanner id={`invoice-answer-${id}`} kind={answer?.kind} message={answer?.text} reveal />
      <BigButton id={`invoice-resend-${id}`} kind='secondary' onClick={() => void resend()} loading={busy === 'resend'}>
        {editing ? '发送到新邮箱' : '重新发送到邮箱'}
      </BigButton>
    </View>
  );
}

/** 发票: every invoice of this payer (blue and red-letter), newest first. */
export default function InvoicesPage() {
  const invoices = useLoader<InvoiceSummary[]>();

  async function load() {
    await invoices.load(() => ordersApi.listInvoices());
    Taro.stopPullDownRefresh();
  }

  usePayerOnShow(() => {
    void load();
  });
  usePullDownRefresh(() => void load());

  return (
    <View className='page pay-page' id='invoices-page'>
      <Text className='page__title'>发票</Text>
      <Text className='page__subtitle'>支付确认后自动开具电子发票，并发送到开票信息中的邮箱。</Text>
      <LoadState id='invoices' loading={invoices.loading} error={invoices.error} hasData={!!invoices.data} onRetry={() => void load()} />
      {invoices.data && invoices.data.length === 0 ? (
        <Text className='empty' id='invoices-empty'>
          还没有发票。订单支付确认后会自动开具。
        </Text>
      ) : null}
      {invoices.data?.map((i) => <InvoiceCard key={i.id} invoice={i} onResent={() => void load()} />)}
    </View>
  );
}
