import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withDatabaseName } from '../../backend/src/platform/embeddedMongo';
import { REPO_ROOT } from '../helpers/h5-build';
import { fakeMongod, killGroup, pathWithoutMongod, runTs, type RunningProcess } from '../helpers/processes';

/**
 * The real entry point (backend/src/main.ts) as a process: which database it chooses and says it chose, what
 * it does when the port is taken, and how it ends (signal, fatal error).
 */
jest.setTimeout(90_000);

let running: RunningProcess | undefined;
afterEach(() => killGroup(running));

const listening = (line: Record<string, any>) => line.msg === 'backend listening';
const databaseLine = (line: Record<string, any>) => typeof line.msg === 'string' && line.msg.startsWith('database: ');

/** A port nothing listens on (connections are refused at once). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A "download server" that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

function embeddedEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PORT: '0',
    LOG_LEVEL: 'info',
    PATH: pathWithoutMongod(),
    // An empty cache, so no earlier download is found.
    MONGOMS_DOWNLOAD_DIR: mkdtempSync(path.join(tmpdir(), 'ce-mongo-cache-')),
    ...extra,
  };
}

describe('which database runs', () => {
  test('when no mongod is installed and the download server refuses connections, then the stand-in runs within seconds and the log says why', async () => {
    const started = Date.now();
    running = runTs('backend/src/main.ts', embeddedEnv({ MONGOMS_DOWNLOAD_MIRROR: `http://127.0.0.1:${await closedPort()}` }));
    const chosen = await running.waitForLine(databaseLine);
    expect(chosen).toMatchObject({ database: 'jongodb', source: 'stand-in' });
    expect(chosen.passedOver.join(' ')).toMatch(/no mongod on PATH.*MONGOMS_SYSTEM_BINARY/);
    expect(chosen.passedOver.join(' ')).toMatch(/download server http:\/\/127\.0\.0\.1:\d+ unreachable \(ECONNREFUSED\)/);
    expect(chosen.msg).toContain('data is gone when it stops');
    const { url } = await running.waitForLine(listening);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await fetch(url + '/readyz')).status).toBe(200);
  });

  test('when the download server accepts but never answers, then the wait is bounded by EMBEDDED_DB_DOWNLOAD_WAIT_SECONDS', async () => {
    const silent = await silentServer();
    try {
      running = runTs('backend/src/main.ts', embeddedEnv({ MONGOMS_DOWNLOAD_MIRROR: silent.url, EMBEDDED_DB_DOWNLOAD_WAIT_SECONDS: '1' }));
      const chosen = await running.waitForLine(databaseLine);
      expect(chosen).toMatchObject({ database: 'jongodb' });
      expect(chosen.passedOver.join(' ')).toContain('no answer within 1 s');
      await running.waitForLine(listening);
    } finally {
      silent.server.close();
    }
  });

  test('when MONGOMS_SYSTEM_BINARY names a mongod, then it is chosen before one on PATH, and its failure to start is an error naming it, not a silent fallback', async () => {
    const system = fakeMongod('system');
    const onPath = fakeMongod('path');
    running = runTs('backend/src/main.ts', embeddedEnv({ MONGOMS_SYSTEM_BINARY: system.binary, PATH: `${onPath.dir}:${pathWithoutMongod()}` }));
    const { code } = await running.exited;
    expect(code).toBe(1);
    expect(system.ranWith()).toMatch(/--bind_ip 127\.0\.0\.1 --dbpath \S+ --replSet rs0/);
    expect(onPath.ranWith()).toBeUndefined();
    const fatal = running.lines.find((l) => l.level === 60);
    expect(fatal?.err?.message).toContain(`MongoDB at ${system.binary} (MONGOMS_SYSTEM_BINARY) did not start`);
    expect(fatal?.err?.message).toContain('fake mongod system: refusing to start');
    expect(running.lines.some((l) => l.database === 'jongodb')).toBe(false);
  });

  test('when a mongod is on PATH (and no MONGOMS_SYSTEM_BINARY), then it is chosen before any download', async () => {
    const onPath = fakeMongod('path');
    running = runTs('backend/src/main.ts', embeddedEnv({ PATH: `${onPath.dir}:${pathWithoutMongod()}`, MONGOMS_DOWNLOAD_MIRROR: `http://127.0.0.1:${await closedPort()}` }));
    expect((await running.exited).code).toBe(1);
    expect(onPath.ranWith()).toMatch(/--replSet rs0/);
    expect(running.lines.find((l) => l.level === 60)?.err?.message).toContain(`MongoDB at ${onPath.binary} (PATH) did not start`);
  });

  test('when MONGODB_URI is set, then it is used and nothing embedded is started, not even a mongod on PATH', async () => {
    const onPath = fakeMongod('path');
    const uri = withDatabaseName(process.env.TEST_MONGODB_URI!, `startup_${randomBytes(4).toString('hex')}`);
    running = runTs('backend/src/main.ts', embeddedEnv({ MONGODB_URI: uri, PATH: `${onPath.dir}:${pathWithoutMongod()}` }));
    const chosen = await running.waitForLine(databaseLine);
    expect(chosen).toMatchObject({ database: 'MONGODB_URI' });
    expect(chosen.msg).toContain(new URL(uri).host);
    const { url } = await running.waitForLine(listening);
    expect((await fetch(url + '/readyz')).status).toBe(200);
    expect(onPath.ranWith()).toBeUndefined();
  });
});

describe('how the process ends', () => {
  test('when the port is taken, then it says which port and which variable to change, stops the database it started and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      running = runTs('backend/src/main.ts', embeddedEnv({ PORT: String(port), MONGOMS_DOWNLOAD_MIRROR: `http://127.0.0.1:${await closedPort()}` }));
      await running.waitForLine(databaseLine);
      expect((await running.exited).code).toBe(1);
      const fatal = running.lines.find((l) => l.level === 60);
      expect(fatal?.msg).toContain(`端口 ${port} 已被占用`);
      expect(fatal?.msg).toContain('PORT');
      expect(await running.groupEnded()).toBe(true);
    } finally {
      taken.close();
    }
  });

  test('when it gets SIGTERM, then it stops serving, stops its database and exits 0', async () => {
    running = runTs('backend/src/main.ts', embeddedEnv({ MONGOMS_DOWNLOAD_MIRROR: `http://127.0.0.1:${await closedPort()}` }));
    const { url } = await running.waitForLine(listening);
    process.kill(running.child.pid!, 'SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    expect(running.lines.some((l) => l.msg === 'shutdown complete')).toBe(true);
    await expect(fetch(url + '/healthz')).rejects.toThrow();
    expect(await running.groupEnded()).toBe(true);
  });

  test.each(['rejection', 'exception'])('when an unhandled %s happens, then it is logged as fatal and the process ends cleanly with exit 1', async (crash) => {
    const uri = withDatabaseName(process.env.TEST_MONGODB_URI!, `crash_${randomBytes(4).toString('hex')}`);
    running = runTs('tests/helpers/crashing-backend.ts', { PORT: '0', LOG_LEVEL: 'info', MONGODB_URI: uri, CRASH: crash });
    const { url } = await running.waitForLine(listening);
    expect(await running.exited).toEqual({ code: 1, signal: null });
    const fatal = running.lines.find((l) => l.level === 60);
    expect(fatal).toMatchObject({ event: crash === 'rejection' ? 'unhandledRejection' : 'uncaughtException' });
    expect(fatal?.err?.message).toMatch(crash === 'rejection' ? /boom/ : /kaboom/);
    expect(running.lines.some((l) => l.msg === 'shutdown complete')).toBe(true);
    await expect(fetch(url + '/healthz')).rejects.toThrow();
  });
});

describe('npm start (scripts/start.ts) on a busy port', () => {
  test.each([
    ['PORT', 'PORT'],
    ['the WeChat simulator port', 'WECHAT_SIM_PORT'],
  ])('when %s is taken, then it names the port and %s in Chinese and English, starts nothing and exits 1', async (_what, variable) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const ports = { PORT: '0', WECHAT_SIM_PORT: '0', SMTP_PORT: '0', MAIL_INBOX_PORT: '0', [variable]: String(port) };
      running = runTs('scripts/start.ts', embeddedEnv(ports));
      expect((await running.exited).code).toBe(1);
      const said = running.output();
      expect(said).toContain(`端口 ${port} 已被占用`);
      expect(said).toContain(`Port ${port} is already in use`);
      expect(said).toContain(`${variable}=${port + 1} npm start`);
      expect(said).not.toMatch(/\n\s+at /); // no stack trace
      expect(await running.groupEnded()).toBe(true);
    } finally {
      taken.close();
    }
  });
});

test('when npm start finds a mongod, then it runs it on the repository\'s .data/mongodb folder, so the demo outlives a restart', async () => {
  const onPath = fakeMongod('path');
  running = runTs('scripts/start.ts', embeddedEnv({ PORT: '0', WECHAT_SIM_PORT: '0', SMTP_PORT: '0', MAIL_INBOX_PORT: '0', PATH: `${onPath.dir}:${pathWithoutMongod()}` }));
  expect((await running.exited).code).toBe(1);
  expect(onPath.ranWith()).toContain(`--dbpath ${path.join(REPO_ROOT, '.data', 'mongodb')} `);
  expect(running.output()).toContain('数据库未能启动 / the database did not start');
  expect(running.output()).toContain(`MongoDB at ${onPath.binary} (PATH) did not start`);
  expect(await running.groupEnded()).toBe(true);
});
