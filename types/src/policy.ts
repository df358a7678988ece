import { z } from 'zod';
import { CERTIFICATE_CATEGORIES, EXAM_MODES, LEARNER_BIND_PROOFS, PROVINCES } from './enums';

/** How an initial password is derived for a freshly created account. */
export const initialPasswordRule = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('uscc') }),
  z.strictObject({ rule: z.literal('accountSuffix'), length: z.number().int().min(4).max(18) }),
  z.strictObject({ rule: z.literal('fixed'), value: z.string().min(6) }),
]);
export type InitialPasswordRule = z.infer<typeof initialPasswordRule>;

const topic = z.strictObject({ code: z.string().min(1), name: z.string().min(1), requiredHours: z.number().positive() });

/** Every setting domain.md lists. A province profile holds a full set; a city override holds any part of it. */
export const policySettings = z.strictObject({
  enrollment: z.strictObject({
    windowMonthsBeforeExpiry: z.number().int().min(1).max(24),
    examMode: z.enum(EXAM_MODES),
    leadTimeDays: z.strictObject({ online: z.number().int().min(0), offline: z.number().int().min(0) }),
    uploadDelayDays: z.number().int().min(0),
    hoursPerDay: z.number().positive(),
    additionalACertificatesExempt: z.boolean(),
    bRequiresConstructorRegistration: z.boolean(),
  }),
  hours: z.strictObject({ required: z.number().positive(), topics: z.array(topic).min(1) }),
  accounts: z.strictObject({
    enterpriseLoginBy: z.enum(['name', 'uscc']),
    enterpriseInitialPassword: initialPasswordRule,
    learnerInitialPassword: initialPasswordRule,
    singleActiveLearnerSession: z.boolean(),
    /** Proofs a learner may bind with; INITIAL_PASSWORD bindings are provisional. */
    learnerBindProofs: z.array(z.enum(LEARNER_BIND_PROOFS)).min(1),
    /** How long an enterprise-issued activation code stays usable. */
    activationCodeValidHours: z.number().int().min(1).max(24 * 30),
  }),
  study: z.strictObject({ windowDays: z.number().int().positive().nullable() }),
  orders: z.strictObject({
    expiryMinutes: z.number().int().positive(),
    paymentMethods: z.array(z.enum(['WECHAT_JSAPI', 'WECHAT_NATIVE', 'OFFLINE_TRANSFER'])).min(1),
    /** Yunnan: an enterprise types its name and tax ID again when placing an order (checked against the invoice). */
    requirePayerReentry: z.boolean(),
    /** Yunnan: a learner may enroll alone (their own certificate) and pay the order themselves. */
    personalEnrollment: z.boolean(),
  }),
  photos: z.strictObject({ keptPerTopic: z.number().int().positive(), coveragePercent: z.number().min(0).max(100) }),
  exam: z.strictObject({
    durationMinutes: z.number().int().positive(),
    questionCounts: z.strictObject({ single: z.number().int().min(0), multiple: z.number().int().min(0), judge: z.number().int().min(0) }),
    fullMarks: z.number().int().positive(),
    passMark: z.number().int().positive(),
    maxAttempts: z.number().int().positive(),
    leavingRule: z.enum(['END_ATTEMPT_SCORE_ZERO', 'CLOCK_KEEPS_RUNNING']),
  }),
  deferral: z.strictObject({ allowed: z.boolean(), extensionDays: z.number().int().positive(), onlyAfterWindowEnds: z.boolean() }),
  retake: z.strictObject({ allowed: z.boolean(), attemptsRestored: z.number().int().positive(), onlyAfterAllAttemptsUsed: z.boolean() }),
  renewal: z.strictObject({ windowMonthsBeforeExpiry: z.number().int().positive() }),
  face: z.strictObject({ matchThreshold: z.number().min(0).max(1) }),
});
export type PolicySettings = z.infer<typeof policySettings>;

type DeepPartial<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type PolicyOverride = DeepPartial<PolicySettings>;

export const provincePolicy = z.strictObject({
  province: z.enum(PROVINCES),
  name: z.string(),
  settings: policySettings,
  /** City name → the settings that differ from the province's. */
  cityOverrides: z.record(z.string(), z.custom<PolicyOverride>((v) => typeof v === 'object' && v !== null)),
  /** Which certificate categories this province serves. */
  categories: z.array(z.enum(CERTIFICATE_CATEGORIES)).min(1),
});
export type ProvincePolicy = z.infer<typeof provincePolicy>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies an override onto settings: objects merge key by key, anything else (numbers, arrays) replaces. */
export function mergeSettings<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeSettings((base as Record<string, unknown>)[key], value);
  return out as T;
}

export function effectiveSettings(policy: ProvincePolicy, city?: string): PolicySettings {
  // City names come from data (a city may be called `constructor`): only the policy's own entries count.
  const override = city && Object.hasOwn(policy.cityOverrides, city) ? policy.cityOverrides[city] : undefined;
  return override ? policySettings.parse(mergeSettings(policy.settings, override)) : policy.settings;
}
