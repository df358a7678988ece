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
   * Scrolls just enough that the element (`#id`) and what follows it closely (a form's button) are on the
   * screen; does nothing when they already are. Used for a message that appears where the eye is not.
   */
  reveal(selector: string): void;
}
