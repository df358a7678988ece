import mongoose from 'mongoose';
import { examPhotosOf } from '../../backend/src/modules/face';
import { facePhotos } from '../helpers/face-photos';
import { sendPhoto } from '../helpers/face';
import { operatorReady } from '../helpers/journeys';
import { useStudyStack } from '../learning/helpers';
import { examClass, ExamTaker, examPolicy, learnerWhoStudied, rightAnswer, wrongAnswer, type ExamClass, type PaperQuestion } from './helpers';

/**
 * The server keeps the time (Yunnan: 120 minutes; autosave grace 10 s). Stories on a controlled clock: the
 * deadline finishes an attempt nobody submitted with its saved answers; late saves; two starts and two submits
 * at once; the exam closed until the hours are earned; exam photos.
 */
const stack = useStudyStack();
let yunnan: ExamClass;

const MINUTE = 60_000;
const attempts = () => mongoose.connection.collection('examattempts');

beforeAll(async () => {
  await examPolicy();
  yunnan = await examClass(stack, 'YN', await operatorReady(stack.api, 'YN'));
});

async function takerWhoStudied(): Promise<ExamTaker> {
  return new ExamTaker(stack, await learnerWhoStudied(stack, 'YN', yunnan));
}

test('when nobody submits, then the job finishes the attempt at its deadline with the saved answers; a save after the deadline is refused, one sent 5 s before it and arriving 3 s after it is kept', async () => {
  const taker = await takerWhoStudied();
  const started = await taker.start();
  expect(started.status).toBe(201);
  const attempt = started.body;
  const startedAt = stack.clock.now().getTime();
  expect(attempt).toMatchObject({ state: 'IN_PROGRESS', durationMinutes: 120, leavingRule: 'END_ATTEMPT_SCORE_ZERO', savedCount: 0, serverNow: new Date(startedAt).toISOString() });
  expect(new Date(attempt.deadline).getTime()).toBe(startedAt + 120 * MINUTE);
  expect(attempt.questions.map((q: PaperQuestion) => q.type)).toEqual(['SINGLE', 'SINGLE', 'SINGLE', 'MULTIPLE', 'MULTIPLE', 'JUDGE', 'JUDGE']);
  const [q1, q2, q3, m1, m2, j1, j2] = attempt.questions as PaperQuestion[];

  stack.clock.advance(30 * MINUTE);
  await taker.answer({ id: attempt.id, questions: [q1, q2, m1] }, 3);
  expect((await taker.save(attempt.id, j1.id, wrongAnswer(j1), 1)).body).toMatchObject({ saved: true, savedCount: 4 });

  const deadline = new Date(attempt.deadline);
  stack.clock.set(deadline.getTime() + 1000);
  const late = await taker.save(attempt.id, q3.id, rightAnswer(q3), 1);
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('ATTEMPT_CLOSED');
  const lateClaimingEarly = await taker.save(attempt.id, q3.id, rightAnswer(q3), 1, new Date(deadline.getTime() - 5000));
  expect(lateClaimingEarly.body).toMatchObject({ saved: true });

  stack.clock.set(deadline.getTime() + 3000);
  const inFlight = await taker.save(attempt.id, j2.id, rightAnswer(j2), 1, new Date(deadline.getTime() - 5000));
  expect(inFlight.status).toBe(200);
  expect(inFlight.body).toMatchObject({ saved: true, savedCount: 6 });
  const sentAfterDeadline = await taker.save(attempt.id, m2.id, rightAnswer(m2), 1, new Date(deadline.getTime() + 1000));
  expect(sentAfterDeadline.body.code).toBe('ATTEMPT_CLOSED');

  stack.clock.set(deadline.getTime() + 11_000);
  await stack.api.running.jobRunner.runDueJobs();
  const stored = await attempts().findOne({ _id: new mongoose.Types.ObjectId(attempt.id) });
  expect(stored).toMatchObject({ state: 'FINISHED', endedBy: 'DEADLINE', finishedAt: deadline });

  const result = (await taker.read(attempt.id)).body;
  // q1, q2, q3 (20 each), m1 (10), j2 (10) right; j1 wrong, m2 unanswered.
  expect(result.result).toMatchObject({ score: 80, fullMarks: 100, passMark: 60, passed: true, endedBy: 'DEADLINE', endedByLabel: '考试时间到，系统按已保存的答案自动交卷', finishedAt: deadline.toISOString(), correctCount: 5, questionCount: 7 });
  expect(result.questions.find((q: PaperQuestion) => q.id === j2.id).saved).toEqual(rightAnswer(j2));
  expect((await taker.save(attempt.id, m2.id, rightAnswer(m2), 2)).body.code).toBe('ATTEMPT_CLOSED');
});

