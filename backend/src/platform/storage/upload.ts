import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';
import type { MultipartSpec, UploadedFile, UploadType } from '../http/route';

/** Room for the text fields and part headers beside the file: at most this much more than `maxBytes` is read. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
export const MAX_PARTS = 30;
export const MAX_FIELD_BYTES = 8 * 1024;

const SIGNATURES: { type: UploadType; magic: Buffer; offset?: number }[] = [
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
  // An MP4 opens with its `ftyp` box: a 4-byte size, then the type.
  { type: 'video/mp4', magic: Buffer.from('ftyp', 'latin1'), offset: 4 },
];

/** The type a file's first bytes show, whatever its name or declared type says. */
export function sniffType(bytes: Buffer): UploadType | undefined {
  return SIGNATURES.find(({ magic, offset = 0 }) => bytes.length >= offset + magic.length && bytes.subarray(offset, offset + magic.length).equals(magic))?.type;
}

export interface ParsedForm {
  fields: Record<string, string>;
  file?: { bytes: Buffer; fileName: string };
}

export function malformed(message = '上传内容格式错误，请重新提交'): AppError {
  return new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'body', message }] });
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

export interface PartHeaders {
  name: string;
  fileName?: string;
}

export function parsePartHeaders(text: string): PartHeaders {
  const disposition = text.split('\r\n').find((line) => /^content-disposition:/i.test(line));
  if (!disposition || !/form-data/i.test(disposition)) throw malformed();
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw malformed();
  const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  return { name, fileName };
}

/**
 * A small, bounded multipart/form-data parser over a body already read into memory (its size was capped while
 * reading): at most one file part (named `fileField`), text fields of at most 8 KB, at most 30 parts.
 */
export function parseMultipart(body: Buffer, boundary: string, fileField: string, maxFileBytes: number): ParsedForm {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const between = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const form: ParsedForm = { fields: {} };
  let at = body.indexOf(delimiter);
  if (at < 0) throw malformed();
  at += delimiter.length;
  for (let parts = 0; ; parts++) {
    if (body.subarray(at, at + 2).toString('latin1') === '--') return form;
    if (parts >= MAX_PARTS || body.subarray(at, at + 2).toString('latin1') !== '\r\n') throw malformed();
    const headersEnd = body.indexOf('\r\n\r\n', at + 2, 'latin1');
    if (headersEnd < 0) throw malformed();
    const headers = parsePartHeaders(body.subarray(at + 2, headersEnd).toString('utf8'));
    const contentStart = headersEnd + 4;
    const contentEnd = body.indexOf(between, contentStart);
    if (contentEnd < 0) throw malformed();
    addPart(form, headers, body.subarray(contentStart, contentEnd), fileField, maxFileBytes);
    at = contentEnd + between.length;
  }
}

function addPart(form: ParsedForm, headers: PartHeaders, content: Buffer, fileField: string, maxFileBytes: number): void {
  if (headers.fileName !== undefined) {
    if (headers.name !== fileField || form.file) throw malformed(`只能上传一个文件（字段 ${fileField}）`);
    if (content.length > maxFileBytes) throw new AppError('FILE_TOO_LARGE', { limitBytes: maxFileBytes });
    if (content.length > 0) form.file = { bytes: Buffer.from(content), fileName: headers.fileName };
    return;
  }
  if (content.length > MAX_FIELD_BYTES || headers.name in form.fields) throw malformed();
  form.fields[headers.name] = content.toString('utf8');
}

/** Reads at most `limit` bytes of the request; more is the file being too large (413 FILE_TOO_LARGE). */
async function readBounded(req: IncomingMessage, declaredLength: number, limit: number, maxFileBytes: number): Promise<Buffer> {
  if (declaredLength > limit) throw new AppError('FILE_TOO_LARGE', { limitBytes: maxFileBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError('FILE_TOO_LARGE', { limitBytes: maxFileBytes });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Checks a parsed file against the route's rules: its bytes must show one of the accepted types. */
export function acceptFile(file: NonNullable<ParsedForm['file']>, spec: MultipartSpec): UploadedFile {
  const type = sniffType(file.bytes);
  if (!type || !spec.types.includes(type)) throw new AppError('FILE_TYPE_NOT_ALLOWED', { accepted: spec.types });
  return { bytes: file.bytes, contentType: type, fileName: file.fileName };
}

/** A multipart request's text fields and checked file. */
export async function readMultipart(req: IncomingMessage, contentType: string, spec: MultipartSpec): Promise<{ fields: Record<string, string>; file?: UploadedFile }> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw malformed();
  const declared = Number(req.headers['content-length'] ?? 0);
  const body = await readBounded(req, declared, spec.maxBytes + MULTIPART_OVERHEAD_BYTES, spec.maxBytes);
  const form = parseMultipart(body, boundary, spec.field ?? 'file', spec.maxBytes);
  return { fields: form.fields, file: form.file && acceptFile(form.file, spec) };
}
