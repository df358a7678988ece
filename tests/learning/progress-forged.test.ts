import { learnerBinds, NEW_PASSWORD } from '../helpers/journeys';
import { classWithContent, learnerStudying, lessonProgress, Player, useStudyStack, type ContentLesson, type Learner } from './helpers';

/**
 * Forged progress: the tricks learners' scripts play on course platforms that trust the player. The server's
 * clock decides; whatever the player claims, credited time never exceeds real watching time (+ the policy's
 * tolerance of 2 s, once).
 */
const stack = useStudyStack();
const TOLERANCE = 2;
let classId: string;
let lesson: ContentLesson;

beforeAll(async () => {
  const content = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [600] }] });
  classId = content.classId;
  lesson = content.lessons[0];
});

async function studying(): Promise<{ learner: Learner; player: Player; startedAt: number }> {
  const { learner, player } = await learnerStudying(stack, classId, lesson.id);
  return { learner, player, startedAt: stack.clock.now().getTime() };
}

const realSeconds = (startedAt: number) => (stack.clock.now().getTime() - startedAt) / 1000;

test('when the position jumps ahead on first viewing, then nothing is credited and the player is sent back to the furthest watched point', async () => {
  const { learner, player, startedAt } = await studying();
  await player.play(0, 30);
  stack.clock.advance(10_000);
  const jump = await player.beat({ position: 590 });
  expect(jump).toMatchObject({ status: 200, body: { accepted: false, ignored: 'SEEK_AHEAD', creditedNow: 0, seekTo: 30, message: expect.stringContaining('不能快进') } });
  expect(jump.body.lesson).toMatchObject({ furthestSecond: 30, resumeAtSecond: 30, creditedSeconds: 30 });

  // The player obeys: back at 30, it plays on and is credited again.
  stack.clock.advance(10_000);
  expect((await player.beat({ position: 40 })).body).toMatchObject({ accepted: true, creditedNow: 10 });
  const progress = await lessonProgress(stack, learner, lesson.id);
  expect(progress).toMatchObject({ creditedSeconds: 40, coveredSeconds: 40, furthestSecond: 40, completed: false });
  expect(progress.creditedSeconds).toBeLessThanOrEqual(realSeconds(startedAt));
});

test('when positions advance faster than the clock, then credit is held to real time, the lesson does not complete, and a fast replay of watched video is TOO_FAST', async () => {
  const { learner, player, startedAt } = await studying();
  // A 1.2× speed-up reported as normal speed: 12 s of video every 10 s, all the way to the end.
  for (let position = 12; position <= 600; position += 12) {
    stack.clock.advance(10_000);
    const answer = await player.beat({ position });
    expect(answer.status).toBe(200);
  }
  const sped = await lessonProgress(stack, learner, lesson.id);
  expect(sped.creditedSeconds).toBeLessThanOrEqual(realSeconds(startedAt) + TOLERANCE);
  expect(sped.creditedSeconds).toBeLessThan(600 - 5);
  expect(sped).toMatchObject({ completed: false });

  // Back to the start, then 1.5× through what was already watched: refused outright.
  stack.clock.advance(2000);
  expect((await player.beat({ position: 0 })).body).toMatchObject({ accepted: true, creditedNow: 0 });
  stack.clock.advance(10_000);
  const fast = await player.beat({ position: 15 });
  expect(fast.body).toMatchObject({ accepted: false, ignored: 'TOO_FAST', creditedNow: 0 });
  expect((await lessonProgress(stack, learner, lesson.id)).creditedSeconds).toBe(sped.creditedSeconds);
});

test('when the player reports a playback rate of 2, then nothing is credited even for an advance the clock allows', async () => {
  const { learner, player } = await studying();
  await player.play(0, 20);
  stack.clock.advance(10_000);
  const doubled = await player.beat({ position: 40, rate: 2 });
  expect(doubled.body).toMatchObject({ accepted: false, ignored: 'RATE', creditedNow: 0, seekTo: 20, message: expect.stringContaining('倍速') });
  stack.clock.advance(10_000);
  expect((await player.beat({ position: 25, rate: 1.5 })).body).toMatchObject({ accepted: false, ignored: 'RATE', creditedNow: 0 });
  expect(await lessonProgress(stack, learner, lesson.id)).toMatchObject({ creditedSeconds: 20, furthestSecond: 20 });
});

