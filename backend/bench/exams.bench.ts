/**
 * `npm run bench` (exams):
 * 1. Paper composition from a 5,000-question bank (policy paper: 40 single, 20 multiple, 20 judge; random, no
 *    repeats, options shuffled) and grading of a 100-question attempt (exact match, multiple choice as a set):
 *    time per operation, median and p99 over many runs, in process.
 * 2. Autosave over HTTP: CLIENTS (50) concurrent learners, each in its own attempt of 100 questions (seeded as a
 *    start leaves it), saving answers one after another with growing seq, against a bare Koa route doing the same
 *    database work with the driver in the same run:
 *      backend: PUT /api/learner/exams/attempts/:id/answers/:questionId — session, validation, audience, the
 *               learner's attempt, overdue check, answer check, one conditional write (state + per-question seq).
 *      bare:    the same two reads (session by token hash, the attempt) and the same conditional updateOne.
 *    Prints saves/s, p50/p99 and the ratio (target ≥ 0.3), then checks every acknowledged save is stored.
 * Stays well under two minutes. On the in-memory stand-in read the ratio, not the absolute figures.
 */
import type { Server } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import mongoose, { Types } from 'mongoose';
import { startBackend } from '../src/app';
import { SessionModel } from '../src/modules/accounts/data';
import { ExamAttemptModel, type BankQuestionDoc, type PaperQuestionDoc, type SavedAnswer } from '../src/modules/exams/data';
import { composePaper, grade } from '../src/modules/exams/paper';
import { BUILT_IN_PROFILES } from '../src/modules/policy';
import { loadConfig } from '../src/platform/config';
import { randomToken, tokenDigest } from '../src/platform/crypto';
import { describeDatabase, startEmbeddedMongo, withDatabaseName } from '../src/platform/embeddedMongo';
import { percentile, readJson, serveBare } from './harness';

const BANK_SIZE = 5000;
const COMPOSE_RUNS = Number(process.env.BENCH_COMPOSE_RUNS ?? 2000);
const GRADE_RUNS = Number(process.env.BENCH_GRADE_RUNS ?? 20000);
const CLIENTS = Number(process.env.BENCH_EXAM_CLIENTS ?? 50);
const SAVES_PER_SIDE = Number(process.env.BENCH_EXAM_SAVES ?? 2000);
const WARMUP = CLIENTS * 2;
const QUESTIONS = 100;
const SIDE_LIMIT_MS = 45_000;
const TARGET_RATIO = 0.3;
const HOUR = 3600_000;

const EXAM = BUILT_IN_PROFILES.find((p) => p.province === 'YN')!.settings.exam;

// ---- 1. composition and grading -------------------------------------------------------------------------------------

function bank(size: number): BankQuestionDoc[] {
  return Array.from({ length: size }, (_, i) => {
    const type = i % 5 < 3 ? 'SINGLE' : i % 5 === 3 ? 'MULTIPLE' : 'JUDGE';
    const options = type === 'JUDGE' ? [] : ['施工现场应佩戴安全帽', '高处作业应系安全带', '可以酒后作业', '临时用电可以私拉乱接'];
    const answer = type === 'SINGLE' ? [0] : type === 'MULTIPLE' ? [0, 1] : [i % 2];
    return { id: i.toString(16).padStart(12, '0'), type, stem: `第${i + 1}题：关于建筑施工安全生产，下列说法中哪些是正确的？`, options, answer };
  });
}

function timed(runs: number, work: () => void): { medianUs: number; p99Us: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    work();
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { medianUs: percentile(samples, 50), p99Us: percentile(samples, 99) };
}

/** A 100-question paper and an answer to each (about two thirds right). */
function answeredPaper(questions: BankQuestionDoc[]): { paper: PaperQuestionDoc[]; answers: Record<string, SavedAnswer> } {
  const paper = composePaper(questions, { ...EXAM, questionCounts: { single: 50, multiple: 30, judge: 20 } });
  const now = new Date(0);
  const answers = Object.fromEntries(paper.map((q, i) => [q.id, { answer: i % 3 ? q.correct : [q.options[0].key], seq: 1, savedAt: now }]));
  return { paper, answers };
}

