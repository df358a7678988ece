import Taro from '@tarojs/taro';
import type { Platform } from './types';
import { taroAlert, taroStorage, taroToast } from './shared';

/** Mini-programs have no DOM: measure the element and the page's scroll, then scroll the page. */
function revealInPage(selector: string): void {
  Taro.nextTick(() => {
    Taro.createSelectorQuery()
      .select(selector)
      .boundingClientRect()
      .selectViewport()
      .scrollOffset()
      .exec((res: [Taro.NodesRef.BoundingClientRectCallbackResult | null, Taro.NodesRef.ScrollOffsetCallbackResult | null]) => {
        const [rect, viewport] = res;
        if (!rect || !viewport) return;
        const height = Taro.getWindowInfo().windowHeight;
        const room = height / 3;
        if (rect.top >= 0 && rect.bottom + room <= height) return;
        const scrollTop = Math.max(0, viewport.scrollTop + rect.top - (height - rect.height) / 2);
        void Taro.pageScrollTo({ scrollTop, duration: 200 }).catch(() => undefined);
      });
  });
}

export const weappPlatform: Platform = {
  kind: 'weapp',
  async login() {
    const res = await Taro.login();
    if (!res.code) throw new Error(res.errMsg || '微信登录失败');
    return { code: res.code };
  },
  storage: taroStorage,
  toast: taroToast,
  alert: taroAlert,
  reveal: revealInPage,
};
