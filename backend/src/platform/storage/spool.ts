import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { AppError } from '../errors';
import type { SpooledFile } from '../http/route';
import { boundaryOf, malformed, MAX_FIELD_BYTES, MAX_PARTS, MULTIPART_OVERHEAD_BYTES, parsePartHeaders, sniffType, type PartHeaders } from './upload';

const SPOOL_DIR = path.join(os.tmpdir(), 'ce-upload-spool');
const MAX_HEADER_BYTES = 16 * 1024;
/** Bytes kept from the file's start to tell its type by its magic bytes. */
const HEAD_BYTES = 64;

/** Where the bytes of the part being read go: a text field (in memory, small) or the file (to disk). */
interface Sink {
  write(bytes: Buffer): Promise<void>;
  end(): Promise<void>;
}

interface SpoolState {
  fields: Record<string, string>;
  file?: SpooledFile;
  stream?: WriteStream;
  parts: number;
}

function fieldSink(state: SpoolState, name: string): Sink {
  if (name in state.fields) throw malformed();
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    async write(bytes) {
      size += bytes.length;
      if (size > MAX_FIELD_BYTES) throw malformed();
      chunks.push(bytes);
    },
    async end() {
      state.fields[name] = Buffer.concat(chunks).toString('utf8');
    },
  };
}

function fileSink(state: SpoolState, fileName: string, maxBytes: number): Sink {
  const file: SpooledFile = { path: path.join(SPOOL_DIR, `${randomUUID()}.upload`), size: 0, fileName };
  const stream = createWriteStream(file.path, { mode: 0o600 });
  state.stream = stream;
  state.file = file;
  let head: Buffer = Buffer.alloc(0);
  return {
    async write(bytes) {
      file.size += bytes.length;
      if (file.size > maxBytes) throw new AppError('FILE_TOO_LARGE', { limitBytes: maxBytes });
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
      if (!stream.write(bytes)) await once(stream, 'drain');
    },
    async end() {
      stream.end();
      await once(stream, 'finish');
      file.contentType = sniffType(head);
    },
  };
}

/**
 * A streaming multipart/form-data reader for large files (lesson videos): text fields (≤ 8 KB each) in memory,
 * the one file part (named `fileField`) written to a temporary file as it arrives, so a 200 MB upload never sits
 * in memory. More than `maxBytes` of file → 413 FILE_TOO_LARGE. The caller deletes the file (`discardSpooled`).
 */
export async function spoolMultipart(req: IncomingMessage, contentType: string, fileField: string, maxBytes: number): Promise<{ fields: Record<string, string>; file?: SpooledFile }> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw malformed();
  if (Number(req.headers['content-length'] ?? 0) > maxBytes + MULTIPART_OVERHEAD_BYTES) throw new AppError('FILE_TOO_LARGE', { limitBytes: maxBytes });
  await mkdir(SPOOL_DIR, { recursive: true, mode: 0o700 });
  const state: SpoolState = { fields: {}, parts: 0 };
  try {
    await parse(req, Buffer.from(`--${boundary}`, 'latin1'), state, (part) => {
      if (part.fileName === undefined) return fieldSink(state, part.name);
      if (part.name !== fileField || state.file) throw malformed(`只能上传一个文件（字段 ${fileField}）`);
      return fileSink(state, part.fileName, maxBytes);
    });
  } catch (error) {
    await closed(state.stream);
    await discardSpooled(state.file);
    throw error;
  }
  if (state.file?.size === 0) {
    await discardSpooled(state.file);
    return { fields: state.fields };
  }
  return { fields: state.fields, file: state.file };
}

/** Stops a half-written spool file; waits until it is closed, so it cannot be created again after it was deleted. */
async function closed(stream: WriteStream | undefined): Promise<void> {
  if (!stream || stream.closed) return;
  const done = once(stream, 'close').catch(() => undefined);
  stream.destroy();
  await done;
}

export async function discardSpooled(file: SpooledFile | undefined): Promise<void> {
  if (file) await rm(file.path, { force: true });
}

/**
 * The multipart grammar over a stream: `--boundary` opens the first part; each part is headers, a blank line and
 * content up to `\r\n--boundary`; `--` after a boundary closes the body. Only a boundary's length of bytes is
 * held back between chunks.
 */
async function parse(req: AsyncIterable<Buffer>, delimiter: Buffer, state: SpoolState, sinkFor: (part: PartHeaders) => Sink): Promise<void> {
  const between = Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]);
  let pending: Buffer = Buffer.alloc(0);
  let phase: 'preamble' | 'after-boundary' | 'headers' | 'content' | 'done' = 'preamble';
  let sink: Sink | undefined;
  for await (const chunk of req) {
    if (phase === 'done') continue;
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let progressed = true; progressed && phase !== 'done'; ) {
      progressed = false;
      if (phase === 'preamble') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          if (pending.length > MAX_HEADER_BYTES) throw malformed();
          break;
        }
        pending = pending.subarray(at + delimiter.length);
        phase = 'after-boundary';
        progressed = true;
      } else if (phase === 'after-boundary') {
        if (pending.length < 2) break;
        const mark = pending.toString('latin1', 0, 2);
        if (mark === '--') phase = 'done';
        else if (mark === '\r\n' && state.parts++ < MAX_PARTS) phase = 'headers';
        else throw malformed();
        pending = pending.subarray(2);
        progressed = true;
      } else if (phase === 'headers') {
        const end = pending.indexOf('\r\n\r\n', 0, 'latin1');
        if (end < 0) {
          if (pending.length > MAX_HEADER_BYTES) throw malformed();
          break;
        }
        sink = sinkFor(parsePartHeaders(pending.toString('utf8', 0, end)));
        pending = pending.subarray(end + 4);
        phase = 'content';
        progressed = true;
      } else {
        const end = pending.indexOf(between);
        if (end < 0) {
          const safe = pending.length - (between.length - 1);
          if (safe > 0) {
            await sink!.write(Buffer.from(pending.subarray(0, safe)));
            pending = pending.subarray(safe);
          }
          break;
        }
        await sink!.write(Buffer.from(pending.subarray(0, end)));
        await sink!.end();
        pending = pending.subarray(end + between.length);
        phase = 'after-boundary';
        progressed = true;
      }
    }
  }
  if (phase !== 'done') throw malformed();
}
