import { provincePolicy } from '@ce/types';
import { BUILT_IN_PROFILES } from '../../backend/src/modules/policy';
import { useTestBackend } from '../helpers/backend';
import { migratedSettings, plantOldPolicies } from '../helpers/policy-migration';

const MIGRATION = '005-policy-learning-and-face';

/**
 * Policies as a database from before learning held them: no heartbeat/tolerance/capture/retention settings, the
 * old single face threshold (0-1), and two operator edits (Shandong's threshold 0.5, Yunnan's capture grace 60 s).
 */
function policiesBeforeLearning() {
  return BUILT_IN_PROFILES.map((profile) => {
    const { windowDays } = profile.settings.study;
    const { keptPerTopic, coveragePercent } = profile.settings.photos;
    const photos: Record<string, unknown> = { keptPerTopic, coveragePercent };
    if (profile.province === 'YN') photos.captureGraceSeconds = 60;
    const face = { matchThreshold: profile.province === 'SD' ? 0.5 : 0.45 };
    return { ...profile, settings: { ...profile.settings, study: { windowDays }, photos, face } };
  });
}

const api = useTestBackend({ beforeStart: () => plantOldPolicies(policiesBeforeLearning(), MIGRATION) });

describe('a database from before learning and face checks', () => {
  test('when its old policies are read as they are, then they do not parse (so this test means something)', () => {
    for (const old of policiesBeforeLearning()) expect(provincePolicy.safeParse(old).success).toBe(false);
  });

  test('when the backend starts on it, then every new setting is added, the old threshold moves to the local engine’s scale, and operator edits stay', async () => {
    expect(api.running.migrationsApplied).toContain(MIGRATION);
    const byProvince = await migratedSettings();
    expect(byProvince.SD.face.matchThresholds).toEqual({ local: 50, tencentcloud: 50 });
    expect(byProvince.SD.face).not.toHaveProperty('matchThreshold');
    expect(byProvince.YN.face.matchThresholds.local).toBe(45);
    expect(byProvince.YN.photos.captureGraceSeconds).toBe(60);
    expect(byProvince.SD.photos.captureGraceSeconds).toBe(120);
    expect(byProvince.SD.study).toMatchObject({ windowDays: null, heartbeatSeconds: 10, creditToleranceSeconds: 2 });
    expect(byProvince.YN.study.windowDays).toBe(30);
  });
});
