import Taro from '@tarojs/taro';
import { withQuery } from '../api/routes';

/** The study subpackage's pages (root `study/`, registered under `subPackages` in app.config.ts). */
export const STUDY_ROUTES = {
  home: '/study/pages/home/index',
  course: '/study/pages/course/index',
  player: '/study/pages/player/index',
  capture: '/study/pages/capture/index',
  consent: '/study/pages/consent/index',
  identity: '/study/pages/identity/index',
  avatar: '/study/pages/avatar/index',
  face: '/study/pages/face/index',
  bind: '/study/pages/bind/index',
} as const;

export type StudyRoute = (typeof STUDY_ROUTES)[keyof typeof STUDY_ROUTES];

export function openStudy(url: StudyRoute, params?: Record<string, string>): void {
  void Taro.navigateTo({ url: withQuery(url, params) }).catch(() => void Taro.redirectTo({ url: withQuery(url, params) }).catch(() => undefined));
}

/** Back to the page that opened this one (or, when there is none, to `fallback`). */
export function backOr(fallback: StudyRoute, params?: Record<string, string>): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => undefined);
  else void Taro.redirectTo({ url: withQuery(fallback, params) }).catch(() => undefined);
}
