import Taro from '@tarojs/taro';
import { withQuery } from '../api/routes';

export { pageParam } from '../api/routes';

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

export function openPay(url: PayRoute, params?: Record<string, string>): void {
  void Taro.navigateTo({ url: withQuery(url, params) }).catch(() => void Taro.redirectTo({ url: withQuery(url, params) }).catch(() => undefined));
}

/** Replaces the current page (confirmation → payment: Back must not submit the order again). */
export function replaceWith(url: PayRoute, params?: Record<string, string>): void {
  void Taro.redirectTo({ url: withQuery(url, params) }).catch(() => undefined);
}
