import { provincePolicy } from '@ce/types';
import { BUILT_IN_PROFILES } from '../../backend/src/modules/policy';
import { useTestBackend } from '../helpers/backend';
import { migratedSettings, plantOldPolicies } from '../helpers/policy-migration';

const MIGRATION = '006-policy-exams-and-report';

/** Policies as a database from before exams held them: no points, graces, exam capture timing or report promise; Yunnan's operator set a 30 s leaving grace. */
function policiesBeforeExams() {
  return BUILT_IN_PROFILES.map((profile) => {
    const { points: _p, leavingGraceSeconds: _l, autosaveGraceSeconds: _a, captureEverySeconds: _c, ...exam } = profile.settings.exam;
    const { report: _r, ...settings } = profile.settings;
    return { ...profile, settings: { ...settings, exam: profile.province === 'YN' ? { ...exam, leavingGraceSeconds: 30 } : exam } };
  });
}

const api = useTestBackend({ beforeStart: () => plantOldPolicies(policiesBeforeExams(), MIGRATION) });

describe('a database from before exams', () => {
  test('when its old policies are read as they are, then they do not parse (so this test means something)', () => {
    for (const old of policiesBeforeExams()) expect(provincePolicy.safeParse(old).success).toBe(false);
  });

  test('when the backend starts on it, then the exam and report settings are added per province and operator edits stay', async () => {
    expect(api.running.migrationsApplied).toContain(MIGRATION);
    const byProvince = await migratedSettings();
    expect(byProvince.SD.exam).toMatchObject({ points: { single: 1, multiple: 2, judge: 1 }, leavingGraceSeconds: 15, autosaveGraceSeconds: 10 });
    expect(byProvince.YN.exam.leavingGraceSeconds).toBe(30);
    expect(byProvince.SD.report).toEqual({ promisedDays: 3, workingDays: false });
    expect(byProvince.YN.report).toEqual({ promisedDays: 3, workingDays: true });
  });
});
