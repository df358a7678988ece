import { useState } from 'react';
import { ApiError, isRetryable, messageOf, type FieldErrors } from '../api/client';

/**
 * The state every form shares: busy while sending, the server's message, and its per-field errors.
 * `checkFields` shows our own checks' errors; `run` sends, and on failure shows the message and the fields'
 * errors and keeps what the user typed. Pages show `error` right above their submit button, where the
 * person who just tapped it is looking.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  /** Shows the fields' errors and, if there are any, says so by the button too (the fields may be out of view). */
  function checkFields(errors: FieldErrors): boolean {
    setFieldErrors(errors);
    const count = Object.keys(errors).length;
    setError(count ? `有 ${count} 处需要改正，请看红字提示` : undefined);
    return count === 0;
  }

  async function run(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError) setFieldErrors(e.fieldErrors);
      setError(isRetryable(e) ? `${messageOf(e)}（已填写的内容不会丢失，稍后再点一次即可）` : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, fieldErrors, checkFields, run };
}
