import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { invoiceProfileRequest, payerReentry, type EnrollmentSummary, type InvoiceProfileRequest, type SessionPrincipal } from '@ce/types';
import { BigButton } from '../../../components/BigButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { LoadState } from '../../../components/LoadState';
import { ApiError, api, isRetryable, messageOf, type FieldErrors } from '../../../api/client';
import { getPrincipal, getToken } from '../../../api/session';
import { ROUTES, relaunch } from '../../../api/routes';
import type { EnrollmentListResponse } from '../../../api/types';
import { yuan } from '../../../utils/format';
import { useLoader } from '../../../utils/useLoader';
import { ordersApi } from '../../api';
import { nestedFieldErrors } from '../../issues';
import { EMPTY_INVOICE, InvoiceForm, type InvoiceDraft } from '../../components/InvoiceForm';
import { PAY_ROUTES, openPay, pageParam, replaceWith } from '../../routes';
import '../../pay.css';

interface Loaded {
  people: EnrollmentSummary[];
  missing: number;
  draft: InvoiceDraft;
}

function toRequest(d: InvoiceDraft): InvoiceProfileRequest {
  const special = d.kind === 'SPECIAL';
  return {
    kind: d.kind,
    buyerType: 'ENTERPRISE',
    title: d.title,
    taxId: d.taxId,
    email: d.email,
    address: special ? d.address : '',
    phone: special ? d.phone : '',
    bankName: special ? d.bankName : '',
    bankAccount: special ? d.bankAccount : '',
  };
}

/**
 * 确认缴费信息: who is paid for and how much (in yuan, from fen), the invoice details to check (or correct) before
 * paying, and the company name + tax ID typed once more, so the money and the invoice go to the right unit.
 */
