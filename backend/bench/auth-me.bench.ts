/**
 * `npm run bench` (second part): `GET /api/auth/me` through the whole backend (routing, session check,
 * audience, handler, logging at `silent`) against a bare Koa route that does the same database reads with the
 * driver (the session by token hash, then the principal's account), on the same database in the same run.
 * 20 concurrent clients, a fixed number of requests per round, rounds interleaved. Prints requests/s, p50 and
 * p99 of each and their ratio (target ≥ 0.5). Loopback only; bounded in count and time.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import mongoose from 'mongoose';
import { startBackend } from '../src/app';
import { createStaffAccount } from '../src/modules/accounts';
import { loadConfig } from '../src/platform/config';
import { describeDatabase, startEmbeddedMongo, withDatabaseName } from '../src/platform/embeddedMongo';
import { percentile, serveBare } from './harness';

const CLIENTS = 20;
const REQUESTS_PER_ROUND = Number(process.env.BENCH_AUTH_ME_REQUESTS ?? 2000);
const WARMUP = 200;
const ROUNDS = 2;
/** No round may take longer than this: a stuck database ends the bench instead of hanging it. */
const ROUND_LIMIT_MS = 120_000;
const TARGET_RATIO = 0.5;

interface RoundResult {
  requestsPerSecond: number;
  latenciesMs: number[];
}

async function round(url: string, token: string, requests: number): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  let issued = 0;
  const deadline = Date.now() + ROUND_LIMIT_MS;
  const client = async () => {
    while (issued < requests) {
      if (Date.now() > deadline) throw new Error(`a round took longer than ${ROUND_LIMIT_MS / 1000} s; giving up`);
      issued++;
      const started = process.hrtime.bigint();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { requestsPerSecond: (requests / (performance.now() - started)) * 1000, latenciesMs };
}

function summary(results: RoundResult[]) {
  const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const requestsPerSecond = results.reduce((sum, r) => sum + r.requestsPerSecond, 0) / results.length;
  return { requestsPerSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** The same two reads `/api/auth/me` needs, with the driver and nothing else around them. */
async function startBareRoute(): Promise<{ url: string; server: Server }> {
  const db = mongoose.connection.db!;
  const sessions = db.collection(mongoose.model('Session').collection.collectionName);
  const staff = db.collection(mongoose.model('StaffAccount').collection.collectionName);
  const app = new Koa();
  const router = new Router();
  router.get('/api/auth/me', async (ctx) => {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
    const session = await sessions.findOne({ tokenHash: createHash('sha256').update(token).digest('hex') });
    if (!session) {
      ctx.status = 401;
      return;
    }
    const account = await staff.findOne({ _id: new mongoose.Types.ObjectId(String(session.accountId)) });
    ctx.body = { principal: { role: session.role, displayName: account?.username, mustChangePassword: session.mustChangePassword } };
  });
  app.use(router.routes());
  return serveBare(app);
}

async function main(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ?? withDatabaseName(embedded!.uri, `bench_auth_me_${Date.now()}`);
  console.log(`database: ${describeDatabase(embedded, uri).en}`);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', MONGODB_URI: uri, LOGIN_RATE_PER_MINUTE: '1000' });
  const backend = await startBackend(config);
  const bare = await startBareRoute();
  try {
    const username = `bench-operator-${Date.now()}`;
    const { initialPassword } = await createStaffAccount({ username, role: 'operator', province: 'SD' });
    const login = await fetch(`${backend.url}/api/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: initialPassword }),
    });
    const { token } = (await login.json()) as { token: string };
    const productUrl = `${backend.url}/api/auth/me`;

    await round(productUrl, token, WARMUP);
    await round(`${bare.url}/api/auth/me`, token, WARMUP);
    const product: RoundResult[] = [];
    const baseline: RoundResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      product.push(await round(productUrl, token, REQUESTS_PER_ROUND));
      baseline.push(await round(`${bare.url}/api/auth/me`, token, REQUESTS_PER_ROUND));
    }
    report(summary(product), summary(baseline));
  } finally {
    bare.server.close();
    await backend.stop();
    await embedded?.stop();
  }
}

function report(product: ReturnType<typeof summary>, baseline: ReturnType<typeof summary>): void {
  const line = (label: string, s: ReturnType<typeof summary>) =>
    `${label.padEnd(38)} ${s.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(7)} ms`;
  const ratio = product.requestsPerSecond / baseline.requestsPerSecond;
  console.log(`GET /api/auth/me, ${CLIENTS} concurrent clients, ${ROUNDS} × ${REQUESTS_PER_ROUND} requests each`);
  console.log(line('backend (full stack)', product));
  console.log(line('bare Koa route, same reads (driver)', baseline));
  console.log(`ratio ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'OK' : 'BELOW TARGET'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
