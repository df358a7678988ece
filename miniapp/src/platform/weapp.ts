import Taro from '@tarojs/taro';
import type { Platform } from './types';
import { taroAlert, taroStorage, taroToast } from './shared';
import { WeappLiveCamera, weappCameraPermission, weappChooseAvatarImage, weappOpenCameraSettings, weappTakePhoto } from './weapp-camera';

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
  async requestPayment({ params }) {
    try {
      await Taro.requestPayment({ ...params });
      return 'done';
    } catch (e) {
      const message = e && typeof e === 'object' && typeof (e as { errMsg?: unknown }).errMsg === 'string' ? (e as { errMsg: string }).errMsg : '';
      // The payer closed the sheet. Anything else (network, WeChat itself): the caller asks the backend.
      return /cancel/i.test(message) ? 'cancelled' : 'unknown';
    }
  },
  async payPageLink() {
    return undefined;
  },
  async openPdf(url, header) {
    const res = await Taro.downloadFile({ url, header });
    if (res.statusCode !== 200) throw new Error(`下载失败（${res.statusCode}），请稍后重试`);
    await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'pdf', showMenu: true });
  },
  cameraPermission: weappCameraPermission,
  openCameraSettings: weappOpenCameraSettings,
  LiveCamera: WeappLiveCamera,
  takePhoto: weappTakePhoto,
  chooseAvatarImage: weappChooseAvatarImage,
  async upload({ url, header, fields, photo }) {
    if (typeof photo.file !== 'string') throw new Error('照片格式不对，请重新拍摄');
    const res = await Taro.uploadFile({ url, filePath: photo.file, name: 'file', formData: fields, header, timeout: 30000 });
    try {
      return { statusCode: res.statusCode, data: JSON.parse(res.data) as unknown };
    } catch {
      return { statusCode: res.statusCode, data: res.data };
    }
  },
  keepScreenOn(on) {
    void Taro.setKeepScreenOn({ keepScreenOn: on }).catch(() => undefined);
  },
  onAppHide(listener) {
    Taro.onAppHide(listener);
    return () => Taro.offAppHide(listener);
  },
};
