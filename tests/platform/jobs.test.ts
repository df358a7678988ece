import mongoose from 'mongoose';
import { ControlledClock } from '../../backend/src/platform/clock';
import { inTransaction } from '../../backend/src/platform/db';
import { enqueue, findJobByKey, JobDefinitions, JobModel, JobRunner, PermanentJobError, retryFailedJob, type JobHandler } from '../../backend/src/platform/jobs';
import { testDeps, useTestDatabase } from '../helpers/db';
import { killGroup, runTs, type RunningProcess } from '../helpers/processes';

useTestDatabase();

const START = '2031-05-06T01:00:00.000Z';
const SECOND = 1000;

/** A runner with one handler, on a clock the test moves. */
function runnerFor(name: string, handler: JobHandler, options: { clock: ControlledClock; runnerId?: string; maxAttempts?: number; baseMs?: number; leaseMs?: number }) {
  const definitions = new JobDefinitions();
  definitions.define(name, handler, { maxAttempts: options.maxAttempts, backoff: { baseMs: options.baseMs ?? 10 * SECOND, maxMs: 3_600_000 } });
  return new JobRunner({ deps: testDeps(options.clock), definitions, clock: options.clock, runnerId: options.runnerId, leaseMs: options.leaseMs ?? 30 * SECOND });
}

test('when the same key is enqueued twice, then there is one job and the second call says it was already there', async () => {
  const clock = new ControlledClock(START);
  const first = await enqueue('story.once', { n: 1 }, { key: 'once:1', now: clock.now() });
  const second = await enqueue('story.once', { n: 2 }, { key: 'once:1', now: clock.now() });

  expect(first.created).toBe(true);
  expect(second).toEqual({ id: first.id, key: 'once:1', created: false });
  const stored = await JobModel.find({ key: 'once:1' }).lean();
  expect(stored).toHaveLength(1);
  expect(stored[0].payload).toEqual({ n: 1 });
});

test('when a job is enqueued in a transaction that aborts, then no job exists; in one that commits, it does', async () => {
  await expect(
    inTransaction(async (session) => {
      await enqueue('story.outbox', {}, { key: 'outbox:aborted', session });
      throw new Error('the change that caused the job failed');
    }),
  ).rejects.toThrow('the change that caused the job failed');
  expect(await findJobByKey('outbox:aborted')).toBeNull();

  await inTransaction(async (session) => {
    await enqueue('story.outbox', {}, { key: 'outbox:committed', session });
  });
  expect(await findJobByKey('outbox:committed')).toMatchObject({ status: 'queued' });
});

test('when a key already queued is enqueued again inside a transaction, then the transaction still commits', async () => {
  await enqueue('story.outbox', {}, { key: 'outbox:again' });
  const outcome = await inTransaction(async (session) => {
    const again = await enqueue('story.outbox', {}, { key: 'outbox:again', session });
    await mongoose.connection.db!.collection('story_effects').insertOne({ effect: 'committed alongside' }, { session });
    return again;
  });
  expect(outcome.created).toBe(false);
  expect(await mongoose.connection.db!.collection('story_effects').countDocuments({ effect: 'committed alongside' })).toBe(1);
});

test('when two runners race for the same due jobs, then every job runs exactly once', async () => {
  const clock = new ControlledClock(START);
  const runs = new Map<string, string[]>();
  const handler: JobHandler<{ n: number }> = async (payload, context) => {
    const who = runs.get(String(payload.n)) ?? [];
    runs.set(String(payload.n), [...who, context.job.lockedBy!]);
  };
  for (let n = 0; n < 12; n++) await enqueue('story.race', { n }, { key: `race:${n}`, now: clock.now() });

  const a = runnerFor('story.race', handler, { clock, runnerId: 'runner-a' });
  const b = runnerFor('story.race', handler, { clock, runnerId: 'runner-b' });
  const [fromA, fromB] = await Promise.all([a.runDueJobs(), b.runDueJobs()]);

  expect(fromA.ran + fromB.ran).toBe(12);
  expect([...runs.values()].every((who) => who.length === 1)).toBe(true);
  expect(runs.size).toBe(12);
  expect(await JobModel.countDocuments({ name: 'story.race', status: 'done' })).toBe(12);
});

