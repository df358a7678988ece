import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './h5-build';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

export interface RunningProcess {
  child: ChildProcess;
  /** Every stdout line, parsed when it is JSON (pino), else `{ text }`. */
  lines: Record<string, any>[];
  /** stdout and stderr as text. */
  output(): string;
  waitForLine(matches: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether any process of its group (the process and what it started) is still alive. */
  groupAlive(): boolean;
  /** Waits up to `timeoutMs` for every process of its group to end; true if they did. */
  groupEnded(timeoutMs?: number): Promise<boolean>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs a TypeScript entry point (e.g. backend/src/main.ts) as a real process in its own process group, with
 * exactly the environment given (plus PATH/HOME unless overridden).
 */
export function runTs(entry: string, env: Record<string, string | undefined>, args: string[] = []): RunningProcess {
  const child = spawn(TSX, [path.join(REPO_ROOT, entry), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: Record<string, any>[] = [];
  let text = '';
  const waiters: { matches: (line: Record<string, any>) => boolean; resolve: (line: Record<string, any>) => void }[] = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const raw of complete.filter(Boolean)) {
      let line: Record<string, any>;
      try {
        line = JSON.parse(raw);
      } catch {
        line = { text: raw };
      }
      lines.push(line);
      for (const waiter of [...waiters]) if (waiter.matches(line)) waiter.resolve(line);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    child,
    lines,
    output: () => text,
    exited,
    groupAlive,
    async groupEnded(timeoutMs = 5000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (!groupAlive()) return true;
      return !groupAlive();
    },
    kill: (signal = 'SIGTERM') => child.kill(signal),
    waitForLine(matches, timeoutMs = 30_000) {
      const seen = lines.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        let done = false;
        const finish = (error?: Error, line?: Record<string, any>) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
          if (error) reject(error);
          else resolve(line!);
        };
        const timer = setTimeout(() => finish(new Error(`no such line within ${timeoutMs} ms; output:\n${text.slice(-3000)}`)), timeoutMs);
        const waiter = { matches, resolve: (line: Record<string, any>) => finish(undefined, line) };
        waiters.push(waiter);
        // Lines still in the pipe arrive before 'exit' is seen here; give them a moment, then give up.
        void exited.then(() => setTimeout(() => finish(new Error(`process exited before the line; output:\n${text.slice(-3000)}`)), 200));
      });
    },
  };
}

/** Ends whatever is left of a process group (after a test, pass or fail). */
export function killGroup(run: RunningProcess | undefined): void {
  if (!run?.child.pid) return;
  try {
    process.kill(-run.child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/**
 * A stand-in `mongod` executable: records how it was started into `<dir>/ran.log`, says so on stderr and exits
 * with code 3. Lets a test see which binary was chosen, and with which arguments, without a real MongoDB.
 */
export function fakeMongod(label: string): { dir: string; binary: string; ranWith(): string | undefined } {
  const dir = mkdtempSync(path.join(tmpdir(), `fake-mongod-${label}-`));
  const binary = path.join(dir, 'mongod');
  const log = path.join(dir, 'ran.log');
  writeFileSync(binary, `#!/bin/sh\necho "$0 $*" >> "${log}"\necho "fake mongod ${label}: refusing to start" >&2\nexit 3\n`);
  chmodSync(binary, 0o755);
  return { dir, binary, ranWith: () => (existsSync(log) ? readFileSync(log, 'utf8') : undefined) };
}

/** PATH without any folder that holds a `mongod`, so a test decides whether one is found. */
export function pathWithoutMongod(): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !existsSync(path.join(dir, 'mongod')))
    .join(':');
}
