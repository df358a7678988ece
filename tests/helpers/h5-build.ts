import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const MINIAPP_DIR = path.join(REPO_ROOT, 'miniapp');
export const H5_DIST_DIR = path.join(MINIAPP_DIR, 'dist', 'h5');

/**
 * Runs `taro build --type <platform>` in miniapp/ as a production build (jest sets NODE_ENV=test, which Taro
 * would otherwise take as its mode). Output: miniapp/dist/<platform>. Rejects with the build log's tail.
 */
export function taroBuild(platform: 'weapp' | 'h5', extraEnv: Record<string, string> = {}): Promise<string> {
  const taroBin = path.join(REPO_ROOT, 'node_modules', '.bin', 'taro');
  return new Promise((resolve, reject) => {
    const child = spawn(taroBin, ['build', '--type', platform], {
      cwd: MINIAPP_DIR,
      env: { ...process.env, NODE_ENV: 'production', CI: '1', FORCE_COLOR: '0', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && !/Failed to compile|\bERROR in\b/.test(log)) resolve(path.join(MINIAPP_DIR, 'dist', platform));
      else reject(new Error(`taro build --type ${platform} failed (exit ${code}):\n${log.slice(-4000)}`));
    });
  });
}

/** Jest workers are children of the jest process; in-band runs are the jest process itself. */
function runId(): string {
  return String(typeof process.send === 'function' ? process.ppid : process.pid);
}

let building: Promise<string> | undefined;

/**
 * Builds the H5 once per test run and returns its dist folder (miniapp/dist/h5). Test files running in
 * parallel workers share one build through a lock folder and a marker naming the run.
 * `CE_H5_PREBUILT=1` skips building and uses an existing dist/h5 as is.
 */
export function ensureH5Build(): Promise<string> {
  if (!building) building = buildOnce();
  return building;
}

async function buildOnce(): Promise<string> {
  const marker = path.join(H5_DIST_DIR, '.built-for-run');
  const indexHtml = path.join(H5_DIST_DIR, 'index.html');
  if (process.env.CE_H5_PREBUILT === '1' && fs.existsSync(indexHtml)) return H5_DIST_DIR;
  const lock = path.join(MINIAPP_DIR, 'dist', '.h5-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (fs.existsSync(indexHtml) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === runId()) return H5_DIST_DIR;
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // another worker is building: wait for it (a lock older than 5 minutes is stale)
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for another H5 build');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (fs.existsSync(indexHtml) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === runId()) return H5_DIST_DIR;
    const dist = await taroBuild('h5');
    fs.writeFileSync(path.join(dist, '.built-for-run'), runId());
    return dist;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
