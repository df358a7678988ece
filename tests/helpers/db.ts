import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { seedBuiltInPolicies } from '../../backend/src/modules/policy/policies';
import { allRoutes } from '../../backend/src/routes';
import { type Clock, systemClock } from '../../backend/src/platform/clock';
import { loadConfig, type Config } from '../../backend/src/platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from '../../backend/src/platform/db';
import type { Deps } from '../../backend/src/platform/http/route';
import { createLogger } from '../../backend/src/platform/logger';
import { TEST_GOV_REPORT_SIGNING_KEY, TEST_WECHAT } from './constants';

void allRoutes; // registers every model before indexes are built

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: process.env.TEST_MONGODB_URI,
    WECHAT_API_BASE: process.env.TEST_WECHAT_API_BASE,
    WECHAT_APPID: TEST_WECHAT.appid,
    WECHAT_SECRET: TEST_WECHAT.secret,
    // Mail goes to the run's local inbox (started by the global setup).
    ...(process.env.TEST_SMTP_HOST ? { SMTP_HOST: process.env.TEST_SMTP_HOST, SMTP_PORT: process.env.TEST_SMTP_PORT! } : {}),
    // Identity verification and the Tencent Cloud face engine go to the run's simulator (started by the global setup).
    ...(process.env.TEST_TENCENTCLOUD_URL
      ? {
          TENCENTCLOUD_FACEID_ENDPOINT: process.env.TEST_TENCENTCLOUD_URL,
          TENCENTCLOUD_IAI_ENDPOINT: process.env.TEST_TENCENTCLOUD_URL,
          TENCENTCLOUD_SECRET_ID: process.env.TEST_TENCENTCLOUD_SECRET_ID!,
          TENCENTCLOUD_SECRET_KEY: process.env.TEST_TENCENTCLOUD_SECRET_KEY!,
        }
      : {}),
    // Completion results go to the run's government-platform simulator (started by the global setup).
    ...(process.env.TEST_GOV_REPORT_ENDPOINT ? { GOV_REPORT_ENDPOINT: process.env.TEST_GOV_REPORT_ENDPOINT, GOV_REPORT_SIGNING_KEY: TEST_GOV_REPORT_SIGNING_KEY } : {}),
    // An answer that breaks its route's response schema fails the test that sees it (as a logged 500).
    RESPONSE_VALIDATION: 'strict',
    ...overrides,
  });
}

export function testDeps(clock: Clock = systemClock): Deps {
  const config = testConfig();
  return { config, logger: createLogger('silent'), clock };
}

/** Removes every document (the stand-in server has no dropDatabase). */
export async function cleanDatabase(): Promise<void> {
  for (const name of mongoose.modelNames()) await mongoose.model(name).deleteMany({});
}

/**
 * Gives the calling test file its own, clean database: connected before its tests, with indexes built and
 * the built-in policies seeded, disconnected after.
 */
export function useTestDatabase(): void {
  beforeAll(async () => {
    await connectDatabase(process.env.TEST_MONGODB_URI!, `test_${randomBytes(6).toString('hex')}`);
    await cleanDatabase();
    await ensureIndexes();
    await seedBuiltInPolicies();
  });
  afterAll(async () => {
    await disconnectDatabase();
  });
}
