import { z } from 'zod';
import { isLocalDate } from './dates';
import { isValidIdNumber, normalizeIdNumber } from './validators/idNumber';
import { isValidUscc, normalizeUscc } from './validators/uscc';

/** Field validators reused by every request schema, so an ID number is checked the same way everywhere. */
export const idNumberField = z
  .string()
  .trim()
  .refine((v) => isValidIdNumber(v), { message: '身份证号码不正确（请核对18位号码及末位校验码）' })
  .transform(normalizeIdNumber);

export const usccField = z
  .string()
  .trim()
  .refine((v) => isValidUscc(v), { message: '统一社会信用代码不正确（18位，请核对末位校验码）' })
  .transform(normalizeUscc);

export const localDateField = z.string().refine(isLocalDate, { message: '日期格式应为 YYYY-MM-DD' });

export const personNameField = z.string().trim().min(2, '姓名至少2个字').max(30, '姓名过长');

export const passwordField = z.string().min(1, '请输入密码').max(64, '密码过长');

/** Minimum strength for a chosen password: 8+ characters with letters and digits. */
export const NEW_PASSWORD_RULE = /^(?=.*[A-Za-z])(?=.*\d).{8,64}$/;
export const newPasswordField = z.string().regex(NEW_PASSWORD_RULE, '新密码至少8位，且须同时包含字母和数字');

export const objectIdField = z.string().regex(/^[0-9a-f]{24}$/, '编号格式不正确');
