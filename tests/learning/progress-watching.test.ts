import { learnerBinds, NEW_PASSWORD } from '../helpers/journeys';
import { classWithContent, learnerStudying, lessonProgress, Player, useStudyStack, type ContentLesson, type Learner } from './helpers';

/** Honest watching: what the learner really watched is credited, whatever the network does in between. */
const stack = useStudyStack();
let classId: string;
let short: ContentLesson;
let long: ContentLesson;

beforeAll(async () => {
  const content = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 2, lessons: [60] }, { creditHours: 22, lessons: [600] }] });
  classId = content.classId;
  [short, long] = content.lessons;
});

async function studying(lessonId: string): Promise<{ learner: Learner; player: Player }> {
  const { learner, player, started } = await learnerStudying(stack, classId, lessonId);
  expect(started.body).toMatchObject({ resumeAtSecond: 0, furthestSecond: 0, completed: false, heartbeatSeconds: 10, nextSeq: 1 });
  return { learner, player };
}

test('when a learner watches a lesson through, then it completes at 100% and its course hours are credited', async () => {
  const { learner, player } = await studying(short.id);
  const answers = await player.play(0, 60);
  expect(answers.every((a) => a.body.accepted && a.body.creditedNow === 10)).toBe(true);
  expect(answers.at(-1)!.body.lesson).toMatchObject({ completed: true, percent: 100, creditedSeconds: 60, coveredSeconds: 60, furthestSecond: 60 });
  const study = await stack.api.call('GET', '/api/learner/study', { token: learner.token });
  expect(study.body.items).toMatchObject([{ enrollmentId: learner.enrollmentId, window: 'OPEN', hoursEarned: 2, hoursRequired: 24, examEligible: false }]);
  const content = await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}`, { token: learner.token });
  expect(content.body.topics[0].courses.map((c: { completed: boolean }) => c.completed)).toEqual([true, false]);
});

test('when heartbeats are dropped, then the next one proves the watching since the last accepted one', async () => {
  const { learner, player } = await studying(long.id);
  await player.play(0, 10);
  stack.clock.advance(30_000); // three heartbeats lost on the way
  expect((await player.beat({ position: 40 })).body).toMatchObject({ accepted: true, creditedNow: 30 });
  expect(await lessonProgress(stack, learner, long.id)).toMatchObject({ creditedSeconds: 40, coveredSeconds: 40, resumeAtSecond: 40 });
});

test('when the connection drops and the player reconnects with a new session, then the watching the next heartbeat proves is not lost', async () => {
  const { learner, player } = await studying(long.id);
  await player.play(0, 20);
  stack.clock.advance(25_000); // watching on while offline: the player is at 45 when it gets through again
  const again = await player.start(long.id);
  expect(again.body).toMatchObject({ resumeAtSecond: 20, nextSeq: 1 });
  stack.clock.advance(5000);
  expect((await player.beat({ position: 50 })).body).toMatchObject({ accepted: true, creditedNow: 30 });
  expect(await lessonProgress(stack, learner, long.id)).toMatchObject({ creditedSeconds: 50, coveredSeconds: 50 });
});

test('when the player is paused or the app is hidden, then that time is not credited and watching resumes where it stopped', async () => {
  const { learner, player } = await studying(long.id);
  await player.play(0, 20);
  stack.clock.advance(2000);
  expect((await player.beat({ position: 22, state: 'paused' })).body).toMatchObject({ accepted: true, creditedNow: 2 });
  stack.clock.advance(300_000);
  expect((await player.beat({ position: 22, state: 'paused' })).body).toMatchObject({ accepted: false, ignored: 'NOT_PLAYING', creditedNow: 0 });
  stack.clock.advance(1000);
  expect((await player.beat({ position: 22 })).body).toMatchObject({ accepted: false, ignored: 'NOT_PLAYING', creditedNow: 0 });
  await player.play(22, 10);
  stack.clock.advance(3000);
  expect((await player.beat({ position: 35, state: 'hidden' })).body).toMatchObject({ accepted: true, creditedNow: 3 });
  stack.clock.advance(600_000);
  expect((await player.beat({ position: 35 })).body).toMatchObject({ ignored: 'NOT_PLAYING', creditedNow: 0 });
  expect(await lessonProgress(stack, learner, long.id)).toMatchObject({ creditedSeconds: 35, coveredSeconds: 35, resumeAtSecond: 35 });

  // Another phone (the first one is signed out) resumes at the same second.
  const otherPhone = await learnerBinds(stack.api, `device-resume-${learner.enrollmentId}`, learner.idNumber, NEW_PASSWORD);
  const resumed = await new Player(stack, { ...learner, token: otherPhone.body.token }).start(long.id);
  expect(resumed.body).toMatchObject({ resumeAtSecond: 35, furthestSecond: 35, completed: false });
});

test('when the learner pauses and plays again within a second, then both are heard and the watching after it counts', async () => {
  const { learner, player } = await studying(long.id);
  await player.play(0, 20);
  stack.clock.advance(400);
  expect((await player.beat({ position: 20.4, state: 'paused' })).body).toMatchObject({ accepted: true, creditedNow: 0.4 });
  stack.clock.advance(300);
  expect((await player.beat({ position: 20.4 })).body).toMatchObject({ ignored: 'NOT_PLAYING', creditedNow: 0 });
  stack.clock.advance(300);
  expect((await player.beat({ position: 20.7 })).body).toMatchObject({ accepted: false, ignored: 'TOO_SOON' });
  stack.clock.advance(10_000);
  expect((await player.beat({ position: 30.7 })).body).toMatchObject({ accepted: true, creditedNow: 10.3 });
  expect(await lessonProgress(stack, learner, long.id)).toMatchObject({ creditedSeconds: 30.7, coveredSeconds: 30.7 });
});

test('when a learner rewinds, then it is allowed, re-watching is credited only as real time, and a lesson never holds more than its duration', async () => {
  const { learner, player } = await studying(short.id);
  await player.play(0, 40);
  stack.clock.advance(2000);
  expect((await player.beat({ position: 10 })).body).toMatchObject({ accepted: true, creditedNow: 0, lesson: { resumeAtSecond: 10, furthestSecond: 40 } });
  await player.play(10, 30); // re-watching 10..40
  await player.play(40, 20); // then on to the end
  const done = await lessonProgress(stack, learner, short.id);
  expect(done).toMatchObject({ completed: true, percent: 100, creditedSeconds: 60, coveredSeconds: 60 });

  // Once complete, moving about is free (no seek-back), but fast-forwarding through it earns nothing.
  stack.clock.advance(2000);
  expect((await player.beat({ position: 0 })).body.accepted).toBe(true);
  stack.clock.advance(10_000);
  const skip = await player.beat({ position: 50 });
  expect(skip.body).toMatchObject({ accepted: false, ignored: 'TOO_FAST', creditedNow: 0 });
  expect(skip.body.seekTo).toBeUndefined();
  expect((await lessonProgress(stack, learner, short.id)).creditedSeconds).toBe(60);
});
