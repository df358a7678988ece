/**
 * `npm start`: everything a newcomer needs to click through the product in a browser.
 * Starts the embedded database (or uses MONGODB_URI), the WeChat login simulator, builds the mini-program's
 * H5 version if needed, starts the backend serving it, seeds demo data and prints the demo logins.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startBackend } from '../backend/src/app';
import { buildDemoDataset } from '../backend/src/demo/dataset';
import { seedDemo } from '../backend/src/demo/seed';
import { chinaDate } from '@ce/types';
import { loadConfig } from '../backend/src/platform/config';
import { startEmbeddedMongo, withDatabaseName } from '../backend/src/platform/embeddedMongo';
import { startWechatSimulator } from '../backend/simulators/wechat-api';

const root = path.resolve(__dirname, '..');
const h5Dist = path.join(root, 'miniapp/dist/h5');

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
  if (result.status !== 0) throw new Error('H5 build failed');
}

async function main(): Promise<void> {
  ensureH5Build();
  const port = Number(process.env.PORT ?? 3000);
  const simPort = Number(process.env.WECHAT_SIM_PORT ?? 4100);
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const appid = process.env.WECHAT_APPID ?? 'wx0000000000000000';
  const secret = process.env.WECHAT_SECRET ?? 'dev-secret';
  const wechat = await startWechatSimulator({ appid, secret, port: simPort, host: '0.0.0.0' });
  const simulatorUrl = `http://127.0.0.1:${simPort}`;

  // The nightly certificate sync reads this file; the demo writes today's registry export into it.
  const dataDir = path.join(root, '.data');
  mkdirSync(dataDir, { recursive: true });
  const syncSource = path.join(dataDir, 'registry-export.jsonl');
  writeFileSync(syncSource, buildDemoDataset(chinaDate(new Date())).records.map((r) => JSON.stringify(r)).join('\n') + '\n');

  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    HOST: process.env.HOST ?? '0.0.0.0',
    MONGODB_URI: process.env.MONGODB_URI ?? withDatabaseName(embedded!.uri, 'ce'),
    WECHAT_API_BASE: process.env.WECHAT_API_BASE ?? simulatorUrl,
    WECHAT_APPID: appid,
    WECHAT_SECRET: secret,
    H5_DIST_DIR: h5Dist,
    H5_RUNTIME_CONFIG: JSON.stringify({ wechatSimulatorUrl: process.env.WECHAT_SIM_PUBLIC_URL ?? `http://localhost:${simPort}` }),
    CERT_SYNC_SOURCE: process.env.CERT_SYNC_SOURCE ?? syncSource,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const backend = await startBackend(config);
  const logins = await seedDemo(backend.deps);

  const url = `http://localhost:${port}`;
  console.log(`
继续教育平台已启动
  小程序 H5 版:   ${url}/
  API 文档:       ${url}/docs   (OpenAPI: ${url}/openapi.json)
  数据库:         ${embedded ? `内置 ${embedded.kind}（停止后数据清空）MONGODB_URI=${config.MONGODB_URI}` : 'MONGODB_URI'}
  微信登录模拟器: ${simulatorUrl}

演示账号（首次登录须修改密码）:
${logins.enterprises.map((e) => `  企业 ${e.province}  账号: ${e.account}  初始密码: ${e.password}\n         ${e.note}`).join('\n')}
  学员     身份证号: ${logins.learner.idNumber} (${logins.learner.name})  初始密码: ${logins.learner.password}
${logins.staff.map((s) => `  ${s.role === 'reviewer' ? '审核员' : '管理员'}  ${s.username} / ${s.password} (${s.scope})  · 仅 API，见 /docs`).join('\n')}

按 Ctrl+C 停止。`);

  const shutdown = async () => {
    await backend.stop();
    await wechat.stop();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
