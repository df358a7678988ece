import mongoose from 'mongoose';
import { facePhotos } from '../helpers/face-photos';
import { sendPhoto } from '../helpers/face';
import { NEW_PASSWORD, operatorReady } from '../helpers/journeys';
import { Player, useStudyStack, type Learner } from '../learning/helpers';
import { ExamTaker, examClass, examPolicy, learnerWhoStudied, type ExamClass } from '../exams/helpers';
import { approveCompletion, learnerWhoPassed, queueItem, reviewerReady } from './helpers';

/**
 * A passed exam is not yet completion: a reviewer of the certificate's city looks at the avatar, study and exam
 * photos, decides each, may ask for a recapture, and approves 合格结业. Other cities see nothing; learners and
 * enterprises cannot reach review routes; every action is audited.
 */
const stack = useStudyStack();
let shandong: ExamClass;
let jinan: string;
let qingdao: string;
let passed: Learner;

beforeAll(async () => {
  await examPolicy();
  shandong = await examClass(stack, 'SD', await operatorReady(stack.api, 'SD'));
  jinan = await reviewerReady(stack.api, 'SD', '济南市');
  qingdao = await reviewerReady(stack.api, 'SD', '青岛市');
  passed = await learnerWithPhotos();
});

/** Studies with a study photo per lesson (asked after 20 s of watching) and takes the exam with its first photo. */
async function learnerWithPhotos(): Promise<Learner> {
  const policies = mongoose.connection.collection('policies');
  await policies.updateOne({ province: 'SD' }, { $set: { 'settings.photos.captureEverySeconds': { min: 20, max: 20 } } });
  const learner = await learnerWhoStudied(stack, 'SD', shandong, { study: false });
  const { hopperAgain } = await facePhotos();
  for (const lesson of shandong.lessons) {
    const player = new Player(stack, learner);
    await player.start(lesson.id);
    const answers = await player.play(0, lesson.durationSeconds);
    const capture = answers.map((a) => a.body.capture).find(Boolean);
    const photo = await player.sendCapture(capture.captureId, hopperAgain);
    expect(photo.body).toMatchObject({ check: { accepted: true } });
  }
  await policies.updateOne({ province: 'SD' }, { $set: { 'settings.photos.captureEverySeconds': { min: 3600, max: 3600 } } });
  const taker = new ExamTaker(stack, learner);
  const started = await taker.start();
  const examPhoto = await sendPhoto(stack.api, 'POST', `/api/learner/exams/attempts/${started.body.id}/photos`, learner.token, hopperAgain, { captureId: started.body.capture.captureId });
  expect(examPhoto.body).toMatchObject({ check: { accepted: true } });
  await taker.answer(started.body, 7);
  expect((await taker.submit(started.body.id)).body.result).toMatchObject({ passed: true });
  return learner;
}

const call = (method: string, path: string, token: string, body?: unknown) => stack.api.call(method, path, { token, ...(body !== undefined ? { body } : {}) });

test("when a reviewer of another city looks, then the learner is not in their queue and every direct action on them is 404; a learner and an enterprise get 403", async () => {
  const mine = await queueItem(stack.api, jinan, passed.enrollmentId);
  expect(mine).toBeDefined();
  const photoId = mine.photos[0].id;

  expect((await call('GET', '/api/review/completions', qingdao)).body.items).toEqual([]);
  for (const [path, body] of [
    [`/api/review/photos/${photoId}/decision`, { approve: true, reason: '照片清晰' }],
    [`/api/review/completions/${passed.enrollmentId}/recapture`, { reason: '请重拍头像' }],
    [`/api/review/completions/${passed.enrollmentId}/approve`, {}],
    [`/api/review/completions/${passed.enrollmentId}/reject`, { reason: '照片不是本人' }],
  ] as const) {
    const res = await call('POST', path, qingdao, body);
    expect([res.status, path]).toEqual([404, path]);
  }

  const company = await mongoose.connection.collection('enrollments').findOne({ _id: new mongoose.Types.ObjectId(passed.enrollmentId) });
  const enterprise = await stack.api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: company!.enterpriseName, password: NEW_PASSWORD } });
  expect(enterprise.status).toBe(200);
  for (const token of [passed.token, enterprise.body.token]) {
    expect((await call('GET', '/api/review/completions', token)).status).toBe(403);
    expect((await call('GET', '/api/review/applications', token)).status).toBe(403);
    expect((await call('POST', `/api/review/completions/${passed.enrollmentId}/approve`, token, {})).status).toBe(403);
    expect((await call('POST', `/api/review/photos/${photoId}/decision`, token, { approve: true, reason: '照片清晰' })).status).toBe(403);
  }
  expect((await queueItem(stack.api, jinan, passed.enrollmentId)).photos[0].decision).toBeUndefined();
});

