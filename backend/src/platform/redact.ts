import { ID_NUMBER_IN_TEXT, maskIdNumber } from '@ce/types';

const SECRET_KEYS = /^(password|currentPassword|newPassword|passwordHash|token|authorization|cookie|secret|session_key|idCipher|js_code|code)$/i;

/** Masks anything shaped like an ID number in free text. */
export function maskIdNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, (m) => maskIdNumber(m));
}

/** A copy of a log payload with secrets removed and ID numbers masked, however deep they sit. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdNumbersInText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskIdNumbersInText(value.message), stack: value.stack && maskIdNumbersInText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}
