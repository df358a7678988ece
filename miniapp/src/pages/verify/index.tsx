import { Text, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import type { z } from 'zod';
import { verificationCodeField, type certificateVerification } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { KeyValue } from '../../components/KeyValue';
import { api } from '../../api/client';
import { pageParam } from '../../api/routes';
import { useSubmit } from '../../utils/useSubmit';
import './index.css';

type Verification = z.infer<typeof certificateVerification>;

function Answer({ v }: { v: Verification }) {
  return (
    <View className={`card verify-result verify-result--${v.valid ? 'valid' : 'invalid'}`} id='verify-result'>
      <Text className='verify-result__verdict' id='verify-verdict'>
        {v.valid ? '验证通过：证明真实有效' : '验证未通过'}
      </Text>
      <Text id='verify-message'>{v.message}</Text>
      <KeyValue label='验证码' code>
        {v.code}
      </KeyValue>
      {v.holderName ? <KeyValue label='姓名'>{v.holderName}</KeyValue> : null}
      {v.idMasked ? <KeyValue label='身份证号'>{v.idMasked}</KeyValue> : null}
      {v.certificateNo ? (
        <KeyValue label='证书编号' code>
          {v.certificateNo}
        </KeyValue>
      ) : null}
      {v.className ? <KeyValue label='班级'>{v.className}</KeyValue> : null}
      {v.hours !== undefined ? <KeyValue label='学时'>{`${v.hours} 学时`}</KeyValue> : null}
      {v.examScore !== undefined ? <KeyValue label='考试成绩'>{`${v.examScore} 分`}</KeyValue> : null}
      {v.completedAt ? <KeyValue label='结业日期'>{v.completedAt.slice(0, 10)}</KeyValue> : null}
    </View>
  );
}

/**
 * Public: anyone holding a 学时证明 (or scanning its QR code, which opens this page with `?code=`) checks that
 * the platform issued it. The answer shows the holder masked, as the certificate itself does.
 */
export default function VerifyPage() {
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<Verification>();
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();

  async function verify(value: string) {
    const parsed = verificationCodeField.safeParse(value);
    if (!checkFields(parsed.success ? {} : { code: value.trim() ? '验证码是12位字母和数字，如 ABCD-EFGH-JKLM，请核对后重新输入' : '请输入验证码' }) || !parsed.success) return;
    setAnswer(undefined);
    await run(async () => setAnswer(await api.get<Verification>(`/api/public/completion-certificates/${encodeURIComponent(parsed.data)}`, { noRedirect: true })));
  }

  // a scanned QR code opens the page with the code: verified at once
  useLoad(() => {
    const scanned = pageParam('code');
    if (!scanned) return;
    setCode(scanned);
    void verify(scanned);
  });

  return (
    <View className='page verify-page' id='verify-page'>
      <Text className='page__title'>学时证明验证</Text>
      <Text className='page__subtitle'>输入学时证明上的验证码，或用微信扫描证明上的二维码。</Text>
      <View className='card'>
        <Field id='code' label='验证码' value={code} onChange={setCode} maxlength={14} placeholder='如 ABCD-EFGH-JKLM' error={fieldErrors.code} />
        <ErrorBanner id='verify-error' message={error} reveal />
        <BigButton id='verify-submit' loading={busy} onClick={() => void verify(code)}>
          验证
        </BigButton>
      </View>
      {answer ? <Answer v={answer} /> : null}
    </View>
  );
}
