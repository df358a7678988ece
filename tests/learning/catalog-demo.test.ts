import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_CLASSES } from '../../backend/src/demo/dataset';
import { seedDemo } from '../../backend/src/demo/seed';
import { BUILT_IN_PROFILES } from '../../backend/src/modules/policy';
import { CourseModel, LessonModel, TopicModel } from '../../backend/src/modules/catalog';
import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { readMp4FileFacts } from '../../backend/src/modules/catalog/mp4';
import { ControlledClock } from '../../backend/src/platform/clock';
import { useTestBackend } from '../helpers/backend';
import { NEW_PASSWORD, learnerBinds, operatorReady } from '../helpers/journeys';

const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'ce-demo-media-'));
const clock = new ControlledClock('2026-03-02T02:00:00Z');
const api = useTestBackend({ clock, env: { MEDIA_DIR: mediaDir } });

describe('the demo has content to study', () => {
  let logins: Awaited<ReturnType<typeof seedDemo>>;
  let seconds: number;
  beforeAll(async () => {
    const started = Date.now();
    logins = await seedDemo(api.running.deps);
    seconds = (Date.now() - started) / 1000;
  }, 120_000);

  test('when the demo is seeded, then every demo class has its policy’s topics with courses worth exactly the required hours, each with one or two real videos (10–40 s, picture and sound)', async () => {
    const operators = { SD: await operatorReady(api, 'SD'), YN: await operatorReady(api, 'YN') };
    const classes = (await Promise.all(Object.values(operators).map((token) => api.call('GET', '/api/admin/classes', { token })))).flatMap((r) => r.body.items);
    expect(classes.map((c: any) => c.name).sort()).toEqual(DEMO_CLASSES.map((c) => c.name).sort());
    for (const cls of classes) {
      const policy = BUILT_IN_PROFILES.find((p) => p.province === cls.province)!.settings.hours;
      const content = (await api.call('GET', `/api/admin/classes/${cls.id}/content`, { token: operators[cls.province as 'SD' | 'YN'] })).body;
      expect(content.topics.map((t: any) => [t.code, t.requiredHours])).toEqual(policy.topics.map((t) => [t.code, t.requiredHours]));
      const hours = content.topics.flatMap((t: any) => t.courses).reduce((sum: number, c: any) => sum + c.creditHours, 0);
      expect(hours).toBe(policy.required);
      for (const lessons of content.topics.flatMap((t: any) => t.courses.map((c: any) => c.lessons))) {
        expect(lessons.length).toBeGreaterThanOrEqual(1);
        expect(lessons.length).toBeLessThanOrEqual(2);
        for (const lesson of lessons) {
          expect(lesson.durationSeconds).toBeGreaterThanOrEqual(10);
          expect(lesson.durationSeconds).toBeLessThanOrEqual(40);
        }
      }
    }
    for (const lesson of await LessonModel.find().lean()) {
      expect(await readMp4FileFacts(path.join(mediaDir, lesson.videoKey))).toEqual({ durationSeconds: lesson.durationSeconds, hasVideo: true, hasAudio: true });
    }
  });

  test('when the demo is seeded, then it takes seconds, not minutes (videos are small and made once)', () => {
    expect(seconds).toBeLessThan(60);
  });

  test('when the printed study learner binds, then their enrollment in a class with content is already paid and open for study', async () => {
    expect(logins.studyLearner).toMatchObject({ name: '孙立新', password: '12345678', className: '2026年度C类人员继续教育班' });
    const bound = await learnerBinds(api, 'device-demo-study', logins.studyLearner.idNumber, logins.studyLearner.password, logins.studyLearner.name);
    expect(bound.status).toBe(200);
    await api.call('POST', '/api/auth/password', { token: bound.body.token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
    const mine = await api.call('GET', '/api/learner/enrollments', { token: bound.body.token });
    expect(mine.body.items).toEqual([expect.objectContaining({ className: '2026年度C类人员继续教育班', statusLabel: '已缴费' })]);
  });

  test('when the demo is seeded, then every demo class has a question bank that fills its province’s paper, the study learner’s city asks for photos within the short demo lessons, and a reviewer of that city can log in', async () => {
    const operators = { SD: await operatorReady(api, 'SD'), YN: await operatorReady(api, 'YN') };
    for (const [province, token] of Object.entries(operators)) {
      for (const cls of (await api.call('GET', '/api/admin/classes', { token })).body.items) {
        const bank = (await api.call('GET', `/api/admin/classes/${cls.id}/question-bank`, { token })).body;
        expect([province, cls.name, bank.enoughForPaper]).toEqual([province, cls.name, true]);
      }
    }
    const qingdao = await api.call('GET', `/api/admin/policies/SD/effective?city=${encodeURIComponent('青岛市')}`, { token: operators.SD });
    expect(qingdao.body.settings.photos.captureEverySeconds.max).toBeLessThanOrEqual(30);
    const reviewer = logins.staff.find((s) => s.scope === '青岛市')!;
    expect((await api.call('POST', '/api/auth/staff/login', { body: { username: reviewer.username, password: reviewer.password } })).status).toBe(200);
  });

  test('when the demo is seeded again after a video file was lost, then nothing is added twice and the video is stored again', async () => {
    const count = async () => [await TopicModel.countDocuments(), await CourseModel.countDocuments(), await LessonModel.countDocuments(), await EnrollmentModel.countDocuments({ status: 'PAID' })];
    const before = await count();
    const lost = (await LessonModel.findOne().lean())!;
    rmSync(path.join(mediaDir, lost.videoKey));
    await seedDemo(api.running.deps);
    expect(await count()).toEqual(before);
    expect(before[3]).toBe(1);
    expect((await readMp4FileFacts(path.join(mediaDir, lost.videoKey))).durationSeconds).toBe(lost.durationSeconds);
  }, 120_000);
});
