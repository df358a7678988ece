import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../errors';
import type { StreamAnswer } from '../http/route';
import { mediaContentType, type ByteRange, type MediaStore } from './media';

/** What a Range header asks of a file of `size` bytes (RFC 9110 §14). */
export type RangeAsk = { kind: 'whole' } | { kind: 'part'; range: ByteRange } | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * One byte range: `bytes=a-b`, `bytes=a-` (to the end) or `bytes=-n` (the last n). A header we do not serve as a
 * part — absent, malformed, another unit, several ranges — gets the whole file, as RFC 9110 allows; a range that
 * starts past the end (or `bytes=-0`) is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): RangeAsk {
  const m = header === undefined ? null : SINGLE_RANGE.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? Infinity : Number(m[2]);
  if (!Number.isSafeInteger(start) || end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', range: { start, end: Math.min(end, size - 1) } };
}

/** The request a range answer depends on: pass the route context's `koa.method` and `headers`. */
export interface RangeRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

function header(request: RangeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A `streams` route's answer for a stored media file: 200 with the whole file, 206 with the asked byte range,
 * 416 when the range starts past the end; `Accept-Ranges`, `ETag` and `Last-Modified` always; no body for HEAD;
 * `If-Range` with a stale validator gets the whole file. Missing file → NOT_FOUND. The bytes are streamed from the
 * store, never read whole.
 */
export async function answerRange(store: MediaStore, key: string, request: RangeRequest, options: { maxAgeSeconds?: number } = {}): Promise<StreamAnswer> {
  const file = await store.stat(key);
  if (!file) throw new AppError('NOT_FOUND');
  const common: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    ETag: file.etag,
    'Last-Modified': file.modifiedAt.toUTCString(),
    'Cache-Control': `private, max-age=${Math.max(0, Math.floor(options.maxAgeSeconds ?? 0))}`,
  };
  const ifRange = header(request, 'if-range');
  const ask = ifRange !== undefined && ifRange !== file.etag ? ({ kind: 'whole' } as const) : parseRange(header(request, 'range'), file.size);
  if (ask.kind === 'unsatisfiable') {
    const error = new AppError('RANGE_NOT_SATISFIABLE', { size: file.size });
    return { status: 416, headers: { ...common, 'Content-Range': `bytes */${file.size}` }, body: { ...error.toBody() } };
  }
  const range = ask.kind === 'part' ? ask.range : undefined;
  const length = range ? range.end - range.start + 1 : file.size;
  const headers = { ...common, 'Content-Type': mediaContentType(key), 'Content-Length': String(length), ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}` } : {}) };
  const body = request.method === 'HEAD' ? undefined : store.open(key, range);
  return { status: range ? 206 : 200, headers, body };
}

/** The `response` schema of a `streams` route. */
export const streamAnswer = z.object({
  status: z.union([z.literal(200), z.literal(206), z.literal(416)]),
  headers: z.record(z.string(), z.string()),
  body: z.union([z.instanceof(Readable), z.record(z.string(), z.unknown())]).optional(),
});
