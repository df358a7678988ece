import Taro from '@tarojs/taro';
import type { Platform } from './types';
import { taroAlert, taroStorage, taroToast } from './shared';

/**
 * Browser stand-in for WeChat. `/runtime-config.json` on the page's own origin says where the WeChat
 * simulator runs: `{ "wechatSimulatorUrl": "http://127.0.0.1:4100" }`. A random device id kept in storage
 * makes the same browser the same WeChat user.
 */
export interface RuntimeConfig {
  wechatSimulatorUrl: string;
}

const DEVICE_KEY = 'ce.deviceId';
let runtimeConfig: Promise<RuntimeConfig> | undefined;

export function loadRuntimeConfig(): Promise<RuntimeConfig> {
  if (!runtimeConfig) {
    runtimeConfig = Taro.request<RuntimeConfig>({ url: '/runtime-config.json', method: 'GET', dataType: 'json' })
      .then((res) => {
        if (res.statusCode !== 200 || !res.data || typeof res.data.wechatSimulatorUrl !== 'string') {
          throw new Error('runtime-config.json 缺少 wechatSimulatorUrl');
        }
        return { wechatSimulatorUrl: res.data.wechatSimulatorUrl.replace(/\/+$/, '') };
      })
      .catch((err: unknown) => {
        runtimeConfig = undefined; // try again next time
        throw err;
      });
  }
  return runtimeConfig;
}

function randomId(): string {
  const bytes = new Uint8Array(16);
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function deviceId(): string {
  let id = taroStorage.get(DEVICE_KEY);
  if (!id) {
    id = `dev-${randomId()}`;
    taroStorage.set(DEVICE_KEY, id);
  }
  return id;
}

/** Centres the element when any of it, or a third of a screen below it (a button, an answer), is off screen. */
function revealInDocument(selector: string): void {
  setTimeout(() => {
    const element = document.querySelector(selector);
    if (!element) return;
    const rect = element.getBoundingClientRect();
    const room = window.innerHeight / 3;
    if (rect.top < 0 || rect.bottom + room > window.innerHeight) element.scrollIntoView({ block: 'center' });
  }, 0);
}

export const browserPlatform: Platform = {
  kind: 'browser',
  async login() {
    const { wechatSimulatorUrl } = await loadRuntimeConfig();
    const res = await Taro.request<{ code?: string }>({
      url: `${wechatSimulatorUrl}/sim/wx/login`,
      method: 'POST',
      header: { 'Content-Type': 'application/json' },
      data: { deviceId: deviceId() },
      dataType: 'json',
    });
    if (res.statusCode !== 200 || !res.data || typeof res.data.code !== 'string') throw new Error('微信登录失败');
    return { code: res.data.code };
  },
  storage: taroStorage,
  toast: taroToast,
  alert: taroAlert,
  reveal: revealInDocument,
};
