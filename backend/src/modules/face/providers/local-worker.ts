/**
 * One worker thread of the local face engine (@vladmandic/human on the WASM backend, models read from the npm
 * package's own folder). Runs inside piscina (see local-worker.cjs for how it is loaded under tsx and jest).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

// The package's default entry wants tfjs-node (not installable offline); its node-wasm build is loaded by path.
const HUMAN_DIST = path.dirname(require.resolve('@vladmandic/human'));
const WASM_DIR = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
const MODELS_DIR = path.join(HUMAN_DIST, '..', 'models');
/** Photos are scaled down to this longest side before detection: enough for a face, and ~4× faster than 1280. */
const ANALYSIS_SIDE = 640;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WorkerAnswer {
  /** Unreadable: not a decodable image. */
  readable: boolean;
  width: number;
  height: number;
  /** Face boxes in the original photo's pixels. */
  faces: Box[];
  /** The face embedding, when exactly one face was found. */
  embedding?: number[];
  /** Time spent in this worker (the rest of a check's time is waiting in the queue). */
  runMs: number;
}

type HumanModule = typeof import('@vladmandic/human');
type HumanInstance = InstanceType<HumanModule['Human']>;

let ready: Promise<HumanInstance> | undefined;

/** `file://` model URLs are read from disk (tfjs's own file loader comes only with tfjs-node). */
function registerFileLoader(tf: HumanInstance['tf']): void {
  tf.io.registerLoadRouter((url: string | string[]) => {
    const target = Array.isArray(url) ? url[0] : url;
    if (typeof target !== 'string' || !target.startsWith('file://')) return null;
    const file = target.slice('file://'.length);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, 'utf8'));
        const weights = await Promise.all(
          (json.weightsManifest as { paths: string[] }[]).flatMap((group) => group.paths.map((p) => readFile(path.join(path.dirname(file), p)))),
        );
        const all = Buffer.concat(weights);
        return {
          ...json,
          weightSpecs: (json.weightsManifest as { weights: unknown[] }[]).flatMap((group) => group.weights),
          weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        } as never;
      },
    };
  });
}

async function loadHuman(): Promise<HumanInstance> {
  const { Human } = require(path.join(HUMAN_DIST, 'human.node-wasm.js')) as HumanModule;
  const human = new Human({
    backend: 'wasm',
    wasmPath: WASM_DIR,
    modelBasePath: `file://${MODELS_DIR}/`,
    debug: false,
    // The frame cache hands back the previous result for a similar-looking input: on a server, another person's.
    cacheSensitivity: 0,
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: 5, minConfidence: 0.5, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: true, skipFrames: 0, skipTime: 0 },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  });
  registerFileLoader(human.tf);
  await human.load();
  await human.tf.ready();
  return human;
}

async function decode(photo: Uint8Array): Promise<{ width: number; height: number; scale: number; rgb: Buffer; w: number; h: number } | undefined> {
  try {
    const image = sharp(Buffer.from(photo)).rotate();
    const { data, info } = await image
      .resize({ width: ANALYSIS_SIDE, height: ANALYSIS_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColorspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const meta = await sharp(Buffer.from(photo)).rotate().metadata();
    const oriented = (meta.orientation ?? 1) >= 5;
    const width = (oriented ? meta.height : meta.width) ?? info.width;
    const height = (oriented ? meta.width : meta.height) ?? info.height;
    return { width, height, scale: width / info.width, rgb: data, w: info.width, h: info.height };
  } catch {
    return undefined;
  }
}

/** piscina's task: faces in one photo (boxes in original pixels) and, for a single face, its embedding. */
export default async function analyze(photo: Uint8Array): Promise<WorkerAnswer> {
  ready ??= loadHuman();
  const human = await ready;
  const started = performance.now();
  const image = await decode(photo);
  if (!image) return { readable: false, width: 0, height: 0, faces: [], runMs: performance.now() - started };
  const tensor = human.tf.tensor3d(new Uint8Array(image.rgb), [image.h, image.w, 3], 'int32');
  const batch = human.tf.expandDims(tensor, 0);
  try {
    const result = await human.detect(batch as never);
    const faces = result.face.map((face) => {
      const [x, y, width, height] = face.box;
      return { x: Math.round(x * image.scale), y: Math.round(y * image.scale), width: Math.round(width * image.scale), height: Math.round(height * image.scale) };
    });
    const embedding = result.face.length === 1 ? result.face[0].embedding : undefined;
    const runMs = performance.now() - started;
    return { readable: true, width: image.width, height: image.height, faces, runMs, ...(embedding?.length ? { embedding: Array.from(embedding) } : {}) };
  } finally {
    human.tf.dispose([tensor, batch]);
  }
}
