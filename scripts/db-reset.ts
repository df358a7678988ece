/**
 * `npm run db:reset`: deletes the demo database kept in .data/mongodb (used when `npm start` runs a real
 * mongod), so the next start seeds a fresh demo. Refuses while a mongod still uses the folder.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const folder = path.resolve(__dirname, '..', '.data', 'mongodb');

function runningPid(): number | undefined {
  const lock = path.join(folder, 'mongod.lock');
  const pid = existsSync(lock) ? Number(readFileSync(lock, 'utf8').trim()) : 0;
  if (!pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // left behind by a mongod that did not stop cleanly
  }
}

function main(): void {
  if (!existsSync(folder)) {
    console.log(`没有需要清空的数据：${folder} 不存在（内存替身不保存数据）。\nNothing to reset: ${folder} does not exist (the in-memory stand-in keeps no data).`);
    return;
  }
  const pid = runningPid();
  if (pid) {
    console.error(`数据库仍在运行（mongod 进程 ${pid}），请先停止 npm start（Ctrl+C）再清空。\nThe database is still running (mongod, pid ${pid}): stop npm start (Ctrl+C) first.`);
    process.exit(1);
  }
  rmSync(folder, { recursive: true, force: true });
  console.log(`已清空演示数据库：${folder}。下次 npm start 会重新生成演示数据。\nDeleted the demo database in ${folder}; the next npm start seeds a fresh demo.`);
}

main();
