/**
 * `npm run bench` (heartbeats): playback heartbeats through the whole backend against a bare Koa route doing the
 * same database operations with the driver, on the same database in the same run.
 *
 * CLIENTS (200) concurrent simulated learners — each client plays for LEARNERS_PER_CLIENT learners in turn, every
 * one already in a playback session (seeded as a started session leaves it: enrollment paid, session, the
 * learner's active playback, the progress document), and reports honestly: seq + 1, position advanced by the real
 * time since that learner's last heartbeat, at least MIN_GAP_MS apart per learner so each heartbeat is credited
 * and written (not TOO_SOON).
 *
 *   backend: POST /api/learner/playback-sessions/:id/heartbeats — session token, validation, audience, the
 *            playback session, the learner's active playback, the enrollment's window, the progress document, the
 *            progress rules, one conditional write guarded by the document's version, response mapping.
 *   bare:    the same five reads (session by token hash, playback session, active playback, enrollment, progress)
 *            and one conditional updateOne setting the same fields, with the driver; no rules, no validation.
 *
 * Prints heartbeats/s, p50 and p99 of each, their ratio (target ≥ 0.3), how many heartbeats were credited, and
 * checks that the credited seconds stored equal the sum the answers reported. Each side is capped in time; the
 * whole run stays under about two minutes. Loopback only. On the in-memory stand-in read the ratio, not the
 * absolute figures.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import mongoose, { Types } from 'mongoose';
import { startBackend } from '../src/app';
import { SessionModel } from '../src/modules/accounts/data';
import { ClassModel, CourseModel, LessonModel, TopicModel } from '../src/modules/catalog';
import { EnrollmentModel } from '../src/modules/enrollment';
import { ActivePlaybackModel, PlaybackSessionModel, StudyProgressModel, type PlaybackRules } from '../src/modules/learning/data';
import { loadConfig } from '../src/platform/config';
import { randomToken, tokenDigest } from '../src/platform/crypto';
import { describeDatabase, startEmbeddedMongo, withDatabaseName } from '../src/platform/embeddedMongo';
import { percentile, readJson, serveBare } from './harness';

const CLIENTS = Number(process.env.BENCH_HEARTBEAT_CLIENTS ?? 200);
const LEARNERS_PER_CLIENT = 2;
const HEARTBEATS_PER_SIDE = Number(process.env.BENCH_HEARTBEATS ?? 1200);
const WARMUP = CLIENTS;
/** Two heartbeats of one learner at least this far apart (the server ignores those under 1 s as TOO_SOON). */
const MIN_GAP_MS = 1300;
/** No side may take longer than this: a stuck database ends the bench instead of hanging it. */
const SIDE_LIMIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
const TARGET_RATIO = 0.3;
const LESSON_SECONDS = 36_000;
const RULES: PlaybackRules = { heartbeatSeconds: 10, creditToleranceSeconds: 2, completionToleranceSeconds: 5, seekAheadToleranceSeconds: 3, captureEverySeconds: { min: 600, max: 1200 }, captureGraceSeconds: 120 };

interface SimLearner {
  token: string;
  sessionId: string;
  seq: number;
  position: number;
  lastSentAt: number;
}

// ---- seed: learners as a started playback session leaves them ------------------------------------------------------

async function seedLesson(): Promise<{ classId: Types.ObjectId; lessonId: Types.ObjectId }> {
  const klass = await ClassModel.create({ province: 'YN', name: `心跳压测班${Date.now()}`, category: 'A', feeFen: 10_000, active: true });
  const topic = await TopicModel.create({ classId: klass._id, code: 'GENERAL', order: 0 });
  const course = await CourseModel.create({ classId: klass._id, topicId: topic._id, title: '压测课程', creditHours: 24, order: 0, active: true });
  const lesson = await LessonModel.create({ classId: klass._id, topicId: topic._id, courseId: course._id, title: '压测课时', order: 0, durationSeconds: LESSON_SECONDS, videoKey: 'videos/bench.mp4', videoBytes: 1, active: true });
  return { classId: klass._id, lessonId: lesson._id };
}