export default function ConfirmOrderPage() {
  const [principal, setPrincipal] = useState<SessionPrincipal>();
  const loaded = useLoader<Loaded>();
  const [draft, setDraft] = useState<InvoiceDraft>(EMPTY_INVOICE);
  const [companyName, setCompanyName] = useState('');
  const [taxId, setTaxId] = useState('');
  const [invoiceErrors, setInvoiceErrors] = useState<FieldErrors>({});
  const [reentryErrors, setReentryErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [openOrder, setOpenOrder] = useState(false);
  const [busy, setBusy] = useState(false);

  const ids = pageParam('enrollmentIds').split(',').filter(Boolean);

  async function load() {
    const data = await loaded.load(async () => {
      const [enrollments, profile] = await Promise.all([api.get<EnrollmentListResponse>('/api/enterprise/enrollments'), ordersApi.invoiceProfile()]);
      const people = enrollments.items.filter((e) => ids.includes(e.id) && e.status === 'AWAITING_PAYMENT');
      const p = getPrincipal();
      const d: InvoiceDraft = profile
        ? {
            kind: profile.kind,
            title: profile.title,
            taxId: profile.taxId ?? '',
            email: profile.email,
            address: profile.address ?? '',
            phone: profile.phone ?? '',
            bankName: profile.bankName ?? '',
            bankAccount: profile.bankAccount ?? '',
          }
        : { ...EMPTY_INVOICE, title: p?.displayName ?? '' };
      return { people, missing: ids.length - people.length, draft: d };
    });
    if (data) setDraft(data.draft);
  }

  useDidShow(() => {
    const p = getPrincipal();
    if (!getToken() || !p || p.role !== 'enterprise') {
      relaunch(ROUTES.enterpriseLogin);
      return;
    }
    setPrincipal(p);
    if (!loaded.data) void load();
  });

  async function submit() {
    if (busy || !loaded.data) return;
    setError(undefined);
    setOpenOrder(false);
    const invoice = invoiceProfileRequest.safeParse(toRequest(draft));
    const reentry = payerReentry.safeParse({ companyName, taxId });
    const iErr = invoice.success ? {} : nestedFieldErrors(invoice.error.issues, '');
    const rErr = reentry.success ? {} : nestedFieldErrors(reentry.error.issues, '');
    if (!companyName.trim()) rErr.companyName = '请再次输入单位名称';
    if (!taxId.trim()) rErr.taxId = '请再次输入纳税人识别号';
    if (invoice.success && reentry.success) {
      const sameName = companyName.trim() === invoice.data.title.trim();
      const sameTax = taxId.trim().toUpperCase() === (invoice.data.taxId ?? '').toUpperCase();
      if (!sameName) rErr.companyName = '与上面发票抬头不一致，请核对';
      if (!sameTax) rErr.taxId = '与上面纳税人识别号不一致，请核对';
    }
    setInvoiceErrors(iErr);
    setReentryErrors(rErr);
    const count = Object.keys(iErr).length + Object.keys(rErr).length;
    if (count) {
      setError(`有 ${count} 处需要改正，请看红字提示`);
      return;
    }
    setBusy(true);
    try {
      const order = await ordersApi.createOrder({
        enrollmentIds: loaded.data.people.map((p) => p.id),
        invoice: toRequest(draft),
        saveInvoiceProfile: true,
        reentry: { companyName: companyName.trim(), taxId: taxId.trim() },
      });
      replaceWith(PAY_ROUTES.pay, { id: order.id });
    } catch (e) {
      if (e instanceof ApiError) {
        setInvoiceErrors(nestedFieldErrors(e.details, 'invoice'));
        setReentryErrors(nestedFieldErrors(e.details, 'reentry'));
        if (e.code === 'ENROLLMENT_IN_OPEN_ORDER') setOpenOrder(true);
      }
      setError(isRetryable(e) ? `订单没有提交：${messageOf(e)}（已填写的内容不会丢失，稍后再点一次即可）` : `订单没有提交：${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  }

  const data = loaded.data;
  const total = data ? data.people.reduce((sum, p) => sum + p.feeFen, 0) : 0;

  return (
    <View className='page pay-page' id='confirm-page'>
      <Text className='page__title'>确认缴费信息</Text>
      {principal ? <Text className='page__subtitle'>{principal.displayName}</Text> : null}
      <LoadState id='confirm' loading={loaded.loading} error={loaded.error} hasData={!!data} onRetry={() => void load()} />

      {data && data.people.length === 0 ? (
        <View className='card'>
          <ErrorBanner id='confirm-nothing' kind='info' message='没有待缴费的报名：可能已经缴费，或已在另一个订单中。' />
          <BigButton id='confirm-to-orders' kind='secondary' onClick={() => openPay(PAY_ROUTES.orders)}>
            查看我的订单
          </BigButton>
        </View>
      ) : null}

      {data && data.people.length ? (
        <>
          <View className='card' id='confirm-people'>
            <Text className='section-title'>第一步：核对缴费名单</Text>
            {data.missing > 0 ? <ErrorBanner id='confirm-missing' kind='warning' message={`另有 ${data.missing} 条报名已缴费、已取消或已在其他订单中，不在本次缴费名单里。`} /> : null}
            {data.people.map((p) => (
              <View className='pay-person' key={p.id} id={`confirm-person-${p.id}`}>
                <View className='pay-person__row'>
                  <Text className='pay-person__name'>{p.holderName}</Text>
                  <Text className='pay-person__fee'>{yuan(p.feeFen)}</Text>
                </View>
                <Text className='muted'>
                  {p.className} · <Text className='pay-code'>{p.certificateNo}</Text>
                </Text>
              </View>
            ))}
            <View className='pay-total' id='confirm-total'>
              <Text>合计 {data.people.length} 人</Text>
              <Text className='pay-total__amount'>{yuan(total)}</Text>
            </View>
          </View>

          <View className='card' id='confirm-invoice'>
            <Text className='section-title'>第二步：核对开票信息</Text>
            <Text className='pay-note'>发票按这里的信息开具，开出后不能修改抬头。默认信息不符，请在此修改（会保存为下次的默认）。</Text>
            <InvoiceForm value={draft} onChange={setDraft} errors={invoiceErrors} />
          </View>

          <View className='card' id='confirm-reentry'>
            <Text className='section-title'>第三步：再次输入单位名称和纳税人识别号</Text>
            <Text className='pay-note pay-note--red' id='reentry-explain'>
              为防止付错单位、开错发票，请再输入一次单位名称和纳税人识别号，须与上面的发票信息完全一致，核对通过后才能付款。
            </Text>
            <Field id='reentryCompanyName' label='单位名称' value={companyName} onChange={setCompanyName} error={reentryErrors.companyName} />
            <Field id='reentryTaxId' label='纳税人识别号' value={taxId} onChange={setTaxId} maxlength={18} error={reentryErrors.taxId} />
          </View>

          <Text className='pay-note pay-note--red' id='confirm-expiry-note'>
            提交订单后须在支付时限内完成付款（下一页显示剩余时间），超时订单自动关闭，需要重新下单。
          </Text>
          <ErrorBanner id='confirm-error' message={error} reveal />
          {openOrder ? (
            <BigButton id='confirm-open-orders' kind='secondary' onClick={() => openPay(PAY_ROUTES.orders)}>
              查看未完成的订单
            </BigButton>
          ) : null}
          <BigButton id='confirm-submit' onClick={() => void submit()} loading={busy}>
            {`确认无误，提交订单（${yuan(total)}）`}
          </BigButton>
        </>
      ) : null}
    </View>
  );
}
