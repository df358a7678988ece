import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { systemClock } from '../../backend/src/platform/clock';
import { createHttpApp } from '../../backend/src/platform/http/app';
import { buildOpenApi } from '../../backend/src/platform/http/openapi';
import { defineRoute } from '../../backend/src/platform/http/route';
import { createLogger } from '../../backend/src/platform/logger';
import { listen } from '../../backend/src/platform/process';
import { answerRange, mediaStore, streamAnswer, type CdnMediaStore } from '../../backend/src/platform/storage';
import { testConfig } from '../helpers/db';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ce-media-test-'));
}

describe('the media store (local disk)', () => {
  const store = mediaStore(testConfig({ MEDIA_DIR: tempDir() }));

  test('when a video is put from bytes or from a file, then stat tells its size and a validator, open reads it back, and delete removes it', async () => {
    const bytes = randomBytes(5000);
    const source = path.join(tempDir(), 'upload.mp4');
    writeFileSync(source, bytes);
    const fromBytes = await store.put('videos/a.mp4', { bytes });
    const fromFile = await store.put('videos/b.mp4', { path: source });
    expect(fromBytes).toMatchObject({ size: 5000, etag: expect.stringMatching(/^"[0-9a-f]+-[0-9a-f]+"$/) });
    expect(fromFile.size).toBe(5000);
    const chunks: Buffer[] = [];
    for await (const chunk of store.open('videos/b.mp4', { start: 10, end: 19 })) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(bytes.subarray(10, 20));
    await store.delete('videos/a.mp4');
    expect(await store.stat('videos/a.mp4')).toBeUndefined();
  });

  test('when a key tries to leave the store, then put refuses it and stat finds nothing', async () => {
    for (const key of ['../escape.mp4', '/etc/passwd', 'videos//a.mp4', 'videos/../a.mp4', '.hidden.mp4']) {
      await expect(store.put(key, { bytes: Buffer.from('x') })).rejects.toThrow('invalid media key');
      expect(await store.stat(key)).toBeUndefined();
    }
  });
});