async function seedLearners(count: number, lesson: { classId: Types.ObjectId; lessonId: Types.ObjectId }, tag: string): Promise<SimLearner[]> {
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => ({ personId: new Types.ObjectId(), enrollmentId: new Types.ObjectId(), sessionId: randomUUID(), token: randomToken(), i }));
  await EnrollmentModel.insertMany(
    rows.map((r) => ({
      _id: r.enrollmentId,
      certificateId: new Types.ObjectId(),
      cycleExpiry: '2099-12-31',
      classId: lesson.classId,
      className: '心跳压测班',
      personId: r.personId,
      enterpriseUscc: '91530100MA6K000000',
      enterpriseName: '压测企业',
      certificateNo: `BENCH-${tag}-${r.i}`,
      category: 'A',
      holderName: '压测学员',
      idMasked: '5301**********0000',
      feeFen: 10_000,
      status: 'PAID',
      enrolledBy: 'bench',
      createdAt: now,
      paidAt: now,
      studyUntil: '2099-12-31',
    })),
  );
  await SessionModel.insertMany(rows.map((r) => ({ tokenHash: tokenDigest(r.token), role: 'learner', subjectId: String(r.personId), province: 'YN', city: '昆明市', mustChangePassword: false, createdAt: now, expiresAt: new Date(now.getTime() + 3600_000) })));
  await PlaybackSessionModel.insertMany(rows.map((r) => ({ _id: r.sessionId, personId: r.personId, enrollmentId: r.enrollmentId, lessonId: lesson.lessonId, topicCode: 'GENERAL', lessonTitle: '压测课时', durationSeconds: LESSON_SECONDS, videoKey: 'videos/bench.mp4', rules: RULES, startedAt: now })));
  await ActivePlaybackModel.insertMany(rows.map((r) => ({ _id: r.personId, sessionId: r.sessionId })));
  const playback = (sessionId: string) => ({ sessionId, lessonId: String(lesson.lessonId), lastSeq: 0, lastAt: now, lastPosition: 0, lastState: 'playing', slack: RULES.creditToleranceSeconds, videoUrlExpiresAt: new Date(now.getTime() + 3600_000) });
  await StudyProgressModel.collection.insertMany(rows.map((r) => ({ _id: r.enrollmentId, personId: r.personId, version: 0, lessons: {}, creditedTotal: 0, nextCaptureAt: 1e9, playback: playback(r.sessionId) })));
  return rows.map((r) => ({ token: r.token, sessionId: r.sessionId, seq: 0, position: 0, lastSentAt: now.getTime() }));
}

// ---- the bare route ------------------------------------------------------------------------------------------------

/** The reads and the one conditional write a heartbeat needs, with the driver and nothing else around them. */
async function startBareRoute(): Promise<{ url: string; server: Server }> {
  const db = mongoose.connection.db!;
  const collection = (model: string) => db.collection(mongoose.model(model).collection.collectionName);
  const [sessions, playbacks, actives, enrollments, progress] = ['Session', 'PlaybackSession', 'ActivePlayback', 'Enrollment', 'StudyProgress'].map(collection);
  const app = new Koa();
  const router = new Router();
  router.post('/heartbeats/:id', async (ctx) => {
    const body = (await readJson(ctx.req)) as { seq: number; position: number; state: string };
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
    const session = await sessions.findOne({ tokenHash: tokenDigest(token) });
    const playback = await playbacks.findOne({ _id: ctx.params.id as never });
    if (!session || !playback) return void (ctx.status = 404);
    const active = await actives.findOne({ _id: playback.personId });
    const enrollment = await enrollments.findOne({ _id: playback.enrollmentId });
    const doc = await progress.findOne({ _id: playback.enrollmentId });
    if (!active || !enrollment || !doc) return void (ctx.status = 404);
    const now = new Date();
    const credited = Math.max(0, body.position - doc.playback.lastPosition);
    const lessonKey = String(playback.lessonId);
    const lesson = doc.lessons[lessonKey] ?? { intervals: [], credited: 0, resumeAt: 0, completed: false };
    await progress.updateOne(
      { _id: doc._id, version: doc.version },
      {
        $set: {
          version: doc.version + 1,
          playback: { ...doc.playback, lastSeq: body.seq, lastAt: now, lastPosition: body.position, lastState: body.state },
          [`lessons.${lessonKey}`]: { ...lesson, intervals: [[0, body.position]], credited: lesson.credited + credited, resumeAt: body.position },
          creditedTotal: doc.creditedTotal + credited,
        },
      },
    );
    ctx.body = { accepted: true, creditedNow: credited, nextSeq: body.seq + 1 };
  });
  app.use(router.routes());
  return serveBare(app);
}

// ---- load ----------------------------------------------------------------------------------------------------------

