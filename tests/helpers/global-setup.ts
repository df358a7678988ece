import { startEmbeddedMongo } from '../../backend/src/platform/embeddedMongo';
import { startMailInbox } from '../../backend/simulators/mail-inbox';
import { startWechatSimulator } from '../../backend/simulators/wechat-api';
import { TEST_WECHAT } from './constants';

/**
 * One database server, one WeChat simulator and one mail inbox for the whole run; each test file gets its own
 * database. Mail sent to the inbox is read back through its API (TEST_MAIL_INBOX_URL, `?to=` a unique address);
 * a test that takes the mail server down starts an inbox of its own.
 */
export default async function globalSetup(): Promise<void> {
  const mongo = await startEmbeddedMongo();
  const wechat = await startWechatSimulator(TEST_WECHAT);
  const inbox = await startMailInbox();
  process.env.TEST_MONGODB_URI = mongo.uri;
  process.env.TEST_WECHAT_API_BASE = wechat.url;
  process.env.TEST_MAIL_INBOX_URL = inbox.url;
  process.env.TEST_SMTP_HOST = inbox.smtpHost;
  process.env.TEST_SMTP_PORT = String(inbox.smtpPort);
  (globalThis as Record<string, unknown>).__ceStop = async () => {
    await inbox.stop();
    await wechat.stop();
    await mongo.stop();
  };
}
