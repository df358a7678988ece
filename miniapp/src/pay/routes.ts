import Taro from '@tarojs/taro';

/** The payment subpackage's pages (root `pay/`, registered under `subPackages` in app.config.ts). */
export const PAY_ROUTES = {
  confirm: '/pay/pages/confirm/index',
  pay: '/pay/pages/pay/index',
  orders: '/pay/pages/orders/index',
  order: '/pay/pages/order/index',
  invoices: '/pay/pages/invoices/index',
  transfer: '/pay/pages/transfer/index',
  selfEnroll: '/pay/pages/self-enroll/index',
} as const;

export type PayRoute = (typeof PAY_ROUTES)[keyof typeof PAY_ROUTES];

function withQuery(url: PayRoute, params: Record<string, string> = {}): string {
  const q = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return q ? `${url}?${q}` : url;
}

export function openPay(url: PayRoute, params?: Record<string, string>): void {
  void Taro.navigateTo({ url: withQuery(url, params) }).catch(() => void Taro.redirectTo({ url: withQuery(url, params) }).catch(() => undefined));
}

/** Replaces the current page (confirmation → payment: Back must not submit the order again). */
export function replaceWith(url: PayRoute, params?: Record<string, string>): void {
  void Taro.redirectTo({ url: withQuery(url, params) }).catch(() => undefined);
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
