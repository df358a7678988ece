import type { LocalDate } from './dates';

/**
 * Why a certificate cannot be enrolled. Codes are stable (programs and filters use them); each maps to the
 * rule in the spec it comes from.
 */
export const ELIGIBILITY_REASONS = {
  /** Rule 1: expiry is further away than the enrollment window. */
  TOO_EARLY: '距离证书到期时间较长，暂未到报名时间',
  /** Rule 2: too little time left to study, upload the result and meet the city's lead time. */
  NOT_ENOUGH_TIME: '证书临近到期，剩余时间不足以完成学习、结果上传及考试安排',
  /** Rule 3: additional A certificates follow the main one. */
  ADDITIONAL_A_CERTIFICATE: '该证书为增发A证，无需参加继续教育，请为主A证报名；主A证延期后增发A证自动延续',
  /** Rule 4: the certificate now belongs to another enterprise. */
  NOT_CURRENT_ENTERPRISE: '该证书已不在本企业名下，只能由证书当前所在企业报名',
  /** Rule 5: the chosen class is for another certificate category or job type. */
  CLASS_MISMATCH: '所选学习班与证书类别不一致，请进入对应类别的学习班报名',
  /** Rule 6: expired certificates are locked. */
  EXPIRED: '证书已过期，系统已自动锁定',
  /** Rule 6: the registry reports the certificate as not valid (suspended, revoked, voided). */
  CERTIFICATE_NOT_VALID: '证书状态异常（非有效状态），不能报名',
  /** Rule 6: another business is in progress on this certificate. */
  BUSY_WITH_OTHER_BUSINESS: '证书正在办理其他业务，办结后方可报名',
  /** Rule 6: already enrolled in continuing education for this validity period. */
  ALREADY_ENROLLED: '该证书本周期已报名继续教育',
  /** Rule 7: B certificates need a valid constructor registration ... */
  CONSTRUCTOR_REGISTRATION_MISSING: 'B类证书持有人须有有效的建造师注册证书',
  /** Rule 7: ... in the same enterprise. */
  CONSTRUCTOR_REGISTRATION_OTHER_ENTERPRISE: 'B类证书持有人的建造师注册单位须与证书所在单位一致',
} as const;

export type EligibilityReasonCode = keyof typeof ELIGIBILITY_REASONS;
export const ELIGIBILITY_REASON_CODES = Object.keys(ELIGIBILITY_REASONS) as EligibilityReasonCode[];

export interface EligibilityReason {
  code: EligibilityReasonCode;
  message: string;
  /** The first day the certificate becomes eligible, where that is knowable (only for TOO_EARLY). */
  eligibleFrom?: LocalDate;
}