function inProcess(): void {
  const questions = bank(BANK_SIZE);
  const compose = timed(COMPOSE_RUNS, () => composePaper(questions, EXAM));
  const { paper, answers } = answeredPaper(questions);
  const grading = timed(GRADE_RUNS, () => grade(paper, answers));
  console.log(`paper composition, ${BANK_SIZE}-question bank → ${EXAM.questionCounts.single + EXAM.questionCounts.multiple + EXAM.questionCounts.judge} questions, ${COMPOSE_RUNS} runs: median ${compose.medianUs.toFixed(0)} µs, p99 ${compose.p99Us.toFixed(0)} µs`);
  console.log(`grading a ${paper.length}-question attempt, ${GRADE_RUNS} runs: median ${grading.medianUs.toFixed(1)} µs, p99 ${grading.p99Us.toFixed(1)} µs`);
}

// ---- 2. autosave over HTTP ------------------------------------------------------------------------------------------

interface SimLearner {
  token: string;
  attemptId: string;
  questions: PaperQuestionDoc[];
  next: number;
  seq: number;
  /** Question id → the seq of the last save acknowledged as saved. */
  acknowledged: Map<string, number>;
}

async function seedLearners(count: number, questions: BankQuestionDoc[]): Promise<SimLearner[]> {
  const now = new Date();
  const rows = Array.from({ length: count }, () => ({ personId: new Types.ObjectId(), enrollmentId: new Types.ObjectId(), token: randomToken(), paper: answeredPaper(questions).paper }));
  await SessionModel.insertMany(rows.map((r) => ({ tokenHash: tokenDigest(r.token), role: 'learner', subjectId: String(r.personId), province: 'YN', city: '昆明市', mustChangePassword: false, createdAt: now, expiresAt: new Date(now.getTime() + HOUR) })));
  const attempts = await ExamAttemptModel.insertMany(
    rows.map((r) => ({
      enrollmentId: r.enrollmentId,
      personId: r.personId,
      no: 1,
      state: 'IN_PROGRESS',
      startedAt: now,
      deadline: new Date(now.getTime() + 2 * HOUR),
      rules: { durationMinutes: 120, leavingRule: EXAM.leavingRule, leavingGraceSeconds: 15, autosaveGraceSeconds: 10, passMark: 60, captureEverySeconds: EXAM.captureEverySeconds },
      bankVersion: 1,
      questions: r.paper,
      fullMarks: 100,
      answers: {},
      rev: 0,
      hiddenCount: 0,
      capture: { id: 'bench', dueAt: new Date(now.getTime() + 4 * HOUR) },
      capturesTaken: 0,
    })),
  );
  return rows.map((r, i) => ({ token: r.token, attemptId: String(attempts[i]._id), questions: r.paper, next: 0, seq: 0, acknowledged: new Map() }));
}

/** The same reads and conditional write as an autosave, with the driver and nothing around them. */
async function startBareRoute(): Promise<{ url: string; server: Server }> {
  const db = mongoose.connection.db!;
  const sessions = db.collection(SessionModel.collection.collectionName);
  const attempts = db.collection(ExamAttemptModel.collection.collectionName);
  const app = new Koa();
  const router = new Router();
  router.put('/attempts/:id/answers/:questionId', async (ctx) => {
    const body = (await readJson(ctx.req)) as { answer: string[]; seq: number };
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
    const session = await sessions.findOne({ tokenHash: tokenDigest(token) });
    if (!session) return void (ctx.status = 401);
    const attempt = await attempts.findOne({ _id: new Types.ObjectId(ctx.params.id), personId: new Types.ObjectId(session.subjectId as string) });
    if (!attempt) return void (ctx.status = 404);
    const path = `answers.${ctx.params.questionId}`;
    const written = await attempts.updateOne(
      { _id: attempt._id, state: 'IN_PROGRESS', $or: [{ [path]: { $exists: false } }, { [`${path}.seq`]: { $lt: body.seq } }] },
      { $set: { [path]: { answer: body.answer, seq: body.seq, savedAt: new Date() } }, $inc: { rev: 1 } },
    );
    ctx.body = { saved: written.modifiedCount === 1, seq: body.seq, savedCount: Object.keys(attempt.answers).length + 1 };
  });
  app.use(router.routes());
  return serveBare(app);
}

interface SideResult {
  savesPerSecond: number;
  latenciesMs: number[];
  failures: string[];
}

