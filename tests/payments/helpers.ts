import { randomBytes } from 'node:crypto';
import { startWechatPaySimulator, type WechatPaySimulator, type WechatPaySimulatorOptions } from '../../backend/simulators/wechatpay';
import { useTestBackend, type TestBackend } from '../helpers/backend';
import { TEST_WECHAT } from '../helpers/constants';
import { freePort } from '../../backend/src/platform/database/mongod';

export const NOTIFY_PATH = '/api/payments/wechat/notify';

/** The backend's configuration for a simulator, as an operator would write it. */
export function wechatPayEnv(sim: WechatPaySimulator, notifyUrl: string): Record<string, string> {
  const publicKeyMode = sim.mode() === 'publicKey';
  return {
    WECHATPAY_MCHID: sim.mchid,
    WECHATPAY_APPID: sim.appid,
    WECHATPAY_PRIVATE_KEY: sim.merchantPrivateKeyPem,
    WECHATPAY_MERCHANT_SERIAL: sim.merchantSerial,
    WECHATPAY_APIV3_KEY: sim.apiV3Key,
    WECHATPAY_API_BASE: sim.url,
    WECHATPAY_NOTIFY_URL: notifyUrl,
    WECHATPAY_VERIFY_MODE: publicKeyMode ? 'publicKey' : 'certificate',
    ...(publicKeyMode ? { WECHATPAY_PUBLIC_KEY_ID: sim.publicKeyId, WECHATPAY_PUBLIC_KEY: sim.publicKeyPem } : {}),
  };
}

export interface PaymentsStack {
  sim: WechatPaySimulator;
  api: TestBackend;
}

/**
 * A WeChat Pay simulator (delays compressed a thousandfold) and a backend configured for it on a known port, so
 * the simulator's notifications reach the backend's notify route. Use at the top level of a test file.
 */
export function usePaymentsStack(options: WechatPaySimulatorOptions = {}, backendEnv: Record<string, string> = {}): PaymentsStack {
  const env: Record<string, string> = {};
  const stack = {} as PaymentsStack;
  beforeAll(async () => {
    stack.sim = await startWechatPaySimulator({ appid: TEST_WECHAT.appid, timeScale: 0.001, refundDelayMs: 50_000, ...options });
    const port = await freePort();
    Object.assign(env, { PORT: String(port) }, wechatPayEnv(stack.sim, `http://127.0.0.1:${port}${NOTIFY_PATH}`), backendEnv);
  });
  stack.api = useTestBackend({ env });
  afterAll(async () => {
    await stack.sim?.stop();
  });
  return stack;
}

/**
 * A backend configured for the run's shared pay simulator (tests/helpers/global-setup.ts), which lives in another
 * process: tests drive it through its HTTP control API, as a script or the pay page would.
 */
export function useSharedSimulatorBackend(): { api: TestBackend; simUrl: () => string } {
  const env: Record<string, string> = {};
  const simUrl = () => process.env.TEST_WECHATPAY_API_BASE!;
  beforeAll(async () => {
    const port = await freePort();
    Object.assign(env, {
      PORT: String(port),
      WECHATPAY_MCHID: process.env.TEST_WECHATPAY_MCHID!,
      WECHATPAY_APPID: process.env.TEST_WECHATPAY_APPID!,
      WECHATPAY_PRIVATE_KEY: process.env.TEST_WECHATPAY_PRIVATE_KEY!,
      WECHATPAY_MERCHANT_SERIAL: process.env.TEST_WECHATPAY_MERCHANT_SERIAL!,
      WECHATPAY_APIV3_KEY: process.env.TEST_WECHATPAY_APIV3_KEY!,
      WECHATPAY_API_BASE: simUrl(),
      WECHATPAY_NOTIFY_URL: `http://127.0.0.1:${port}${NOTIFY_PATH}`,
    });
  });
  return { api: useTestBackend({ env }), simUrl };
}

export function outTradeNo(prefix = 'T'): string {
  return `${prefix}${Date.now()}${randomBytes(4).toString('hex')}`;
}

/** Waits until `check` holds (notifications and retries arrive asynchronously). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
