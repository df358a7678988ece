import type { Config } from '../../../platform/config';
import { createLocalFaceProvider } from './local';
import { createFaceIdProvider, createTencentFaceProvider, type IdentityProvider } from './tencentcloud';
import type { FaceProvider } from './types';

export type { FaceBox, FaceDetection, FaceEngineStats, FacePhoto, FaceProvider, FaceProviderName } from './types';
export type { IdentityAnswer, IdentityProvider } from './tencentcloud';
export { createLocalFaceProvider } from './local';

/** One engine per configuration in a process (tests start backends with other queue sizes). */
const engines = new Map<string, FaceProvider>();

export function faceProviderFor(config: Config): FaceProvider {
  const key = JSON.stringify([config.FACE_PROVIDER, config.FACE_WORKERS, config.FACE_QUEUE_MAX, config.TENCENTCLOUD_IAI_ENDPOINT, config.TENCENTCLOUD_SECRET_ID]);
  let engine = engines.get(key);
  if (!engine) {
    engine = config.FACE_PROVIDER === 'tencentcloud' ? createTencentFaceProvider(config) : createLocalFaceProvider({ workers: config.FACE_WORKERS, queueMax: config.FACE_QUEUE_MAX });
    engines.set(key, engine);
  }
  return engine;
}

export function identityProviderFor(config: Config): IdentityProvider {
  return createFaceIdProvider(config);
}

/** Stops every engine's workers (backend shutdown). */
export async function closeFaceProviders(): Promise<void> {
  const all = [...engines.values()];
  engines.clear();
  await Promise.all(all.map((engine) => engine.close()));
}
