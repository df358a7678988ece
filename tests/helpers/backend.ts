import type { DestinationStream } from 'pino';
import { startBackend, type RunningBackend } from '../../backend/src/app';
import type { Clock } from '../../backend/src/platform/clock';
import { testConfig, useTestDatabase } from './db';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface TestBackend {
  url: string;
  running: RunningBackend;
  /** Calls the API over HTTP as a client would. */
  call<T = any>(method: string, path: string, options?: { body?: unknown; token?: string; raw?: string; form?: FormData; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
}

/**
 * Starts a real backend over HTTP on a clean per-file database. Use at the top level of a test file;
 * the returned object is filled in before the first test runs.
 */
export function useTestBackend(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    logDestination?: DestinationStream;
    /** Runs on the connected, clean database before the backend starts (e.g. to plant data of an older shape). */
    beforeStart?: () => Promise<void>;
  } = {},
): TestBackend {
  useTestDatabase();
  const handle = {} as TestBackend;
  beforeAll(async () => {
    await options.beforeStart?.();
    handle.running = await startBackend(testConfig(options.env), { clock: options.clock, logDestination: options.logDestination, connected: true });
    handle.url = handle.running.url;
  });
  afterAll(async () => {
    await handle.running?.stop();
  });
  handle.call = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const payload = opts.form ?? (opts.body !== undefined ? JSON.stringify(opts.body) : opts.raw);
    // a form gets no content-type here: fetch writes the multipart one, with the boundary it chose
    if (typeof payload === 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(handle.url + path, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body } as ApiResponse;
  };
  return handle;
}
