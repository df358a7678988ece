import type { Migration } from '../platform/migrations';

/**
 * Policies stored before learning and face checks lack the study, photo and face settings the policy schema now
 * requires. Adds each missing one with the value it was introduced with (the same for both provinces), and turns
 * the old single `face.matchThreshold` (0-1) into the local engine's threshold on its 0-100 scale. Anything an
 * operator set is left as it is. Values written here, not read from the profiles, so this means the same forever.
 */
const INTRODUCED_WITH: Record<string, unknown> = {
  'settings.study.heartbeatSeconds': 10,
  'settings.study.creditToleranceSeconds': 2,
  'settings.study.completionToleranceSeconds': 5,
  'settings.study.seekAheadToleranceSeconds': 3,
  'settings.study.faceCheckValidMinutes': 120,
  'settings.photos.captureEverySeconds': { min: 600, max: 1200 },
  'settings.photos.captureGraceSeconds': 120,
  'settings.photos.retentionDays': 365,
  'settings.face.identityThresholds': { tencentcloud: 70 },
  'settings.face.failuresBeforeManualReview': 3,
  'settings.face.consentTextVersion': '2026-11-v1',
};

interface StoredPolicy {
  province: string;
  settings?: { face?: { matchThreshold?: number; matchThresholds?: Record<string, number> } };
}

export const policyLearningAndFace: Migration = {
  name: '005-policy-learning-and-face',
  async up({ db, logger }) {
    const policies = db.collection<StoredPolicy>('policies');
    for (const policy of await policies.find({}).toArray()) {
      for (const [path, value] of Object.entries(INTRODUCED_WITH)) {
        const result = await policies.updateOne({ _id: policy._id, [path]: { $exists: false } }, { $set: { [path]: value } });
        if (result.modifiedCount) logger.info({ province: policy.province, setting: path }, 'policy setting added');
      }
      const face = policy.settings?.face;
      if (face && !face.matchThresholds) {
        const local = typeof face.matchThreshold === 'number' ? Math.round(face.matchThreshold * 100) : 42;
        await policies.updateOne(
          { _id: policy._id },
          { $set: { 'settings.face.matchThresholds': { local, tencentcloud: 50 } }, $unset: { 'settings.face.matchThreshold': '' } },
        );
        logger.info({ province: policy.province, setting: 'settings.face.matchThresholds' }, 'policy setting converted');
      }
    }
  },
};
