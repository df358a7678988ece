import Taro from '@tarojs/taro';
import type { Platform } from './types';
import { taroAlert, taroStorage, taroToast } from './shared';

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
};
