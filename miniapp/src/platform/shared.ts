import Taro from '@tarojs/taro';
import type { Platform } from './types';

/** Storage and feedback work the same way through Taro on both platforms. */
export const taroStorage: Platform['storage'] = {
  get(key) {
    try {
      const value: unknown = Taro.getStorageSync(key);
      return typeof value === 'string' && value !== '' ? value : undefined;
    } catch {
      return undefined;
    }
  },
  set(key, value) {
    Taro.setStorageSync(key, value);
  },
  remove(key) {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // nothing stored: nothing to remove
    }
  },
};

export function taroToast(message: string, kind: 'success' | 'error' | 'info' = 'info'): void {
  // WeChat truncates icon toasts at 7 characters: only short success messages get the icon.
  const icon = kind === 'success' && message.length <= 7 ? 'success' : 'none';
  void Taro.showToast({ title: message, icon, duration: kind === 'error' ? 3000 : 2000 }).catch(() => undefined);
}

export function taroAlert(message: string, title = '提示'): Promise<void> {
  return Taro.showModal({ title, content: message, showCancel: false, confirmText: '知道了' }).then(
    () => undefined,
    () => undefined,
  );
}
