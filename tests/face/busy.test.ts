import { faceProviderFor } from '../../backend/src/modules/face';
import { useTestBackend } from '../helpers/backend';
import { boundLearner, giveFaceConsent, sendPhoto } from '../helpers/face';
import { facePhotos } from '../helpers/face-photos';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

// One worker, and at most one photo waiting for it.
const api = useTestBackend({ env: { FACE_WORKERS: '1', FACE_QUEUE_MAX: '1' } });
const owner = enterprise(7401, 'SD');
const people = [certificate(owner), certificate(owner)];

beforeAll(async () => {
  await importRecords(people, api.running.deps);
});

test('when more photos arrive than the queue holds, then the extra ones are refused at once with FACE_BUSY (503), never a 500, and the queue drains', async () => {
  const photos = await facePhotos();
  const token = await boundLearner(api, 'face-busy-1', people[0].idNumber);
  await giveFaceConsent(api, token);
  expect((await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.hopper)).body.check.accepted).toBe(true);

  const burst = await Promise.all(Array.from({ length: 8 }, () => sendPhoto(api, 'POST', '/api/learner/face/verifications', token, photos.twoFaces)));
  const statuses = burst.map((r) => r.status);
  expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  const busy = burst.filter((r) => r.status === 503);
  expect(busy.length).toBeGreaterThan(0);
  expect(busy[0].body).toMatchObject({ code: 'FACE_BUSY', message: '人脸核验排队人数较多，请几秒后重试' });
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
  // Only checks that ran were counted as failures.
  expect((await api.call('GET', '/api/learner/face', { token })).body.failuresInRow).toBe(statuses.filter((s) => s === 200).length);
  const stats = faceProviderFor(api.running.deps.config).stats();
  expect(stats).toMatchObject({ queued: 0, refusedBusy: busy.length });

  const after = await sendPhoto(api, 'POST', '/api/learner/face/verifications', token, photos.hopperAgain);
  expect(after.body.passed).toBe(true);
});

test('when consent is given, withdrawn and the avatar sent at the same time, then every answer is a clear one and the end state is consistent', async () => {
  const photos = await facePhotos();
  const token = await boundLearner(api, 'face-busy-2', people[1].idNumber);
  const version = (await api.call('GET', '/api/learner/face/consent', { token })).body.textVersion;
  const answers = await Promise.all([
    api.call('PUT', '/api/learner/face/consent', { token, body: { textVersion: version } }),
    api.call('PUT', '/api/learner/face/consent', { token, body: { textVersion: version } }),
    api.call('DELETE', '/api/learner/face/consent', { token }),
    sendPhoto(api, 'POST', '/api/learner/face/avatar', token, photos.hopper),
  ]);
  for (const answer of answers) expect([200, 403, 503]).toContain(answer.status);
  const status = (await api.call('GET', '/api/learner/face', { token })).body;
  // An avatar exists only under a consent that was on record.
  expect(!status.avatar.set || status.consent.given).toBe(true);
  expect((await api.call('PUT', '/api/learner/face/consent', { token, body: { textVersion: 'v0-old' } })).body.code).toBe('FACE_CONSENT_OUTDATED');
});
