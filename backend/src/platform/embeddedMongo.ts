import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { downloadedMongod } from './database/download';
import { freePort, startMongod, stopProcess } from './database/mongod';

/**
 * The database a machine without MONGODB_URI gets, best first:
 * 1. a real `mongod`: MONGOMS_SYSTEM_BINARY, else one on PATH;
 * 2. a real `mongod` downloaded by mongodb-memory-server-core (cached; skipped within seconds when offline);
 * 3. the in-memory, wire-compatible stand-in `jongodb` (demo scale only; its data is gone when it stops).
 * A real mongod keeps its data in `dataDir` when one is given.
 */
export interface EmbeddedMongo {
  uri: string;
  kind: 'mongod' | 'jongodb';
  /** Where the server came from. */
  source: 'MONGOMS_SYSTEM_BINARY' | 'PATH' | 'download' | 'stand-in';
  binary: string;
  /** The folder its data is kept in across restarts (a real mongod given a data folder), else undefined. */
  dataDir?: string;
  /** Why each better choice was passed over. */
  passedOver: string[];
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Keep a real mongod's data here across restarts (the stand-in keeps nothing). */
  dataDir?: string;
  /** How long the download server may take to answer before the stand-in is used (default 5 s). */
  downloadProbeTimeoutMs?: number;
  /** Progress notes (download started …); the choice itself is described by `describeDatabase`. */
  log?: (message: string) => void;
}

function mongodOnPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v mongod'], { encoding: 'utf8' }).stdout?.trim();
  return found || undefined;
}

/** A found mongod that will not start is an error, not a reason to fall back: its data would seem lost. */
async function fromInstalledMongod(binary: string, source: EmbeddedMongo['source'], options: EmbeddedOptions, passedOver: string[]): Promise<EmbeddedMongo> {
  const mongod = await startMongod(binary, options.dataDir).catch((error: Error) => {
    throw new Error(`MongoDB at ${binary} (${source}) did not start: ${error.message}`);
  });
  return { ...mongod, kind: 'mongod', source, binary, dataDir: options.dataDir, passedOver };
}

async function startJongodb(passedOver: string[]): Promise<EmbeddedMongo> {
  const binary = path.join(path.dirname(require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json')), 'bin/jongodb');
  const port = await freePort();
  const child = spawn(binary, ['--host=127.0.0.1', `--port=${port}`, '--topology-profile=singleNodeReplicaSet', '--replica-set-name=rs0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return { uri, kind: 'jongodb', source: 'stand-in', binary, passedOver, stop: () => stopProcess(child) };
}

export async function startEmbeddedMongo(options: EmbeddedOptions = {}): Promise<EmbeddedMongo> {
  const passedOver: string[] = [];
  const systemBinary = process.env.MONGOMS_SYSTEM_BINARY;
  if (systemBinary) return fromInstalledMongod(systemBinary, 'MONGOMS_SYSTEM_BINARY', options, passedOver);
  const onPath = mongodOnPath();
  if (onPath) return fromInstalledMongod(onPath, 'PATH', options, passedOver);
  passedOver.push('no mongod on PATH and MONGOMS_SYSTEM_BINARY unset');

  try {
    const binary = await downloadedMongod(options.downloadProbeTimeoutMs ?? 5000, options.log ?? (() => undefined));
    const mongod = await startMongod(binary, options.dataDir);
    return { ...mongod, kind: 'mongod', source: 'download', binary, dataDir: options.dataDir, passedOver };
  } catch (error) {
    passedOver.push(`MongoDB download: ${(error as Error).message.split('\n')[0]}`);
  }
  return startJongodb(passedOver);
}

/** Host and port of a connection string, without credentials. */
function serverOf(uri: string): string {
  return uri.replace(/^mongodb(\+srv)?:\/\/([^@/]*@)?/, '').split(/[/?]/)[0];
}

/** What runs and what that means, in Chinese and English, for the start-up output and the log. */
export function describeDatabase(embedded: EmbeddedMongo | undefined, uri: string): { zh: string; en: string } {
  if (!embedded) return { zh: `MONGODB_URI 指定的 MongoDB（${serverOf(uri)}）`, en: `MongoDB from MONGODB_URI (${serverOf(uri)})` };
  if (embedded.kind === 'jongodb') {
    return {
      zh: `内存替身 jongodb（不是 MongoDB；仅适合演示规模，停止后数据清空）。未用真实 MongoDB 的原因：${embedded.passedOver.join('；')}`,
      en: `in-memory stand-in jongodb (not MongoDB: demo scale only, data is gone when it stops). Why no real MongoDB: ${embedded.passedOver.join('; ')}`,
    };
  }
  const origin = embedded.source === 'download' ? '下载的' : `${embedded.source} 中的`;
  return embedded.dataDir
    ? {
        zh: `MongoDB（${origin} ${embedded.binary}），数据保存在 ${embedded.dataDir}，重启后保留；npm run db:reset 可清空`,
        en: `MongoDB (${embedded.source}: ${embedded.binary}); data is kept in ${embedded.dataDir} across restarts; npm run db:reset clears it`,
      }
    : {
        zh: `MongoDB（${origin} ${embedded.binary}），临时数据目录，停止后清空`,
        en: `MongoDB (${embedded.source}: ${embedded.binary}) on a temporary data folder, removed when it stops`,
      };
}

/** The same server address, naming the database (so other commands can reach the same data). */
export function withDatabaseName(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