test('when the exam is passed, then the city reviewer sees the learner with avatar, study and exam photos by signed link with face scores; approval waits for every photo; a rejected avatar blocks until a new one is uploaded; a recapture note reaches the learner and a new photo brings them back to the queue; approval makes 合格结业 once, audited', async () => {
  const item = await queueItem(stack.api, jinan, passed.enrollmentId);
  expect(item).toMatchObject({ personName: expect.any(String), idMasked: expect.stringMatching(/^\d{4}\*+\d{3}[\dX]$/), city: '济南市', state: 'AWAITING_REVIEW', examScore: 100, hoursEarned: 24 });
  expect(item.photos.map((p: { kind: string }) => p.kind)).toEqual(['AVATAR', 'STUDY', 'STUDY', 'STUDY', 'STUDY', 'EXAM']);
  for (const photo of item.photos) {
    expect(photo.url).toMatch(/^\/api\/files\/.+sig=/);
    const file = await fetch(stack.api.url + photo.url);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    if (photo.kind !== 'AVATAR') expect(photo.score).toBeGreaterThan(42);
  }
  const avatar = item.photos.find((p: { kind: string }) => p.kind === 'AVATAR');

  const early = await call('POST', `/api/review/completions/${passed.enrollmentId}/approve`, jinan, {});
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('PHOTOS_NOT_APPROVED');

  const rejected = await call('POST', `/api/review/photos/${avatar.id}/decision`, jinan, { approve: false, reason: '头像不是白底一寸照' });
  expect(rejected.status).toBe(200);
  const again = await call('POST', `/api/review/photos/${avatar.id}/decision`, jinan, { approve: true, reason: '改为通过' });
  expect([again.status, again.body.code]).toEqual([409, 'ALREADY_DECIDED']);
  const recapture = await call('POST', `/api/review/completions/${passed.enrollmentId}/recapture`, jinan, { reason: '请重新上传白底一寸照' });
  expect(recapture.body.state).toBe('RECAPTURE_REQUESTED');
  const seen = await call('GET', `/api/learner/completion/${passed.enrollmentId}`, passed.token);
  expect(seen.body).toMatchObject({ state: 'RECAPTURE_REQUESTED', stateLabel: '审核要求重新拍照', notes: ['请重新上传白底一寸照'] });

  for (const photo of (await queueItem(stack.api, jinan, passed.enrollmentId, 'RECAPTURE_REQUESTED')).photos.filter((p: { decision?: unknown }) => !p.decision)) {
    await call('POST', `/api/review/photos/${photo.id}/decision`, jinan, { approve: true, reason: '本人照片清晰' });
  }
  const blocked = await call('POST', `/api/review/completions/${passed.enrollmentId}/approve`, jinan, {});
  expect(blocked.body).toMatchObject({ code: 'PHOTOS_NOT_APPROVED', details: { photoIds: [avatar.id] } });

  stack.clock.advance(60_000);
  const { hopper } = await facePhotos();
  expect((await sendPhoto(stack.api, 'PUT', '/api/learner/face/avatar', passed.token, hopper)).status).toBe(200);
  const back = await queueItem(stack.api, jinan, passed.enrollmentId);
  expect(back.state).toBe('AWAITING_REVIEW');
  const avatars = back.photos.filter((p: { kind: string }) => p.kind === 'AVATAR');
  expect(avatars.map((p: { id: string; decision?: unknown }) => [p.id === avatar.id, p.decision])).toEqual([[false, undefined]]);
  const approved = await approveCompletion(stack.api, jinan, passed.enrollmentId);
  expect(approved.status).toBe(200);
  expect(approved.body.state).toBe('COMPLETED');
  const twice = await call('POST', `/api/review/completions/${passed.enrollmentId}/approve`, jinan, {});
  expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_DECIDED']);

  const view = await call('GET', `/api/learner/completion/${passed.enrollmentId}`, passed.token);
  expect(view.body).toMatchObject({ state: 'COMPLETED', stateLabel: '合格结业', notes: [], report: { state: 'PENDING' }, completionCertificate: { code: expect.stringMatching(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/) } });
  expect(view.body.timeline.map((s: { key: string; done: boolean }) => [s.key, s.done])).toEqual([['EXAM_PASSED', true], ['UNDER_REVIEW', true], ['COMPLETED', true], ['REPORTED', false]]);

  const audit = await mongoose.connection.collection('reviewaudit').find({ enrollmentId: new mongoose.Types.ObjectId(passed.enrollmentId) }).sort({ at: 1, _id: 1 }).toArray();
  const actions = audit.map((a) => a.action);
  expect(actions[0]).toBe('PHOTO_REJECTED');
  expect(actions).toContain('RECAPTURE_REQUESTED');
  expect(actions.at(-1)).toBe('COMPLETION_APPROVED');
  expect(audit.find((a) => a.action === 'PHOTO_REJECTED')).toMatchObject({ reason: '头像不是白底一寸照', city: '济南市', reviewer: expect.any(String), at: expect.any(Date) });
});