test('when the learner comes back after the time is up and no job has run, then reading the attempt finishes it at its deadline', async () => {
  const taker = await takerWhoStudied();
  const attempt = (await taker.start()).body;
  await taker.answer(attempt, 2);
  stack.clock.set(new Date(attempt.deadline).getTime() + 60 * MINUTE);
  const back = (await taker.read(attempt.id)).body;
  expect(back).toMatchObject({ state: 'FINISHED', result: { score: 40, passed: false, endedBy: 'DEADLINE', finishedAt: attempt.deadline } });
  const overview = (await taker.overview()).body;
  expect(overview).toMatchObject({ attemptsUsed: 1, attemptsLeft: 4, bestScore: 40, passed: false });
  expect(overview.activeAttemptId).toBeUndefined();
});

test('when answers are saved out of order or twice, then the newest change of each question is kept', async () => {
  const taker = await takerWhoStudied();
  const attempt = (await taker.start()).body;
  const [q1] = attempt.questions as PaperQuestion[];
  const [a, b] = q1.options.map((o) => o.key);
  expect((await taker.save(attempt.id, q1.id, [b], 2)).body).toMatchObject({ saved: true, seq: 2 });
  expect((await taker.save(attempt.id, q1.id, [a], 1)).body).toMatchObject({ saved: false, ignored: 'STALE', seq: 2, savedCount: 1 });
  expect((await taker.save(attempt.id, q1.id, [b], 2)).body).toMatchObject({ saved: true, seq: 2 });
  const resumed = (await taker.read(attempt.id)).body;
  expect(resumed.questions[0].saved).toEqual([b]);

  expect((await taker.save(attempt.id, q1.id, [a, b], 3)).body.code).toBe('ANSWER_INVALID');
  expect((await taker.save(attempt.id, q1.id, ['H'], 3)).body.code).toBe('ANSWER_INVALID');
  expect((await taker.save(attempt.id, 'abcdefabcdef', [a], 3)).body.code).toBe('QUESTION_NOT_IN_PAPER');
  expect((await taker.read(attempt.id)).body.questions[0].saved).toEqual([b]);
});

test('when the learner starts twice at the same moment, then one attempt exists and both answers carry it; two submits at once give one result', async () => {
  const taker = await takerWhoStudied();
  const [one, two] = await Promise.all([taker.start(), taker.start()]);
  expect([one.status, two.status].sort()).toEqual([200, 201]);
  expect(one.body.id).toBe(two.body.id);
  expect(await attempts().countDocuments({ enrollmentId: new mongoose.Types.ObjectId(taker.learner.enrollmentId) })).toBe(1);

  await taker.answer(one.body, 5);
  stack.clock.advance(20 * MINUTE);
  const [first, second] = await Promise.all([taker.submit(one.body.id), taker.submit(one.body.id)]);
  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  expect(first.body.result).toEqual(second.body.result);
  expect(first.body.result).toMatchObject({ score: 80, passed: true, endedBy: 'SUBMITTED' });
  expect((await taker.overview()).body).toMatchObject({ attemptsUsed: 1, passed: true, bestScore: 80 });
  expect((await taker.start()).body.code).toBe('EXAM_ALREADY_PASSED');
});

test('when the hours are not earned yet, then the exam does not open and says what is missing', async () => {
  const learner = await learnerWhoStudied(stack, 'YN', yunnan, { study: false });
  const taker = new ExamTaker(stack, learner);
  const overview = (await taker.overview()).body;
  expect(overview).toMatchObject({ eligible: false, durationMinutes: 120, questionCount: 7, passMark: 60, maxAttempts: 5, attemptsLeft: 5, leavingRule: 'END_ATTEMPT_SCORE_ZERO' });
  expect(overview.leavingWarning).toContain('成绩记 0 分');
  expect(overview.blockers.join('')).toContain('需 24 学时');
  const refused = await taker.start();
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe('EXAM_NOT_OPEN');
  expect(refused.body.details.blockers).toEqual(overview.blockers);
  expect(await attempts().countDocuments({ enrollmentId: new mongoose.Types.ObjectId(learner.enrollmentId) })).toBe(0);
});

