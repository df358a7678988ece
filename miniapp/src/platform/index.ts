import type { Platform } from './types';

export type { Photo, Platform } from './types';

/**
 * The one platform module. `process.env.TARO_ENV` is replaced at build time, so each build bundles only its
 * own implementation.
 */
export const platform: Platform =
  process.env.TARO_ENV === 'weapp'
    ? (require('./weapp') as typeof import('./weapp')).weappPlatform
    : (require('./browser') as typeof import('./browser')).browserPlatform;