/** CLIENTS learners save `total` answers between them, each going through its paper question by question. */
async function run(base: string, learners: SimLearner[], total: number): Promise<SideResult> {
  const result: SideResult = { savesPerSecond: 0, latenciesMs: [], failures: [] };
  let issued = 0;
  const deadline = Date.now() + SIDE_LIMIT_MS;
  const client = async (learner: SimLearner) => {
    while (issued < total) {
      if (Date.now() > deadline) throw new Error(`${total} saves took longer than ${SIDE_LIMIT_MS / 1000} s; giving up`);
      issued++;
      const question = learner.questions[learner.next++ % learner.questions.length];
      const seq = ++learner.seq;
      const started = process.hrtime.bigint();
      const res = await fetch(`${base}/attempts/${learner.attemptId}/answers/${question.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${learner.token}` },
        body: JSON.stringify({ answer: [question.options[seq % question.options.length].key], seq }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      result.latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 200) result.failures.push(`${res.status}: ${text.slice(0, 200)}`);
      else if ((JSON.parse(text) as { saved: boolean }).saved) learner.acknowledged.set(question.id, seq);
    }
  };
  const started = performance.now();
  await Promise.all(learners.map(client));
  result.savesPerSecond = (result.latenciesMs.length / (performance.now() - started)) * 1000;
  if (result.failures.length > total / 10) throw new Error(`${result.failures.length} of ${total} saves failed, e.g. ${result.failures[0]}`);
  return result;
}

function line(label: string, r: SideResult): string {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return `${label.padEnd(50)} ${r.savesPerSecond.toFixed(0).padStart(6)} saves/s   p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(7)} ms`;
}

/** Acknowledged saves whose seq is not the one stored for their question. */
async function lostSaves(learners: SimLearner[]): Promise<number> {
  const docs = await ExamAttemptModel.find({ _id: { $in: learners.map((l) => l.attemptId) } }).lean();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  let lost = 0;
  for (const learner of learners) {
    const stored = byId.get(learner.attemptId)!.answers;
    for (const [questionId, seq] of learner.acknowledged) if (stored[questionId]?.seq !== seq) lost++;
  }
  return lost;
}

function polledMonitoring(uri: string): string {
  const url = new URL(uri);
  url.searchParams.set('serverMonitoringMode', 'poll');
  return url.toString();
}

async function overHttp(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const named = process.env.MONGODB_URI ?? withDatabaseName(embedded!.uri, `bench_exams_${Date.now()}`);
  const uri = embedded?.kind === 'jongodb' ? polledMonitoring(named) : named;
  console.log(`database: ${describeDatabase(embedded, uri).en}`);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', MONGODB_URI: uri, JOBS_POLL_INTERVAL_MS: '0' });
  const backend = await startBackend(config);
  const bare = await startBareRoute();
  try {
    const questions = bank(BANK_SIZE);
    const ours = await seedLearners(CLIENTS, questions);
    const theirs = await seedLearners(CLIENTS, questions);
    const productBase = `${backend.url}/api/learner/exams`;
    await run(productBase, ours, WARMUP);
    await run(bare.url, theirs, WARMUP);
    const product = await run(productBase, ours, SAVES_PER_SIDE);
    const baseline = await run(bare.url, theirs, SAVES_PER_SIDE);
    const ratio = product.savesPerSecond / baseline.savesPerSecond;
    console.log(`autosave, ${CLIENTS} concurrent learners (${QUESTIONS}-question attempts), ${SAVES_PER_SIDE} saves per side after ${WARMUP} to warm up`);
    console.log(line('backend PUT …/attempts/:id/answers/:questionId', product));
    console.log(line('bare Koa route, same reads + write (driver)', baseline));
    console.log(`ratio ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'NOT MET'}`);
    const lost = await lostSaves(ours);
    const acknowledged = ours.reduce((sum, l) => sum + l.acknowledged.size, 0);
    console.log(`backend: ${product.failures.length} failed${product.failures[0] ? ` (e.g. ${product.failures[0]})` : ''}; latest acknowledged save of ${acknowledged} questions stored: ${lost === 0 ? 'OK' : `${lost} MISSING`}`);
    if (lost > 0 && embedded?.kind !== 'jongodb') process.exitCode = 1;
  } finally {
    bare.server.close();
    await backend.stop();
    await embedded?.stop();
  }
}

async function main(): Promise<void> {
  inProcess();
  await overHttp();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
