import Taro from '@tarojs/taro';
import type { PaymentPromptResult, Platform } from './types';
import { taroAlert, taroStorage, taroToast } from './shared';
import {
  BrowserLiveCamera,
  browserCameraPermission,
  browserChooseAvatarImage,
  browserKeepScreenOn,
  browserOnAppHide,
  browserTakePhoto,
  browserUpload,
} from './browser-camera';

/**
 * Browser stand-in for WeChat. `/runtime-config.json` on the page's own origin says where the WeChat
 * simulator runs: `{ "wechatSimulatorUrl": "http://127.0.0.1:4100", "wechatPaySimulatorUrl": "http://127.0.0.1:4200" }`
 * (the pay simulator only where one runs). A random device id kept in storage makes the same browser the same
 * WeChat user.
 */
export interface RuntimeConfig {
  wechatSimulatorUrl: string;
  wechatPaySimulatorUrl?: string;
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
        const pay = res.data.wechatPaySimulatorUrl;
        return {
          wechatSimulatorUrl: res.data.wechatSimulatorUrl.replace(/\/+$/, ''),
          wechatPaySimulatorUrl: typeof pay === 'string' && pay ? pay.replace(/\/+$/, '') : undefined,
        };
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

const POLL_MS = 1500;
const GIVE_UP_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulator's pay page for a JSAPI prepay id (`package: "prepay_id=wx…"`). */
export async function jsapiPayPage(pkg: string): Promise<string> {
  const { wechatPaySimulatorUrl } = await loadRuntimeConfig();
  if (!wechatPaySimulatorUrl) throw new Error('本地没有运行微信支付模拟器，浏览器中无法付款');
  return `${wechatPaySimulatorUrl}/pay/${encodeURIComponent(pkg.replace(/^prepay_id=/, ''))}`;
}

/**
 * Opens the simulator's pay page (where the "payer" confirms or cancels) and waits, asking the backend, until
 * the order is settled or the page is closed. What the page itself shows is not trusted.
 */
async function payInSimulator(pkg: string, settled: () => Promise<boolean>): Promise<PaymentPromptResult> {
  const url = await jsapiPayPage(pkg);
  const win = window.open(url, '_blank');
  if (!win) throw new Error('浏览器拦截了支付页面，请点页面上的“打开支付页面”');
  const deadline = Date.now() + GIVE_UP_MS;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    if (await settled().catch(() => false)) return 'done';
    if (win.closed) return (await settled().catch(() => false)) ? 'done' : 'unknown';
  }
  return 'unknown';
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
  requestPayment: ({ params, settled }) => payInSimulator(params.package, settled),
  async payPageLink(codeUrl) {
    const { wechatPaySimulatorUrl } = await loadRuntimeConfig().catch(() => ({ wechatPaySimulatorUrl: undefined }));
    return wechatPaySimulatorUrl && /^https?:\/\//.test(codeUrl) ? codeUrl : undefined;
  },
  async openPdf(url, header, fileName) {
    const res = await fetch(url, { headers: header });
    if (!res.ok) throw new Error(`下载失败（${res.status}），请稍后重试`);
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  },
  cameraPermission: browserCameraPermission,
  async openCameraSettings() {
    return false;
  },
  LiveCamera: BrowserLiveCamera,
  takePhoto: browserTakePhoto,
  chooseAvatarImage: browserChooseAvatarImage,
  upload: browserUpload,
  keepScreenOn: browserKeepScreenOn,
  onAppHide: browserOnAppHide,
};
