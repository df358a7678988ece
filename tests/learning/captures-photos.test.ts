import mongoose from 'mongoose';
import { learnerReadyForStudy, sendPhoto } from '../helpers/face';
import { facePhotos, type FacePhotos } from '../helpers/face-photos';
import { classWithContent, enrolledLearner, Player, useStudyStack, type ContentLesson, type Learner } from './helpers';

/**
 * Study photos at moments the server picks: asked for in a heartbeat answer, checked the moment they arrive,
 * retaken at once when refused; a capture left unanswered past the grace period stops crediting.
 */
const stack = useStudyStack();
let classId: string;
let lesson: ContentLesson;
let photos: FacePhotos;

beforeAll(async () => {
  // Yunnan asks for a photo after every 20 s of credited watching here (policy is data: 10-20 minutes by default).
  await mongoose.connection.collection('policies').updateOne({ province: 'YN' }, { $set: { 'settings.photos.captureEverySeconds': { min: 20, max: 20 } } });
  const content = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [600] }] });
  classId = content.classId;
  lesson = content.lessons[0];
  photos = await facePhotos();
});

async function studying(): Promise<{ learner: Learner; player: Player }> {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId);
  await learnerReadyForStudy(stack.api, learner.token);
  const player = new Player(stack, learner);
  expect((await player.start(lesson.id)).status).toBe(201);
  return { learner, player };
}

const capture = (learner: Learner, player: Player, photo: Buffer, captureId: string) =>
  sendPhoto(stack.api, 'POST', `/api/learner/playback-sessions/${player.sessionId}/captures`, learner.token, photo, { captureId });

test('when credited watching reaches the drawn moment, then a photo is asked for; a bad one is refused at once with a retake, a good one ends the capture and counts for the topic', async () => {
  const { learner, player } = await studying();
  const [first, second] = await player.play(0, 20);
  expect(first.body.capture).toBeUndefined();
  expect(second.body.capture).toMatchObject({ captureId: expect.any(String), message: expect.stringContaining('拍') });
  const { captureId } = second.body.capture;
  const [stillDue] = await player.play(20, 10);
  expect(stillDue.body).toMatchObject({ accepted: true, capture: { captureId } });

  const noFace = await capture(learner, player, photos.noFace, captureId);
  expect(noFace).toMatchObject({ status: 200, body: { check: { accepted: false, problems: [{ code: 'NO_FACE' }] }, retake: true, topicPhotos: { kept: 0, expected: 2 } } });
  const someoneElse = await capture(learner, player, photos.astronaut, captureId);
  expect(someoneElse.body).toMatchObject({ check: { accepted: false, problems: [{ code: 'NOT_SAME_PERSON' }] }, retake: true });
  const good = await capture(learner, player, photos.hopperAgain, captureId);
  expect(good).toMatchObject({ status: 200, body: { check: { accepted: true }, retake: false, topicPhotos: { kept: 1, expected: 2 } } });

  expect(await capture(learner, player, photos.hopperAgain, captureId)).toMatchObject({ status: 404, body: { code: 'CAPTURE_NOT_FOUND' } });
  expect(await capture(learner, player, photos.hopperAgain, 'made-up-capture')).toMatchObject({ status: 404, body: { code: 'CAPTURE_NOT_FOUND' } });
  const [after] = await player.play(30, 10);
  expect(after.body.capture).toBeUndefined();

  const overview = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0];
  expect(overview.topics[0].photos).toEqual({ kept: 1, expected: 2 });
  expect(overview.photoCoverage).toEqual({ percent: 50, requiredPercent: 60, met: false });
  expect(overview.examBlockers).toContain('学习照片覆盖率 50%，需达到 60%');
});

test('when a capture is left unanswered past the grace period, then nothing is credited until a photo is accepted', async () => {
  const { learner, player } = await studying();
  const answers = await player.play(0, 140);
  const { captureId } = answers[1].body.capture;
  expect(answers.every((a) => a.body.creditedNow === 10)).toBe(true); // 120 s of grace from the moment it was due
  stack.clock.advance(10_000);
  const overdue = await player.beat({ position: 150 });
  expect(overdue.body).toMatchObject({ accepted: false, ignored: 'CAPTURE_OVERDUE', creditedNow: 0, seekTo: 140, capture: { captureId }, message: expect.stringContaining('拍照') });

  expect((await capture(learner, player, photos.hopperAgain, captureId)).body.check.accepted).toBe(true);
  const [resumed] = await player.play(140, 10);
  expect(resumed.body).toMatchObject({ accepted: true, creditedNow: 10 });
  expect(resumed.body.capture).toBeUndefined();
});

test('when the same photo is sent twice at once, then it is checked and counted once and nothing fails', async () => {
  const { learner, player } = await studying();
  const [, due] = await player.play(0, 20);
  const { captureId } = due.body.capture;
  const both = await Promise.all([capture(learner, player, photos.hopperAgain, captureId), capture(learner, player, photos.hopperAgain, captureId)]);
  const statuses = both.map((b) => b.status).sort();
  expect(statuses[0]).toBe(200);
  expect([404, 409]).toContain(statuses[1]); // busy with the first, or already fulfilled by it
  const overview = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0];
  expect(overview.topics[0].photos).toEqual({ kept: 1, expected: 2 });
});
