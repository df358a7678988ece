import type { Migration } from '../platform/migrations';

/**
 * Policies stored before exams lack the exam timing/scoring settings and the report promise the policy schema now
 * requires. Adds each missing one with the value it was introduced with, per province; anything an operator set is
 * left as it is. Values written here, not read from the profiles, so this migration means the same thing forever.
 */
const COMMON: Record<string, unknown> = {
  'settings.exam.points': { single: 1, multiple: 2, judge: 1 },
  'settings.exam.leavingGraceSeconds': 15,
  'settings.exam.autosaveGraceSeconds': 10,
  'settings.exam.captureEverySeconds': { min: 600, max: 1200 },
};
const REPORT: Record<string, { promisedDays: number; workingDays: boolean }> = {
  SD: { promisedDays: 3, workingDays: false },
  YN: { promisedDays: 3, workingDays: true },
};

export const policyExamsAndReport: Migration = {
  name: '006-policy-exams-and-report',
  async up({ db, logger }) {
    const policies = db.collection<{ province: string }>('policies');
    for (const policy of await policies.find({}).toArray()) {
      const values = { ...COMMON, 'settings.report': REPORT[policy.province] ?? REPORT.SD };
      for (const [path, value] of Object.entries(values)) {
        const result = await policies.updateOne({ _id: policy._id, [path]: { $exists: false } }, { $set: { [path]: value } });
        if (result.modifiedCount) logger.info({ province: policy.province, setting: path }, 'policy setting added');
      }
    }
  },
};
