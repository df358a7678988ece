/**
 * The backend wired as backend/src/main.ts wires it (same process-end handling), which then fails the way
 * `CRASH` says: `rejection` (a promise nobody awaits rejects) or `exception` (a throw in a timer). Used by
 * tests/api/startup.test.ts to see a real process end cleanly after a fatal error.
 */
import { startBackend } from '../../backend/src/app';
import { loadConfig } from '../../backend/src/platform/config';
import { createLogger } from '../../backend/src/platform/logger';
import { handleProcessEnd } from '../../backend/src/platform/process';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const backend = await startBackend(config, { logger });
  handleProcessEnd(logger, () => backend.stop());
  setTimeout(() => {
    if (process.env.CRASH === 'rejection') void Promise.reject(new Error('boom: a promise nobody awaited'));
    else throw new Error('kaboom: thrown in a timer');
  }, 500);
}

void main();
