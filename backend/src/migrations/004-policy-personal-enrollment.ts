import type { Migration } from '../platform/migrations';

/**
 * Policies stored before personal enrollment lack `orders.personalEnrollment`, which the policy schema now
 * requires. Adds it where missing with the value the built-in profiles introduced it with (Yunnan lets a learner
 * enroll alone and pay the order themselves; Shandong does not); anything an operator set is left as it is.
 * Values written here, not read from the profiles, so this migration means the same thing forever.
 */
const INTRODUCED_WITH: Record<string, boolean> = { SD: false, YN: true };

export const policyPersonalEnrollment: Migration = {
  name: '004-policy-personal-enrollment',
  async up({ db, logger }) {
    const policies = db.collection<{ province: string }>('policies');
    const path = 'settings.orders.personalEnrollment';
    for (const policy of await policies.find({}).toArray()) {
      const value = INTRODUCED_WITH[policy.province] ?? false;
      const result = await policies.updateOne({ _id: policy._id, [path]: { $exists: false } }, { $set: { [path]: value } });
      if (result.modifiedCount) logger.info({ province: policy.province, setting: path, value }, 'policy setting added');
    }
  },
};
