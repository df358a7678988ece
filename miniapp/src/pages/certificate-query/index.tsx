import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { platform } from '../../platform';
import { CATEGORY_LABELS, CERTIFICATE_CATEGORIES, certificateQueryRequest, maskIdNumber } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { Chips, type ChipOption } from '../../components/Chips';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { api, fieldErrorsFrom } from '../../api/client';
import { ROUTES, open } from '../../api/routes';
import type { CeRecordQueryResponse, CertificateQueryResponse, ProvinceListResponse } from '../../api/types';
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

interface CeRecords {
  holder: string;
  items: CeRecordQueryResponse['items'];
}

/** Each class the holder took, with its completion and whether it reached the government platform. */
function CeRecordList({ records }: { records: CeRecords }) {
  if (!records.items.length) {
    return (
      <View className='card' id='ce-records-empty'>
        <Text className='empty'>未查询到继续教育记录</Text>
        <KeyValue label='持证人'>{records.holder}</KeyValue>
        <Text className='muted'>请核对姓名、身份证号和证书类别；尚未报名继续教育的证书没有记录。</Text>
      </View>
    );
  }
  return (
    <>
      {records.items.map((r) => (
        <View className={`card query-result ${r.state === 'COMPLETED' ? 'query-result--valid' : ''}`} key={`${r.certificateNo}-${r.className}`} id={`ce-record-${r.certificateNo}`}>
          <Text className='query-result__verdict'>{r.stateLabel}</Text>
          <KeyValue label='持证人'>{records.holder}</KeyValue>
          <KeyValue label='证书编号' code>
            {r.certificateNo}
          </KeyValue>
          <KeyValue label='班级'>{r.className}</KeyValue>
          <KeyValue label='已获学时'>{`${r.hoursEarned} 学时`}</KeyValue>
          {r.completedAt ? <KeyValue label='结业日期'>{r.completedAt.slice(0, 10)}</KeyValue> : null}
          <KeyValue label='上报'>{r.reportStateLabel}</KeyValue>
        </View>
      ))}
    </>
  );
}

/** Public: anyone can check whether a certificate is valid with name + ID number + category. */
export default function CertificateQueryPage() {
  const [categories, setCategories] = useState<ChipOption[]>(DEFAULT_CATEGORIES);
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [category, setCategory] = useState('');
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();
  const [result, setResult] = useState<QueryResult>();
  const [records, setRecords] = useState<CeRecords>();

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
    if (result || records) platform.reveal('#query-answer');
  }, [result, records]);

  /** The form's values checked, or undefined (the errors are shown); the previous answers go first. */
  function checkedQuery() {
    const parsed = certificateQueryRequest.safeParse({ name, idNumber, category });
    const errors = askForEmptyFields(parsed.success ? {} : fieldErrorsFrom(parsed.error.issues), { name, idNumber }, { name: '姓名', idNumber: '身份证号' });
    if (errors.category) errors.category = '请选择证书类别';
    if (!checkFields(errors) || !parsed.success) return undefined;
    setResult(undefined);
    setRecords(undefined);
    const holder = `${name.trim()}（${maskIdNumber(idNumber.trim())}）`;
    const categoryLabel = categories.find((c) => c.value === category)?.label ?? category;
    return { body: parsed.data, holder, categoryLabel };
  }

  async function submit() {
    const q = checkedQuery();
    if (!q) return;
    await run(async () => {
      const res = await api.post<CertificateQueryResponse>('/api/public/certificate-query', q.body, { noRedirect: true });
      setResult({ holder: q.holder, categoryLabel: q.categoryLabel, items: res.items });
    });
  }

  /** 继续教育记录: the same three fields, answered with each class's completion and report status. */
  async function queryRecords() {
    const q = checkedQuery();
    if (!q) return;
    await run(async () => {
      const res = await api.post<CeRecordQueryResponse>('/api/public/ce-records', q.body, { noRedirect: true });
      setRecords({ holder: q.holder, items: res.items });
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
        <BigButton id='ce-records-submit' kind='secondary' onClick={() => void queryRecords()} loading={busy}>
          查询继续教育记录
        </BigButton>
      </View>
      <BigButton id='to-verify' kind='plain' onClick={() => open(ROUTES.verify)}>
        验证学时证明（输入验证码）
      </BigButton>
      {result || records ? <View id='query-answer' className='query-answer' /> : null}
      {records ? <CeRecordList records={records} /> : null}
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
