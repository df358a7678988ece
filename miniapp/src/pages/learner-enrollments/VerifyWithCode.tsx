import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { ALREADY_VERIFIED, learnerVerifyWithCodeRequest, type LearnerVerifyWithCodeRequest, type SessionPrincipal } from '@ce/types';
import { BigButton } from '../../components/BigButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ActivationCodeField } from '../../components/ActivationCodeField';
import { ApiError, api, fieldErrorsFrom } from '../../api/client';
import type { PrincipalResponse } from '../../api/types';
import { useSubmit } from '../../utils/useSubmit';
import { askForEmptyFields } from '../../utils/validation';

function isAlreadyVerified(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'CONFLICT' && (e.details as { reason?: unknown } | undefined)?.reason === ALREADY_VERIFIED;
}

/** Sends the code; verified meanwhile (e.g. on another visit) counts as done, with the principal as it is now. */
async function verify(body: LearnerVerifyWithCodeRequest): Promise<SessionPrincipal> {
  try {
    return (await api.post<PrincipalResponse>('/api/auth/learner/verify-with-code', body)).principal;
  } catch (e) {
    if (isAlreadyVerified(e)) return (await api.get<PrincipalResponse>('/api/auth/me')).principal;
    throw e;
  }
}

function validate(activationCode: string) {
  const parsed = learnerVerifyWithCodeRequest.safeParse({ activationCode });
  const errors = askForEmptyFields(parsed.success ? {} : fieldErrorsFrom(parsed.error.issues), { activationCode }, { activationCode: '激活码' });
  return { parsed, errors };
}

/**
 * 输入激活码: a learner bound with the initial password types the code their enterprise generated for them
 * (spaces, dashes and small letters are fine). Success hands back the principal, whose binding is 已核验.
 */
export function VerifyWithCode({ onVerified }: { onVerified(principal: SessionPrincipal): void }) {
  const [open, setOpen] = useState(false);
  const [activationCode, setActivationCode] = useState('');
  const { busy, error, fieldErrors, checkFields, run } = useSubmit();

  async function submit() {
    const { parsed, errors } = validate(activationCode);
    if (!checkFields(errors) || !parsed.success) return;
    await run(async () => onVerified(await verify(parsed.data)));
  }

  if (!open) {
    return (
      <BigButton id='verify-open' kind='secondary' onClick={() => setOpen(true)}>
        输入激活码
      </BigButton>
    );
  }
  return (
    <View className='card verify-code' id='verify-form'>
      <Text className='section-title'>输入企业给的激活码</Text>
      <ActivationCodeField
        value={activationCode}
        onChange={setActivationCode}
        hint='由所在企业的经办人生成、当面交给您。字母不分大小写，空格和横线可不输。'
        error={fieldErrors.activationCode}
      />
      <ErrorBanner id='verify-error' message={error} reveal />
      <BigButton id='verify-submit' onClick={() => void submit()} loading={busy}>
        核验本人
      </BigButton>
    </View>
  );
}
