import { learnerStudying, useCapturingClass, useStudyStack } from './helpers';

/**
 * Study photos at moments the server picks: asked for in a heartbeat answer, checked the moment they arrive,
 * retaken at once when refused; a capture left unanswered past the grace period stops crediting.
 */
const stack = useStudyStack();
const cls = useCapturingClass(stack, 600);

test('when credited watching reaches the drawn moment, then a photo is asked for; a bad one is refused at once with a retake, a good one ends the capture and counts for the topic', async () => {
  const { learner, player } = await learnerStudying(stack, cls.classId, cls.lesson.id);
  const [first, second] = await player.play(0, 20);
  expect(first.body.capture).toBeUndefined();
  expect(second.body.capture).toMatchObject({ captureId: expect.any(String), message: expect.stringContaining('拍') });
  const { captureId } = second.body.capture;
  const [stillDue] = await player.play(20, 10);
  expect(stillDue.body).toMatchObject({ accepted: true, capture: { captureId } });

  const noFace = await player.sendCapture(captureId, cls.photos.noFace);
  expect(noFace).toMatchObject({ status: 200, body: { check: { accepted: false, problems: [{ code: 'NO_FACE' }] }, retake: true, topicPhotos: { kept: 0, expected: 2 } } });
  const someoneElse = await player.sendCapture(captureId, cls.photos.astronaut);
  expect(someoneElse.body).toMatchObject({ check: { accepted: false, problems: [{ code: 'NOT_SAME_PERSON' }] }, retake: true });
  const good = await player.sendCapture(captureId, cls.photos.hopperAgain);
  expect(good).toMatchObject({ status: 200, body: { check: { accepted: true }, retake: false, topicPhotos: { kept: 1, expected: 2 } } });

  expect(await player.sendCapture(captureId, cls.photos.hopperAgain)).toMatchObject({ status: 404, body: { code: 'CAPTURE_NOT_FOUND' } });
  expect(await player.sendCapture('made-up-capture', cls.photos.hopperAgain)).toMatchObject({ status: 404, body: { code: 'CAPTURE_NOT_FOUND' } });
  const [after] = await player.play(30, 10);
  expect(after.body.capture).toBeUndefined();

  const overview = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0];
  expect(overview.topics[0].photos).toEqual({ kept: 1, expected: 2 });
  expect(overview.photoCoverage).toEqual({ percent: 50, requiredPercent: 60, met: false });
  expect(overview.examBlockers).toContain('学习照片覆盖率 50%，需达到 60%');
});

test('when a capture is left unanswered past the grace period, then nothing is credited until a photo is accepted', async () => {
  const { player } = await learnerStudying(stack, cls.classId, cls.lesson.id);
  const answers = await player.play(0, 140);
  const { captureId } = answers[1].body.capture;
  expect(answers.every((a) => a.body.creditedNow === 10)).toBe(true); // 120 s of grace from the moment it was due
  stack.clock.advance(10_000);
  const overdue = await player.beat({ position: 150 });
  expect(overdue.body).toMatchObject({ accepted: false, ignored: 'CAPTURE_OVERDUE', creditedNow: 0, seekTo: 140, capture: { captureId }, message: expect.stringContaining('拍照') });

  expect((await player.sendCapture(captureId, cls.photos.hopperAgain)).body.check.accepted).toBe(true);
  const [resumed] = await player.play(140, 10);
  expect(resumed.body).toMatchObject({ accepted: true, creditedNow: 10 });
  expect(resumed.body.capture).toBeUndefined();
});

test('when the same photo is sent twice at once, then it is checked and counted once and nothing fails', async () => {
  const { learner, player } = await learnerStudying(stack, cls.classId, cls.lesson.id);
  const [, due] = await player.play(0, 20);
  const { captureId } = due.body.capture;
  const both = await Promise.all([player.sendCapture(captureId, cls.photos.hopperAgain), player.sendCapture(captureId, cls.photos.hopperAgain)]);
  const statuses = both.map((b) => b.status).sort();
  expect(statuses[0]).toBe(200);
  expect([404, 409]).toContain(statuses[1]); // busy with the first, or already fulfilled by it
  const overview = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0];
  expect(overview.topics[0].photos).toEqual({ kept: 1, expected: 2 });
});