test('when three runners of four workers each race for sixty due jobs, then every job still runs exactly once (the stand-in database can hand one job to two claimers: the run fence stops the second)', async () => {
  const clock = new ControlledClock(START);
  const runs = new Map<number, number>();
  const definitions = new JobDefinitions();
  definitions.define<{ n: number }>('story.crowd', async ({ n }) => void runs.set(n, (runs.get(n) ?? 0) + 1));
  for (let n = 0; n < 60; n++) await enqueue('story.crowd', { n }, { key: `crowd:${n}`, now: clock.now() });

  const runners = ['x', 'y', 'z'].map((id) => new JobRunner({ deps: testDeps(clock), definitions, clock, runnerId: `runner-${id}`, concurrency: 4, leaseMs: 30 * SECOND }));
  const summaries = await Promise.all(runners.map((runner) => runner.runDueJobs()));

  expect(summaries.reduce((sum, s) => sum + s.done, 0)).toBe(60);
  expect([...runs.values()].filter((count) => count !== 1)).toEqual([]);
  expect(runs.size).toBe(60);
});

test('when a handler keeps failing, then it is retried later and later on the clock, and after its last attempt it is failed with the error kept', async () => {
  const clock = new ControlledClock(START);
  let calls = 0;
  const runner = runnerFor(
    'story.flaky',
    async () => {
      calls++;
      throw new Error(`the partner service is down (call ${calls})`);
    },
    { clock, maxAttempts: 3, baseMs: 10 * SECOND },
  );
  await enqueue('story.flaky', {}, { key: 'flaky:1', now: clock.now() });

  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, retrying: 1 });
  const afterFirst = (await findJobByKey('flaky:1'))!;
  const firstDelay = afterFirst.runAt.getTime() - clock.now().getTime();
  expect(firstDelay).toBeGreaterThanOrEqual(5 * SECOND); // 10 s with equal jitter: 5–10 s
  expect(firstDelay).toBeLessThanOrEqual(10 * SECOND);
  expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1, lastError: 'Error: the partner service is down (call 1)', lockedBy: null });

  clock.set(afterFirst.runAt.getTime() - 1);
  expect((await runner.runDueJobs()).ran).toBe(0); // not due a moment early

  clock.set(afterFirst.runAt);
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, retrying: 1 });
  const afterSecond = (await findJobByKey('flaky:1'))!;
  const secondDelay = afterSecond.runAt.getTime() - clock.now().getTime();
  expect(secondDelay).toBeGreaterThanOrEqual(10 * SECOND); // doubled: 10–20 s
  expect(secondDelay).toBeLessThanOrEqual(20 * SECOND);

  clock.set(afterSecond.runAt);
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, failed: 1 });
  const failed = (await findJobByKey('flaky:1'))!;
  expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Error: the partner service is down (call 3)' });
  expect(failed.finishedAt).toEqual(clock.now());

  clock.advance(24 * 3_600_000);
  expect((await runner.runDueJobs()).ran).toBe(0);
  expect(calls).toBe(3);

  // An operator fixes the cause and puts it back: it gets a fresh set of attempts.
  expect(await retryFailedJob(failed._id, clock.now())).toBe(true);
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, retrying: 1 });
  expect(calls).toBe(4);
});

test('when a handler says its failure is permanent, then the job fails at once without retries', async () => {
  const clock = new ControlledClock(START);
  const runner = runnerFor(
    'story.hopeless',
    async () => {
      throw new PermanentJobError('the payload names an order that does not exist');
    },
    { clock, maxAttempts: 5 },
  );
  await enqueue('story.hopeless', {}, { key: 'hopeless:1', now: clock.now() });
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, failed: 1 });
  expect(await findJobByKey('hopeless:1')).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('does not exist') });
});

