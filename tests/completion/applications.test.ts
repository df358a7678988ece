import mongoose from 'mongoose';
import { addDays, chinaDate } from '@ce/types';
import { operatorReady } from '../helpers/journeys';
import { classWithContent, enrolledLearner, useStudyStack, type Learner } from '../learning/helpers';
import { ExamTaker, examClass, examPolicy, learnerWhoStudied, type ExamClass } from '../exams/helpers';
import { reviewerReady, sitExam } from './helpers';

/**
 * 延期 / 补考 (Yunnan: a 30-day study window; 5 attempts): a deferral only once the window has ended, a retake only
 * once every attempt is used without a pass; a confirmed application with a valid mobile number, one pending per
 * kind; a reviewer of the learner's city decides once, and approval's effect applies once.
 */
const stack = useStudyStack();
let yunnan: ExamClass;
let kunming: string;
let qujing: string;

beforeAll(async () => {
  await examPolicy();
  yunnan = await examClass(stack, 'YN', await operatorReady(stack.api, 'YN'));
  kunming = await reviewerReady(stack.api, 'YN', '昆明市');
  qujing = await reviewerReady(stack.api, 'YN', '曲靖市');
});

const options = (learner: Learner) => stack.api.call('GET', `/api/learner/applications/${learner.enrollmentId}`, { token: learner.token });
const apply = (learner: Learner, kind: 'DEFERRAL' | 'RETAKE', extra: Record<string, unknown> = {}) =>
  stack.api.call('POST', '/api/learner/applications', { token: learner.token, body: { enrollmentId: learner.enrollmentId, kind, mobile: '13812345678', detailsConfirmed: true, ...extra } });
const decide = (reviewer: string, id: string, approve: boolean, reason = '情况属实，同意') => stack.api.call('POST', `/api/review/applications/${id}/decision`, { token: reviewer, body: { approve, reason } });

async function studyUntil(learner: Learner): Promise<string> {
  const enrollment = await mongoose.connection.collection('enrollments').findOne({ _id: new mongoose.Types.ObjectId(learner.enrollmentId) });
  return enrollment!.studyUntil;
}

const chinaTime = (date: string, time: string) => new Date(`${date}T${time}+08:00`);

test('when the study window ends, then deferral is refused on its last day and allowed the day after; details must be confirmed with a valid mobile; one pending; two approvals at once extend the window once', async () => {
  const { classId } = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [20] }] });
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId);
  const lastDay = await studyUntil(learner);

  stack.clock.set(chinaTime(lastDay, '23:59:00'));
  expect((await options(learner)).body.deferral).toEqual({ allowed: false, reason: `学习期（至 ${lastDay}）结束后仍未完成的，才能申请延期` });
  const tooEarly = await apply(learner, 'DEFERRAL');
  expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'APPLICATION_NOT_ALLOWED']);

  stack.clock.set(chinaTime(lastDay, '23:59:00').getTime() + 2 * 60_000);
  const today = chinaDate(stack.clock.now());
  expect((await options(learner)).body.deferral).toEqual({ allowed: true });
  for (const bad of [{ mobile: '1381234567' }, { mobile: '23812345678' }, { detailsConfirmed: false }]) {
    const refused = await apply(learner, 'DEFERRAL', bad);
    expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  }
  const [first, second] = await Promise.all([apply(learner, 'DEFERRAL', { reason: '工地抢工期，未能按时学完' }), apply(learner, 'DEFERRAL')]);
  expect([first.status, second.status].sort()).toEqual([201, 409]);
  const created = first.status === 201 ? first.body : second.body;
  expect((first.status === 409 ? first : second).body.code).toBe('APPLICATION_PENDING');
  expect(created).toMatchObject({ kind: 'DEFERRAL', kindLabel: '延期申请', state: 'PENDING', stateLabel: '待审核', mobileMasked: '138****5678' });
  expect((await options(learner)).body).toMatchObject({ deferral: { allowed: false }, items: [expect.objectContaining({ id: created.id })] });

  expect((await stack.api.call('GET', '/api/review/applications', { token: qujing })).body.items).toEqual([]);
  expect((await decide(qujing, created.id, true)).status).toBe(404);
  const listed = await stack.api.call('GET', '/api/review/applications?state=PENDING', { token: kunming });
  expect(listed.body.items).toEqual([expect.objectContaining({ id: created.id, personName: expect.any(String), idMasked: expect.stringMatching(/\*/), className: expect.any(String) })]);

  const decisions = await Promise.all([decide(kunming, created.id, true), decide(kunming, created.id, true)]);
  expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
  expect(decisions.find((d) => d.status === 409)!.body.code).toBe('ALREADY_DECIDED');
  const extended = addDays(today, 30);
  expect(decisions.find((d) => d.status === 200)!.body).toMatchObject({ state: 'APPROVED', effect: `学习期延长至 ${extended}`, decisionReason: '情况属实，同意' });
  expect(await studyUntil(learner)).toBe(extended);

  stack.clock.advance(10 * 60_000);
  await stack.api.running.jobRunner.runDueJobs();
  expect(await studyUntil(learner)).toBe(extended);
  const late = await decide(kunming, created.id, false, '改为不同意');
  expect([late.status, late.body.code]).toEqual([409, 'ALREADY_DECIDED']);
  expect((await options(learner)).body.deferral.allowed).toBe(false);
});

test('when attempts are used without a pass, then retake is refused at 4 of 5 and allowed at 5 of 5; a rejection tells why; an approval gives the attempts back once', async () => {
  const learner = await learnerWhoStudied(stack, 'YN', yunnan);
  for (let i = 0; i < 4; i++) await sitExam(stack, learner, 0);
  expect((await options(learner)).body.retake).toEqual({ allowed: false, reason: '考试机会还剩 1 次（共 5 次），用完仍未通过的才能申请补考' });
  expect((await apply(learner, 'RETAKE')).body.code).toBe('APPLICATION_NOT_ALLOWED');

  await sitExam(stack, learner, 0);
  expect((await options(learner)).body.retake).toEqual({ allowed: true });
  const rejectedOne = await apply(learner, 'RETAKE');
  expect(rejectedOne.status).toBe(201);
  expect((await decide(kunming, rejectedOne.body.id, false, '手机号无法联系本人')).body).toMatchObject({ state: 'REJECTED', stateLabel: '未通过', decisionReason: '手机号无法联系本人' });
  const seen = (await options(learner)).body;
  expect(seen.items[0]).toMatchObject({ id: rejectedOne.body.id, state: 'REJECTED', decisionReason: '手机号无法联系本人' });
  expect(seen.items[0].effect).toBeUndefined();

  const retake = await apply(learner, 'RETAKE');
  const approved = await decide(kunming, retake.body.id, true);
  expect(approved.body).toMatchObject({ state: 'APPROVED', effect: '恢复 5 次考试机会' });
  stack.clock.advance(10 * 60_000);
  await stack.api.running.jobRunner.runDueJobs();
  const overview = await new ExamTaker(stack, learner).overview();
  expect(overview.body).toMatchObject({ attemptsUsed: 5, maxAttempts: 10, attemptsLeft: 5 });
  expect((await options(learner)).body.retake.allowed).toBe(false);
});
