import path from 'node:path';
import Piscina from 'piscina';
import { AppError } from '../../../platform/errors';
import type { FaceDetection, FaceEngineStats, FacePhoto, FaceProvider } from './types';
import type { WorkerAnswer } from './local-worker';

export interface LocalEngineOptions {
  workers: number;
  queueMax: number;
}

/** Same scale as @vladmandic/human's `match.similarity` (euclidean distance ×25, mapped from 0.2-0.8 to 0-1). */
function similarity(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  const distance = Math.round(100 * 25 * sum) / 100;
  if (distance === 0) return 1;
  const mapped = (1 - Math.sqrt(distance) / 100 - 0.2) / (0.8 - 0.2);
  return Math.round(100 * Math.max(Math.min(mapped, 1), 0)) / 100;
}

/** Run and wait times (ms) of the recent checks, for the benchmark and operators. */
export interface LocalEngineTimings {
  runMs: number[];
  waitMs: number[];
}

const TIMINGS_KEPT = 1000;

/**
 * The local engine: @vladmandic/human (WASM) in `workers` worker threads. At most `queueMax` photos wait for
 * a worker; one more is refused at once with FACE_BUSY (503) rather than waiting without bound.
 */
export function createLocalFaceProvider(options: LocalEngineOptions): FaceProvider & { timings(): LocalEngineTimings } {
  let pool: Piscina<Uint8Array, WorkerAnswer> | undefined;
  const stats: FaceEngineStats = { completed: 0, queued: 0, refusedBusy: 0 };
  const timings: LocalEngineTimings = { runMs: [], waitMs: [] };

  // Started on first use: a backend that never checks a face never loads the models (~320 MB per worker).
  function workers(): Piscina<Uint8Array, WorkerAnswer> {
    pool ??= new Piscina({
      filename: path.join(__dirname, 'local-worker.cjs'),
      minThreads: options.workers,
      maxThreads: options.workers,
      // The queue is bounded above (FACE_BUSY before piscina is asked); this is piscina's own guard for the same limit.
      maxQueue: options.queueMax,
      idleTimeout: 60_000,
    });
    return pool;
  }

  function record(list: number[], value: number): void {
    list.push(value);
    if (list.length > TIMINGS_KEPT) list.shift();
  }

  async function analyze(photo: Buffer): Promise<WorkerAnswer> {
    const pool = workers();
    if (pool.queueSize >= options.queueMax) {
      stats.refusedBusy++;
      throw new AppError('FACE_BUSY');
    }
    const started = performance.now();
    let answer: WorkerAnswer;
    try {
      answer = await pool.run(new Uint8Array(photo));
    } catch (error) {
      throw Object.assign(new AppError('FACE_SERVICE_UNAVAILABLE'), { cause: error });
    }
    stats.completed++;
    record(timings.runMs, answer.runMs);
    record(timings.waitMs, Math.max(0, performance.now() - started - answer.runMs));
    return answer;
  }

  async function templateOf(photo: FacePhoto): Promise<number[]> {
    if (photo.template?.length) return photo.template;
    const answer = await analyze(photo.bytes);
    if (!answer.embedding) throw new AppError('FACE_SERVICE_UNAVAILABLE');
    return answer.embedding;
  }

  return {
    name: 'local',
    async detect(photo): Promise<FaceDetection> {
      const { readable, width, height, faces, embedding } = await analyze(photo);
      return { readable, width, height, faces, ...(embedding ? { template: embedding } : {}) };
    },
    async compare(reference, probe) {
      return Math.round(similarity(await templateOf(reference), await templateOf(probe)) * 100);
    },
    stats: () => ({ ...stats, queued: pool?.queueSize ?? 0 }),
    timings: () => ({ runMs: [...timings.runMs], waitMs: [...timings.waitMs] }),
    async close() {
      const closing = pool;
      pool = undefined;
      await closing?.destroy();
    },
  };
}
