import type { FieldErrors } from '../api/client';

/**
 * Empty fields ask for their value ("请输入身份证号") instead of the format message a validator gives for
 * an empty string ("身份证号码不正确"). `labels` names the fields to check, in the words the form uses.
 */
export function askForEmptyFields(errors: FieldErrors, values: Record<string, string>, labels: Record<string, string>): FieldErrors {
  const out = { ...errors };
  for (const [field, label] of Object.entries(labels)) if (!values[field]?.trim()) out[field] = `请输入${label}`;
  return out;
}
