/**
 * `npm run bench` (face part): the local face engine (@vladmandic/human, WASM, in FACE_WORKERS worker threads)
 * checking a real single-face photo against a cached avatar template, as a study photo is checked.
 * (1) Throughput: BENCH_FACE_BURST photos at once → checks per second, and per worker.
 * (2) Steady load: BENCH_FACE_RATE photos per second (default 2) for BENCH_FACE_SECONDS (default 30) → how long
 *     photos wait in the queue (p50, p95, max) and the whole check (p95), and whether any were refused (FACE_BUSY).
 * Needs the `facedetect` package's sample portrait (Debian: apt-get install facedetect).
 */
import { readFile } from 'node:fs/promises';
import { createLocalFaceProvider } from '../src/modules/face/providers';

const PHOTO = '/usr/share/doc/facedetect/examples/grace_hopper_512x512.jpg';
const WORKERS = Number(process.env.FACE_WORKERS ?? 1);
const QUEUE_MAX = Number(process.env.FACE_QUEUE_MAX ?? 20);
const BURST = Number(process.env.BENCH_FACE_BURST ?? 20);
const RATE = Number(process.env.BENCH_FACE_RATE ?? 2);
const SECONDS = Number(process.env.BENCH_FACE_SECONDS ?? 30);

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const photo = await readFile(PHOTO).catch(() => {
    throw new Error(`face bench: ${PHOTO} is missing (apt-get install facedetect)`);
  });
  const engine = createLocalFaceProvider({ workers: WORKERS, queueMax: Math.max(QUEUE_MAX, BURST) });
  // Loads the models in every worker first (1-2 s each), so neither figure includes start-up.
  const avatar = (await engine.detect(photo)).template;
  await Promise.all(Array.from({ length: WORKERS * 2 }, () => engine.detect(photo)));
  const check = async () => {
    const detection = await engine.detect(photo);
    await engine.compare({ bytes: photo, template: avatar }, { bytes: photo, template: detection.template });
  };

  const burstStart = performance.now();
  await Promise.all(Array.from({ length: BURST }, check));
  const perSecond = BURST / ((performance.now() - burstStart) / 1000);

  const before = engine.timings().waitMs.length;
  const totals: number[] = [];
  let refused = 0;
  const running: Promise<void>[] = [];
  const steadyStart = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = steadyStart + (i * 1000) / RATE;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const started = performance.now();
    running.push(
      check().then(
        () => void totals.push(performance.now() - started),
        () => void refused++,
      ),
    );
  }
  await Promise.all(running);
  const waits = engine.timings().waitMs.slice(before);
  const runs = engine.timings().runMs.slice(before);
  await engine.close();

  console.log(`
人脸核验基准 / face-check bench (local engine: @vladmandic/human, WASM; ${WORKERS} worker${WORKERS > 1 ? 's' : ''}; queue ≤ ${QUEUE_MAX})
  throughput:   ${perSecond.toFixed(2)} checks/s with ${BURST} at once → ${(perSecond / WORKERS).toFixed(2)} checks/s per worker
  steady load:  ${RATE} photos/s for ${SECONDS} s (${RATE * SECONDS} photos; ${refused} refused as FACE_BUSY)
    queue wait: p50 ${ms(percentile(waits, 50))}, p95 ${ms(percentile(waits, 95))}, max ${ms(Math.max(0, ...waits))}
    check time: p50 ${ms(percentile(runs, 50))} in the worker; whole check p95 ${ms(percentile(totals, 95))}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
