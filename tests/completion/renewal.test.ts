import mongoose from 'mongoose';
import { addDays, addMonths } from '@ce/types';
import { PersonModel } from '../../backend/src/modules/registry';
import { keyedHash } from '../../backend/src/platform/crypto';
import { operatorReady } from '../helpers/journeys';
import { useStudyStack, type Learner } from '../learning/helpers';
import { examClass, examPolicy, learnerWhoStudied, type ExamClass } from '../exams/helpers';
import { approveCompletion, learnerWhoPassed, reviewerReady } from './helpers';

/**
 * 到期换证 after 合格结业, from renewal.windowMonthsBeforeExpiry months before the certificate's expiry (set to 1 here,
 * as an administrator would) up to its last day; once. Certificates that expire without 合格结业 are voided by the
 * daily job (03:30 China time), once; the certificate query then says 注销.
 */
const stack = useStudyStack();
let shandong: ExamClass;
let early: Learner;
let late: Learner;
let unfinished: Learner;
let expiry: string;

const chinaTime = (date: string, time: string) => new Date(`${date}T${time}+08:00`);

beforeAll(async () => {
  await examPolicy();
  await mongoose.connection.collection('policies').updateOne({ province: 'SD' }, { $set: { 'settings.renewal.windowMonthsBeforeExpiry': 1 } });
  shandong = await examClass(stack, 'SD', await operatorReady(stack.api, 'SD'));
  const reviewer = await reviewerReady(stack.api, 'SD', '济南市');
  early = await learnerWhoPassed(stack, 'SD', shandong);
  late = await learnerWhoPassed(stack, 'SD', shandong);
  unfinished = await learnerWhoStudied(stack, 'SD', shandong);
  for (const learner of [early, late]) expect((await approveCompletion(stack.api, reviewer, learner.enrollmentId)).status).toBe(200);
  expiry = (await mongoose.connection.collection('enrollments').findOne({ _id: new mongoose.Types.ObjectId(early.enrollmentId) }))!.cycleExpiry;
});

const view = async (learner: Learner) => (await stack.api.call('GET', `/api/learner/completion/${learner.enrollmentId}`, { token: learner.token })).body;
const renew = (learner: Learner, mobile = '13912345678') => stack.api.call('POST', '/api/learner/renewals', { token: learner.token, body: { enrollmentId: learner.enrollmentId, mobile } });

async function certificateStatus(learner: Learner): Promise<string> {
  const person = await PersonModel.findOne({ idHash: keyedHash(stack.api.running.deps.config.idHashKey, learner.idNumber) }).lean();
  const res = await stack.api.call('POST', '/api/public/certificate-query', { body: { name: person!.name, idNumber: learner.idNumber, category: 'C' } });
  return res.body.items[0].statusLabel;
}

test('when 合格结业, then renewal is refused the day before the window opens, accepted on its first day and only once; not completed is refused; the day after expiry is refused', async () => {
  const opens = addMonths(expiry, -1);
  expect((await view(early)).renewal).toEqual({ allowed: false, reason: `证书到期前 1 个月内可申请换证（${opens} 起）`, windowOpensOn: opens });

  stack.clock.set(chinaTime(addDays(opens, -1), '23:59:00'));
  const before = await renew(early);
  expect([before.status, before.body.code]).toEqual([409, 'RENEWAL_NOT_ALLOWED']);
  expect((await renew(unfinished)).body.code).toBe('RENEWAL_NOT_ALLOWED');

  stack.clock.set(chinaTime(opens, '00:01:00'));
  expect((await renew(early, '1391234567')).status).toBe(400);
  const [first, second] = await Promise.all([renew(early), renew(early)]);
  expect([first.status, second.status].sort()).toEqual([201, 409]);
  expect((first.status === 409 ? first : second).body.code).toBe('RENEWAL_ALREADY_APPLIED');
  expect((await view(early)).renewal).toMatchObject({ allowed: false, applied: { at: stack.clock.now().toISOString(), state: '已提交，等待主管部门办理' } });
  expect((await renew(unfinished)).body.code).toBe('RENEWAL_NOT_ALLOWED');

  stack.clock.set(chinaTime(expiry, '23:59:00'));
  expect((await view(late)).renewal.allowed).toBe(true);
  stack.clock.set(chinaTime(addDays(expiry, 1), '00:01:00'));
  expect((await view(late)).renewal).toMatchObject({ allowed: false, reason: '证书已过期，不能申请换证' });
  expect((await renew(late)).body.code).toBe('RENEWAL_NOT_ALLOWED');
});

test('when a certificate expires without 合格结业, then the daily job voids it (the query says 注销) and leaves completed ones expired; a second run voids nothing more', async () => {
  stack.clock.set(chinaTime(addDays(expiry, 1), '03:31:00'));
  expect(await certificateStatus(unfinished)).toBe('已过期');
  await stack.api.running.jobRunner.runDueJobs();

  expect(await certificateStatus(unfinished)).toBe('注销');
  expect(await certificateStatus(early)).toBe('已过期');
  expect(await certificateStatus(late)).toBe('已过期');
  const voids = mongoose.connection.collection('certificatevoids');
  const voided = await voids.countDocuments({});
  expect(voided).toBeGreaterThanOrEqual(1);

  stack.clock.set(chinaTime(addDays(expiry, 2), '03:31:00'));
  await stack.api.running.jobRunner.runDueJobs();
  const runs = await mongoose.connection.collection('jobs').find({ name: 'completion.void-expired-certificates', status: 'done' }).sort({ finishedAt: 1 }).toArray();
  expect(runs.map((r) => r.result)).toEqual([{ voided }, { voided: 0 }]);
  expect(await voids.countDocuments({})).toBe(voided);
  expect(await certificateStatus(unfinished)).toBe('注销');
});