test('when a job is enqueued to run later, then it waits until its time', async () => {
  const clock = new ControlledClock(START);
  let ran = 0;
  const runner = runnerFor('story.later', async () => void ran++, { clock });
  await enqueue('story.later', {}, { key: 'later:1', now: clock.now(), runAt: new Date(clock.now().getTime() + 30 * 60 * SECOND) });

  clock.advance(29 * 60 * SECOND);
  expect((await runner.runDueJobs()).ran).toBe(0);
  clock.advance(60 * SECOND);
  expect(await runner.runDueJobs()).toMatchObject({ ran: 1, done: 1 });
  expect(ran).toBe(1);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a runner process killed (SIGKILL) in the middle of a job', () => {
  const LEASE_MS = 30 * SECOND;
  let child: RunningProcess | undefined;
  afterEach(() => killGroup(child));

  /** Starts a runner process that claims the due job and hangs in its handler, then kills that process; its pid. */
  async function runnerKilledMidJob(): Promise<number> {
    child = runTs('tests/platform/fixtures/hanging-runner.ts', {
      MONGODB_URI: process.env.TEST_MONGODB_URI,
      DB_NAME: mongoose.connection.name,
      NOW: START,
      LEASE_MS: String(LEASE_MS),
    });
    const started = await child.waitForLine((line) => line.msg === 'handler started');
    // The process running the handler (tsx runs it as its own child), not just the tsx launcher.
    const runnerPid: number = started.pid;
    process.kill(runnerPid, 'SIGKILL');
    await child.exited;
    expect(isAlive(runnerPid)).toBe(false);
    return runnerPid;
  }

  test('when the runner holding a job is killed, then nobody takes the job before its lease runs out, and afterwards another runner completes it exactly once', async () => {
    const clock = new ControlledClock(START);
    await enqueue('story.crash-midway', { invoice: 'INV-1' }, { key: 'crash-midway:1', now: clock.now() });
    const runnerPid = await runnerKilledMidJob();

    const completions: string[] = [];
    const survivor = runnerFor('story.crash-midway', async (payload: { invoice: string }) => void completions.push(payload.invoice), {
      clock,
      runnerId: 'survivor',
      maxAttempts: 3,
      leaseMs: LEASE_MS,
    });
    const held = (await findJobByKey('crash-midway:1'))!;
    expect(held).toMatchObject({ status: 'queued', attempts: 1, lockedBy: expect.stringMatching(/^child-/), progress: { startedBy: runnerPid } });

    clock.advance(LEASE_MS - 1);
    expect((await survivor.runDueJobs()).ran).toBe(0);

    clock.advance(1);
    expect(await survivor.runDueJobs()).toMatchObject({ ran: 1, done: 1 });
    clock.advance(3_600_000);
    expect((await survivor.runDueJobs()).ran).toBe(0);

    expect(completions).toEqual(['INV-1']);
    expect(await findJobByKey('crash-midway:1')).toMatchObject({ status: 'done', attempts: 2, lockedBy: null, progress: { startedBy: runnerPid } });
  });

  test('when the runner dies during the last allowed attempt, then the job is failed, not run again', async () => {
    const clock = new ControlledClock(START);
    await enqueue('story.crash-midway', { invoice: 'INV-2' }, { key: 'crash-midway:2', now: clock.now() });
    await runnerKilledMidJob();

    let ran = 0;
    const survivor = runnerFor('story.crash-midway', async () => void ran++, { clock, runnerId: 'survivor', maxAttempts: 1, leaseMs: LEASE_MS });
    clock.advance(LEASE_MS);
    expect(await survivor.runDueJobs()).toMatchObject({ ran: 1, failed: 1 });

    expect(ran).toBe(0);
    expect(await findJobByKey('crash-midway:2')).toMatchObject({ status: 'failed', lastError: expect.stringContaining('never finished') });
  });
});

/** Waits (polling the database, at most 5 s) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (const giveUp = Date.now() + 5000; !(await check()); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > giveUp) throw new Error('condition not reached within 5 s');
  }
}

test('when a job runs longer than its lease, then its runner keeps renewing the lease and no other runner takes the job', async () => {
  const LEASE_MS = 300;
  const clock = new ControlledClock(START);
  let finish!: () => void;
  const runs: string[] = [];
  const handler: JobHandler = async (_payload, context) => {
    runs.push(context.job.lockedBy!);
    if (runs.length === 1) await new Promise<void>((resolve) => (finish = resolve));
  };
  const slow = runnerFor('story.slow', handler, { clock, runnerId: 'slow', leaseMs: LEASE_MS });
  const other = runnerFor('story.slow', handler, { clock, runnerId: 'other', leaseMs: LEASE_MS });
  await enqueue('story.slow', {}, { key: 'slow:1', now: clock.now() });

  const slowRun = slow.runDueJobs();
  await until(async () => runs.length === 1);
  for (let step = 0; step < 3; step++) {
    const held = (await findJobByKey('slow:1'))!.lockedUntil.getTime();
    clock.advance(LEASE_MS - 50);
    await until(async () => (await findJobByKey('slow:1'))!.lockedUntil.getTime() > held); // renewed from the moved clock
    expect((await other.runDueJobs()).ran).toBe(0);
  }
  finish();
  expect(await slowRun).toMatchObject({ ran: 1, done: 1 });
  expect(runs).toEqual(['slow']);
});
