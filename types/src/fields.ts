import { z } from 'zod';
import { isLocalDate } from './dates';
import { isValidIdNumber, normalizeIdNumber } from './validators/idNumber';
import { isValidUscc, normalizeUscc } from './validators/uscc';

/** Field validators reused by every request schema, so an ID number is checked the same way everywhere. */
export const idNumberField = z
  .string()
  .trim()
  // Request schemas cannot be handed the backend's clock: the birth date is checked against the real date.
  .refine((v) => isValidIdNumber(v, new Date()), { message: '身份证号码不正确（请核对18位号码及末位校验码）' })
  .transform(normalizeIdNumber);

export const usccField = z
  .string()
  .trim()
  .refine((v) => isValidUscc(v), { message: '统一社会信用代码不正确（18位，请核对末位校验码）' })
  .transform(normalizeUscc);

export const localDateField = z.string().refine(isLocalDate, { message: '日期格式应为 YYYY-MM-DD' });

/**
 * Characters no name may hold: C0/C1 controls (NUL, CR, LF, TAB …), format characters (RTL/LTR overrides
 * and isolates, zero-width space/joiners, BOM, soft hyphen) and line/paragraph separators. They hide or
 * reorder what a reviewer sees, so they are refused, never stripped silently.
 */
export const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** How many characters a person sees (grapheme-ish: code points, after removing whitespace). */
export function visibleLength(value: string): number {
  return [...value.replace(/\s/gu, '')].length;
}

/** A name or other short free text: no control/format characters; `min` counts visible characters. */
export function nameText(label: string, min: number, max: number) {
  return z
    .string({ error: `请填写${label}` })
    .trim()
    .refine((v) => !INVISIBLE_OR_CONTROL.test(v), { message: `${label}含有不可见或控制字符，请删除后重新输入` })
    .refine((v) => visibleLength(v) >= min, { message: `${label}至少${min}个字` })
    .refine((v) => [...v].length <= max, { message: `${label}过长（最多${max}个字）` });
}

export const personNameField = nameText('姓名', 2, 30);
export const enterpriseNameField = nameText('企业名称', 2, 100);

export const passwordField = z.string().min(1, '请输入密码').max(64, '密码过长');

/** Minimum strength for a chosen password: 8+ characters with letters and digits. */
export const NEW_PASSWORD_RULE = /^(?=.*[A-Za-z])(?=.*\d).{8,64}$/;
export const newPasswordField = z.string().regex(NEW_PASSWORD_RULE, '新密码至少8位，且须同时包含字母和数字');

/** 激活码: 10 characters from an alphabet without look-alikes; spaces and dashes typed by a person are ignored. */
export const ACTIVATION_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const activationCodeField = z
  .string()
  .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .refine((v) => new RegExp(`^[${ACTIVATION_CODE_ALPHABET}]{10}$`).test(v), { message: '激活码为10位字母或数字，请核对' });

export const objectIdField = z.string().regex(/^[0-9a-f]{24}$/, '编号格式不正确');
