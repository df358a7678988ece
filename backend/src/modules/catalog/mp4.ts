import { open } from 'node:fs/promises';
import { AppError } from '../../platform/errors';

/**
 * What an uploaded lesson video is, read from its own boxes (ISO/IEC 14496-12), never from what the uploader says:
 * the duration from `moov/mvhd` (timescale and duration, version 0 or 1) and the track kinds from each
 * `moov/trak/mdia/hdlr` handler type.
 */
export interface Mp4Facts {
  durationSeconds: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** The moov box of a long lesson is a few MB; anything far larger is not a lesson video. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
const MAX_TOP_LEVEL_BOXES = 1000;
/** No lesson lasts a day (the player reports positions up to 24 h); a longer claim is a broken or forged header. */
const MAX_SECONDS = 24 * 3600;

interface Box {
  type: string;
  /** Offset of the box's content (after its header) and the content's length. */
  start: number;
  length: number;
}

function invalid(reason: string): AppError {
  return new AppError('VIDEO_INVALID', { reason });
}

/** The box whose header (`header`: its first 8 or 16 bytes) starts at `at`, or undefined when it does not fit before `limit`. */
function boxAt(header: Buffer, at: number, limit: number): Box | undefined {
  if (header.length < 8) return undefined;
  let size = header.readUInt32BE(0);
  const type = header.toString('latin1', 4, 8);
  let headerLength = 8;
  if (size === 1) {
    if (header.length < 16) return undefined;
    size = Number(header.readBigUInt64BE(8));
    headerLength = 16;
  } else if (size === 0) {
    size = limit - at;
  }
  if (size < headerLength || at + size > limit) return undefined;
  return { type, start: at + headerLength, length: size - headerLength };
}

/** The boxes directly inside `bytes[from, to)`. */
function childBoxes(bytes: Buffer, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  for (let at = from; at + 8 <= to; ) {
    const box = boxAt(bytes.subarray(at, Math.min(to, at + 16)), at, to);
    if (!box) throw invalid('a box runs past its parent');
    boxes.push(box);
    at = box.start + box.length;
  }
  return boxes;
}

function durationOf(moov: Buffer, mvhd: Box): number {
  const version = moov[mvhd.start];
  const fields = mvhd.start + 4;
  if (mvhd.length < (version === 1 ? 32 : 20)) throw invalid('the movie header is cut short');
  const [timescale, duration] =
    version === 1 ? [moov.readUInt32BE(fields + 16), Number(moov.readBigUInt64BE(fields + 20))] : [moov.readUInt32BE(fields + 8), moov.readUInt32BE(fields + 12)];
  if (timescale === 0 || duration === 0 || (version === 0 && duration === 0xffffffff)) throw invalid('the movie header has no duration');
  const seconds = Math.round((duration / timescale) * 1000) / 1000;
  if (seconds > MAX_SECONDS) throw invalid('the movie header claims more than a day');
  return seconds;
}

/** The handler type (`vide`, `soun`, …) of every track in the moov box's content. */
function handlerTypes(moov: Buffer): string[] {
  const inside = (parent: Box, type: string) => childBoxes(moov, parent.start, parent.start + parent.length).filter((b) => b.type === type);
  return childBoxes(moov, 0, moov.length)
    .filter((b) => b.type === 'trak')
    .flatMap((trak) => inside(trak, 'mdia'))
    .flatMap((mdia) => inside(mdia, 'hdlr'))
    .filter((hdlr) => hdlr.length >= 12)
    .map((hdlr) => moov.toString('latin1', hdlr.start + 8, hdlr.start + 12));
}

/** Finds the top-level `moov` box of a file of `size` bytes; only box headers are read until it is found. */
async function findMoov(read: ReadAt, size: number): Promise<Box> {
  const first = await read(0, 16);
  if (first.toString('latin1', 4, 8) !== 'ftyp') throw invalid('not an MP4 file');
  for (let at = 0, count = 0; at + 8 <= size && count < MAX_TOP_LEVEL_BOXES; count++) {
    const box = boxAt(await read(at, 16), at, size);
    if (!box) throw invalid('a top-level box runs past the end of the file');
    if (box.type === 'moov') return box;
    at = box.start + box.length;
  }
  throw invalid('no movie header (moov)');
}

/** Reads the facts of an MP4 (VIDEO_INVALID when it is not one, or is cut short). */
export async function readMp4Facts(read: ReadAt, size: number): Promise<Mp4Facts> {
  const moovBox = await findMoov(read, size);
  if (moovBox.length > MAX_MOOV_BYTES) throw invalid('the movie header is too large');
  const moov = await read(moovBox.start, moovBox.length);
  if (moov.length < moovBox.length) throw invalid('the file is cut short');
  const mvhd = childBoxes(moov, 0, moov.length).find((b) => b.type === 'mvhd');
  if (!mvhd) throw invalid('no movie header (mvhd)');
  const handlers = handlerTypes(moov);
  return { durationSeconds: durationOf(moov, mvhd), hasVideo: handlers.includes('vide'), hasAudio: handlers.includes('soun') };
}

/** The facts of an MP4 file on disk, reading only its box headers and its moov box. */
export async function readMp4FileFacts(filePath: string): Promise<Mp4Facts> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const read: ReadAt = async (offset, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    };
    return await readMp4Facts(read, size);
  } finally {
    await handle.close();
  }
}
