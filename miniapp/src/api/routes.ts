import Taro from '@tarojs/taro';

export const ROUTES = {
  index: '/pages/index/index',
  learnerLogin: '/pages/learner-login/index',
  learnerEnrollments: '/pages/learner-enrollments/index',
  enterpriseLogin: '/pages/enterprise-login/index',
  enterpriseEmployees: '/pages/enterprise-employees/index',
  changePassword: '/pages/change-password/index',
  certificateQuery: '/pages/certificate-query/index',
  verify: '/pages/verify/index',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** Replaces the whole page stack: used after login, logout and when a session ends. */
export function relaunch(url: Route): void {
  void Taro.reLaunch({ url }).catch(() => undefined);
}

export function open(url: Route): void {
  void Taro.navigateTo({ url }).catch(() => relaunch(url));
}

export function loginPageFor(role: string | undefined): Route {
  if (role === 'learner' || role === 'wechat') return ROUTES.learnerLogin;
  if (role === 'enterprise') return ROUTES.enterpriseLogin;
  return ROUTES.index;
}

export function homeFor(role: string | undefined): Route {
  if (role === 'learner') return ROUTES.learnerEnrollments;
  if (role === 'enterprise') return ROUTES.enterpriseEmployees;
  return ROUTES.index;
}

export function currentRoute(): string | undefined {
  const pages = Taro.getCurrentPages();
  const route = pages.length ? pages[pages.length - 1].route : undefined;
  return route ? `/${route.replace(/^\//, '')}` : undefined;
}

/** `url?k=v&…` from the defined values. */
export function withQuery(url: string, params: Record<string, string> = {}): string {
  const q = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return q ? `${url}?${q}` : url;
}

/** The page's query parameters (Taro decodes them on H5 but not always in WeChat). */
export function pageParam(name: string): string {
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const raw = params[name];
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
