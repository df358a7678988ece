import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';

/**
 * Turns a text file's bytes into lines of text, never into garbage (registry exports, question banks).
 * Provincial systems and Excel write UTF-8 (with or without a BOM) or GB18030/GBK (Excel on a Chinese Windows).
 * The encoding is decided on the first chunk that holds a non-ASCII byte: strict UTF-8 if that decodes, else
 * GB18030 if that decodes. Every line is then decoded strictly; a line that does not decode, or a UTF-8 line in a
 * GBK file, refuses the whole file. Newline bytes never occur inside a UTF-8 or GB18030 character, so splitting lines first is exact.
 */
export type SourceEncoding = 'UTF-8' | 'GB18030';

/** The whole file is refused before anything is applied; the message says why, for people. */
export class FileRefusedError extends Error {
  readonly code = 'FILE_REFUSED';
}

const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const EXPORT_HINT = '请在导出时选择 UTF-8 或 GBK（GB18030）编码后重新导入';

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function decodesAsUtf8(sample: Buffer): boolean {
  try {
    // stream: a character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function decodesAsGb18030(sample: Buffer): boolean {
  return !iconv.getDecoder('gb18030').write(sample).includes('\ufffd');
}

function completeLines(sample: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0, nl = sample.indexOf(NEWLINE); nl !== -1; start = nl + 1, nl = sample.indexOf(NEWLINE, start)) lines.push(sample.subarray(start, nl));
  return lines;
}

/** Some lines UTF-8, others GBK: the file was pieced together from two exports. */
function mixesEncodings(sample: Buffer): boolean {
  const lines = completeLines(sample).filter((line) => !isAscii(line));
  return lines.some((line) => isUtf8(line)) && lines.some((line) => !isUtf8(line) && decodesAsGb18030(line));
}

function encodingOf(sample: Buffer): SourceEncoding {
  if (decodesAsUtf8(sample)) return 'UTF-8';
  if (decodesAsGb18030(sample)) return 'GB18030';
  if (mixesEncodings(sample)) throw new FileRefusedError(`文件混用了 GBK 和 UTF-8 两种编码，未导入任何数据。${EXPORT_HINT}`);
  throw new FileRefusedError(`无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030），未导入任何数据。${EXPORT_HINT}`);
}

/** Reads a file as decoded lines, a chunk of lines at a time; `encoding` is known once non-ASCII text appeared. */
export class DecodedFile {
  encoding: SourceEncoding | undefined;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private lineNo = 0;

  constructor(
    private readonly path: string,
    private readonly onBytes?: (bytesRead: number) => void,
  ) {}

  async *lineChunks(): AsyncIterable<string[]> {
    let carry: Buffer | undefined;
    let bytesRead = 0;
    for await (const raw of createReadStream(this.path, { highWaterMark: CHUNK_BYTES })) {
      let chunk = raw as Buffer;
      if (bytesRead === 0) chunk = this.withoutByteOrderMark(chunk);
      bytesRead += (raw as Buffer).length;
      this.onBytes?.(bytesRead);
      if (chunk.includes(0)) throw new FileRefusedError(`文件含有空字节，可能是 UTF-16 编码或不是文本文件，未导入任何数据。${EXPORT_HINT}`);
      if (!this.encoding && !isAscii(chunk)) this.encoding = encodingOf(chunk);
      const data = carry ? Buffer.concat([carry, chunk]) : chunk;
      const lines: string[] = [];
      let start = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        lines.push(this.decodeLine(data.subarray(start, nl)));
        start = nl + 1;
      }
      carry = start < data.length ? data.subarray(start) : undefined;
      if (lines.length) yield lines;
    }
    if (carry) yield [this.decodeLine(carry)];
  }

  private withoutByteOrderMark(chunk: Buffer): Buffer {
    if (startsWith(chunk, [0xef, 0xbb, 0xbf])) {
      this.encoding = 'UTF-8';
      return chunk.subarray(3);
    }
    if (startsWith(chunk, [0xff, 0xfe]) || startsWith(chunk, [0xfe, 0xff])) {
      throw new FileRefusedError(`文件是 UTF-16 编码，未导入任何数据。${EXPORT_HINT}`);
    }
    return chunk;
  }

  private decodeLine(bytes: Buffer): string {
    this.lineNo += 1;
    const end = bytes.length && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    const line = bytes.subarray(0, end);
    if (this.encoding === 'GB18030') {
      // Chinese text in GBK is practically never valid UTF-8: such a line means two encodings in one file
      if (!isAscii(line) && isUtf8(line)) throw new FileRefusedError(`文件混用了 GBK 和 UTF-8 两种编码（第 ${this.lineNo} 行为 UTF-8），未导入任何数据。${EXPORT_HINT}`);
      const text = iconv.decode(line, 'gb18030');
      if (text.includes('\ufffd')) throw new FileRefusedError(`第 ${this.lineNo} 行含有无法按 GBK/GB18030 解读的字节（文件中混有其他编码？），未导入任何数据。${EXPORT_HINT}`);
      return text;
    }
    try {
      return this.utf8.decode(line);
    } catch {
      throw new FileRefusedError(`第 ${this.lineNo} 行不是有效的 UTF-8 文本（文件前面是 UTF-8，此处混有其他编码？），未导入任何数据。${EXPORT_HINT}`);
    }
  }
}

/** Lines handed over as text (demo seed, tests): already decoded; a leading BOM is dropped. */
export async function* textLineChunks(lines: AsyncIterable<string>): AsyncIterable<string[]> {
  let first = true;
  let chunk: string[] = [];
  for await (const line of lines) {
    chunk.push((first ? line.replace(/^\ufeff/, '') : line).replace(/\r$/, ''));
    first = false;
    if (chunk.length >= 1000) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}
