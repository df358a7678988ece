import { z } from 'zod';
import { PROVINCES, STAFF_ROLES } from '../enums';
import { idNumberField, newPasswordField, passwordField } from '../fields';

export const enterpriseLoginRequest = z.strictObject({
  province: z.enum(PROVINCES),
  /** 企业名称（汉字全称）or 统一社会信用代码, whichever the province's policy names. */
  account: z.string().trim().min(2, '请输入账号').max(100),
  password: passwordField,
});

export const learnerWechatLoginRequest = z.strictObject({ code: z.string().min(1).max(128) });

export const learnerBindRequest = z.strictObject({ idNumber: idNumberField, password: passwordField });

export const staffLoginRequest = z.strictObject({ username: z.string().trim().min(2).max(64), password: passwordField });

export const changePasswordRequest = z.strictObject({ currentPassword: passwordField, newPassword: newPasswordField });

export const sessionPrincipal = z.object({
  role: z.enum(['learner', 'enterprise', 'reviewer', 'operator', 'wechat']),
  /** `wechat`: logged in with WeChat but not yet bound to a person. */
  displayName: z.string(),
  province: z.enum(PROVINCES).optional(),
  city: z.string().optional(),
  idNumberMasked: z.string().optional(),
  uscc: z.string().optional(),
  mustChangePassword: z.boolean(),
});
export type SessionPrincipal = z.infer<typeof sessionPrincipal>;

export const loginResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  principal: sessionPrincipal,
});
export type LoginResponse = z.infer<typeof loginResponse>;

export const staffRoleField = z.enum(STAFF_ROLES);
