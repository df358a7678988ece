/**
 * `npm start`: everything a newcomer needs to click through the product in a browser.
 * Starts the database (MONGODB_URI, else the embedded choice: a real mongod keeping its data in .data/mongodb,
 * else the in-memory stand-in), the WeChat login simulator, a local mail server with a web inbox (unless SMTP_HOST
 * names a real one), builds the mini-program's H5 version if needed,
 * starts the backend serving it, seeds demo data and prints the demo logins. Listens on 127.0.0.1 unless HOST
 * says otherwise. Whatever it started is stopped again when it stops or fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startBackend } from '../backend/src/app';
import { buildDemoDataset } from '../backend/src/demo/dataset';
import { seedDemo, type DemoLogins } from '../backend/src/demo/seed';
import { startMailInbox } from '../backend/simulators/mail-inbox';
import { startGovPlatformSimulator } from '../backend/simulators/gov-platform';
import { startWechatSimulator } from '../backend/simulators/wechat-api';
import { startWechatPaySimulator, type WechatPaySimulator } from '../backend/simulators/wechatpay';
import { registerDemoPeople, startTencentCloudSimulator } from '../backend/simulators/tencentcloud';
import { systemClock, today } from '../backend/src/platform/clock';
import { loadConfig } from '../backend/src/platform/config';
import { describeDatabase, startEmbeddedMongo, withDatabaseName } from '../backend/src/platform/embeddedMongo';
import { createLogger } from '../backend/src/platform/logger';
import { handleProcessEnd, PortInUseError } from '../backend/src/platform/process';

const root = path.resolve(__dirname, '..');
const h5Dist = path.join(root, 'miniapp/dist/h5');
const dataDir = path.join(root, '.data');

/** A failure the person starting the demo can fix; printed without a stack trace. */
class StartProblem extends Error {}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensureH5Build(): void {
  const built = path.join(h5Dist, 'index.html');
  const sources = Math.max(newestMtime(path.join(root, 'miniapp/src')), newestMtime(path.join(root, 'types/src')));
  if (existsSync(built) && statSync(built).mtimeMs > sources) return;
  console.log('正在构建小程序 H5 版本（约 30 秒）…');
  const result = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new StartProblem('小程序 H5 构建失败（见上方输出）/ the H5 build failed (see above)');
}

function portInUse(port: number, variable: string): StartProblem {
  return new StartProblem(
    `端口 ${port} 已被占用。请换一个端口再启动，例如：${variable}=${port + 1} npm start\n` +
      `Port ${port} is already in use. Start on another one, e.g.: ${variable}=${port + 1} npm start`,
  );
}

