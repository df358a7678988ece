import { useTestBackend } from '../helpers/backend';
import { boundLearner, giveFaceConsent, sendPhoto } from '../helpers/face';
import { facePhotos } from '../helpers/face-photos';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

// Production's face engine: Tencent Cloud IAI (DetectFace + CompareFace), here the run's simulator, with its own threshold.
const api = useTestBackend({ env: { FACE_PROVIDER: 'tencentcloud' } });
const owner = enterprise(7301, 'YN');
const person = certificate(owner);

beforeAll(async () => {
  await importRecords([person], api.running.deps);
});

test('when the Tencent Cloud engine decides, then the avatar and face checks give the same answers on its own scale and threshold', async () => {
  const photos = await facePhotos();
  const token = await boundLearner(api, 'tencent-engine-1', person.idNumber);
  await giveFaceConsent(api, token);
  const twoFaces = await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.twoFaces);
  expect(twoFaces.body.check.problems[0].code).toBe('MULTIPLE_FACES');
  const noFace = await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.noFace);
  expect(noFace.body.check.problems[0].code).toBe('NO_FACE');
  expect((await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.hopper)).body.check.accepted).toBe(true);

  const other = await sendPhoto(api, 'POST', '/api/learner/face/verifications', token, photos.astronaut);
  expect(other.body).toMatchObject({ passed: false, check: { threshold: 50 } }); // policy face.matchThresholds.tencentcloud
  const same = await sendPhoto(api, 'POST', '/api/learner/face/verifications', token, photos.hopperAgain);
  expect(same.body).toMatchObject({ passed: true, check: { accepted: true, threshold: 50 } });
  expect((await api.call('GET', '/api/learner/face', { token })).body.provider).toBe('tencentcloud');
});
