import type { ComponentType } from 'react';
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

/** A photo just taken (or, for the avatar only, picked from the album): shown on the page, then uploaded as is. */
export interface Photo {
  /** What an <Image> shows. */
  previewUrl: string;
  /** WeChat: the temporary file's path; browser: the image bytes. */
  file: string | Blob;
}

/** The camera may be used, or why not in words that say what to do. */
export type CameraPermission = { granted: true } | { granted: false; message: string; canOpenSettings: boolean };

export interface LiveCameraProps {
  id: string;
  /** The camera failed or was refused after it was shown (the message says what to do). */
  onError(message: string): void;
}

/** A multipart form: text fields and one file (the field `file`), sent with the session's headers. */
export interface UploadRequest {
  url: string;
  header: Record<string, string>;
  fields: Record<string, string>;
  photo: Photo;
}

/**
 * Everything that only WeChat can do lives behind this interface. The mini-program gets the WeChat
 * implementation; the H5 build (browsers, end-to-end tests) gets a browser implementation that talks to the
 * WeChat simulator: login, payment, the camera, uploads and the screen.
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
  /** Asks for the camera (WeChat: `scope.camera`) before a live camera is shown. */
  cameraPermission(): Promise<CameraPermission>;
  /** WeChat: opens the settings page where a refused camera can be allowed; true when it is allowed now. */
  openCameraSettings(): Promise<boolean>;
  /**
   * The front camera's live picture (WeChat `<Camera>`; browser: getUserMedia in a <video>). One per page, never
   * inside a scroll-view.
   */
  LiveCamera: ComponentType<LiveCameraProps>;
  /** Takes a photo from the LiveCamera shown on this page. Study photos and face checks come only from here. */
  takePhoto(): Promise<Photo>;
  /** The avatar only: a photo from the album or the camera; undefined when the person cancels. */
  chooseAvatarImage(): Promise<Photo | undefined>;
  /** Sends a multipart form; the answer's body is parsed JSON when it is JSON. */
  upload(request: UploadRequest): Promise<{ statusCode: number; data: unknown }>;
  /** Keeps the screen on while a lesson plays. */
  keepScreenOn(on: boolean): void;
  /** Calls `listener` when the app goes to the background (browser: the tab is hidden); returns the unsubscribe. */
  onAppHide(listener: () => void): () => void;
}
