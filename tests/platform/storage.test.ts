import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { systemClock, ControlledClock } from '../../backend/src/platform/clock';
import { createHttpApp } from '../../backend/src/platform/http/app';
import { buildOpenApi } from '../../backend/src/platform/http/openapi';
import { defineRoute } from '../../backend/src/platform/http/route';
import { createLogger } from '../../backend/src/platform/logger';
import { listen } from '../../backend/src/platform/process';
import { createLocalFileStore, fileStore, signedFileUrl, sniffType } from '../../backend/src/platform/storage';
import { useTestBackend } from '../helpers/backend';
import { testConfig } from '../helpers/db';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png-body')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jpeg-body')]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n');
const EXE = Buffer.from('MZ\x90\x00 this is a program', 'latin1');

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ce-storage-test-'));
}

describe('the private file store (local disk)', () => {
  test('when a file is put under a key, then it comes back with its bytes and content type, and is gone once deleted', async () => {
    const store = createLocalFileStore(tempDir());
    await store.put('offline-slips/order-1/slip.png', { bytes: PNG, contentType: 'image/png' });
    expect(await store.get('offline-slips/order-1/slip.png')).toEqual({ bytes: PNG, contentType: 'image/png' });
    await store.delete('offline-slips/order-1/slip.png');
    expect(await store.get('offline-slips/order-1/slip.png')).toBeUndefined();
  });

  test('when a key tries to leave the store (.., absolute, empty segment), then put refuses it and get finds nothing', async () => {
    const store = createLocalFileStore(tempDir());
    for (const key of ['../escape.png', '/etc/passwd', 'a//b', 'a/../b', '.hidden', '']) {
      await expect(store.put(key, { bytes: PNG, contentType: 'image/png' })).rejects.toThrow('invalid storage key');
      expect(await store.get(key)).toBeUndefined();
    }
  });

  test('when bytes are sniffed, then JPEG, PNG and PDF are told by their first bytes and anything else is unknown', () => {
    expect(sniffType(JPEG)).toBe('image/jpeg');
    expect(sniffType(PNG)).toBe('image/png');
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(EXE)).toBeUndefined();
    expect(sniffType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('signed file URLs over HTTP', () => {
  const clock = new ControlledClock('2026-03-02T02:00:00Z');
  const storageDir = tempDir();
  const api = useTestBackend({ clock, env: { STORAGE_DIR: storageDir, STORAGE_URL_TTL_SECONDS: '300' } });
  const key = 'offline-slips/order-9/slip.jpg';

  beforeAll(async () => {
    await fileStore(api.running.deps.config).put(key, { bytes: JPEG, contentType: 'image/jpeg' });
  });

  test('when a signed URL is opened before it expires, then the file is served with its content type, not sniffable and privately cached', async () => {
    const { url } = signedFileUrl(api.running.deps.config, key, clock.now());
    const res = await fetch(api.url + url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(JPEG);
  });

  test('when the URL has expired, then it is refused with 403 and a Chinese message', async () => {
    const { url } = signedFileUrl(api.running.deps.config, key, clock.now());
    clock.advance(301_000);
    const res = await api.call('GET', url);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FILE_LINK_INVALID', message: expect.stringContaining('已过期') });
  });

  test('when the signature is forged, moved to another key, its expiry extended, or missing, then it is refused with 403', async () => {
    const { url } = signedFileUrl(api.running.deps.config, key, clock.now());
    const u = new URL(api.url + url);
    const sig = u.searchParams.get('sig')!;
    const exp = Number(u.searchParams.get('exp'));
    const other = 'offline-slips/order-10/slip.jpg';
    await fileStore(api.running.deps.config).put(other, { bytes: PNG, contentType: 'image/png' });
    const attempts = [
      `/api/files/${encodeURIComponent(key)}?exp=${exp}&sig=${sig.slice(0, -2)}AA`,
      `/api/files/${encodeURIComponent(other)}?exp=${exp}&sig=${sig}`,
      `/api/files/${encodeURIComponent(key)}?exp=${exp + 3600}&sig=${sig}`,
      `/api/files/${encodeURIComponent(key)}`,
      `/api/files/${encodeURIComponent(key)}?exp=abc&sig=${sig}`,
    ];
    for (const attempt of attempts) {
      const res = await api.call('GET', attempt);
      expect({ attempt, status: res.status, code: res.body.code }).toEqual({ attempt, status: 403, code: 'FILE_LINK_INVALID' });
    }
  });

  test('when a signed URL names a file that is not stored, then it is not found', async () => {
    const { url } = signedFileUrl(api.running.deps.config, 'offline-slips/none/slip.png', clock.now());
    expect((await api.call('GET', url)).status).toBe(404);
  });
});

describe('multipart upload routes over HTTP', () => {
  const MAX = 2048;
  const upload = defineRoute({
    method: 'post',
    path: '/api/test/upload',
    tag: 'test',
    summary: 'takes a note, an amount and an optional slip',
    audience: 'public',
    multipart: { maxBytes: MAX, types: ['image/jpeg', 'image/png', 'application/pdf'] },
    body: z.object({ note: z.string().min(1, '请填写备注'), amountFen: z.coerce.number().int().positive() }),
    response: z.object({ note: z.string(), amountFen: z.number(), file: z.object({ type: z.string(), size: z.number(), name: z.string() }).nullable() }),
    handler: async ({ body, file }) => ({ ...body, file: file ? { type: file.contentType, size: file.bytes.length, name: file.fileName } : null }),
  });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = createHttpApp({
      deps: { config: testConfig(), logger: createLogger('silent'), clock: systemClock },
      routes: [upload],
      authenticate: async () => {
        throw new Error('no sessions here');
      },
    });
    server = (await import('node:http')).createServer(app.callback());
    await listen(server, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/test/upload`;
  });
  afterAll(() => server.close());

  function form(fields: Record<string, string>, file?: { bytes: Buffer; type: string; name: string }, fieldName = 'file'): FormData {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    if (file) f.append(fieldName, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    return f;
  }

  async function post(body: FormData | string, headers: Record<string, string> = {}) {
    const res = await fetch(url, { method: 'POST', body, headers });
    return { status: res.status, body: await res.json() };
  }

  test('when a PNG slip is sent with valid fields, then the handler gets the validated fields and the file typed by its bytes', async () => {
    const res = await post(form({ note: '工行转账', amountFen: '12000' }, { bytes: PNG, type: 'application/octet-stream', name: '回单.png' }));
    expect(res).toEqual({ status: 200, body: { note: '工行转账', amountFen: 12000, file: { type: 'image/png', size: PNG.length, name: '回单.png' } } });
  });

  test('when a JPEG or a PDF is sent, then each is accepted; when no file is sent, the fields alone are enough', async () => {
    expect((await post(form({ note: 'a', amountFen: '1' }, { bytes: JPEG, type: 'image/jpeg', name: 'a.jpg' }))).body.file.type).toBe('image/jpeg');
    expect((await post(form({ note: 'a', amountFen: '1' }, { bytes: PDF, type: 'application/pdf', name: 'a.pdf' }))).body.file.type).toBe('application/pdf');
    expect(await post(form({ note: 'a', amountFen: '1' }))).toEqual({ status: 200, body: { note: 'a', amountFen: 1, file: null } });
  });

  test('when a program is sent under an image name and type, then it is refused with 415 and a Chinese message', async () => {
    const res = await post(form({ note: 'a', amountFen: '1' }, { bytes: EXE, type: 'image/png', name: 'slip.png' }));
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', message: expect.stringContaining('JPG、PNG') });
  });

  test('when the file is larger than the route allows, then it is refused with 413, whether it is a little over (caught in the form) or far over (refused before it is read)', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX)]);
    const declared = await post(form({ note: 'a', amountFen: '1' }, { bytes: big, type: 'image/png', name: 'big.png' }));
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('文件过大'), details: { limitBytes: MAX } });
    const huge = Buffer.concat([PNG, Buffer.alloc(200 * 1024)]);
    expect((await post(form({ note: 'a', amountFen: '1' }, { bytes: huge, type: 'image/png', name: 'huge.png' }))).status).toBe(413);
  });

  test('when a field is missing or invalid, then the route schema refuses it with 400 before the handler runs', async () => {
    const res = await post(form({ amountFen: 'abc' }, { bytes: PNG, type: 'image/png', name: 'a.png' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['amountFen', 'note']);
  });

  test('when two files, a file under another name, or a broken form are sent, then each is refused with 400', async () => {
    const two = form({ note: 'a', amountFen: '1' }, { bytes: PNG, type: 'image/png', name: 'a.png' });
    two.append('file', new Blob([new Uint8Array(PNG)]), 'b.png');
    expect((await post(two)).status).toBe(400);
    expect((await post(form({ note: 'a', amountFen: '1' }, { bytes: PNG, type: 'image/png', name: 'a.png' }, 'photo'))).status).toBe(400);
    expect((await post('--x\r\nnonsense', { 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(400);
  });

  test('when the same route is called with JSON (no file), then the fields are validated the same way', async () => {
    expect(await post(JSON.stringify({ note: 'json', amountFen: 5 }), { 'content-type': 'application/json' })).toEqual({ status: 200, body: { note: 'json', amountFen: 5, file: null } });
  });

  test('when the API is described, then the route takes multipart/form-data with a binary file part', () => {
    const doc = buildOpenApi([upload]) as any;
    const content = doc.paths['/api/test/upload'].post.requestBody.content;
    expect(Object.keys(content)).toContain('multipart/form-data');
    const schema = content['multipart/form-data'].schema;
    expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['note', 'amountFen', 'file']));
    expect(schema['x-max-file-bytes']).toBe(MAX);
  });
});