describe('range requests over HTTP (a streams route serving the media store)', () => {
  const mediaDir = tempDir();
  const store = mediaStore(testConfig({ MEDIA_DIR: mediaDir }));
  const video = randomBytes(100_000);
  const size = video.length;
  const route = defineRoute({
    method: 'get',
    path: '/api/test/videos/:name',
    tag: 'test',
    summary: 'serves a stored video with range requests',
    audience: 'public',
    params: z.object({ name: z.string() }),
    response: streamAnswer,
    streams: true,
    handler: async ({ params, koa, headers }) => answerRange(store, `videos/${params.name}`, { method: koa.method, headers }, { maxAgeSeconds: 60 }),
  });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    await store.put('videos/lesson.mp4', { bytes: video });
    await store.put('videos/empty.mp4', { bytes: Buffer.alloc(0) });
    const app = createHttpApp({
      deps: { config: testConfig(), logger: createLogger('silent'), clock: systemClock },
      routes: [route],
      authenticate: async () => {
        throw new Error('no sessions here');
      },
    });
    server = createServer(app.callback());
    await listen(server, 0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/test/videos`;
  });
  afterAll(() => server.close());

  async function get(range?: string, extra: Record<string, string> = {}, name = 'lesson.mp4') {
    const res = await fetch(`${base}/${name}`, { headers: { ...(range ? { range } : {}), ...extra } });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  test('when no Range is sent, then the whole file comes back 200 with its length, type, validators and Accept-Ranges: bytes', async () => {
    const { res, bytes } = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(res.headers.get('last-modified')).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(bytes).toEqual(video);
  });

  test('when a closed range is asked, then exactly those bytes come back 206 with Content-Range', async () => {
    const { res, bytes } = await get('bytes=100-199');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect(res.headers.get('content-length')).toBe('100');
    expect(bytes).toEqual(video.subarray(100, 200));
  });

  test('when an open range (bytes=100-) or a suffix range (bytes=-500) is asked, then the rest of the file or its last 500 bytes come back 206', async () => {
    const open = await get('bytes=100-');
    expect(open.res.status).toBe(206);
    expect(open.res.headers.get('content-range')).toBe(`bytes 100-${size - 1}/${size}`);
    expect(open.bytes).toEqual(video.subarray(100));
    const suffix = await get('bytes=-500');
    expect(suffix.res.status).toBe(206);
    expect(suffix.res.headers.get('content-range')).toBe(`bytes ${size - 500}-${size - 1}/${size}`);
    expect(suffix.bytes).toEqual(video.subarray(size - 500));
  });

  test('when a range runs past the end, or a suffix is longer than the file, then it is cut to the file', async () => {
    const long = await get('bytes=99990-2000000');
    expect(long.res.headers.get('content-range')).toBe(`bytes 99990-${size - 1}/${size}`);
    expect(long.bytes).toEqual(video.subarray(99990));
    const suffix = await get('bytes=-999999');
    expect(suffix.res.headers.get('content-range')).toBe(`bytes 0-${size - 1}/${size}`);
    expect(suffix.bytes).toEqual(video);
  });

  test('when a range starts at or past the end, or is bytes=-0, then it is answered 416 with Content-Range: bytes */size and a Chinese message', async () => {
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const { res, bytes } = await get(range);
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
      expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE', message: expect.stringContaining('超出') });
    }
    expect((await get('bytes=0-', {}, 'empty.mp4')).res.status).toBe(416);
  });

  test('when the Range header is malformed, in another unit, reversed or asks for several ranges, then it is ignored and the whole file comes back 200', async () => {
    for (const range of ['bytes=abc', 'items=0-10', 'bytes=500-100', 'bytes=0-10,20-30', 'bytes=-']) {
      const { res, bytes } = await get(range);
      expect([range, res.status]).toEqual([range, 200]);
      expect(bytes.length).toBe(size);
    }
  });

  test('when If-Range carries the current ETag, then the range is served; a stale one gets the whole (changed) file', async () => {
    const etag = (await get()).res.headers.get('etag')!;
    expect((await get('bytes=0-9', { 'if-range': etag })).res.status).toBe(206);
    const stale = await get('bytes=0-9', { 'if-range': '"0-0"' });
    expect(stale.res.status).toBe(200);
    expect(stale.bytes.length).toBe(size);
  });

  test('when HEAD is asked, then the headers say the length and ranges, and no body is sent', async () => {
    const res = await fetch(`${base}/lesson.mp4`, { method: 'HEAD', headers: { range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-length')).toBe('100');
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  test('when a video that is not stored is asked, then the answer is 404 NOT_FOUND', async () => {
    const { res, bytes } = await get(undefined, {}, 'missing.mp4');
    expect(res.status).toBe(404);
    expect(JSON.parse(bytes.toString('utf8')).code).toBe('NOT_FOUND');
  });

  test('when a 3 GB video is asked whole or at its very end, then its bytes start flowing at once: it is streamed from disk, never read into memory', async () => {
    const huge = 3 * 1024 ** 3;
    // A sparse file: 3 GB long, next to nothing on disk (the local driver keeps `videos/<name>` under MEDIA_DIR).
    const file = await open(path.join(mediaDir, 'videos', 'huge.mp4'), 'w');
    await file.truncate(huge);
    await file.close();
    const rssBefore = process.memoryUsage().rss;
    const whole = await fetch(`${base}/huge.mp4`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(huge));
    const reader = whole.body!.getReader();
    expect((await reader.read()).value!.length).toBeGreaterThan(0);
    await reader.cancel();
    const tail = await get(`bytes=${huge - 10}-`, {}, 'huge.mp4');
    expect(tail.res.status).toBe(206);
    expect(tail.res.headers.get('content-range')).toBe(`bytes ${huge - 10}-${huge - 1}/${huge}`);
    expect(tail.bytes).toEqual(Buffer.alloc(10));
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    await store.delete('videos/huge.mp4');
  });

  test('when the API is described, then the streaming route answers binary content', () => {
    const op = (buildOpenApi([route]).paths as any)['/api/test/videos/{name}'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/octet-stream']);
  });
});

describe('the CDN driver (type-A URL authentication)', () => {
  const KEY = 'cdn-signing-key-0123456789';
  const config = testConfig({ MEDIA_DRIVER: 'cdn', MEDIA_DIR: tempDir(), MEDIA_CDN_BASE_URL: 'https://media.example.com/ce/', MEDIA_CDN_SIGNING_KEY: KEY, MEDIA_URL_TTL_SECONDS: '600' });
  const store = mediaStore(config) as CdnMediaStore;

  /** What the CDN edge does with a request: recompute md5("/path-timestamp-rand-uid-key") and check the validity period. */
  function cdnAccepts(url: string, now: Date, validitySeconds = 600): 'valid' | 'forged' | 'expired' {
    const parsed = new URL(url);
    const [timestamp, rand, uid, hash] = (parsed.searchParams.get('auth_key') ?? '').split('-');
    const expected = createHash('md5').update(`${parsed.pathname}-${timestamp}-${rand}-${uid}-${KEY}`).digest('hex');
    if (hash !== expected) return 'forged';
    return now.getTime() / 1000 > Number(timestamp) + validitySeconds ? 'expired' : 'valid';
  }

  test('when a URL is signed, then it points at the CDN path of the key with auth_key=timestamp-rand-uid-md5 that the CDN recomputes', () => {
    const now = new Date('2026-03-02T02:00:00Z');
    const signed = store.signedUrl('videos/lesson-1.mp4', now);
    const url = new URL(signed.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://media.example.com/ce/videos/lesson-1.mp4');
    expect(url.searchParams.get('auth_key')).toMatch(new RegExp(`^${now.getTime() / 1000}-[0-9a-f]{32}-0-[0-9a-f]{32}$`));
    expect(signed.expiresAt).toEqual(new Date(now.getTime() + 600_000));
    expect(cdnAccepts(signed.url, now)).toBe('valid');
    expect(store.signedUrl('videos/lesson-1.mp4', now).url).not.toBe(signed.url); // a fresh rand each time
  });

  test('when the validity period has passed, or the URL is moved to another file or its timestamp changed, then the CDN refuses it', () => {
    const now = new Date('2026-03-02T02:00:00Z');
    const { url } = store.signedUrl('videos/lesson-1.mp4', now);
    expect(cdnAccepts(url, new Date(now.getTime() + 600_000))).toBe('valid');
    expect(cdnAccepts(url, new Date(now.getTime() + 601_000))).toBe('expired');
    expect(cdnAccepts(url.replace('lesson-1', 'lesson-2'), now)).toBe('forged');
    const later = url.replace(`auth_key=${now.getTime() / 1000}`, `auth_key=${now.getTime() / 1000 + 3600}`);
    expect(cdnAccepts(later, now)).toBe('forged');
  });

  test('when the CDN driver keeps files, then they land in the origin folder the CDN pulls from', async () => {
    await store.put('videos/x.mp4', { bytes: Buffer.from('origin bytes') });
    expect((await mediaStore(testConfig({ MEDIA_DIR: config.MEDIA_DIR })).stat('videos/x.mp4'))?.size).toBe(12);
  });

  test('when the CDN driver is chosen without its base URL or signing key, then the store refuses to start with a clear message', () => {
    expect(() => mediaStore(testConfig({ MEDIA_DRIVER: 'cdn', MEDIA_DIR: tempDir() }))).toThrow('MEDIA_CDN_BASE_URL and MEDIA_CDN_SIGNING_KEY');
  });
});
