import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import { systemClock } from '../../backend/src/platform/clock';
import { createHttpApp } from '../../backend/src/platform/http/app';
import { defineRoute, type SpooledFile } from '../../backend/src/platform/http/route';
import { createLogger } from '../../backend/src/platform/logger';
import { listen } from '../../backend/src/platform/process';
import { testConfig } from '../helpers/db';
import { testVideo } from '../helpers/videos';

/** Where uploads are spooled (backend/src/platform/storage/spool.ts). */
const SPOOL_DIR = path.join(os.tmpdir(), 'ce-upload-spool');

describe('spooled multipart uploads (large videos go to disk, not memory)', () => {
  const MAX = 8 * 1024 * 1024;
  let seen: { file?: SpooledFile; bytes?: Buffer; title: string } | undefined;
  const route = defineRoute({
    method: 'post',
    path: '/api/test/videos',
    tag: 'test',
    summary: 'takes a title and a video',
    audience: 'public',
    multipart: { maxBytes: MAX, types: ['video/mp4'], spool: true },
    body: z.object({ title: z.string().min(1) }),
    response: z.object({ size: z.number(), type: z.string().nullable() }),
    handler: async ({ body, spooledFile }) => {
      seen = { file: spooledFile && { ...spooledFile }, bytes: spooledFile && readFileSync(spooledFile.path), title: body.title };
      return { size: spooledFile?.size ?? 0, type: spooledFile?.contentType ?? null };
    },
  });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // The video limit (8 MB here) applies, not the 1 MB limit of other uploads.
    const config = testConfig({ UPLOAD_MAX_BYTES: String(1024 * 1024), VIDEO_UPLOAD_MAX_BYTES: String(MAX) });
    const app = createHttpApp({ deps: { config, logger: createLogger('silent'), clock: systemClock }, routes: [route], authenticate: async () => Promise.reject(new Error('none')) });
    server = createServer(app.callback());
    await listen(server, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/test/videos`;
  });
  afterAll(() => server.close());
  beforeEach(() => (seen = undefined));

  function form(title: string, file?: Buffer): FormData {
    const f = new FormData();
    f.append('title', title);
    if (file) f.append('file', new Blob([new Uint8Array(file)], { type: 'video/mp4' }), 'lesson.mp4');
    return f;
  }

  test('when a real MP4 of several MB is sent, then the handler gets it on disk byte for byte, typed video/mp4, and the file is gone after the answer', async () => {
    // A real video followed by bytes that look like boundaries, so a delimiter can fall across chunks.
    const video = Buffer.concat([readFileSync(await testVideo(12)), Buffer.from('\r\n--\r\n------WebKitFormBoundary'.repeat(1000)), randomBytes(3 * 1024 * 1024)]);
    const res = await fetch(url, { method: 'POST', body: form('第一课', video) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ size: video.length, type: 'video/mp4' });
    expect(seen!.title).toBe('第一课');
    expect(seen!.bytes!.equals(video)).toBe(true);
    expect(existsSync(seen!.file!.path)).toBe(false);
  });

  test('when the file is not an MP4, then the handler is told it has no known type (it refuses it in its own words)', async () => {
    const res = await fetch(url, { method: 'POST', body: form('文本', Buffer.from('just some text, not a video')) });
    expect(await res.json()).toEqual({ size: 27, type: null });
  });

  test('when the file is over the video limit, then it is refused 413 FILE_TOO_LARGE before the handler runs', async () => {
    const res = await fetch(url, { method: 'POST', body: form('太大', randomBytes(MAX + 1)) });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('FILE_TOO_LARGE');
    expect(seen).toBeUndefined();
  });

  test('when a body of unknown length turns out too large while it streams in, then it is refused 413 and the partial file is deleted', async () => {
    const boundary = 'ce-test-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n长视频\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n\r\n`);
    const chunk = randomBytes(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent === 0) controller.enqueue(new Uint8Array(head));
        if (sent++ < 12) controller.enqueue(new Uint8Array(chunk));
        else controller.close();
      },
    });
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(seen).toBeUndefined();
    const leftovers = readdirSync(SPOOL_DIR).filter((name) => statSync(path.join(SPOOL_DIR, name)).size >= MAX);
    expect(leftovers).toEqual([]);
  });

  test('when the body is not well-formed multipart, or has two files, then it is refused 400 with a Chinese message', async () => {
    const broken = await fetch(url, { method: 'POST', body: '--x\r\nnonsense', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(broken.status).toBe(400);
    const two = form('两个', Buffer.from('a'));
    two.append('file', new Blob([Buffer.from('b')]), 'second.mp4');
    const res = await fetch(url, { method: 'POST', body: two });
    expect(res.status).toBe(400);
    expect((await res.json()).details.issues[0].message).toContain('只能上传一个文件');
  });

  test('when no file is sent, then the fields alone reach the handler', async () => {
    const res = await fetch(url, { method: 'POST', body: form('只有标题') });
    expect(await res.json()).toEqual({ size: 0, type: null });
    expect(seen!.title).toBe('只有标题');
  });
});
