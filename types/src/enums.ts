export const PROVINCES = ['SD', 'YN'] as const;
export type ProvinceCode = (typeof PROVINCES)[number];

/** 证书类别: 三类人员 A/B/C, 特种作业人员, 施工现场专业人员. */
export const CERTIFICATE_CATEGORIES = ['A', 'B', 'C', 'SPECIAL_OPS', 'SITE_PRO'] as const;
export type CertificateCategory = (typeof CERTIFICATE_CATEGORIES)[number];
export const CATEGORY_LABELS: Record<CertificateCategory, string> = {
  A: 'A类（主要负责人）',
  B: 'B类（项目负责人）',
  C: 'C类（专职安全生产管理人员）',
  SPECIAL_OPS: '特种作业人员',
  SITE_PRO: '施工现场专业人员',
};

/** Registry status as the provincial system reports it; expiry is judged from the dates, not from this. */
export const CERTIFICATE_STATUSES = ['VALID', 'SUSPENDED', 'REVOKED', 'VOIDED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
export const CERTIFICATE_STATUS_LABELS: Record<CertificateStatus | 'EXPIRED', string> = {
  VALID: '有效',
  SUSPENDED: '暂扣',
  REVOKED: '撤销',
  VOIDED: '注销',
  EXPIRED: '已过期',
};

/** 主A证 / 增发A证. */
export const A_KINDS = ['MAIN', 'ADDITIONAL'] as const;
export type AKind = (typeof A_KINDS)[number];

export const ROLES = ['learner', 'enterprise', 'reviewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['reviewer', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ENROLLMENT_STATUSES = ['AWAITING_PAYMENT', 'PAID', 'CANCELLED'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
export const ENROLLMENT_STATUS_LABELS: Record<EnrollmentStatus, string> = {
  AWAITING_PAYMENT: '待缴费',
  PAID: '已缴费',
  CANCELLED: '已取消',
};

export const EXAM_MODES = ['online', 'offline'] as const;
export type ExamMode = (typeof EXAM_MODES)[number];

/** How a learner account was tied to its person: see learnerBindRequest. */
export const LEARNER_BINDING_STATES = ['UNBOUND', 'PROVISIONAL', 'VERIFIED'] as const;
export type LearnerBindingState = (typeof LEARNER_BINDING_STATES)[number];
export const LEARNER_BINDING_LABELS: Record<LearnerBindingState, string> = {
  UNBOUND: '未绑定',
  PROVISIONAL: '已绑定（未核验）',
  VERIFIED: '已核验',
};

/** What a learner may prove their identity with when binding (policy: accounts.learnerBindProofs). */
export const LEARNER_BIND_PROOFS = ['INITIAL_PASSWORD', 'ACTIVATION_CODE'] as const;
export type LearnerBindProof = (typeof LEARNER_BIND_PROOFS)[number];
