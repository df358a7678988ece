import { Text, View } from '@tarojs/components';
import type { InvoiceKind } from '@ce/types';
import { Chips } from '../../components/Chips';
import { Field } from '../../components/Field';
import type { FieldErrors } from '../../api/client';

export interface InvoiceDraft {
  kind: InvoiceKind;
  title: string;
  taxId: string;
  email: string;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
}

export const EMPTY_INVOICE: InvoiceDraft = { kind: 'NORMAL', title: '', taxId: '', email: '', address: '', phone: '', bankName: '', bankAccount: '' };

/** 发票信息 for an enterprise: 普票 (title, tax ID, email) or 专票 (also address, phone, bank and account). */
export function InvoiceForm({ value, onChange, errors }: { value: InvoiceDraft; onChange(next: InvoiceDraft): void; errors: FieldErrors }) {
  const set = (field: keyof InvoiceDraft) => (v: string) => onChange({ ...value, [field]: v });
  return (
    <View id='invoice-form'>
      <Chips
        id='invoice-kind'
        layout='segmented'
        value={value.kind}
        onChange={(v) => onChange({ ...value, kind: v as InvoiceKind })}
        options={[
          { value: 'NORMAL', label: '普票' },
          { value: 'SPECIAL', label: '专票' },
        ]}
      />
      <Text className='muted'>{value.kind === 'SPECIAL' ? '增值税专用发票：另需注册地址、电话、开户银行和账号。' : '电子普通发票：抬头、纳税人识别号和接收邮箱。'}</Text>
      <Field id='invoiceTitle' label='发票抬头（单位全称）' value={value.title} onChange={set('title')} error={errors.title} />
      <Field id='invoiceTaxId' label='纳税人识别号' value={value.taxId} onChange={set('taxId')} maxlength={18} placeholder='18位统一社会信用代码' error={errors.taxId} />
      <Field id='invoiceEmail' label='接收发票的邮箱' value={value.email} onChange={set('email')} placeholder='name@example.com' error={errors.email} />
      {value.kind === 'SPECIAL' ? (
        <>
          <Field id='invoiceAddress' label='注册地址' value={value.address} onChange={set('address')} error={errors.address} />
          <Field id='invoicePhone' label='注册电话' value={value.phone} onChange={set('phone')} error={errors.phone} />
          <Field id='invoiceBankName' label='开户银行' value={value.bankName} onChange={set('bankName')} error={errors.bankName} />
          <Field id='invoiceBankAccount' label='银行账号' value={value.bankAccount} onChange={set('bankAccount')} maxlength={40} error={errors.bankAccount} />
        </>
      ) : null}
    </View>
  );
}
