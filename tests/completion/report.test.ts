import { startGovPlatformSimulator, type GovPlatformSimulator } from '../../backend/simulators/gov-platform';
import { TEST_GOV_REPORT_SIGNING_KEY } from '../helpers/constants';
import mongoose from 'mongoose';
import { JobRunner } from '../../backend/src/platform/jobs';
import { enterpriseReady, operatorReady } from '../helpers/journeys';
import { useStudyStack, type Learner } from '../learning/helpers';
import { examClass, examPolicy, type ExamClass } from '../exams/helpers';
import { approveCompletion, learnerWhoPassed, reviewerReady } from './helpers';

/**
 * 合格结业 reaches the government platform through the durable job outbox: the first try at once, retries with
 * backoff (30 s doubling, capped at 10 minutes) until acknowledged, the completion's id as the report id so a retry
 * after a lost acknowledgement reports once. The learner, the enterprise and operators see where it stands.
 */
// This file's own platform, which it makes fail: the backend's test configuration reads it when it starts.
let sim: GovPlatformSimulator;
const runEndpoint = process.env.TEST_GOV_REPORT_ENDPOINT;
beforeAll(async () => {
  sim = await startGovPlatformSimulator({ signingKey: TEST_GOV_REPORT_SIGNING_KEY });
  process.env.TEST_GOV_REPORT_ENDPOINT = sim.url;
});
afterAll(async () => {
  process.env.TEST_GOV_REPORT_ENDPOINT = runEndpoint;
  await sim?.stop();
});
const stack = useStudyStack();
let yunnan: ExamClass;
let reviewer: string;

beforeAll(async () => {
  await examPolicy();
  yunnan = await examClass(stack, 'YN', await operatorReady(stack.api, 'YN'));
  reviewer = await reviewerReady(stack.api, 'YN', '昆明市');
});

async function completed(): Promise<Learner> {
  const learner = await learnerWhoPassed(stack, 'YN', yunnan);
  const approved = await approveCompletion(stack.api, reviewer, learner.enrollmentId);
  if (approved.status !== 200) throw new Error(`approval refused: ${JSON.stringify(approved.body)}`);
  return learner;
}

async function report(learner: Learner) {
  return (await stack.api.call('GET', `/api/learner/completion/${learner.enrollmentId}`, { token: learner.token })).body.report;
}

/**
 * The backend's jobs on its controlled clock, one at a time: the stand-in database may let two of the backend
 * runner's four workers claim one job at the same instant, which real MongoDB never does.
 */
const runJobs = () => new JobRunner({ deps: stack.api.running.deps }).runDueJobs();

test('when the platform fails three times and then acknowledges, then the result is pushed once, within the hour, and every side sees 已上报 with the receipt', async () => {
  const learner = await completed();
  const approvedAt = stack.clock.now().getTime();
  sim.failNext(3, 503);

  await runJobs();
  let status = await report(learner);
  expect(status).toMatchObject({ state: 'PENDING', stateLabel: '上报中', attempts: 1, lastError: expect.stringContaining('HTTP 503') });
  const firstRetry = new Date(status.nextTryAt).getTime() - approvedAt;
  expect(firstRetry).toBeGreaterThanOrEqual(15_000);
  expect(firstRetry).toBeLessThanOrEqual(30_000);

  for (const attempt of [2, 3]) {
    stack.clock.set(status.nextTryAt);
    await runJobs();
    status = await report(learner);
    expect(status).toMatchObject({ state: 'PENDING', attempts: attempt });
  }
  stack.clock.set(status.nextTryAt);
  await runJobs();
  status = await report(learner);
  expect(status).toMatchObject({ state: 'REPORTED', stateLabel: '已上报主管部门', attempts: 4, receipt: expect.stringMatching(/^GOV/) });
  expect(new Date(status.reportedAt).getTime() - approvedAt).toBeLessThan(3_600_000);

  const mine = sim.reports().filter((r) => r.receipt === status.receipt);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ deliveries: 4, body: { idMasked: expect.stringMatching(/^\d{4}\*+\d{3}[\dX]$/), hoursEarned: 24, examScore: 100, province: 'YN', city: '昆明市' } });
  expect(JSON.stringify(mine[0].body)).not.toContain(learner.idNumber);

  const view = await stack.api.call('GET', `/api/learner/completion/${learner.enrollmentId}`, { token: learner.token });
  expect(view.body.timeline.at(-1)).toMatchObject({ key: 'REPORTED', done: true, at: status.reportedAt });

  const operator = await operatorReady(stack.api, 'YN');
  const reported = await stack.api.call('GET', '/api/admin/completions?report=REPORTED', { token: operator });
  expect(reported.body.items).toEqual([expect.objectContaining({ enrollmentId: learner.enrollmentId, state: 'COMPLETED', report: expect.objectContaining({ state: 'REPORTED', receipt: status.receipt }) })]);

  const enrollment = await mongoose.connection.collection('enrollments').findOne({ _id: new mongoose.Types.ObjectId(learner.enrollmentId) });
  const company = await enterpriseReady(stack.api, 'YN', enrollment!.enterpriseUscc, enrollment!.enterpriseUscc.slice(-6));
  const seen = await stack.api.call('GET', '/api/enterprise/completions', { token: company });
  expect(seen.body.items).toEqual([expect.objectContaining({ enrollmentId: learner.enrollmentId, state: 'COMPLETED', report: expect.objectContaining({ state: 'REPORTED', receipt: status.receipt }) })]);

  stack.clock.advance(3_600_000);
  await runJobs();
  expect(sim.reports().filter((r) => r.receipt === status.receipt)[0].deliveries).toBe(4);
});

test('when the acknowledgement is lost after the platform stored the report, then the retry is recognised: one report, the same receipt', async () => {
  const learner = await completed();
  sim.failNext(1, 500, true);
  await runJobs();
  const pending = await report(learner);
  expect(pending).toMatchObject({ state: 'PENDING', attempts: 1 });
  const before = sim.reports().length;

  stack.clock.set(pending.nextTryAt);
  await runJobs();
  const done = await report(learner);
  expect(done.state).toBe('REPORTED');
  const mine = sim.reports().filter((r) => r.receipt === done.receipt);
  expect(mine).toHaveLength(1);
  expect(mine[0].deliveries).toBe(2);
  expect(sim.reports().length).toBe(before);
});
