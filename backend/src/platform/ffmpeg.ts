import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from './config';

const run = promisify(execFile);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** ffmpeg to run: FFMPEG_PATH, else `ffmpeg` on PATH (Debian's), else the binary @ffmpeg-installer ships. */
export function resolveFfmpeg(config: Pick<Config, 'FFMPEG_PATH'>): string {
  if (config.FFMPEG_PATH) return config.FFMPEG_PATH;
  return onPath('ffmpeg') ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/** Noto Sans SC (shipped by @embedpdf/fonts-sc) for Chinese titles drawn on demo videos. */
const TITLE_FONT = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');

export interface LessonVideoOptions {
  seconds: number;
  /** Drawn at the bottom of the picture (Chinese is fine); left out when this ffmpeg cannot draw text. */
  title?: string;
  /** A silent AAC track (default). Without it iOS misreports `currentTime`: only tests make such files. */
  audio?: boolean;
}

function ffmpegArgs(out: string, options: LessonVideoOptions, titleFile?: string): string[] {
  const video = ['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=15:duration=${options.seconds}`];
  const audio = options.audio === false ? [] : ['-f', 'lavfi', '-i', `anullsrc=channel_layout=mono:sample_rate=22050`, '-t', String(options.seconds), '-c:a', 'aac', '-b:a', '24k'];
  const title = titleFile
    ? ['-vf', `drawtext=fontfile='${TITLE_FONT}':textfile='${titleFile}':fontsize=18:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6:x=(w-tw)/2:y=h-th-14`]
    : [];
  return ['-hide_banner', '-loglevel', 'error', '-y', ...video, ...audio, ...title, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '32', '-g', '30', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', out];
}

/**
 * Makes a short, real, playable MP4 (H.264 yuv420p test pattern + silent AAC, moov first) at `out`, atomically:
 * a half-written file never sits under that name.
 */
export async function makeLessonVideo(ffmpeg: string, out: string, options: LessonVideoOptions): Promise<void> {
  await mkdir(path.dirname(out), { recursive: true });
  const temp = `${out}.${randomUUID()}.tmp.mp4`;
  const titleFile = options.title ? path.join(os.tmpdir(), `ce-title-${randomUUID()}.txt`) : undefined;
  try {
    if (titleFile) await writeFile(titleFile, options.title!);
    try {
      await run(ffmpeg, ffmpegArgs(temp, options, titleFile));
    } catch (error) {
      if (!titleFile) throw error;
      await run(ffmpeg, ffmpegArgs(temp, options)); // an ffmpeg built without drawtext: the video, untitled
    }
    await rename(temp, out);
  } finally {
    await rm(temp, { force: true });
    if (titleFile) await rm(titleFile, { force: true });
  }
}