test('when two approvals arrive at once, then one makes 合格结业 and the other is ALREADY_DECIDED: one certificate code, one report queued', async () => {
  const learner = await learnerWhoPassed(stack, 'SD', shandong);
  const item = await queueItem(stack.api, jinan, learner.enrollmentId);
  for (const photo of item.photos) await call('POST', `/api/review/photos/${photo.id}/decision`, jinan, { approve: true, reason: '本人照片清晰' });

  const answers = await Promise.all([1, 2].map(() => call('POST', `/api/review/completions/${learner.enrollmentId}/approve`, jinan, {})));
  expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  expect(answers.find((a) => a.status === 409)!.body.code).toBe('ALREADY_DECIDED');
  const reportJobs = await mongoose.connection.collection('jobs').countDocuments({ key: `gov-report:${learner.enrollmentId}` });
  expect(reportJobs).toBe(1);
  const approvals = await mongoose.connection.collection('reviewaudit').countDocuments({ enrollmentId: new mongoose.Types.ObjectId(learner.enrollmentId), action: 'COMPLETION_APPROVED' });
  expect(approvals).toBe(1);
});

test('when the exam is not passed yet, then approval is REVIEW_NOT_READY and the learner is in no queue; the learner sees 学习中', async () => {
  const studying = await learnerWhoStudied(stack, 'SD', shandong);
  const res = await call('POST', `/api/review/completions/${studying.enrollmentId}/approve`, jinan, {});
  expect([res.status, res.body.code]).toEqual([409, 'REVIEW_NOT_READY']);
  expect(await queueItem(stack.api, jinan, studying.enrollmentId)).toBeUndefined();
  const view = await call('GET', `/api/learner/completion/${studying.enrollmentId}`, studying.token);
  expect(view.body).toMatchObject({ state: 'STUDYING', report: { state: 'NOT_DUE' }, renewal: { allowed: false } });
  expect((await call('GET', `/api/learner/completion/${passed.enrollmentId}`, studying.token)).status).toBe(404);
});

test('when the reviewer rejects completion with a reason, then the learner sees 审核未通过 and why; nothing can be approved after', async () => {
  const learner = await learnerWhoPassed(stack, 'SD', shandong);
  const rejected = await call('POST', `/api/review/completions/${learner.enrollmentId}/reject`, jinan, { reason: '考试照片均非本人' });
  expect(rejected.body).toMatchObject({ enrollmentId: learner.enrollmentId, state: 'REJECTED' });
  const view = await call('GET', `/api/learner/completion/${learner.enrollmentId}`, learner.token);
  expect(view.body).toMatchObject({ state: 'REJECTED', stateLabel: '审核未通过', report: { state: 'NOT_DUE' } });
  expect(view.body.timeline[1]).toMatchObject({ key: 'UNDER_REVIEW', done: false, note: '审核未通过：考试照片均非本人' });
  const approve = await call('POST', `/api/review/completions/${learner.enrollmentId}/approve`, jinan, {});
  expect([approve.status, approve.body.code]).toEqual([409, 'ALREADY_DECIDED']);
  expect((await call('GET', '/api/review/completions?state=REJECTED', jinan)).body.items.map((i: { enrollmentId: string }) => i.enrollmentId)).toEqual([learner.enrollmentId]);
});
