import { z } from 'zod';
import { PROVINCES, STAFF_ROLES } from '../enums';
import { LEARNER_BINDING_STATES } from '../enums';
import { activationCodeField, idNumberField, newPasswordField, passwordField, personNameField, usccField } from '../fields';

/** The initial-password hints are account rules; the mini-program's login pages show them. */
export { enterpriseInitialPasswordHint, learnerInitialPasswordHint } from '../policy-hints';

export const enterpriseLoginRequest = z.strictObject({
  province: z.enum(PROVINCES),
  /** 企业名称（汉字全称）or 统一社会信用代码, whichever the province's policy names. */
  account: z.string().trim().min(2, '请输入账号').max(100),
  password: passwordField,
  /** Asked for only when a name is shared by several enterprises (answer ACCOUNT_AMBIGUOUS). */
  uscc: usccField.optional(),
});

export const learnerWechatLoginRequest = z.strictObject({ code: z.string().min(1).max(128) });

/**
 * 绑定: name + ID number + one proof. `password` is the learner's own password, or (policy permitting) the
 * initial one, which gives only a provisional binding; `activationCode` (from the enterprise) gives a
 * verified one. Unknown person, wrong name and wrong proof are answered alike.
 */
export const learnerBindRequest = z
  .strictObject({
    name: personNameField,
    idNumber: idNumberField,
    password: passwordField.optional(),
    activationCode: activationCodeField.optional(),
  })
  .refine((v) => (v.password === undefined) !== (v.activationCode === undefined), {
    message: '请输入密码或激活码（二选一）',
    path: ['password'],
  });
export type LearnerBindRequest = z.input<typeof learnerBindRequest>;

/**
 * 输入激活码: a learner bound provisionally (initial password) proves with the enterprise's code that they are
 * the certificate holder; the binding becomes verified and the session stays.
 */
export const learnerVerifyWithCodeRequest = z.strictObject({ activationCode: activationCodeField });
export type LearnerVerifyWithCodeRequest = z.input<typeof learnerVerifyWithCodeRequest>;

/** `details.reason` of the 409 a verified learner gets when entering a code: nothing to do. */
export const ALREADY_VERIFIED = 'ALREADY_VERIFIED';

/** Where a learner's binding stands: PROVISIONAL (initial password only) or VERIFIED (activation code / identity). */
export const learnerBinding = z.object({
  state: z.enum(LEARNER_BINDING_STATES),
  stateLabel: z.string(),
  since: z.string().optional(),
  /** What the learner or enterprise can do about it, in Chinese. */
  hint: z.string().optional(),
});
export type LearnerBinding = z.infer<typeof learnerBinding>;

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
  /** Learners only: how their WeChat binding was proven. */
  binding: learnerBinding.optional(),
});
export type SessionPrincipal = z.infer<typeof sessionPrincipal>;

export const loginResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  principal: sessionPrincipal,
});
export type LoginResponse = z.infer<typeof loginResponse>;

export const staffRoleField = z.enum(STAFF_ROLES);
