import Taro from '@tarojs/taro';
import type { ErrorCode } from '@ce/types';
import { platform, type Photo } from '../platform';
import { clearSession, getPrincipal, getToken, lastRole, setNotice } from './session';
import { ROUTES, currentRoute, loginPageFor, relaunch } from './routes';
import { chinaClock } from '../utils/format';

/** H5 is served by the backend itself; the mini-program calls the build-time API base. */
export const API_BASE: string =
  process.env.TARO_ENV === 'h5' ? '' : (process.env.TARO_APP_API_BASE || 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** Said when no answer comes back: the service may be down as well as the phone's network, so blame neither. */
export const NETWORK_ERROR_MESSAGE = '暂时连不上服务，请稍后重试';
export const SERVER_ERROR_MESSAGE = '服务暂时不可用，请稍后重试';

export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field errors from `details` keyed by their first path segment. */
  get fieldErrors(): FieldErrors {
    return fieldErrorsFrom(this.details);
  }
}

/**
 * Accepts zod issues (`[{path: ['idNumber'], message}]`) or the server's validation details
 * (`{where, issues: [{path: 'idNumber', message}]}`).
 */
export function fieldErrorsFrom(details: unknown): FieldErrors {
  const out: FieldErrors = {};
  const issues: unknown = Array.isArray(details) ? details : details && typeof details === 'object' ? (details as { issues?: unknown }).issues : undefined;
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as unknown[]) {
    if (!issue || typeof issue !== 'object') continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const key = Array.isArray(path) ? String(path[0] ?? '') : typeof path === 'string' ? path.split('.')[0] : '';
    if (!(key in out)) out[key] = message;
  }
  return out;
}

const SESSION_ENDED: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'SESSION_REPLACED', 'BINDING_REPLACED']);

/** The session is over (expired, replaced by another login, or its binding taken over): log in again. */
export function isSessionEnded(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && SESSION_ENDED.has(err.code);
}

export interface RequestOptions {
  /** Use this token instead of the stored one (e.g. the WeChat token while binding). */
  token?: string;
  /** Skip the automatic log-out / change-password redirects (login screens handle their own errors). */
  noRedirect?: boolean;
}

function isErrorBody(data: unknown): data is { code: ClientErrorCode; message: string; details?: unknown } {
  return !!data && typeof data === 'object' && typeof (data as { code?: unknown }).code === 'string' && typeof (data as { message?: unknown }).message === 'string';
}

function handleAuthError(err: ApiError): void {
  if (isSessionEnded(err)) {
    const role = getPrincipal()?.role ?? lastRole();
    clearSession();
    setNotice(err.message);
    platform.toast(err.message, 'error');
    const target = loginPageFor(role);
    if (currentRoute() !== target) relaunch(target);
  } else if (err.status === 403 && err.code === 'PASSWORD_CHANGE_REQUIRED') {
    setNotice(err.message);
    if (currentRoute() !== ROUTES.changePassword) relaunch(ROUTES.changePassword);
  }
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const header = authHeaders(options);
  if (body !== undefined) header['Content-Type'] = 'application/json';

  let res: Taro.request.SuccessCallbackResult<Record<string, unknown> | string>;
  try {
    res = await Taro.request<Record<string, unknown> | string>({ url: `${API_BASE}${path}`, method, header, data: body as never, dataType: 'json', timeout: 20000 });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
  return answer<T>(res.statusCode, res.data, options);
}

/** A multipart POST: text fields and one photo (the field `file`), through the platform's uploader. */
export async function upload<T>(path: string, photo: Photo, fields: Record<string, string> = {}, options: RequestOptions = {}): Promise<T> {
  let res: { statusCode: number; data: unknown };
  try {
    res = await platform.upload({ url: `${API_BASE}${path}`, header: authHeaders(options), fields, photo });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
  return answer<T>(res.statusCode, res.data, options);
}

function authHeaders(options: RequestOptions): Record<string, string> {
  return { Accept: 'application/json', ...authHeader(options.token) };
}

/** The session's Authorization header, for what goes past request() and upload() (PDF downloads, Taro.uploadFile). */
export function authHeader(token = getToken()): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The body of a 2xx answer, or the server's error (after the session redirects it calls for). */
function answer<T>(statusCode: number, raw: unknown, options: RequestOptions): T {
  let data = raw;
  if (typeof data === 'string' && data !== '') {
    try {
      data = JSON.parse(data);
    } catch {
      // not JSON
    }
  }
  if (statusCode >= 200 && statusCode < 300) return data as T;

  const err = isErrorBody(data)
    ? new ApiError(statusCode, data.code, data.message, data.details)
    : new ApiError(statusCode, statusCode >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', statusCode >= 500 ? SERVER_ERROR_MESSAGE : `请求失败（${statusCode}）`);
  if (!options.noRedirect) handleAuthError(err);
  throw err;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
  upload,
};

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Failed logins say how many tries are left; a lock says when it ends (the server sends both in `details`). */
function withLoginDetails(err: ApiError, now: Date): string {
  const details = (err.details ?? {}) as { remainingAttempts?: unknown; lockedUntil?: unknown };
  if (typeof details.remainingAttempts === 'number') {
    return `${err.message.replace(/[。.]$/, '')}。还可尝试 ${details.remainingAttempts} 次，用完后将临时锁定`;
  }
  const until = typeof details.lockedUntil === 'string' ? Date.parse(details.lockedUntil) : NaN;
  if (err.code === 'ACCOUNT_LOCKED' && !Number.isNaN(until)) {
    const minutes = Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
    return `密码错误次数过多，账号已临时锁定，请于 ${chinaClock(details.lockedUntil as string, now)} 后再试（约 ${minutes} 分钟）`;
  }
  return err.message;
}

/** The sentence to show for a failure, in Chinese, with what the server's details add. */
export function messageOf(err: unknown, now = new Date()): string {
  if (err instanceof ApiError) return withLoginDetails(err, now);
  if (err instanceof Error && err.message) return err.message;
  return '操作失败，请重试';
}

/** Failures worth a 重试 button: nothing came back, or the service itself failed. */
export function isRetryable(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'NETWORK_ERROR' || err.status >= 500);
}
