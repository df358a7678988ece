import { addDays } from '@ce/types';
import { LessonModel } from '../../backend/src/modules/catalog';
import { learnerReadyForStudy, sendPhoto } from '../helpers/face';
import { facePhotos } from '../helpers/face-photos';
import { classWithContent, enrolledLearner, Player, useStudyStack, type ContentLesson, type Learner } from './helpers';

/** Who may play what, and when: only the learner's own paid enrollment, its class's lessons, inside the study window. */
const stack = useStudyStack();
let classId: string;
let lesson: ContentLesson;
let otherClassLesson: ContentLesson;

beforeAll(async () => {
  const content = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [300, 120] }] });
  classId = content.classId;
  lesson = content.lessons[0];
  otherClassLesson = (await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [60] }] })).lessons[0];
});

const start = (learner: Learner, body: { enrollmentId?: string; lessonId: string }) =>
  stack.api.call('POST', '/api/learner/playback-sessions', { token: learner.token, body: { enrollmentId: learner.enrollmentId, ...body } });

/** Stands the clock at a China time (`2026-12-21T23:50`) and passes a fresh face check there. */
async function atChinaTime(learner: Learner, dateTime: string): Promise<void> {
  stack.clock.set(`${dateTime}:00+08:00`);
  const check = await sendPhoto(stack.api, 'POST', '/api/learner/face/verifications', learner.token, (await facePhotos()).hopperAgain);
  expect(check.body.passed).toBe(true);
}

test('when the enrollment is not paid yet, then playback is refused with STUDY_NOT_PAID and 我的学习 does not list it', async () => {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId, { paid: false });
  await learnerReadyForStudy(stack.api, learner.token);
  expect(await start(learner, { lessonId: lesson.id })).toMatchObject({ status: 403, body: { code: 'STUDY_NOT_PAID', message: expect.stringContaining('缴费') } });
  expect((await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body).toEqual({ items: [] });
  const content = await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}`, { token: learner.token });
  expect(content.body.overview).toMatchObject({ window: 'NOT_PAID', examEligible: false, examBlockers: expect.arrayContaining(['尚未缴费']) });
});

test("when a learner names someone else's enrollment, an unknown one, another class's lesson or a withdrawn lesson, then each is refused and no session starts", async () => {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId);
  const other = await enrolledLearner(stack, 'YN', classId);
  await learnerReadyForStudy(stack.api, learner.token);
  expect(await start(learner, { enrollmentId: other.enrollmentId, lessonId: lesson.id })).toMatchObject({ status: 404, body: { code: 'ENROLLMENT_NOT_FOUND' } });
  expect(await start(learner, { enrollmentId: '0123456789abcdef01234567', lessonId: lesson.id })).toMatchObject({ status: 404, body: { code: 'ENROLLMENT_NOT_FOUND' } });
  expect((await stack.api.call('GET', `/api/learner/study/${other.enrollmentId}`, { token: learner.token })).status).toBe(404);
  expect(await start(learner, { lessonId: otherClassLesson.id })).toMatchObject({ status: 404, body: { code: 'LESSON_NOT_FOUND' } });
  expect(await start(learner, { lessonId: 'not-an-id' })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  const withdrawn = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 1, lessons: [30] }] });
  await LessonModel.updateOne({ _id: withdrawn.lessons[0].id }, { $set: { active: false } });
  expect(await start(learner, { lessonId: withdrawn.lessons[0].id })).toMatchObject({ status: 404, body: { code: 'LESSON_NOT_FOUND' } });
  const player = new Player(stack, learner);
  player.sessionId = '00000000-0000-4000-8000-000000000000';
  expect(await player.beat({ position: 1 })).toMatchObject({ status: 404, body: { code: 'PLAYBACK_SESSION_NOT_FOUND' } });
});

test('when the learner has not consented to face data or not passed a face check, then playback does not start', async () => {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId);
  expect(await start(learner, { lessonId: lesson.id })).toMatchObject({ status: 403, body: { code: 'FACE_CONSENT_REQUIRED' } });
  await learnerReadyForStudy(stack.api, learner.token);
  stack.clock.advance(121 * 60_000); // the face check opens study for 120 minutes
  expect(await start(learner, { lessonId: lesson.id })).toMatchObject({ status: 403, body: { code: 'FACE_CHECK_REQUIRED' } });
});

test("when the study window's last day ends, then heartbeats and new sessions are refused with STUDY_WINDOW_CLOSED and 我的学习 says it ended", async () => {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId);
  await learnerReadyForStudy(stack.api, learner.token);
  const overview = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0];
  const lastDay: string = overview.studyUntil;
  expect(overview.window).toBe('OPEN');

  await atChinaTime(learner, `${lastDay}T23:50`);
  const player = new Player(stack, learner);
  expect((await player.start(lesson.id)).status).toBe(201);
  expect((await player.play(0, 60)).every((a) => a.body.accepted)).toBe(true);
  stack.clock.set(`${addDays(lastDay, 1)}T00:00:05+08:00`);
  expect(await player.beat({ position: 70 })).toMatchObject({ status: 403, body: { code: 'STUDY_WINDOW_CLOSED', message: expect.stringContaining('学习期已结束'), details: { studyUntil: lastDay } } });
  expect(await player.start(lesson.id)).toMatchObject({ status: 403, body: { code: 'STUDY_WINDOW_CLOSED' } });
  const ended = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0];
  expect(ended).toMatchObject({ window: 'ENDED', studyUntil: lastDay });
  expect(ended.topics[0]).toMatchObject({ earnedHours: 0 });
});