test('when heartbeats are replayed or arrive out of order, then they add nothing, however late they come', async () => {
  const { learner, player } = await studying();
  await player.play(0, 30); // seq 1, 2, 3
  const replay = await player.beat({ position: 30, seq: 3 });
  expect(replay.body).toMatchObject({ accepted: false, ignored: 'DUPLICATE', creditedNow: 0, nextSeq: 4 });
  const stale = await player.beat({ position: 20, seq: 2 });
  expect(stale.body).toMatchObject({ accepted: false, ignored: 'OUT_OF_ORDER', creditedNow: 0 });
  stack.clock.advance(300_000);
  for (const seq of [1, 2, 3]) expect((await player.beat({ position: seq * 10 + 280, seq })).body.creditedNow).toBe(0);
  expect(await lessonProgress(stack, learner, lesson.id)).toMatchObject({ creditedSeconds: 30, resumeAtSecond: 30 });
});

test('when the same heartbeat is sent many times at once, then it counts once and nothing fails', async () => {
  const { learner, player } = await studying();
  await player.play(0, 10);
  stack.clock.advance(10_000);
  const copies = await Promise.all(Array.from({ length: 20 }, () => player.beat({ position: 20, seq: 2 })));
  expect(copies.map((c) => c.status)).toEqual(copies.map(() => 200));
  expect(copies.filter((c) => c.body.accepted)).toHaveLength(1);
  expect(copies.reduce((sum, c) => sum + c.body.creditedNow, 0)).toBe(10);
  expect((await lessonProgress(stack, learner, lesson.id)).creditedSeconds).toBe(20);
});

test('when a flood of 200 heartbeats arrives within one second, then at most that second is credited and none is answered 5xx', async () => {
  const { learner, player, startedAt } = await studying();
  await player.play(0, 10);
  stack.clock.advance(1000);
  const flood = await Promise.all(Array.from({ length: 200 }, (_, i) => player.beat({ position: 11 + i, seq: 2 + i })));
  expect(flood.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
  const credited = flood.reduce((sum, answer) => sum + answer.body.creditedNow, 0);
  expect(credited).toBeLessThanOrEqual(1 + TOLERANCE);
  expect(flood.filter((answer) => answer.body.accepted).length).toBeLessThanOrEqual(1);
  expect((await lessonProgress(stack, learner, lesson.id)).creditedSeconds).toBeLessThanOrEqual(realSeconds(startedAt) + TOLERANCE);
});

test('when a second page starts playing, then the first is told its playback was replaced, and two players at once never earn more than real time', async () => {
  const { learner, player: first, startedAt } = await studying();
  await first.play(0, 20);
  const second = new Player(stack, learner);
  expect((await second.start(lesson.id)).body).toMatchObject({ resumeAtSecond: 20, nextSeq: 1 });
  stack.clock.advance(10_000);
  const [old, current] = await Promise.all([first.beat({ position: 30 }), second.beat({ position: 30 })]);
  expect(old).toMatchObject({ status: 409, body: { code: 'PLAYBACK_SESSION_REPLACED', message: expect.stringContaining('其他设备') } });
  expect(current.body).toMatchObject({ accepted: true, creditedNow: 10 });
  expect((await lessonProgress(stack, learner, lesson.id)).creditedSeconds).toBeLessThanOrEqual(realSeconds(startedAt));
});

test('when two pages start playing at the same moment, then exactly one of them plays on and the other is told it was replaced', async () => {
  const { learner, player: earlier } = await studying();
  await earlier.play(0, 10);
  const pages = [new Player(stack, learner), new Player(stack, learner)];
  const starts = await Promise.all(pages.map((page) => page.start(lesson.id)));
  expect(starts.map((s) => s.status)).toEqual([201, 201]);
  stack.clock.advance(10_000);
  const beats = await Promise.all(pages.map((page) => page.beat({ position: 20 })));
  expect(beats.map((b) => b.status).sort()).toEqual([200, 409]);
  expect(beats.find((b) => b.status === 409)!.body.code).toBe('PLAYBACK_SESSION_REPLACED');
  expect(beats.find((b) => b.status === 200)!.body).toMatchObject({ accepted: true, creditedNow: 10 });
  expect(await lessonProgress(stack, learner, lesson.id)).toMatchObject({ creditedSeconds: 20 });
});

test('when the learner logs in on another phone, then the first phone is signed out and its heartbeats are refused', async () => {
  const { learner, player } = await studying();
  await player.play(0, 10);
  const otherPhone = await learnerBinds(stack.api, `device-other-${learner.enrollmentId}`, learner.idNumber, NEW_PASSWORD);
  expect(otherPhone.status).toBe(200);
  stack.clock.advance(10_000);
  expect(await player.beat({ position: 20 })).toMatchObject({ status: 401, body: { code: 'SESSION_REPLACED' } });
  const content = await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}`, { token: otherPhone.body.token });
  expect(content.body.topics[0].courses[0].lessons[0]).toMatchObject({ creditedSeconds: 10, resumeAtSecond: 10 });
});
