import { createStaffAccount } from '../../backend/src/modules/accounts';
import { FaceAuditModel } from '../../backend/src/modules/face/data';
import type { TestBackend } from '../helpers/backend';
import { giveFaceConsent, sendPhoto } from '../helpers/face';
import { facePhotos, type FacePhotos } from '../helpers/face-photos';
import { NEW_PASSWORD } from '../helpers/journeys';
import { classWithContent, enrolledLearner, Player, useStudyStack, type ContentLesson, type Learner } from '../learning/helpers';

/** Face checking is never the only way through: after repeated failures a city reviewer looks instead. */
const stack = useStudyStack();
let lesson: ContentLesson;
let learner: Learner;
let photos: FacePhotos;
let jinan: string;
let qingdao: string;

async function reviewerReady(api: TestBackend, username: string, city: string): Promise<string> {
  const { initialPassword } = await createStaffAccount({ username, role: 'reviewer', province: 'SD', city });
  const login = await api.call('POST', '/api/auth/staff/login', { body: { username, password: initialPassword } });
  await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: NEW_PASSWORD } });
  return login.body.token;
}

const startStudy = () => new Player(stack, learner).start(lesson.id);
const faceStatus = async () => (await stack.api.call('GET', '/api/learner/face', { token: learner.token })).body;

beforeAll(async () => {
  photos = await facePhotos();
  const content = await classWithContent(stack.api, 'SD', { GENERAL: [{ creditHours: 6, lessons: [600] }] });
  lesson = content.lessons[0];
  learner = await enrolledLearner(stack, 'SD', content.classId); // an enterprise of 济南市
  jinan = await reviewerReady(stack.api, 'reviewer.face.jinan', '济南市');
  qingdao = await reviewerReady(stack.api, 'reviewer.face.qingdao', '青岛市');
  await giveFaceConsent(stack.api, learner.token);
  await sendPhoto(stack.api, 'POST', '/api/learner/face/avatar', learner.token, photos.hopper);
});

test('when the face check keeps failing, then after face.failuresBeforeManualReview failures the learner may ask for review and study while it is open', async () => {
  expect((await startStudy()).body.code).toBe('FACE_CHECK_REQUIRED');
  for (let i = 0; i < 3; i++) await sendPhoto(stack.api, 'POST', '/api/learner/face/verifications', learner.token, photos.astronaut);
  expect((await faceStatus()).manualReview).toEqual({ state: 'NONE', offered: true });

  const asked = await Promise.all([1, 2].map(() => stack.api.call('POST', '/api/learner/face/manual-review', { token: learner.token, body: { note: '我戴了眼镜，光线较暗' } })));
  expect(asked.map((a) => a.status)).toEqual([200, 200]);
  expect(asked[1].body.manualReview).toEqual({ state: 'PENDING', offered: false });
  expect((await startStudy()).status).toBe(201);
});

test("when a reviewer of another city looks, then they see nothing and cannot decide; the learner's city reviewer sees the request with the photos", async () => {
  expect((await stack.api.call('GET', '/api/review/face-reviews', { token: qingdao })).body.items).toEqual([]);
  const own = await stack.api.call('GET', '/api/review/face-reviews', { token: jinan });
  expect(own.body.items).toHaveLength(1);
  const [item] = own.body.items;
  expect(item).toMatchObject({ state: 'PENDING', city: '济南市', idMasked: expect.stringMatching(/^\d{4}\*+\d{3}[\dX]$/) });
  expect(item.photos).toHaveLength(3);
  expect(item.photos[0].problems).toEqual(['NOT_SAME_PERSON']);
  expect((await fetch(stack.api.url + item.avatarUrl)).status).toBe(200);
  expect((await fetch(stack.api.url + item.photos[0].url)).status).toBe(200);

  const foreign = await stack.api.call('POST', `/api/review/face-reviews/${item.id}/decision`, { token: qingdao, body: { approve: true, reason: '越权审核' } });
  expect(foreign.status).toBe(404);
  expect((await faceStatus()).manualReview.state).toBe('PENDING');
  const byLearner = await stack.api.call('GET', '/api/review/face-reviews', { token: learner.token });
  expect(byLearner.status).toBe(403);
});

test('when the reviewer rejects with a reason, then the learner is told why and needs a face check again; a second request approved opens study; decisions are recorded once', async () => {
  const [item] = (await stack.api.call('GET', '/api/review/face-reviews', { token: jinan })).body.items;
  const noReason = await stack.api.call('POST', `/api/review/face-reviews/${item.id}/decision`, { token: jinan, body: { approve: false } });
  expect(noReason.status).toBe(400);
  const rejected = await stack.api.call('POST', `/api/review/face-reviews/${item.id}/decision`, { token: jinan, body: { approve: false, reason: '照片与头像不是同一人' } });
  expect(rejected.body.state).toBe('REJECTED');
  const again = await stack.api.call('POST', `/api/review/face-reviews/${item.id}/decision`, { token: jinan, body: { approve: true, reason: '改判' } });
  expect(again.status).toBe(409);
  expect((await faceStatus()).manualReview).toEqual({ state: 'REJECTED', offered: true, reason: '照片与头像不是同一人' });
  expect((await startStudy()).body.code).toBe('FACE_CHECK_REQUIRED');

  await stack.api.call('POST', '/api/learner/face/manual-review', { token: learner.token, body: {} });
  const pending = (await stack.api.call('GET', '/api/review/face-reviews', { token: jinan })).body.items.find((i: { state: string }) => i.state === 'PENDING');
  const approved = await stack.api.call('POST', `/api/review/face-reviews/${pending.id}/decision`, { token: jinan, body: { approve: true, reason: '核对头像与证件照，确系本人' } });
  expect(approved.body.state).toBe('APPROVED');
  expect((await faceStatus()).manualReview.state).toBe('APPROVED');
  expect((await startStudy()).status).toBe(201);
  const decisions = await FaceAuditModel.find({ action: 'MANUAL_REVIEW_DECIDED' }).sort({ at: 1, _id: 1 }).lean();
  expect(decisions.map((d) => d.details)).toEqual([
    expect.objectContaining({ state: 'REJECTED', reason: '照片与头像不是同一人' }),
    expect.objectContaining({ state: 'APPROVED', reason: '核对头像与证件照，确系本人' }),
  ]);
});
