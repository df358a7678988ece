import { FacePhotoModel } from '../../backend/src/modules/face/data';
import { faceProviderFor, PHOTO_RETENTION_JOB } from '../../backend/src/modules/face';
import { JobModel } from '../../backend/src/platform/jobs';
import { fileStore } from '../../backend/src/platform/storage';
import { sendPhoto } from '../helpers/face';
import { enrolledLearner, learnerStudying, useCapturingClass, useStudyStack, type Learner, type Player } from '../learning/helpers';

/** Study photos as learning takes them (at the moments the server asks), kept, listed and deleted on schedule. */
const stack = useStudyStack();
const DAY = 86_400_000;
const cls = useCapturingClass(stack, 1200);

/** Watches on until the server asks for a photo: the capture's id. */
async function captureAsked(player: Player): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const [beat] = await player.play(player.seq * 10, 10);
    if (beat.body.capture) return beat.body.capture.captureId;
  }
  throw new Error('no capture asked for');
}

const nextCapture = async (player: Player, photo: Buffer) => player.sendCapture(await captureAsked(player), photo);

const listPhotos = (learner: Learner) => stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}/photos`, { token: learner.token });
const storedFile = (key: string) => fileStore(stack.api.running.deps.config).get(key);

test('when a third photo is accepted for a topic, then it replaces the oldest, whose file is gone; the learner lists only their own photos by signed URL', async () => {
  const { learner, player } = await learnerStudying(stack, cls.classId, cls.lesson.id);
  expect((await nextCapture(player, cls.photos.hopperAgain)).body.topicPhotos).toEqual({ kept: 1, expected: 2 });
  expect((await nextCapture(player, cls.photos.hopper)).body.topicPhotos).toEqual({ kept: 2, expected: 2 });
  const [oldest] = await FacePhotoModel.find({ enrollmentId: learner.enrollmentId, kept: true }).sort({ takenAt: 1 }).lean();
  expect(await storedFile(oldest.key)).toBeDefined();

  const third = await nextCapture(player, cls.photos.hopperAgain);
  expect(third.body).toMatchObject({ check: { accepted: true }, topicPhotos: { kept: 2, expected: 2 } });
  expect(await storedFile(oldest.key)).toBeUndefined();
  const list = await listPhotos(learner);
  expect(list.body.items).toHaveLength(2);
  expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(String(oldest._id));
  const newest = await fetch(stack.api.url + list.body.items[0].url);
  expect(newest.status).toBe(200);
  expect(newest.headers.get('content-type')).toBe('image/jpeg');

  const stranger = await enrolledLearner(stack, 'YN', cls.classId);
  expect((await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}/photos`, { token: stranger.token })).body.code).toBe('ENROLLMENT_NOT_FOUND');
});

test('when the daily retention job runs, then refused photos go at once and kept ones only after the study window plus photos.retentionDays', async () => {
  const { learner, player } = await learnerStudying(stack, cls.classId, cls.lesson.id);
  const captureId = await captureAsked(player);
  expect((await player.sendCapture(captureId, cls.photos.astronaut)).body.retake).toBe(true);
  expect((await player.sendCapture(captureId, cls.photos.hopperAgain)).body.check.accepted).toBe(true);
  const stored = await FacePhotoModel.find({ enrollmentId: learner.enrollmentId }).lean();
  expect(stored.map((p) => p.accepted).sort()).toEqual([false, true]);
  expect(await JobModel.countDocuments({ name: PHOTO_RETENTION_JOB, status: 'queued' })).toBe(1);

  stack.clock.advance(DAY);
  await stack.api.running.jobRunner.runDueJobs();
  const afterFirstNight = await FacePhotoModel.find({ enrollmentId: learner.enrollmentId }).lean();
  expect(afterFirstNight.map((p) => p.accepted)).toEqual([true]);
  expect(await storedFile(stored.find((p) => !p.accepted)!.key)).toBeUndefined();
  expect(await JobModel.countDocuments({ name: PHOTO_RETENTION_JOB, status: 'queued' })).toBe(1); // the next night's run

  // Yunnan: 30 days of study from payment, then 365 days of retention (policy photos.retentionDays).
  stack.clock.advance(30 * DAY + 364 * DAY);
  await stack.api.running.jobRunner.runDueJobs();
  expect(await FacePhotoModel.countDocuments({ enrollmentId: learner.enrollmentId })).toBe(1);
  stack.clock.advance(2 * DAY);
  await stack.api.running.jobRunner.runDueJobs();
  expect(await FacePhotoModel.countDocuments({ enrollmentId: learner.enrollmentId })).toBe(0);
  expect(await storedFile(afterFirstNight[0].key)).toBeUndefined();
});

test('when the learner withdraws consent, then no photo is taken and no face is processed, and the avatar and unreviewed photos are deleted', async () => {
  const { learner, player } = await learnerStudying(stack, cls.classId, cls.lesson.id);
  expect((await nextCapture(player, cls.photos.hopperAgain)).body.check.accepted).toBe(true);
  const [kept] = await FacePhotoModel.find({ enrollmentId: learner.enrollmentId }).lean();
  const pendingCapture = await captureAsked(player);

  const withdrawn = await stack.api.call('DELETE', '/api/learner/face/consent', { token: learner.token });
  expect(withdrawn.body).toMatchObject({ given: false, withdrawnAt: expect.any(String) });
  const status = (await stack.api.call('GET', '/api/learner/face', { token: learner.token })).body;
  expect(status).toMatchObject({ consent: { given: false }, avatar: { set: false } });
  expect(status.verifiedUntil).toBeUndefined();
  expect((await listPhotos(learner)).body.items).toEqual([]);
  expect(await storedFile(kept.key)).toBeUndefined();

  const engine = faceProviderFor(stack.api.running.deps.config);
  const checksBefore = engine.stats().completed;
  const refusals = [
    await player.sendCapture(pendingCapture, cls.photos.hopperAgain),
    await sendPhoto(stack.api, 'POST', '/api/learner/face/avatar', learner.token, cls.photos.hopper),
    await sendPhoto(stack.api, 'POST', '/api/learner/face/verifications', learner.token, cls.photos.hopperAgain),
    await sendPhoto(stack.api, 'POST', '/api/learner/identity-verification', learner.token, cls.photos.hopperAgain),
    await stack.api.call('POST', '/api/learner/face/manual-review', { token: learner.token, body: {} }),
  ];
  for (const refusal of refusals) expect(refusal).toMatchObject({ status: 403, body: { code: 'FACE_CONSENT_REQUIRED' } });
  expect(engine.stats().completed).toBe(checksBefore);
  expect(await FacePhotoModel.countDocuments({ personId: kept.personId })).toBe(0);
  // Study stops too: a new playback needs the face check, which needs consent.
  expect((await player.start(cls.lesson.id)).body.code).toBe('FACE_CONSENT_REQUIRED');
});
