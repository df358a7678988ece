/**
 * The composition root: where modules that must not know each other are wired together. The registry tells
 * a listener about the enterprises an import saw; accounts is that listener (it creates and renames logins).
 * Every caller of `importCertificates` (the sync CLI, the nightly job, the demo seed, tests) passes this one.
 */
import { syncEnterpriseAccounts } from './modules/accounts';
import { recordExamPassed } from './modules/completion';
import type { ExamListener } from './modules/exams';
import { orderPaymentListener } from './modules/orders';
import type { PaymentListener } from './modules/payments';
import type { RegistryListener } from './modules/registry';

export const registryListener: RegistryListener = { enterprisesSeen: syncEnterpriseAccounts };

/** Verified WeChat Pay events (recorded once by payments): orders applies them. */
export const paymentListener: PaymentListener = orderPaymentListener;

/** A passed exam puts the learner in the city reviewers' queue at once (completion records it). */
export const examListener: ExamListener = { examPassed: recordExamPassed };
