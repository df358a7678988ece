import mongoose from 'mongoose';
import { examStatus, restoreAttempts } from '../../backend/src/modules/exams';
import { findJobByKey } from '../../backend/src/platform/jobs';
import { operatorReady } from '../helpers/journeys';
import { useStudyStack } from '../learning/helpers';
import { examClass, ExamTaker, examPolicy, learnerWhoStudied, testBank, uploadBank, type ExamClass, type PaperQuestion } from './helpers';

/**
 * Policy per province profile: leaving (Yunnan END_ATTEMPT_SCORE_ZERO: hidden beyond the 15 s grace ends the
 * attempt at 0, attempt used; Shandong CLOCK_KEEPS_RUNNING: hidden is only noted), attempts per policy (Yunnan
 * set to 3 here), the best score, attempts given back by an approved retake.
 */
const stack = useStudyStack();
let yunnan: ExamClass;
let shandong: ExamClass;

const SECOND = 1000;

beforeAll(async () => {
  await examPolicy({ YN: { maxAttempts: 3 } });
  yunnan = await examClass(stack, 'YN', await operatorReady(stack.api, 'YN'));
  shandong = await examClass(stack, 'SD', await operatorReady(stack.api, 'SD'));
});

test('Yunnan: when the app is hidden for less than the grace, then the exam goes on; hidden beyond it, then the job ends the attempt at hidden + 15 s, scored 0 and used', async () => {
  const taker = new ExamTaker(stack, await learnerWhoStudied(stack, 'YN', yunnan));
  const attempt = (await taker.start()).body;
  expect(attempt).toMatchObject({ leavingRule: 'END_ATTEMPT_SCORE_ZERO', leavingGraceSeconds: 15 });
  await taker.answer(attempt, 7);

  const call = await taker.visibility(attempt.id, 'hidden');
  expect(call.body).toMatchObject({ attempt: { state: 'IN_PROGRESS' }, warning: '您已离开考试页面：15 秒内未返回，本次考试将结束并记 0 分' });
  stack.clock.advance(14 * SECOND);
  expect((await taker.visibility(attempt.id, 'visible')).body.attempt.state).toBe('IN_PROGRESS');
  stack.clock.advance(60 * SECOND);
  await stack.api.running.jobRunner.runDueJobs();
  expect((await taker.read(attempt.id)).body.state).toBe('IN_PROGRESS');

  await taker.visibility(attempt.id, 'hidden');
  const hiddenAt = stack.clock.now().getTime();
  stack.clock.advance(20 * SECOND);
  await stack.api.running.jobRunner.runDueJobs();
  const ended = (await taker.read(attempt.id)).body;
  expect(ended).toMatchObject({ state: 'FINISHED', result: { score: 0, passed: false, endedBy: 'LEFT', endedByLabel: '考试中离开，本次考试结束，成绩记 0 分', finishedAt: new Date(hiddenAt + 15 * SECOND).toISOString() } });
  expect((await taker.overview()).body).toMatchObject({ attemptsUsed: 1, attemptsLeft: 2, bestScore: 0 });
});

test('Yunnan: when the learner comes back after the grace and no job has run, then the `visible` signal itself ends the attempt', async () => {
  const taker = new ExamTaker(stack, await learnerWhoStudied(stack, 'YN', yunnan));
  const attempt = (await taker.start()).body;
  await taker.answer(attempt, 7);
  await taker.visibility(attempt.id, 'hidden');
  stack.clock.advance(16 * SECOND);
  const back = await taker.visibility(attempt.id, 'visible');
  expect(back.body).toMatchObject({ attempt: { state: 'FINISHED', result: { score: 0, endedBy: 'LEFT' } }, warning: '离开考试页面超过规定时间，本次考试已结束，成绩记 0 分' });
  expect((await taker.save(attempt.id, attempt.questions[0].id, [], 9)).body.code).toBe('ATTEMPT_CLOSED');
});

test('Shandong: when the app is hidden for ten minutes, then that is only noted: the clock kept running, the deadline holds and the answers count', async () => {
  const taker = new ExamTaker(stack, await learnerWhoStudied(stack, 'SD', shandong));
  const overview = (await taker.overview()).body;
  expect(overview).toMatchObject({ eligible: true, leavingRule: 'CLOCK_KEEPS_RUNNING', durationMinutes: 90 });
  expect(overview.leavingWarning).toContain('倒计时照常进行');
  const attempt = (await taker.start()).body;
  await taker.answer(attempt, 6);
  expect((await taker.visibility(attempt.id, 'hidden')).body.warning).toBe('您已离开考试页面，倒计时不会暂停，请尽快返回');
  stack.clock.advance(10 * 60 * SECOND);
  await stack.api.running.jobRunner.runDueJobs();
  const back = await taker.visibility(attempt.id, 'visible');
  expect(back.body.attempt).toMatchObject({ state: 'IN_PROGRESS', deadline: attempt.deadline });
  const submitted = (await taker.submit(attempt.id)).body;
  expect(submitted.result).toMatchObject({ score: 90, passed: true, endedBy: 'SUBMITTED' });
});

