import { randomBytes } from 'node:crypto';
import { startBackend } from '../../backend/src/app';
import { seedDemo, type DemoLogins } from '../../backend/src/demo/seed';
import { connectDatabase, disconnectDatabase } from '../../backend/src/platform/db';
import { cleanDatabase, testConfig } from './db';
import { ensureH5Build } from './h5-build';
import { freePort } from '../../backend/src/platform/database/mongod';

export interface Stack {
  baseUrl: string;
  demo: DemoLogins;
  stop(): Promise<void>;
}

/** The run's shared WeChat Pay simulator (tests/helpers/global-setup.ts), as `npm start` configures its own. */
function wechatPayEnv(port: number): Record<string, string> {
  if (!process.env.TEST_WECHATPAY_MCHID) return {};
  return {
    WECHATPAY_MCHID: process.env.TEST_WECHATPAY_MCHID,
    WECHATPAY_APPID: process.env.TEST_WECHATPAY_APPID!,
    WECHATPAY_PRIVATE_KEY: process.env.TEST_WECHATPAY_PRIVATE_KEY!,
    WECHATPAY_MERCHANT_SERIAL: process.env.TEST_WECHATPAY_MERCHANT_SERIAL!,
    WECHATPAY_APIV3_KEY: process.env.TEST_WECHATPAY_APIV3_KEY!,
    WECHATPAY_API_BASE: process.env.TEST_WECHATPAY_API_BASE!,
    WECHATPAY_NOTIFY_URL: `http://127.0.0.1:${port}/api/payments/wechat/notify`,
  };
}

/**
 * The product as `npm start` runs it, for end-to-end tests: a clean database on the test server, the WeChat
 * simulators of the run (login and pay), the backend serving the H5 build, and the demo data.
 */
export async function startStack(): Promise<Stack> {
  const h5DistDir = await ensureH5Build();
  await connectDatabase(process.env.TEST_MONGODB_URI!, `e2e_${randomBytes(6).toString('hex')}`);
  await cleanDatabase();
  const port = await freePort(); // known before start: the pay simulator's notifications come back to it
  const config = testConfig({
    PORT: String(port),
    H5_DIST_DIR: h5DistDir,
    H5_RUNTIME_CONFIG: JSON.stringify({ wechatSimulatorUrl: process.env.TEST_WECHAT_API_BASE, wechatPaySimulatorUrl: process.env.TEST_WECHATPAY_API_BASE }),
    LOGIN_RATE_PER_MINUTE: '1000',
    ...wechatPayEnv(port),
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
