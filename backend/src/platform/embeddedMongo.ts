import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

export interface EmbeddedMongo {
  uri: string;
  kind: 'mongod' | 'jongodb';
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function findMongod(): string | undefined {
  if (process.env.MONGOMS_SYSTEM_BINARY) return process.env.MONGOMS_SYSTEM_BINARY;
  const found = spawnSync('sh', ['-c', 'command -v mongod'], { encoding: 'utf8' }).stdout.trim();
  return found || undefined;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** A real single-node replica set (transactions need one). */
async function startMongod(binary: string): Promise<EmbeddedMongo> {
  const port = await freePort();
  const dbPath = mkdtempSync(path.join(tmpdir(), 'ce-mongod-'));
  const child = spawn(binary, ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dbPath, '--replSet', 'rs0', '--quiet'], { stdio: 'ignore' });
  const direct = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  for (let attempt = 0; ; attempt++) {
    try {
      const client = await MongoClient.connect(direct, { serverSelectionTimeoutMS: 500 });
      await client.db('admin').command({ replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host: `127.0.0.1:${port}` }] } }).catch(() => undefined);
      await client.close();
      break;
    } catch (error) {
      if (attempt > 40) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/?replicaSet=rs0`,
    kind: 'mongod',
    stop: async () => {
      await stopProcess(child);
      rmSync(dbPath, { recursive: true, force: true });
    },
  };
}

/** The in-memory, wire-compatible stand-in (see shared/notes/mongodb.md): used only where no mongod exists. */
async function startJongodb(): Promise<EmbeddedMongo> {
  const pkg = path.dirname(require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json'));
  const port = await freePort();
  const child = spawn(
    path.join(pkg, 'bin/jongodb'),
    ['--host=127.0.0.1', `--port=${port}`, '--topology-profile=singleNodeReplicaSet', '--replica-set-name=rs0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`jongodb did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /JONGODB_URI=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`jongodb exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { uri, kind: 'jongodb', stop: () => stopProcess(child) };
}

export async function startEmbeddedMongo(): Promise<EmbeddedMongo> {
  const mongod = findMongod();
  return mongod ? startMongod(mongod) : startJongodb();
}

/** The same server address, naming the database (so other commands can reach the same data). */
export function withDatabaseName(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
