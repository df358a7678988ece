import type { RequestPaymentParams } from '@ce/types';

/** How a payment prompt ended, as far as the device knows. Never proof: the page asks the backend afterwards. */
export type PaymentPromptResult = 'done' | 'cancelled' | 'unknown';

export interface PaymentPrompt {
  /** What the backend returned for `wx.requestPayment` (JSAPI prepay). */
  params: RequestPaymentParams;
  /**
   * Asks the backend whether the order has left 待支付 (paid, closed, expired). The browser stand-in polls it
   * while the simulator's pay page is open; WeChat itself does not need it.
   */
  settled(): Promise<boolean>;
}

/**
 * Everything that only WeChat can do lives behind this interface. The mini-program gets the WeChat
 * implementation; the H5 build (browsers, end-to-end tests) gets a browser implementation that talks to the
 * WeChat simulator. Later issues add payment, camera and face verification here.
 */
export interface Platform {
  readonly kind: 'weapp' | 'browser';
  /** A one-time WeChat login code (wx.login), exchanged by the backend for the openid. */
  login(): Promise<{ code: string }>;
  storage: {
    get(key: string): string | undefined;
    set(key: string, value: string): void;
    remove(key: string): void;
  };
  /** A short, non-blocking message. */
  toast(message: string, kind?: 'success' | 'error' | 'info'): void;
  /** A blocking message the user must acknowledge. */
  alert(message: string, title?: string): Promise<void>;
  /**
   * Brings the element (`#id`) to the middle of the screen when it, or a third of a screen below it (a
   * form's button, the start of an answer), is off screen; does nothing otherwise. For messages and answers
   * that appear where the eye is not.
   */
  reveal(selector: string): void;
  /**
   * Shows WeChat's payment sheet (JSAPI). In the browser: opens the WeChat Pay simulator's page for the prepay
   * id and waits until the backend says the order is settled or the page is closed. Its answer is never taken
   * as proof of payment: the caller asks the backend for the order's state afterwards.
   */
  requestPayment(prompt: PaymentPrompt): Promise<PaymentPromptResult>;
  /**
   * Where a person can open a Native `code_url` by hand: the simulator's pay page in the browser build (local
   * development and tests), nothing in WeChat (there the QR code is for another phone to scan).
   */
  payPageLink(codeUrl: string): Promise<string | undefined>;
  /** Downloads a PDF the session may read (its token in `header`) and shows or saves it. */
  openPdf(url: string, header: Record<string, string>, fileName: string): Promise<void>;
}
