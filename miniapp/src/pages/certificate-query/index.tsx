import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { platform } from '../../platform';
import { CATEGORY_LABELS, CERTIFICATE_CATEGORIES, certificateQueryRequest, maskIdNumber } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips, type ChipOption } from '../../components/Chips';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { api, fieldErrorsFrom } from '../../api/client';
import type { CertificateQueryResponse, ProvinceListResponse } from '../../api/types';
import './index.css';
import { KeyValue } from '../../components/KeyValue';
import { useSubmit } from '../../utils/useSubmit';
import { askForEmptyFields } from '../../utils/validation';

const DEFAULT_CATEGORIES: ChipOption[] = CERTIFICATE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));

/** An answer and whom it is about, so a card never shows one person's result under another's name. */
interface QueryResult {
  /** 张建国（3701**********123X） */
  holder: string;
  categoryLabel: string;
  items: CertificateQueryResponse['items'];
}

/** Public: anyone can check whether a certificate is valid with name + ID number + category. */
export default function CertificateQueryPage() {
  const [categories, setCategories] = useState<ChipOption[]>(DEFAULT_CATEGORIES);
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [category, setCategory] = useState('');
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();
  const [result, setResult] = useState<QueryResult>();

  useEffect(() => {
    // Only the categories the served provinces actually have; the full list if that cannot be loaded.
    api
      .get<ProvinceListResponse>('/api/public/provinces', { noRedirect: true })
      .then((res) => {
        const seen = new Map<string, string>();
        for (const p of res.items) for (const c of p.categories) if (!seen.has(c.code)) seen.set(c.code, c.label);
        if (seen.size) setCategories(CERTIFICATE_CATEGORIES.filter((c) => seen.has(c)).map((c) => ({ value: c, label: seen.get(c) as string })));
      })
      .catch(() => undefined);
  }, []);

  // The answer comes below the form, usually below the fold: bring its start onto the screen.
  useEffect(() => {
    if (result) platform.reveal('#query-answer');
  }, [result]);

  async function submit() {
    const parsed = certificateQueryRequest.safeParse({ name, idNumber, category });
    const errors = askForEmptyFields(parsed.success ? {} : fieldErrorsFrom(parsed.error.issues), { name, idNumber }, { name: '姓名', idNumber: '身份证号' });
    if (errors.category) errors.category = '请选择证书类别';
    if (!checkFields(errors) || !parsed.success) return;
    setResult(undefined); // the previous person's answer goes before another is asked for
    const holder = `${name.trim()}（${maskIdNumber(idNumber.trim())}）`;
    const categoryLabel = categories.find((c) => c.value === category)?.label ?? category;
    await run(async () => {
      const res = await api.post<CertificateQueryResponse>('/api/public/certificate-query', parsed.data, { noRedirect: true });
      setResult({ holder, categoryLabel, items: res.items });
    });
  }

  return (
    <View className='page certificate-query'>
      <Text className='page__title'>证书查询</Text>
      <Text className='page__subtitle'>输入持证人姓名、身份证号并选择证书类别，查询证书是否有效。</Text>
      <View className='card'>
        <Field id='name' label='姓名' value={name} onChange={setName} placeholder='持证人姓名' maxlength={30} error={fieldErrors.name} />
        <Field id='idNumber' label='身份证号' type='idcard' maxlength={18} value={idNumber} onChange={setIdNumber} placeholder='18位号码' error={fieldErrors.idNumber} />
        <View className='field' id='field-category'>
          <Text className='field__label'>证书类别</Text>
          <Chips id='category' layout='vertical' value={category} onChange={setCategory} options={categories} />
          {fieldErrors.category ? (
            <Text className='field__error' id='error-category'>
              {fieldErrors.category}
            </Text>
          ) : null}
        </View>
        <ErrorBanner message={error} reveal />
        <BigButton id='query-submit' onClick={() => void submit()} loading={busy}>
          查询
        </BigButton>
      </View>
      {result ? <View id='query-answer' className='query-answer' /> : null}
      {result && result.items.length === 0 ? (
        <View className='card' id='query-empty'>
          <Text className='empty'>未查询到证书</Text>
          <KeyValue label='持证人'>{result.holder}</KeyValue>
          <KeyValue label='证书类别'>{result.categoryLabel}</KeyValue>
          <Text className='muted'>请核对姓名、身份证号和证书类别后重试。</Text>
        </View>
      ) : null}
      {result?.items.map((c) => (
        <View className={`card query-result ${c.valid ? 'query-result--valid' : 'query-result--invalid'}`} key={c.certificateNo} id={`certificate-${c.certificateNo}`}>
          <Text className='query-result__verdict'>{c.valid ? '证书有效' : `证书${c.statusLabel}`}</Text>
          <KeyValue label='持证人'>{result.holder}</KeyValue>
          <KeyValue label='证书编号' code>
            {c.certificateNo}
          </KeyValue>
          <KeyValue label='证书类别'>{c.categoryLabel}</KeyValue>
          <KeyValue label='状态'>{c.statusLabel}</KeyValue>
          <KeyValue label='有效期至'>{c.expiryDate}</KeyValue>
        </View>
      ))}
    </View>
  );
}
