import { startEmbeddedMongo } from '../../backend/src/platform/embeddedMongo';
import { startGovPlatformSimulator } from '../../backend/simulators/gov-platform';
import { startMailInbox } from '../../backend/simulators/mail-inbox';
import { startTencentCloudSimulator } from '../../backend/simulators/tencentcloud';
import { startWechatSimulator } from '../../backend/simulators/wechat-api';
import { startWechatPaySimulator } from '../../backend/simulators/wechatpay';
import { TEST_GOV_REPORT_SIGNING_KEY, TEST_WECHAT } from './constants';

/**
 * One database server, one WeChat login simulator, one Tencent Cloud (实名核身 / 人脸识别) simulator (TEST_TENCENTCLOUD_*), one government-platform simulator (TEST_GOV_REPORT_ENDPOINT; stories that make it fail start their own), one WeChat Pay simulator (TEST_WECHATPAY_*; payment tests that
 * rotate certificates or switch modes start their own) and one mail inbox for the whole run; each test file gets its own
 * database. Mail sent to the inbox is read back through its API (TEST_MAIL_INBOX_URL, `?to=` a unique address);
 * a test that takes the mail server down starts an inbox of its own.
 */
export default async function globalSetup(): Promise<void> {
  const mongo = await startEmbeddedMongo();
  const wechat = await startWechatSimulator(TEST_WECHAT);
  const wechatPay = await startWechatPaySimulator({ appid: TEST_WECHAT.appid, timeScale: 0.001 });
  const inbox = await startMailInbox();
  const tencentCloud = await startTencentCloudSimulator();
  const govPlatform = await startGovPlatformSimulator({ signingKey: TEST_GOV_REPORT_SIGNING_KEY });
  process.env.TEST_MONGODB_URI = mongo.uri;
  process.env.TEST_WECHAT_API_BASE = wechat.url;
  process.env.TEST_WECHATPAY_API_BASE = wechatPay.url;
  process.env.TEST_WECHATPAY_MCHID = wechatPay.mchid;
  process.env.TEST_WECHATPAY_APPID = wechatPay.appid;
  process.env.TEST_WECHATPAY_PRIVATE_KEY = wechatPay.merchantPrivateKeyPem;
  process.env.TEST_WECHATPAY_MERCHANT_SERIAL = wechatPay.merchantSerial;
  process.env.TEST_WECHATPAY_APIV3_KEY = wechatPay.apiV3Key;
  process.env.TEST_MAIL_INBOX_URL = inbox.url;
  process.env.TEST_SMTP_HOST = inbox.smtpHost;
  process.env.TEST_SMTP_PORT = String(inbox.smtpPort);
  process.env.TEST_TENCENTCLOUD_URL = tencentCloud.url;
  process.env.TEST_TENCENTCLOUD_SECRET_ID = tencentCloud.secretId;
  process.env.TEST_TENCENTCLOUD_SECRET_KEY = tencentCloud.secretKey;
  process.env.TEST_GOV_REPORT_ENDPOINT = govPlatform.url;
  (globalThis as Record<string, unknown>).__ceStop = async () => {
    await inbox.stop();
    await wechat.stop();
    await wechatPay.stop();
    await tencentCloud.stop();
    await govPlatform.stop();
    await mongo.stop();
  };
}