/** Checks a port before anything is started, so a busy one costs nothing to clean up. */
async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port, variable) : error));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** What to type in a browser on this machine for a listening address. */
function browserHost(host: string): string {
  return host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

function portFrom(variable: string, fallback: number): number {
  const raw = process.env[variable];
  const port = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartProblem(`${variable}=${raw} 不是有效端口 / is not a valid port`);
  return port;
}

/** The demo's registry export, dated today, where the nightly sync job reads it. */
function writeDemoExport(): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'registry-export.jsonl');
  writeFileSync(file, buildDemoDataset(today(systemClock)).records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

function printWelcome(url: string, simulatorUrl: string, pay: string, mail: string, identity: string, government: string, database: { zh: string; en: string }, uri: string, logins: DemoLogins): void {
  console.log(`
继续教育平台已启动
  小程序 H5 版:   ${url}/
  API 文档:       ${url}/docs   (OpenAPI: ${url}/openapi.json)
  数据库:         ${database.zh}
                  ${database.en}
                  MONGODB_URI=${uri}
  微信登录模拟器: ${simulatorUrl}
  微信支付:       ${pay}
  发票邮件:       ${mail}
  实名核身:       ${identity}
  结业上报:       ${government}

演示账号（首次登录须修改密码）:
${logins.enterprises.map((e) => `  企业 ${e.province}  账号: ${e.account}  初始密码: ${e.password}\n         ${e.note}`).join('\n')}
  学员     身份证号: ${logins.learner.idNumber} (${logins.learner.name})  初始密码: ${logins.learner.password}
  学员     身份证号: ${logins.codeLearner.idNumber} (${logins.codeLearner.name})  用济南鲁安为她生成的激活码绑定（已核验）
  学员     身份证号: ${logins.selfLearner.idNumber} (${logins.selfLearner.name})  初始密码: ${logins.selfLearner.password}  云南 · 可自己报名缴费
  学员     身份证号: ${logins.studyLearner.idNumber} (${logins.studyLearner.name})  初始密码: ${logins.studyLearner.password}  山东 · 「${logins.studyLearner.className}」已缴费，绑定后即可学习（课程视频已就绪）
${logins.staff.map((s) => `  ${s.role === 'reviewer' ? '审核员' : '管理员'}  ${s.username} / ${s.password} (${s.scope})  · 仅 API，见 /docs`).join('\n')}

按 Ctrl+C 停止。`);
}

/** The backend's WeChat Pay settings for the local simulator; notifications come back to this backend. */
function wechatPayConfig(sim: WechatPaySimulator, backendPort: number): Record<string, string> {
  return {
    WECHATPAY_MCHID: sim.mchid,
    WECHATPAY_APPID: sim.appid,
    WECHATPAY_PRIVATE_KEY: sim.merchantPrivateKeyPem,
    WECHATPAY_MERCHANT_SERIAL: sim.merchantSerial,
    WECHATPAY_APIV3_KEY: sim.apiV3Key,
    WECHATPAY_API_BASE: sim.url,
    WECHATPAY_VERIFY_MODE: 'certificate',
    WECHATPAY_NOTIFY_URL: `http://127.0.0.1:${backendPort}/api/payments/wechat/notify`,
  };
}

async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  handleProcessEnd(logger, stopAll);

  try {
    const host = process.env.HOST ?? '127.0.0.1';
    const port = portFrom('PORT', 3000);
    const simPort = portFrom('WECHAT_SIM_PORT', 4100);
    await assertPortFree(port, host, 'PORT');
    await assertPortFree(simPort, host, 'WECHAT_SIM_PORT');
    // Without WECHATPAY_MCHID (a real merchant), payments go to a local WeChat Pay simulator on WECHATPAY_SIM_PORT.
    const localPay = !process.env.WECHATPAY_MCHID;
    const paySimPort = portFrom('WECHATPAY_SIM_PORT', 4200);
    if (localPay) await assertPortFree(paySimPort, host, 'WECHATPAY_SIM_PORT');
    // Without SMTP_HOST, mail goes to a local inbox: SMTP on SMTP_PORT, its web page on MAIL_INBOX_PORT.
    const localMail = !process.env.SMTP_HOST;
    const smtpPort = portFrom('SMTP_PORT', 2525);
    const inboxPort = portFrom('MAIL_INBOX_PORT', 4300);
    if (localMail) {
      await assertPortFree(smtpPort, '127.0.0.1', 'SMTP_PORT');
      await assertPortFree(inboxPort, host, 'MAIL_INBOX_PORT');
    }
    // Without TENCENTCLOUD_SECRET_ID (a real account), 实名核身 goes to a local Tencent Cloud simulator.
    const localTencent = !process.env.TENCENTCLOUD_SECRET_ID;
    const tencentPort = portFrom('TENCENTCLOUD_SIM_PORT', 4400);
    if (localTencent) await assertPortFree(tencentPort, host, 'TENCENTCLOUD_SIM_PORT');
    // Without GOV_REPORT_ENDPOINT (the provincial platform), completion results go to a local simulator of it.
    const localGov = !process.env.GOV_REPORT_ENDPOINT;
    const govPort = portFrom('GOV_SIM_PORT', 4500);
    if (localGov) await assertPortFree(govPort, host, 'GOV_SIM_PORT');

    const embedded = process.env.MONGODB_URI
      ? undefined
      : await startEmbeddedMongo({ dataDir: path.join(dataDir, 'mongodb'), log: (m) => console.log(m) }).catch((error: Error) => {
          throw new StartProblem(`数据库未能启动 / the database did not start:\n${error.message}`);
        });
    if (embedded) stops.push(() => embedded.stop());
    const uri = process.env.MONGODB_URI ?? withDatabaseName(embedded!.uri, 'ce');

    const appid = process.env.WECHAT_APPID ?? 'wx0000000000000000';
    const secret = process.env.WECHAT_SECRET ?? 'dev-secret';
    const wechat = await startWechatSimulator({ appid, secret, port: simPort, host });
    stops.push(() => wechat.stop());
    const simulatorUrl = `http://${browserHost(host)}:${simPort}`;
    const paySim = localPay
      ? await startWechatPaySimulator({ appid, host, port: paySimPort, publicUrl: process.env.WECHATPAY_SIM_PUBLIC_URL ?? `http://${browserHost(host)}:${paySimPort}` })
      : undefined;
    if (paySim) stops.push(() => paySim.stop());
    const payWhere = paySim
      ? `本地模拟器 ${paySim.url}（付款页 /pay/<prepay_id>，Native 二维码指向它；只在本机，不会真的扣款 / local only）`
      : `商户号 ${process.env.WECHATPAY_MCHID}（${process.env.WECHATPAY_API_BASE ?? 'https://api.mch.weixin.qq.com'}）`;
    const inbox = localMail ? await startMailInbox({ httpHost: host, smtpPort, httpPort: inboxPort }) : undefined;
    if (inbox) stops.push(() => inbox.stop());
    const mailWhere = inbox
      ? `本地收件箱 http://${browserHost(host)}:${new URL(inbox.url).port}/ （SMTP 127.0.0.1:${inbox.smtpPort}；邮件只在本机，不会真的发出 / local only, nothing leaves this machine）`
      : `SMTP ${process.env.SMTP_HOST}:${smtpPort}（SMTP_HOST）`;
    const tencent = localTencent ? await startTencentCloudSimulator({ host, port: tencentPort }) : undefined;
    if (tencent) stops.push(() => tencent.stop());
    const identityWhere = tencent
      ? `本地模拟器 http://${browserHost(host)}:${tencentPort}/ （演示学员的“公安登记照片”，可在此页换成您自己的摄像头照片 / local only）`
      : `腾讯云人脸核身（${process.env.TENCENTCLOUD_FACEID_ENDPOINT ?? 'https://faceid.tencentcloudapi.com'}）`;
    const govKey = loadConfig(process.env).GOV_REPORT_SIGNING_KEY;
    const gov = localGov ? await startGovPlatformSimulator({ signingKey: govKey, host, port: govPort }) : undefined;
    if (gov) stops.push(() => gov.stop());
    const governmentWhere = gov
      ? `本地主管部门平台模拟器 ${gov.url}（已收报告：/__control/reports；只在本机 / local only）`
      : `主管部门平台 ${process.env.GOV_REPORT_ENDPOINT}（GOV_REPORT_ENDPOINT）`;
    ensureH5Build();

    const config = loadConfig({
      ...process.env,
      PORT: String(port),
      HOST: host,
      MONGODB_URI: uri,
      WECHAT_API_BASE: process.env.WECHAT_API_BASE ?? `http://127.0.0.1:${simPort}`,
      WECHAT_APPID: appid,
      WECHAT_SECRET: secret,
      H5_DIST_DIR: h5Dist,
      H5_RUNTIME_CONFIG: JSON.stringify({
        wechatSimulatorUrl: process.env.WECHAT_SIM_PUBLIC_URL ?? simulatorUrl,
        // the browser build opens the pay simulator's page where WeChat would show its payment sheet
        ...(paySim ? { wechatPaySimulatorUrl: process.env.WECHATPAY_SIM_PUBLIC_URL ?? `http://${browserHost(host)}:${paySimPort}` } : {}),
      }),
      CERT_SYNC_SOURCE: process.env.CERT_SYNC_SOURCE ?? writeDemoExport(),
      ...(paySim ? wechatPayConfig(paySim, port) : {}),
      ...(inbox ? { SMTP_HOST: inbox.smtpHost, SMTP_PORT: String(inbox.smtpPort), SMTP_SECURE: 'false' } : {}),
      ...(tencent
        ? { TENCENTCLOUD_FACEID_ENDPOINT: tencent.url, TENCENTCLOUD_IAI_ENDPOINT: tencent.url, TENCENTCLOUD_SECRET_ID: tencent.secretId, TENCENTCLOUD_SECRET_KEY: tencent.secretKey }
        : {}),
      ...(gov ? { GOV_REPORT_ENDPOINT: gov.url, GOV_REPORT_SIGNING_KEY: govKey } : {}),
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://${browserHost(host)}:${port}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    const backend = await startBackend(config, { logger }).catch((error) => {
      throw error instanceof PortInUseError ? portInUse(port, 'PORT') : error;
    });
    stops.push(() => backend.stop());
    const logins = await seedDemo(backend.deps);
    if (tencent) await registerDemoPeople(tencent, [logins.learner, logins.codeLearner, logins.selfLearner, logins.studyLearner]);
    printWelcome(`http://${browserHost(host)}:${new URL(backend.url).port}`, simulatorUrl, payWhere, mailWhere, identityWhere, governmentWhere, describeDatabase(embedded, uri), uri, logins);
  } catch (error) {
    console.error(error instanceof StartProblem ? `\n${error.message}\n` : error);
    await stopAll();
    process.exit(1);
  }
}

void main();