interface SideResult {
  heartbeatsPerSecond: number;
  latenciesMs: number[];
  credited: number;
  accepted: number;
  failures: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One heartbeat; a request that gets no answer in time counts as failed (status 0), it does not end the bench. */
async function send(url: string, learner: SimLearner): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${learner.token}` },
      body: JSON.stringify({ seq: learner.seq, position: Math.round(learner.position * 1000) / 1000, state: 'playing', rate: 1 }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { status: 0, text: String(error) };
  }
}

/** CLIENTS concurrent clients send `total` heartbeats, each for its own learners in turn. */
async function run(urlFor: (learner: SimLearner) => string, learners: SimLearner[], total: number): Promise<SideResult> {
  const result: SideResult = { heartbeatsPerSecond: 0, latenciesMs: [], credited: 0, accepted: 0, failures: [] };
  let issued = 0;
  const deadline = Date.now() + SIDE_LIMIT_MS;
  const client = async (c: number) => {
    const mine = learners.slice(c * LEARNERS_PER_CLIENT, (c + 1) * LEARNERS_PER_CLIENT);
    for (let turn = 0; issued < total; turn++) {
      if (Date.now() > deadline) throw new Error(`${total} heartbeats took longer than ${SIDE_LIMIT_MS / 1000} s; giving up`);
      issued++;
      const learner = mine[turn % mine.length];
      await sleep(learner.lastSentAt + MIN_GAP_MS - Date.now());
      const sentAt = Date.now();
      learner.position += (sentAt - learner.lastSentAt) / 1000;
      learner.lastSentAt = sentAt;
      learner.seq += 1;
      const started = process.hrtime.bigint();
      const answered = await send(urlFor(learner), learner);
      result.latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (answered.status !== 200) {
        result.failures.push(`${answered.status}: ${answered.text.slice(0, 200)}`);
        continue;
      }
      const answer = JSON.parse(answered.text) as { accepted: boolean; creditedNow: number };
      result.credited += answer.creditedNow;
      if (answer.accepted) result.accepted++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  result.heartbeatsPerSecond = (result.latenciesMs.length / (performance.now() - started)) * 1000;
  if (result.failures.length > total / 10) throw new Error(`${result.failures.length} of ${total} heartbeats failed, e.g. ${result.failures[0]}`);
  return result;
}

function line(label: string, r: SideResult): string {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return `${label.padEnd(44)} ${r.heartbeatsPerSecond.toFixed(0).padStart(6)} heartbeats/s   p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(7)} ms`;
}

async function storedCredit(learners: SimLearner[]): Promise<number> {
  const sessions = await PlaybackSessionModel.find({ _id: { $in: learners.map((l) => l.sessionId) } }).lean();
  const docs = await StudyProgressModel.collection.find({ _id: { $in: sessions.map((s) => s.enrollmentId) } }).toArray();
  return docs.reduce((sum, doc) => sum + (doc.creditedTotal as number), 0);
}

async function main(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ?? withDatabaseName(embedded!.uri, `bench_heartbeats_${Date.now()}`);
  console.log(`database: ${describeDatabase(embedded, uri).en}`);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', MONGODB_URI: uri, JOBS_POLL_INTERVAL_MS: '0' });
  const backend = await startBackend(config);
  const bare = await startBareRoute();
  try {
    const lesson = await seedLesson();
    const count = CLIENTS * LEARNERS_PER_CLIENT;
    const ours = await seedLearners(count, lesson, 'backend');
    const theirs = await seedLearners(count, lesson, 'bare');
    const productUrl = (l: SimLearner) => `${backend.url}/api/learner/playback-sessions/${l.sessionId}/heartbeats`;
    const bareUrl = (l: SimLearner) => `${bare.url}/heartbeats/${l.sessionId}`;

    await run(productUrl, ours, WARMUP);
    await run(bareUrl, theirs, WARMUP);
    const before = await storedCredit(ours);
    const product = await run(productUrl, ours, HEARTBEATS_PER_SIDE);
    const baseline = await run(bareUrl, theirs, HEARTBEATS_PER_SIDE);
    const stored = (await storedCredit(ours)) - before;

    const ratio = product.heartbeatsPerSecond / baseline.heartbeatsPerSecond;
    console.log(`heartbeats, ${CLIENTS} concurrent simulated learners (${count} learners each side), ${HEARTBEATS_PER_SIDE} heartbeats per side after ${WARMUP} to warm up`);
    console.log(line('backend POST …/playback-sessions/:id/heartbeats', product));
    console.log(line('bare Koa route, same reads + write (driver)', baseline));
    console.log(`ratio ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'NOT MET'}`);
    console.log(`backend: ${product.accepted} of ${product.latenciesMs.length} heartbeats credited, ${product.failures.length} failed${product.failures[0] ? ` (e.g. ${product.failures[0]})` : ''}`);
    const check = Math.abs(stored - product.credited) < 0.01 ? 'OK' : 'MISMATCH';
    console.log(`stored credit ${stored.toFixed(1)} s = answered credit ${product.credited.toFixed(1)} s: ${check}`);
    if (check !== 'OK' && embedded?.kind !== 'jongodb') process.exitCode = 1;
  } finally {
    bare.server.close();
    await backend.stop();
    await embedded?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
