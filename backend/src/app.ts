import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { authenticate } from './modules/accounts/sessions';
import { seedBuiltInPolicies } from './modules/policy/policies';
import { scheduleCertificateSync } from './modules/registry/job';
import { type Clock, systemClock } from './platform/clock';
import type { Config } from './platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from './platform/db';
import { createHttpApp } from './platform/http/app';
import type { Deps } from './platform/http/route';
import { Jobs } from './platform/jobs';
import { createLogger } from './platform/logger';
import { allRoutes } from './routes';

export interface RunningBackend {
  url: string;
  deps: Deps;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
  /** Skip connecting (the caller already connected mongoose, e.g. a test helper). */
  connected?: boolean;
}

/** Connects the database, builds indexes, seeds policy profiles, serves HTTP and schedules jobs. */
export async function startBackend(config: Config, options: StartOptions = {}): Promise<RunningBackend> {
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  const deps: Deps = { config, logger, clock: options.clock ?? systemClock };
  if (!options.connected) {
    if (!config.MONGODB_URI) throw new Error('MONGODB_URI is required here (main.ts starts the embedded default)');
    await connectDatabase(config.MONGODB_URI);
  }
  await ensureIndexes();
  await seedBuiltInPolicies();

  const app = createHttpApp({ deps, routes: allRoutes, authenticate: (token) => authenticate(token, deps) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const jobs = new Jobs(logger);
  scheduleCertificateSync(jobs, deps);

  const { port } = server.address() as { port: number };
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url }, 'backend listening');

  let stopped = false;
  return {
    url,
    deps,
    async stop() {
      if (stopped) return;
      stopped = true;
      jobs.stopAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (!options.connected) await disconnectDatabase();
    },
  };
}
