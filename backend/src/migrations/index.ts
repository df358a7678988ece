import type { Migration } from '../platform/migrations';
import { policyLearnerBindingSettings } from './001-policy-learner-binding-settings';
import { accountsPerLegalEntity } from './002-accounts-per-legal-entity';
import { policyPayerReentry } from './003-policy-payer-reentry';
import { policyPersonalEnrollment } from './004-policy-personal-enrollment';
import { policyLearningAndFace } from './005-policy-learning-and-face';
import { policyExamsAndReport } from './006-policy-exams-and-report';

/**
 * Every migration, in the order they apply. Add new ones at the end as `NNN-what-it-does.ts`; never edit or
 * reorder one that has shipped (databases record it as applied by name).
 */
export const MIGRATIONS: Migration[] = [policyLearnerBindingSettings, accountsPerLegalEntity, policyPayerReentry, policyPersonalEnrollment, policyLearningAndFace, policyExamsAndReport];
