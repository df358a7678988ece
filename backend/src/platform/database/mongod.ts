import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

export interface MongodProcess {
  uri: string;
  stop(): Promise<void>;
}

export async function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => (preferred ? freePort(0).then(resolve, reject) : reject(error)));
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
  });
}

/** The last lines a child wrote, to explain why it stopped. */
function outputTail(child: ChildProcess, keep = 15): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - keep));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}

const REPLICA_SET = 'rs0';
/** Where a persistent data folder remembers its port: the replica-set config names host:port. */
const PORT_FILE = 'ce-port';

interface ReplicaSetConfig {
  version: number;
  members: { _id: number; host: string }[];
}

/**
 * Makes the node a one-member replica set answering at `host`: initiates a fresh data folder, or, when a kept
 * folder comes back on another port, forces the config to the new address. Resolves once it is primary.
 */
async function becomePrimary(port: number, exited: () => string | undefined): Promise<void> {
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(gone);
    if (Date.now() > deadline) throw new Error(`mongod on ${host} did not become primary within 60 s`);
    const client = await MongoClient.connect(`mongodb://${host}/?directConnection=true`, { serverSelectionTimeoutMS: 1000 }).catch(() => undefined);
    if (!client) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      const admin = client.db('admin');
      const hello = await admin.command({ hello: 1 });
      if (hello.isWritablePrimary) return;
      if (!hello.setName) {
        await admin.command({ replSetInitiate: { _id: REPLICA_SET, members: [{ _id: 0, host }] } }).catch(() => undefined);
      } else {
        const { config } = (await admin.command({ replSetGetConfig: 1 })) as { config: ReplicaSetConfig };
        if (config.members[0]?.host !== host) {
          const members = [{ ...config.members[0], host }];
          await admin.command({ replSetReconfig: { ...config, members, version: config.version + 1 }, force: true }).catch(() => undefined);
        }
      }
    } catch {
      // not ready yet: try again
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function rememberedPort(dbPath: string): number {
  const file = path.join(dbPath, PORT_FILE);
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) || 0 : 0;
}

/**
 * Runs a real `mongod` as a single-node replica set (transactions need one) on 127.0.0.1. With `dataDir` the
 * data stays there across restarts; without it a temporary folder is used and removed at stop.
 */
export async function startMongod(binary: string, dataDir?: string): Promise<MongodProcess> {
  const dbPath = dataDir ?? mkdtempSync(path.join(tmpdir(), 'ce-mongod-'));
  const fresh = !dataDir || !existsSync(dataDir);
  mkdirSync(dbPath, { recursive: true });
  const port = await freePort(rememberedPort(dbPath));
  const child = spawn(binary, ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dbPath, '--replSet', REPLICA_SET], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = outputTail(child);
  let exitReason: string | undefined;
  child.once('error', (error) => (exitReason = `${binary} could not be run: ${error.message}`));
  child.once('exit', (code, signal) => (exitReason ??= `${binary} exited (${signal ?? `code ${code}`}) before it was ready:\n${tail()}`));
  const removeTemporary = () => dataDir || rmSync(dbPath, { recursive: true, force: true });
  try {
    await becomePrimary(port, () => exitReason);
  } catch (error) {
    await stopProcess(child);
    // A data folder this attempt created holds nothing worth keeping.
    if (fresh) rmSync(dbPath, { recursive: true, force: true });
    throw error;
  }
  if (dataDir) writeFileSync(path.join(dbPath, PORT_FILE), String(port));
  return {
    uri: `mongodb://127.0.0.1:${port}/?replicaSet=${REPLICA_SET}`,
    stop: async () => {
      await stopProcess(child);
      removeTemporary();
    },
  };
}