test('when the exam starts, then a photo is asked for at once, checked against the avatar, and the next one comes at a random moment later (the same photo sent twice at once is checked once); all are kept for the reviewer', async () => {
  const taker = await takerWhoStudied();
  const attempt = (await taker.start()).body;
  expect(attempt.capture).toMatchObject({ dueAt: attempt.startedAt });
  const photos = await facePhotos();
  const path = `/api/learner/exams/attempts/${attempt.id}/photos`;

  const stranger = await sendPhoto(stack.api, 'POST', path, taker.learner.token, photos.astronaut, { captureId: attempt.capture.captureId });
  expect(stranger.status).toBe(200);
  expect(stranger.body).toMatchObject({ check: { accepted: false }, retake: true, capture: { captureId: attempt.capture.captureId } });

  const own = await sendPhoto(stack.api, 'POST', path, taker.learner.token, photos.hopperAgain, { captureId: attempt.capture.captureId });
  expect(own.body).toMatchObject({ check: { accepted: true }, retake: false });
  expect((await taker.read(attempt.id)).body.capture).toBeUndefined();
  const again = await sendPhoto(stack.api, 'POST', path, taker.learner.token, photos.hopperAgain, { captureId: attempt.capture.captureId });
  expect(again.body.code).toBe('CAPTURE_NOT_FOUND');

  stack.clock.advance(3600 * 1000);
  const [q1] = attempt.questions as PaperQuestion[];
  const saved = await taker.save(attempt.id, q1.id, rightAnswer(q1), 1);
  const next = saved.body.capture;
  expect(next.captureId).not.toBe(attempt.capture.captureId);

  const twice = await Promise.all([1, 2].map(() => sendPhoto(stack.api, 'POST', path, taker.learner.token, photos.hopperAgain, { captureId: next.captureId })));
  const [checked, other] = twice.sort((a, b) => a.status - b.status);
  expect(checked.body).toMatchObject({ check: { accepted: true } });
  // Refused while the first is being checked (409), or found fulfilled if it came just after (404).
  expect(['CONFLICT', 'CAPTURE_NOT_FOUND']).toContain(other.body.code);
  expect(await mongoose.connection.collection('facephotos').countDocuments({ purpose: 'EXAM', captureId: next.captureId })).toBe(1);

  // Kept for the reviewer: every exam photo with its check, by a short-lived signed URL.
  const kept = await examPhotosOf(taker.learner.enrollmentId, stack.api.running.deps);
  expect(kept.map((p) => p.accepted)).toEqual([false, true, true]);
  const file = await fetch(stack.api.url + kept[1].url);
  expect([file.status, file.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
  expect((await taker.read(attempt.id)).body.capture).toBeUndefined();
});

test("when a learner reaches for someone else's exam, then it is not found for them and nothing changes", async () => {
  const owner = await takerWhoStudied();
  const attempt = (await owner.start()).body;
  const [q1] = attempt.questions as PaperQuestion[];
  await owner.save(attempt.id, q1.id, rightAnswer(q1), 1);
  const other = new ExamTaker(stack, { ...(await learnerWhoStudied(stack, 'YN', yunnan, { study: false })), enrollmentId: owner.learner.enrollmentId });
  expect((await other.overview()).body.code).toBe('ENROLLMENT_NOT_FOUND');
  expect((await other.start()).body.code).toBe('ENROLLMENT_NOT_FOUND');
  for (const answer of [await other.read(attempt.id), await other.save(attempt.id, q1.id, wrongAnswer(q1), 2), await other.submit(attempt.id), await other.visibility(attempt.id, 'hidden')]) {
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('ATTEMPT_NOT_FOUND');
  }
  const mine = (await owner.read(attempt.id)).body;
  expect(mine).toMatchObject({ state: 'IN_PROGRESS', savedCount: 1 });
  expect(mine.questions[0].saved).toEqual(rightAnswer(q1));
});
