import mongoose from 'mongoose';
import { examEligibility } from '../../backend/src/modules/learning';
import { learnerReadyForStudy } from '../helpers/face';
import { facePhotos } from '../helpers/face-photos';
import { classWithContent, enrolledLearner, Player, useStudyStack, type ContentLesson, type Learner } from './helpers';

/**
 * Credits at their boundaries, per province profile: a course's hours count once all its lessons are complete;
 * a topic is met at exactly its required hours (not a fraction under); the exam opens when every policy topic is
 * met, the total is reached and kept study photos cover 60% of what is expected (topics × 2).
 */
const stack = useStudyStack();

beforeAll(async () => {
  const policies = mongoose.connection.collection('policies');
  // A photo after every 20 s (Shandong) / 50 s (Yunnan) of credited watching: short lessons, real photos.
  await policies.updateOne({ province: 'SD' }, { $set: { 'settings.photos.captureEverySeconds': { min: 20, max: 20 } } });
  await policies.updateOne({ province: 'YN' }, { $set: { 'settings.photos.captureEverySeconds': { min: 50, max: 50 } } });
});

async function readyLearner(province: 'SD' | 'YN', classId: string): Promise<Learner> {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, province, classId);
  await learnerReadyForStudy(stack.api, learner.token);
  return learner;
}

/** Watches a lesson from start to end, answering each photo request at once with a good photo. */
async function watchThrough(learner: Learner, lesson: ContentLesson): Promise<void> {
  const player = new Player(stack, learner);
  expect((await player.start(lesson.id)).status).toBe(201);
  const { hopperAgain } = await facePhotos();
  for (let at = 10; at <= lesson.durationSeconds; at += 10) {
    const [answer] = await player.play(at - 10, 10);
    expect(answer.body.accepted).toBe(true);
    if (!answer.body.capture) continue;
    const photo = await player.sendCapture(answer.body.capture.captureId, hopperAgain);
    expect(photo.body).toMatchObject({ check: { accepted: true } });
  }
}

async function overview(learner: Learner) {
  return (await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}`, { token: learner.token })).body.overview;
}

test('Shandong: four topics of 6 hours; a topic at 5.5 hours is not met, at exactly 6 it is, and with every topic met and photos covered the exam opens', async () => {
  const { classId, lessons } = await classWithContent(stack.api, 'SD', {
    LAW: [{ creditHours: 3, lessons: [20] }, { creditHours: 3, lessons: [20] }],
    MANAGEMENT: [{ creditHours: 6, lessons: [20] }],
    TECHNOLOGY: [{ creditHours: 6, lessons: [20] }],
    CASES: [{ creditHours: 5.5, lessons: [20] }, { creditHours: 0.5, lessons: [20] }],
  });
  const [law1, law2, management, technology, cases1, cases2] = lessons;
  const learner = await readyLearner('SD', classId);

  const fresh = await overview(learner);
  expect(fresh).toMatchObject({ hoursRequired: 24, hoursEarned: 0, examEligible: false });
  expect(fresh.topics.map((t: { code: string; requiredHours: number }) => [t.code, t.requiredHours])).toEqual([['LAW', 6], ['MANAGEMENT', 6], ['TECHNOLOGY', 6], ['CASES', 6]]);

  await watchThrough(learner, law1);
  let now = await overview(learner);
  expect(now.topics[0]).toMatchObject({ code: 'LAW', earnedHours: 3, met: false });
  expect(now.examBlockers).toContain('专题「安全生产法律法规」已获 3 学时，需 6 学时');

  await watchThrough(learner, law2);
  for (const lesson of [management, technology, cases1]) await watchThrough(learner, lesson);
  now = await overview(learner);
  expect(now.topics.map((t: { earnedHours: number; met: boolean }) => [t.earnedHours, t.met])).toEqual([[6, true], [6, true], [6, true], [5.5, false]]);
  expect(now).toMatchObject({ hoursEarned: 23.5, examEligible: false });
  expect(now.examBlockers).toEqual(['专题「典型事故案例分析」已获 5.5 学时，需 6 学时', '总学时已获 23.5 学时，需 24 学时']);
  expect(await examEligibility(learner.enrollmentId)).toMatchObject({ eligible: false, hoursEarned: 23.5, hoursRequired: 24 });

  await watchThrough(learner, cases2);
  now = await overview(learner);
  expect(now.topics.every((t: { met: boolean }) => t.met)).toBe(true);
  expect(now.photoCoverage.met).toBe(true);
  expect(now.photoCoverage.percent).toBeGreaterThanOrEqual(60);
  expect(now).toMatchObject({ hoursEarned: 24, examEligible: true, examBlockers: [] });
  expect(await examEligibility(learner.enrollmentId)).toEqual({ eligible: true, blockers: [], hoursEarned: 24, hoursRequired: 24 });
});

test('Yunnan: one topic of 24 hours; at 23.5 hours with one of two photos the exam stays closed, at 24 hours with both it opens', async () => {
  const { classId, lessons } = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 23.5, lessons: [60] }, { creditHours: 0.5, lessons: [60] }] });
  const learner = await readyLearner('YN', classId);

  await watchThrough(learner, lessons[0]);
  const under = await overview(learner);
  expect(under.topics).toEqual([{ code: 'GENERAL', name: '继续教育课程', requiredHours: 24, earnedHours: 23.5, met: false, photos: { kept: 1, expected: 2 } }]);
  expect(under.photoCoverage).toEqual({ percent: 50, requiredPercent: 60, met: false });
  expect(under.examBlockers).toEqual(['专题「继续教育课程」已获 23.5 学时，需 24 学时', '总学时已获 23.5 学时，需 24 学时', '学习照片覆盖率 50%，需达到 60%']);

  await watchThrough(learner, lessons[1]);
  const done = await overview(learner);
  expect(done).toMatchObject({ hoursEarned: 24, examEligible: true, examBlockers: [], photoCoverage: { percent: 100, met: true } });
  expect(done.topics[0]).toMatchObject({ earnedHours: 24, met: true, photos: { kept: 2, expected: 2 } });
});

test('a course with an unfinished lesson credits nothing, however much of its other lessons was watched', async () => {
  const { classId, lessons } = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [20, 60] }] });
  const learner = await readyLearner('YN', classId);
  await watchThrough(learner, lessons[0]);
  const player = new Player(stack, learner);
  await player.start(lessons[1].id);
  await player.play(0, 50);
  const content = (await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}`, { token: learner.token })).body;
  expect(content.topics[0].courses[0]).toMatchObject({ completed: false, lessons: [{ completed: true }, { completed: false, percent: 83 }] });
  expect(content.overview).toMatchObject({ hoursEarned: 0 });
});
