import { useTestBackend } from '../helpers/backend';
import { boundLearner, giveFaceConsent, learnerReadyForStudy, sendPhoto } from '../helpers/face';
import { facePhotos, type FacePhotos } from '../helpers/face-photos';
import { importRecords } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend();
const owner = enterprise(7101, 'SD');
const people = [certificate(owner), certificate(owner), certificate(owner)];
let photos: FacePhotos;

beforeAll(async () => {
  photos = await facePhotos();
  await importRecords(people, api.running.deps);
});

describe('the avatar (白底一寸照) is checked before it is kept', () => {
  let token: string;
  beforeAll(async () => {
    token = await boundLearner(api, 'face-avatar-1', people[0].idNumber);
    await giveFaceConsent(api, token);
  });

  test.each([
    { what: 'shows no face', photo: 'noFace', problem: 'NO_FACE' },
    { what: 'shows two faces', photo: 'twoFaces', problem: 'MULTIPLE_FACES' },
    { what: 'is smaller than 300×300', photo: 'tiny', problem: 'IMAGE_TOO_SMALL' },
    { what: 'shows the face far away', photo: 'farAway', problem: 'FACE_TOO_SMALL' },
    { what: 'is no image', photo: 'broken', problem: 'IMAGE_UNREADABLE' },
  ] as const)('when the photo $what, then it is refused as $problem and the old state stays', async ({ photo, problem }) => {
    const res = await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos[photo]);
    expect(res.status).toBe(200);
    expect(res.body.check.accepted).toBe(false);
    expect(res.body.check.problems.map((p: { code: string }) => p.code)).toEqual([problem]);
    expect(res.body.check.problems[0].message).toContain('白底一寸照');
    expect(res.body.avatarUrl).toBeUndefined();
    expect((await api.call('GET', '/api/learner/face', { token })).body.avatar).toEqual({ set: false });
  });

  test('when the photo shows exactly one large face, then it becomes the avatar, served only by a signed URL', async () => {
    const res = await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.hopper);
    expect(res.body.check).toMatchObject({ accepted: true, problems: [], faces: 1 });
    const status = await api.call('GET', '/api/learner/face', { token });
    expect(status.body.avatar.set).toBe(true);
    const signed = await fetch(api.url + status.body.avatar.url);
    expect(signed.status).toBe(200);
    expect(Buffer.from(await signed.arrayBuffer()).equals(photos.hopper)).toBe(true);
    const unsigned = await fetch(api.url + status.body.avatar.url.replace(/\?.*$/, ''));
    expect(unsigned.status).toBe(403);
  });
});

describe('the face check before study compares a live photo with the avatar', () => {
  test('when the same person is photographed again, then the check passes and study opens for the policy window', async () => {
    const token = await boundLearner(api, 'face-check-1', people[1].idNumber);
    const status = await learnerReadyForStudy(api, token);
    expect(status.body.failuresInRow).toBe(0);
    const until = new Date(status.body.verifiedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(119 * 60_000); // Shandong: study.faceCheckValidMinutes = 120
    expect(until - Date.now()).toBeLessThanOrEqual(120 * 60_000);
  });

  test('when somebody else faces the camera, then the check fails as NOT_SAME_PERSON with the score below the threshold, and failures are counted until manual review is offered', async () => {
    const token = await boundLearner(api, 'face-check-2', people[2].idNumber);
    await giveFaceConsent(api, token);
    await sendPhoto(api, 'PUT', '/api/learner/face/avatar', token, photos.hopper);
    const early = await api.call('POST', '/api/learner/face/manual-review', { token, body: {} });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('MANUAL_REVIEW_NOT_OFFERED');
    const answers = [];
    for (const photo of [photos.astronaut, photos.noFace, photos.astronaut]) answers.push(await sendPhoto(api, 'POST', '/api/learner/face/verifications', token, photo));
    expect(answers[0].body).toMatchObject({ passed: false, failuresInRow: 1, manualReviewOffered: false });
    expect(answers[0].body.check.problems[0].code).toBe('NOT_SAME_PERSON');
    expect(answers[0].body.check.score).toBeLessThan(answers[0].body.check.threshold);
    expect(answers[1].body.check.problems[0].code).toBe('NO_FACE');
    expect(answers[2].body).toMatchObject({ passed: false, failuresInRow: 3, manualReviewOffered: true });
    expect((await api.call('GET', '/api/learner/face', { token })).body.verifiedUntil).toBeUndefined();
  });
});
