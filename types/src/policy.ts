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
  study: z.strictObject({
    windowDays: z.number().int().positive().nullable(),
    /** How often the player reports (seconds); also on pause, hide and end. */
    heartbeatSeconds: z.number().int().min(5).max(60),
    /** Slack allowed per heartbeat interval (network jitter): credit ≤ server-clock interval + this. */
    creditToleranceSeconds: z.number().min(0).max(30),
    /** A lesson completes when credited time ≥ duration − this (and the watched intervals cover the video). */
    completionToleranceSeconds: z.number().min(0).max(60),
    /** A reported position this far past the furthest watched point (first viewing) is a seek ahead: undone. */
    seekAheadToleranceSeconds: z.number().min(0).max(30),
    /** A passed face check (photo vs avatar) opens study for this long. */
    faceCheckValidMinutes: z.number().int().min(1).max(24 * 60),
  }),
  orders: z.strictObject({
    expiryMinutes: z.number().int().positive(),
    paymentMethods: z.array(z.enum(['WECHAT_JSAPI', 'WECHAT_NATIVE', 'OFFLINE_TRANSFER'])).min(1),
    /** Yunnan: an enterprise types its name and tax ID again when placing an order (checked against the invoice). */
    requirePayerReentry: z.boolean(),
    /** Yunnan: a learner may enroll alone (their own certificate) and pay the order themselves. */
    personalEnrollment: z.boolean(),
  }),
  photos: z.strictObject({
    keptPerTopic: z.number().int().positive(),
    coveragePercent: z.number().min(0).max(100),
    /** Study photos are asked for at random moments, this many seconds of credited watching apart. */
    captureEverySeconds: z.strictObject({ min: z.number().int().min(10), max: z.number().int().min(10) }),
    /** A capture not answered within this many seconds pauses crediting until a photo is accepted. */
    captureGraceSeconds: z.number().int().min(10).max(600),
    /** Kept photos are deleted this many days after the study window ends (superseded/rejected ones at once). */
    retentionDays: z.number().int().min(1).max(3650),
  }),
  exam: z.strictObject({
    durationMinutes: z.number().int().positive(),
    questionCounts: z.strictObject({ single: z.number().int().min(0), multiple: z.number().int().min(0), judge: z.number().int().min(0) }),
    fullMarks: z.number().int().positive(),
    passMark: z.number().int().positive(),
    maxAttempts: z.number().int().positive(),
    leavingRule: z.enum(['END_ATTEMPT_SCORE_ZERO', 'CLOCK_KEEPS_RUNNING']),
    /** Points per question of each type (counts × points = full marks). */
    points: z.strictObject({ single: z.number().positive(), multiple: z.number().positive(), judge: z.number().positive() }),
    /** The app may be hidden this long (a call, a notification) before it counts as leaving. */
    leavingGraceSeconds: z.number().int().min(0).max(300),
    /** An autosave sent before the deadline is kept if it arrives within this many seconds after it. */
    autosaveGraceSeconds: z.number().int().min(0).max(120),
    /** Exam photos: one at the start, then at random moments this many seconds apart. */
    captureEverySeconds: z.strictObject({ min: z.number().int().min(10), max: z.number().int().min(10) }),
  }),
  deferral: z.strictObject({ allowed: z.boolean(), extensionDays: z.number().int().positive(), onlyAfterWindowEnds: z.boolean() }),
  retake: z.strictObject({ allowed: z.boolean(), attemptsRestored: z.number().int().positive(), onlyAfterAllAttemptsUsed: z.boolean() }),
  renewal: z.strictObject({ windowMonthsBeforeExpiry: z.number().int().positive() }),
  /** What the learner is promised about the government report (Shandong: 3 days; Yunnan: 2-3 working days). */
  report: z.strictObject({ promisedDays: z.number().int().positive(), workingDays: z.boolean() }),
  face: z.strictObject({
    /** Face-provider name → the score (that provider's scale) at or above which two photos are the same person. */
    matchThresholds: z.record(z.string(), z.number().min(0).max(100)),
    /** Identity-provider name → minimum similarity to the national record photo. */
    identityThresholds: z.record(z.string(), z.number().min(0).max(100)),
    /** Failed face checks in a row after which the learner is offered manual review (never locked out). */
    failuresBeforeManualReview: z.number().int().min(1).max(20),
    /** Version of the face-data consent text the learner must accept. */
    consentTextVersion: z.string().min(1).max(40),
  }),
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