test('when every attempt is used, then no other starts; an approved retake gives attempts back once however often it is applied; the best score is the one shown; every paper is drawn afresh (no question twice, options shuffled)', async () => {
  const taker = new ExamTaker(stack, await learnerWhoStudied(stack, 'YN', yunnan));
  for (const right of [2, 0, 1]) {
    const attempt = (await taker.start()).body;
    await taker.answer(attempt, right);
    expect((await taker.submit(attempt.id)).body.result.passed).toBe(false);
  }
  const used = await taker.start();
  expect(used.status).toBe(409);
  expect(used.body).toMatchObject({ code: 'EXAM_ATTEMPTS_USED', details: { attemptsUsed: 3, maxAttempts: 3 } });
  const overview = (await taker.overview()).body;
  expect(overview).toMatchObject({ maxAttempts: 3, attemptsUsed: 3, attemptsLeft: 0, bestScore: 40, passed: false });
  expect(overview.attempts.map((a: { no: number; result: { score: number } }) => [a.no, a.result.score])).toEqual([[1, 40], [2, 0], [3, 20]]);

  await restoreAttempts(taker.learner.enrollmentId, 2, 'retake-application-1', stack.api.running.deps);
  await restoreAttempts(taker.learner.enrollmentId, 2, 'retake-application-1', stack.api.running.deps);
  expect(await examStatus(taker.learner.enrollmentId)).toEqual({ attemptsUsed: 3, maxAttempts: 5, attemptsLeft: 2, passed: false, bestScore: 40 });

  const fourth = await taker.start();
  expect(fourth.status).toBe(201);
  await taker.answer(fourth.body, 7);
  const passed = (await taker.submit(fourth.body.id)).body;
  expect(passed.result).toMatchObject({ score: 100, passed: true });
  expect(await examStatus(taker.learner.enrollmentId)).toEqual({ attemptsUsed: 4, maxAttempts: 5, attemptsLeft: 1, passed: true, bestScore: 100, passedAt: new Date(passed.result.finishedAt), passingAttemptId: fourth.body.id });
  expect((await taker.overview()).body).toMatchObject({ bestScore: 100, passed: true, attemptsLeft: 1 });
  expect((await taker.start()).body.code).toBe('EXAM_ALREADY_PASSED');

  // The pass reaches completion through a job keyed on the attempt: it records the learner for review.
  await stack.api.running.jobRunner.runDueJobs();
  expect(await findJobByKey(`exam-passed:${fourth.body.id}`)).toMatchObject({ status: 'done' });
  const completion = await mongoose.connection.collection('completions').findOne({ enrollmentId: new mongoose.Types.ObjectId(taker.learner.enrollmentId) });
  expect(completion).toMatchObject({ state: 'AWAITING_REVIEW' });

  // Each paper: the policy's counts, no question twice, the bank's options under fresh letters; papers differ.
  const attemptIds: string[] = [...overview.attempts.map((a: { id: string }) => a.id), fourth.body.id];
  const papers: PaperQuestion[][] = await Promise.all(attemptIds.map(async (id) => (await taker.read(id)).body.questions));
  for (const paper of papers) {
    expect(new Set(paper.map((q) => q.id)).size).toBe(7);
    for (const q of paper.filter((question) => question.type !== 'JUDGE')) expect(q.options.map((o) => o.key)).toEqual(['A', 'B', 'C', 'D']);
  }
  const shapes = papers.map((paper) => paper.map((q) => `${q.stem}:${q.options.map((o) => o.text).join('|')}`).join('\n'));
  expect(new Set(shapes).size).toBeGreaterThan(1);
});

test('when the class bank cannot fill the paper, then the exam does not start and no attempt is used', async () => {
  const cls = await examClass(stack, 'YN', yunnan.operator);
  const small = await uploadBank(stack.api, cls.operator, cls.classId, JSON.stringify(testBank({ single: 3, multiple: 1, judge: 5 })), 'small.json');
  expect(small.body).toMatchObject({ enoughForPaper: false, needed: { SINGLE: 3, MULTIPLE: 2, JUDGE: 2 } });
  const taker = new ExamTaker(stack, await learnerWhoStudied(stack, 'YN', cls));
  const refused = await taker.start();
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'QUESTION_BANK_TOO_SMALL', details: { needed: { MULTIPLE: 2 }, available: { MULTIPLE: 1 } } });
  expect((await taker.overview()).body).toMatchObject({ eligible: true, attemptsUsed: 0, attemptsLeft: 3 });
});
