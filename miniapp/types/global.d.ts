/// <reference types="@tarojs/taro" />

declare module '*.css';
declare module '*.png';
declare module '*.svg';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** The platform being built. */
    TARO_ENV: 'weapp' | 'h5' | string;
    /** weapp only: the backend's base URL, fixed at build time (default http://127.0.0.1:3000). */
    TARO_APP_API_BASE?: string;
  }
}
