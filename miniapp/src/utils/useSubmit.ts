import { useState } from 'react';
import { ApiError, isRetryable, messageOf, type FieldErrors } from '../api/client';

/**
 * The state every form shares: busy while sending, the server's message, and its per-field errors.
 * `run` sends; on failure it shows the message and the fields' errors and keeps what the user typed.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function run(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError) setFieldErrors(e.fieldErrors);
      setError(isRetryable(e) ? `${messageOf(e)}（已填写的内容不会丢失，稍后再点一次即可）` : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, fieldErrors, setFieldErrors, run };
}
