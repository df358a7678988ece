import type { Migration } from '../platform/migrations';

/**
 * Policies stored before issue 5 lack `accounts.learnerBindProofs` and `accounts.activationCodeValidHours`,
 * which the policy schema now requires (every login reads settings). Adds them where missing, per province, with
 * the values the built-in profiles introduced them with; anything an operator set is left as it is.
 * The values are written here, not read from the profiles, so this migration means the same thing forever.
 */
const INTRODUCED_WITH: Record<string, { learnerBindProofs: string[]; activationCodeValidHours: number }> = {
  SD: { learnerBindProofs: ['INITIAL_PASSWORD', 'ACTIVATION_CODE'], activationCodeValidHours: 72 },
  YN: { learnerBindProofs: ['INITIAL_PASSWORD', 'ACTIVATION_CODE'], activationCodeValidHours: 72 },
};
const FALLBACK = INTRODUCED_WITH.SD;

export const policyLearnerBindingSettings: Migration = {
  name: '001-policy-learner-binding-settings',
  async up({ db, logger }) {
    const policies = db.collection<{ province: string }>('policies');
    for (const policy of await policies.find({}).toArray()) {
      const values = INTRODUCED_WITH[policy.province] ?? FALLBACK;
      for (const [field, value] of Object.entries(values)) {
        const path = `settings.accounts.${field}`;
        const result = await policies.updateOne({ _id: policy._id, [path]: { $exists: false } }, { $set: { [path]: value } });
        if (result.modifiedCount) logger.info({ province: policy.province, setting: path, value }, 'policy setting added');
      }
    }
  },
};
