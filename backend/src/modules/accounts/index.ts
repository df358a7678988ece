/**
 * Accounts and identity: enterprise, learner (WeChat) and staff logins, sessions, lockout and rate limits,
 * password changes, learner bindings and activation codes. Other modules import only from here.
 */
export { accountRoutes } from './routes';
export { authenticate, findSession } from './sessions';
export { createStaffAccount } from './staff';

/** The registry's listener implementation (wired at the composition root). */
export { enterpriseAccountId, syncEnterpriseAccounts } from './enterprise-accounts';
export { EnterpriseAccountModel, type EnterpriseAccountDoc } from './data';

/** Learner bindings as enterprises see them, and the hook for identity verification (实名核身). */
export { learnerBindingsFor, verifyLearnerIdentity } from './learner-binding';
export { bindLearnerByIdentity, confirmLearnerIdentity, type IdentityCheck, type IdentitySubject } from './learner-login';
export { loginResponse } from './principal';
export { identityHistoryOf } from './audit';

/** Per-address limits for other public endpoints, and the record of failed password checks. */
export { failedChecksSince, limitRate, type CheckedSubject, type RateBucket } from './throttle';
