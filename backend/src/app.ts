import { createServer } from 'node:http';
import mongoose from 'mongoose';
import type { DestinationStream } from 'pino';
import { examListener, registryListener } from './composition';
import { MIGRATIONS } from './migrations';
import { authenticate } from './modules/accounts';
import { defineCompletionJobs, scheduleCertificateVoiding } from './modules/completion';
import { defineExamJobs } from './modules/exams';
import { closeFaceProviders, defineFaceJobs, scheduleFaceRetention } from './modules/face';
import { defineOrderJobs } from './modules/orders';
import { seedBuiltInPolicies } from './modules/policy';
import { scheduleCertificateSync } from './modules/registry';
import { type Clock, systemClock, useProcessClock } from './platform/clock';
import type { Config } from './platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from './platform/db';
import { createHttpApp } from './platform/http/app';
import type { Deps } from './platform/http/route';
import { JobRunner, Jobs } from './platform/jobs';
import { createLogger, type Logger } from './platform/logger';
import { defineMailJob } from './platform/mail';
import { runMigrations, type MigrationOptions } from './platform/migrations';
import { listen } from './platform/process';
import { allRoutes } from './routes';

export interface RunningBackend {
  url: string;
  deps: Deps;
  /** Migrations this start applied (usually none). */
  migrationsApplied: string[];
  /** Runs the durable jobs (polling every JOBS_POLL_INTERVAL_MS; tests may call `runDueJobs()` themselves). */
  jobRunner: JobRunner;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  logDestination?: DestinationStream;
  /** Skip connecting (the caller already connected mongoose, e.g. a test helper). */
  connected?: boolean;
  migrations?: MigrationOptions;
}

/**
 * Brings the database up to date before anything reads it: migrations (one instance at a time), then the
 * indexes every model declares, then any built-in policy profile that is missing. Safe to run on every start.
 */
export async function prepareDatabase(deps: Deps, options: MigrationOptions = {}): Promise<string[]> {
  const applied = await runMigrations(MIGRATIONS, { db: mongoose.connection.db!, clock: deps.clock, logger: deps.logger }, options);
  if (applied.length) deps.logger.info({ applied }, 'migrations applied');
  await ensureIndexes();
  await seedBuiltInPolicies();
  return applied;
}

/** Connects the database, prepares it, serves HTTP, schedules jobs and runs the durable ones. */
export async function startBackend(config: Config, options: StartOptions = {}): Promise<RunningBackend> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, options.logDestination);
  const deps: Deps = { config, logger, clock: options.clock ?? systemClock };
  useProcessClock(deps.clock);
  if (!options.connected) {
    if (!config.MONGODB_URI) throw new Error('MONGODB_URI is required here (main.ts starts the embedded default)');
    await connectDatabase(config.MONGODB_URI);
  }
  const migrationsApplied = await prepareDatabase(deps, options.migrations);

  const app = createHttpApp({ deps, routes: allRoutes, authenticate: (token) => authenticate(token, deps) });
  const server = createServer(app.callback());
  await listen(server, config.PORT, config.HOST);
  const jobs = new Jobs(logger);
  scheduleCertificateSync(jobs, deps, registryListener);
  defineMailJob();
  defineOrderJobs();
  defineFaceJobs();
  defineExamJobs(examListener);
  defineCompletionJobs();
  await scheduleFaceRetention(deps.clock.now());
  await scheduleCertificateVoiding(deps.clock.now());
  const jobRunner = new JobRunner({ deps, concurrency: 4, leaseMs: config.JOBS_LEASE_MS });
  if (config.JOBS_POLL_INTERVAL_MS > 0) jobRunner.start(config.JOBS_POLL_INTERVAL_MS);

  const { port } = server.address() as { port: number };
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url }, 'backend listening');

  let stopped = false;
  return {
    url,
    deps,
    migrationsApplied,
    jobRunner,
    async stop() {
      if (stopped) return;
      stopped = true;
      jobs.stopAll();
      await jobRunner.stop();
      await closeFaceProviders();
      // Requests in flight may finish (up to 5 s); idle keep-alive connections are closed at once.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearTimeout(force);
      if (!options.connected) await disconnectDatabase();
    },
  };
}
