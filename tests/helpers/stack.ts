import { randomBytes } from 'node:crypto';
import { startBackend } from '../../backend/src/app';
import { seedDemo, type DemoLogins } from '../../backend/src/demo/seed';
import { connectDatabase, disconnectDatabase } from '../../backend/src/platform/db';
import { cleanDatabase, testConfig } from './db';
import { ensureH5Build } from './h5-build';

export interface Stack {
  baseUrl: string;
  demo: DemoLogins;
  stop(): Promise<void>;
}

/**
 * The product as `npm start` runs it, for end-to-end tests: a clean database on the test server, the WeChat
 * simulator of the run, the backend serving the H5 build, and the demo data.
 */
export async function startStack(): Promise<Stack> {
  const h5DistDir = await ensureH5Build();
  await connectDatabase(process.env.TEST_MONGODB_URI!, `e2e_${randomBytes(6).toString('hex')}`);
  await cleanDatabase();
  const config = testConfig({
    H5_DIST_DIR: h5DistDir,
    H5_RUNTIME_CONFIG: JSON.stringify({ wechatSimulatorUrl: process.env.TEST_WECHAT_API_BASE }),
    LOGIN_RATE_PER_MINUTE: '1000',
  });
  const backend = await startBackend(config, { connected: true });
  const demo = await seedDemo(backend.deps);
  return {
    baseUrl: backend.url,
    demo,
    async stop() {
      await backend.stop();
      await disconnectDatabase();
    },
  };
}
