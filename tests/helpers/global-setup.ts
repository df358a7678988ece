import { startEmbeddedMongo } from '../../backend/src/platform/embeddedMongo';
import { startWechatSimulator } from '../../backend/simulators/wechat-api';
import { TEST_WECHAT } from './constants';

/** One database server and one WeChat simulator for the whole run; each test file gets its own database. */
export default async function globalSetup(): Promise<void> {
  const mongo = await startEmbeddedMongo();
  const wechat = await startWechatSimulator(TEST_WECHAT);
  process.env.TEST_MONGODB_URI = mongo.uri;
  process.env.TEST_WECHAT_API_BASE = wechat.url;
  (globalThis as Record<string, unknown>).__ceStop = async () => {
    await wechat.stop();
    await mongo.stop();
  };
}
