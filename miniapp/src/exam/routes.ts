import Taro from '@tarojs/taro';
import { withQuery } from '../api/routes';

/** The exam subpackage's pages (root `exam/`, registered under `subPackages` in app.config.ts). */
export const EXAM_ROUTES = {
  overview: '/exam/pages/overview/index',
  attempt: '/exam/pages/attempt/index',
  result: '/exam/pages/result/index',
  apply: '/exam/pages/apply/index',
  completion: '/exam/pages/completion/index',
  renewal: '/exam/pages/renewal/index',
} as const;

export type ExamRoute = (typeof EXAM_ROUTES)[keyof typeof EXAM_ROUTES];

export function openExam(url: ExamRoute, params?: Record<string, string>): void {
  void Taro.navigateTo({ url: withQuery(url, params) }).catch(() => replaceExam(url, params));
}

/** Replaces the current page: the exam page gives way to its result, so Back never returns into a finished exam. */
export function replaceExam(url: ExamRoute, params?: Record<string, string>): void {
  void Taro.redirectTo({ url: withQuery(url, params) }).catch(() => undefined);
}
