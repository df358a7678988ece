import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const MINIAPP_DIR = path.join(REPO_ROOT, 'miniapp');

/**
 * Runs `taro build --type <platform>` in miniapp/ as a production build (jest sets NODE_ENV=test, which Taro
 * would otherwise take as its mode). Resolves with the dist folder; rejects with the build log's tail.
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
      if (code === 0 && !/\bERROR\b|Failed to compile/.test(log)) resolve(path.join(MINIAPP_DIR, 'dist', platform));
      else reject(new Error(`taro build --type ${platform} failed (exit ${code}):\n${log.slice(-4000)}`));
    });
  });
}
