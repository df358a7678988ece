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
}
