import type { PolicySettings, ProvincePolicy } from '@ce/types';

/**
 * The two built-in province profiles. Values come from the seed documents (Shandong FAQ, Yunnan manual);
 * where a document is silent the value is the spec's default and is marked "default" here so an operator
 * knows it is a choice, not a rule.
 */
const shandong: PolicySettings = {
  enrollment: {
    windowMonthsBeforeExpiry: 6,
    examMode: 'online',
    leadTimeDays: { online: 7, offline: 30 },
    uploadDelayDays: 3,
    hoursPerDay: 8,
    additionalACertificatesExempt: true,
    bRequiresConstructorRegistration: true,
  },
  hours: {
    required: 24,
    topics: [
      { code: 'LAW', name: '安全生产法律法规', requiredHours: 6 },
      { code: 'MANAGEMENT', name: '安全生产管理', requiredHours: 6 },
      { code: 'TECHNOLOGY', name: '安全生产技术', requiredHours: 6 },
      { code: 'CASES', name: '典型事故案例分析', requiredHours: 6 },
    ],
  },
  accounts: {
    enterpriseLoginBy: 'name',
    enterpriseInitialPassword: { rule: 'uscc' },
    learnerInitialPassword: { rule: 'fixed', value: '12345678' }, // default
    singleActiveLearnerSession: true, // default
    learnerBindProofs: ['INITIAL_PASSWORD', 'ACTIVATION_CODE'],
    activationCodeValidHours: 72, // default
  },
  study: { windowDays: null, heartbeatSeconds: 10, creditToleranceSeconds: 2, completionToleranceSeconds: 5, seekAheadToleranceSeconds: 3, faceCheckValidMinutes: 120 }, // default (all but windowDays)
  orders: { expiryMinutes: 30, paymentMethods: ['WECHAT_JSAPI', 'WECHAT_NATIVE', 'OFFLINE_TRANSFER'], requirePayerReentry: false, personalEnrollment: false },
  photos: { keptPerTopic: 2, coveragePercent: 60, captureEverySeconds: { min: 600, max: 1200 }, captureGraceSeconds: 120, retentionDays: 365 }, // default: capture timing, retention
  exam: {
    durationMinutes: 90, // default
    questionCounts: { single: 40, multiple: 20, judge: 20 }, // default
    fullMarks: 100,
    passMark: 60,
    maxAttempts: 5, // default
    leavingRule: 'CLOCK_KEEPS_RUNNING',
    points: { single: 1, multiple: 2, judge: 1 }, // default
    leavingGraceSeconds: 15, // default
    autosaveGraceSeconds: 10, // default
    captureEverySeconds: { min: 600, max: 1200 }, // default
  },
  deferral: { allowed: true, extensionDays: 30, onlyAfterWindowEnds: true },
  retake: { allowed: true, attemptsRestored: 5, onlyAfterAllAttemptsUsed: true },
  renewal: { windowMonthsBeforeExpiry: 3 },
  report: { promisedDays: 3, workingDays: false },
  // default: scores on each provider's 0-100 scale (local: the face engine's similarity × 100; Tencent Cloud suggests > 50)
  face: { matchThresholds: { local: 42, tencentcloud: 50 }, identityThresholds: { tencentcloud: 70 }, failuresBeforeManualReview: 3, consentTextVersion: '2026-11-v1' },
};

const yunnan: PolicySettings = {
  enrollment: {
    windowMonthsBeforeExpiry: 6, // default
    examMode: 'online',
    leadTimeDays: { online: 7, offline: 30 },
    uploadDelayDays: 3,
    hoursPerDay: 8,
    additionalACertificatesExempt: true,
    bRequiresConstructorRegistration: false,
  },
  hours: { required: 24, topics: [{ code: 'GENERAL', name: '继续教育课程', requiredHours: 24 }] },
  accounts: {
    enterpriseLoginBy: 'uscc',
    enterpriseInitialPassword: { rule: 'accountSuffix', length: 6 },
    learnerInitialPassword: { rule: 'fixed', value: '12345678' },
    singleActiveLearnerSession: true,
    learnerBindProofs: ['INITIAL_PASSWORD', 'ACTIVATION_CODE'],
    activationCodeValidHours: 72, // default
  },
  study: { windowDays: 30, heartbeatSeconds: 10, creditToleranceSeconds: 2, completionToleranceSeconds: 5, seekAheadToleranceSeconds: 3, faceCheckValidMinutes: 120 }, // default (all but windowDays)
  orders: { expiryMinutes: 30, paymentMethods: ['WECHAT_JSAPI', 'WECHAT_NATIVE'], requirePayerReentry: true, personalEnrollment: true },
  photos: { keptPerTopic: 2, coveragePercent: 60, captureEverySeconds: { min: 600, max: 1200 }, captureGraceSeconds: 120, retentionDays: 365 }, // default: capture timing, retention
  exam: {
    durationMinutes: 120,
    questionCounts: { single: 40, multiple: 20, judge: 20 }, // default
    fullMarks: 100,
    passMark: 60,
    maxAttempts: 5,
    leavingRule: 'END_ATTEMPT_SCORE_ZERO',
    points: { single: 1, multiple: 2, judge: 1 }, // default
    leavingGraceSeconds: 15, // default
    autosaveGraceSeconds: 10, // default
    captureEverySeconds: { min: 600, max: 1200 }, // default
  },
  deferral: { allowed: true, extensionDays: 30, onlyAfterWindowEnds: true },
  retake: { allowed: true, attemptsRestored: 5, onlyAfterAllAttemptsUsed: true },
  renewal: { windowMonthsBeforeExpiry: 3 },
  report: { promisedDays: 3, workingDays: true },
  // default: scores on each provider's 0-100 scale (local: the face engine's similarity × 100; Tencent Cloud suggests > 50)
  face: { matchThresholds: { local: 42, tencentcloud: 50 }, identityThresholds: { tencentcloud: 70 }, failuresBeforeManualReview: 3, consentTextVersion: '2026-11-v1' },
};

export const BUILT_IN_PROFILES: ProvincePolicy[] = [
  {
    province: 'SD',
    name: '山东省',
    settings: shandong,
    categories: ['A', 'B', 'C'],
    // Cities with offline computer-based exams open enrollment earlier and need a month's lead time.
    cityOverrides: {
      淄博市: { enrollment: { examMode: 'offline', windowMonthsBeforeExpiry: 9 } },
      潍坊市: { enrollment: { examMode: 'offline', windowMonthsBeforeExpiry: 8 } },
    },
  },
  {
    province: 'YN',
    name: '云南省',
    settings: yunnan,
    categories: ['A', 'B', 'SPECIAL_OPS', 'SITE_PRO'],
    cityOverrides: {},
  },
];
