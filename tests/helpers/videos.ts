import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeLessonVideo, resolveFfmpeg } from '../../backend/src/platform/ffmpeg';

const CACHE_DIR = path.join(os.tmpdir(), 'ce-test-videos');

/**
 * A real MP4 of `seconds` (H.264 yuv420p + a silent AAC track, moov first), made once with ffmpeg and cached
 * under the system's temp folder; returns its path. `audio: false` makes one without a sound track (refused on upload).
 */
export async function testVideo(seconds: number, options: { audio?: boolean } = {}): Promise<string> {
  const audio = options.audio !== false;
  const file = path.join(CACHE_DIR, `lesson-${seconds}s${audio ? '' : '-no-audio'}.mp4`);
  if (!existsSync(file)) await makeLessonVideo(resolveFfmpeg({ FFMPEG_PATH: process.env.FFMPEG_PATH }), file, { seconds, audio });
  return file;
}
