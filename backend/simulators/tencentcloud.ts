import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLocalFaceProvider, type FaceProvider } from '../src/modules/face/providers';
import { parseTc3Authorization, tc3SignatureMatches } from '../src/modules/face/providers/tc3';

/**
 * A local stand-in for Tencent Cloud's API 3.0, speaking two services on one port, for dev and tests:
 *
 *   POST /   X-TC-Action: ImageRecognition (faceid, 2018-03-01)   {IdCard, Name, ImageBase64}
 *            → {Sim, Result, Description}: Result `Success` when the photo matches the reference photo held for the
 *              ID number (Sim ≥ 70), else FailedOperation.CompareLowSimilarity / IdNameMisMatch / IdNoExistSystem /
 *              DetectFaceFailed, as the real service answers;
 *   POST /   X-TC-Action: DetectFace | CompareFace (iai, 2020-03-03) → {ImageWidth, ImageHeight, FaceInfos} | {Score}
 *
 * Every call's TC3-HMAC-SHA256 signature is verified (unknown SecretId → AuthFailure.SecretIdNotFound, wrong
 * key → AuthFailure.SignatureFailure, more than 5 minutes off → AuthFailure.SignatureExpire). Faces are found and
 * compared with the local engine. Reference photos ("the national record") are held in memory per ID number:
 *
 *   POST /sim/references {idNumber, name, photoBase64}   registers (or replaces) a person's reference photo
 *   GET  /sim/references                                  the people held (name, masked ID number, reference id)
 *   POST /sim/references/:ref/photo {photoBase64}         replaces one person's photo (the page below uses it)
 *   GET  /                                                a page where a newcomer replaces a demo person's reference
 *                                                         photo with their own webcam photo, to pass 实名核身 as them
 */
export interface TencentCloudSimulator {
  url: string;
  secretId: string;
  secretKey: string;
  registerReference(person: { idNumber: string; name: string; photo: Buffer }): void;
  stop(): Promise<void>;
}

interface Reference {
  ref: string;
  idNumber: string;
  name: string;
  photo: Buffer;
  template?: number[];
}

/** The real service's own pass mark for ImageRecognition (the backend applies its policy threshold on top). */
const PASS_SIM = 70;
const MAX_SKEW_SECONDS = 300;
const MAX_BODY_BYTES = 12 * 1024 * 1024;
const SERVICES: Record<string, { service: string; version: string }> = {
  ImageRecognition: { service: 'faceid', version: '2018-03-01' },
  DetectFace: { service: 'iai', version: '2020-03-03' },
  CompareFace: { service: 'iai', version: '2020-03-03' },
};

class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const maskId = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`;
const refOf = (idNumber: string) => createHash('sha256').update(idNumber).digest('hex').slice(0, 16);

export async function startTencentCloudSimulator(options: { secretId?: string; secretKey?: string; port?: number; host?: string } = {}): Promise<TencentCloudSimulator> {
  const secretId = options.secretId ?? `AKIDsim${randomBytes(12).toString('hex')}`;
  const secretKey = options.secretKey ?? randomBytes(24).toString('base64url');
  const references = new Map<string, Reference>();
  let engine: FaceProvider | undefined;
  const faces = () => (engine ??= createLocalFaceProvider({ workers: 1, queueMax: 50 }));

  const registerReference = (person: { idNumber: string; name: string; photo: Buffer }) => {
    references.set(person.idNumber, { ref: refOf(person.idNumber), ...person });
  };

  function authenticate(req: IncomingMessage, body: string, action: string): void {
    const auth = parseTc3Authorization(req.headers.authorization);
    if (!auth) throw new SimError('AuthFailure.InvalidAuthorization', 'Authorization header is malformed');
    if (auth.secretId !== secretId) throw new SimError('AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isSafeInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_SKEW_SECONDS) throw new SimError('AuthFailure.SignatureExpire', 'Signature expired');
    const expected = SERVICES[action];
    const host = req.headers.host ?? '';
    const signed = { host, service: auth.service, timestamp, body };
    if (auth.service !== expected.service || auth.signedHeaders !== 'content-type;host' || !tc3SignatureMatches(secretKey, signed, auth.signature)) {
      throw new SimError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    }
    if (req.headers['x-tc-version'] !== expected.version) throw new SimError('InvalidParameter', `Version ${String(req.headers['x-tc-version'])} is not supported`);
  }

  function image(value: unknown, name: string): Buffer {
    if (typeof value !== 'string' || value.length === 0) throw new SimError('InvalidParameterValue.ImageEmpty', `${name} is empty`);
    return Buffer.from(value, 'base64');
  }

  async function templateOf(reference: Reference): Promise<number[] | undefined> {
    reference.template ??= (await faces().detect(reference.photo)).template;
    return reference.template;
  }

  async function imageRecognition(params: Record<string, unknown>) {
    const photo = image(params.ImageBase64, 'ImageBase64');
    const reference = references.get(String(params.IdCard ?? ''));
    if (!reference) return { Sim: 0, Result: 'FailedOperation.IdNoExistSystem', Description: '库中无此号，请到户籍所在地进行核实' };
    if (reference.name !== params.Name) return { Sim: 0, Result: 'FailedOperation.IdNameMisMatch', Description: '姓名和身份证号不一致，请核实后重试' };
    const detection = await faces().detect(photo);
    const referenceTemplate = await templateOf(reference);
    if (detection.faces.length !== 1 || !detection.template || !referenceTemplate) return { Sim: 0, Result: 'FailedOperation.DetectFaceFailed', Description: '未检测到人脸' };
    const sim = await faces().compare({ bytes: reference.photo, template: referenceTemplate }, { bytes: photo, template: detection.template });
    return sim >= PASS_SIM
      ? { Sim: sim, Result: 'Success', Description: '成功' }
      : { Sim: sim, Result: 'FailedOperation.CompareLowSimilarity', Description: '比对相似度未达到通过标准' };
  }

  async function detectFace(params: Record<string, unknown>) {
    const detection = await faces().detect(image(params.Image, 'Image'));
    if (!detection.readable) throw new SimError('FailedOperation.ImageDecodeFailed', '图片解码失败');
    if (detection.faces.length === 0) throw new SimError('FailedOperation.ImageFacedetectFailed', '人脸检测失败');
    const max = Number(params.MaxFaceNum ?? 1);
    return {
      ImageWidth: detection.width,
      ImageHeight: detection.height,
      FaceInfos: detection.faces.slice(0, max).map((f) => ({ X: f.x, Y: f.y, Width: f.width, Height: f.height })),
      FaceModelVersion: '3.0',
    };
  }

  async function compareFace(params: Record<string, unknown>) {
    const [a, b] = await Promise.all([faces().detect(image(params.ImageA, 'ImageA')), faces().detect(image(params.ImageB, 'ImageB'))]);
    if (!a.template || !b.template) throw new SimError('FailedOperation.ImageFacedetectFailed', '人脸检测失败');
    return { Score: await faces().compare({ bytes: Buffer.alloc(0), template: a.template }, { bytes: Buffer.alloc(0), template: b.template }), FaceModelVersion: '3.0' };
  }

  const ACTIONS: Record<string, (params: Record<string, unknown>) => Promise<object>> = { ImageRecognition: imageRecognition, DetectFace: detectFace, CompareFace: compareFace };

  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(16).toString('hex');
    const body = (await readBody(req)).toString('utf8');
    const action = String(req.headers['x-tc-action'] ?? '');
    try {
      if (!ACTIONS[action]) throw new SimError('InvalidAction', `The action ${action} does not exist`);
      authenticate(req, body, action);
      const params = JSON.parse(body) as Record<string, unknown>;
      send(res, 200, { Response: { ...(await ACTIONS[action](params)), RequestId: requestId } });
    } catch (error) {
      const e = error instanceof SimError ? error : new SimError('InternalError', (error as Error).message);
      send(res, 200, { Response: { Error: { Code: e.code, Message: e.message }, RequestId: requestId } });
    }
  }

  async function dev(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET' && url.pathname === '/sim/references') {
      return send(res, 200, [...references.values()].map((r) => ({ ref: r.ref, name: r.name, idMasked: maskId(r.idNumber) })));
    }
    const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
    if (url.pathname === '/sim/references') {
      if (typeof body.idNumber !== 'string' || typeof body.name !== 'string' || typeof body.photoBase64 !== 'string') return send(res, 400, { error: 'idNumber, name, photoBase64 required' });
      registerReference({ idNumber: body.idNumber, name: body.name, photo: Buffer.from(body.photoBase64, 'base64') });
      return send(res, 200, { ref: refOf(body.idNumber) });
    }
    const replace = /^\/sim\/references\/([0-9a-f]{16})\/photo$/.exec(url.pathname);
    const reference = replace && [...references.values()].find((r) => r.ref === replace[1]);
    if (!reference || typeof body.photoBase64 !== 'string') return send(res, 404, { error: 'no such person' });
    Object.assign(reference, { photo: Buffer.from(body.photoBase64, 'base64'), template: undefined });
    send(res, 200, { ref: reference.ref });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const work = req.method === 'GET' && url.pathname === '/' ? Promise.resolve(page(res)) : url.pathname.startsWith('/sim/') ? dev(req, res, url) : api(req, res);
    work.catch((error: Error) => send(res, 500, { error: error.message }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    secretId,
    secretKey,
    registerReference,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine?.close();
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SimError('RequestSizeLimitExceeded', 'The request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The dev page: pick a demo person, take a webcam photo, and it becomes their "national record" photo. */
function page(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>实名核身模拟器 · 参考照片</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}video,img{width:100%;max-width:24rem;border-radius:8px;background:#eee}button,select{font-size:1rem;padding:.5rem 1rem;margin:.5rem 0}</style></head>
<body>
<h1>实名核身模拟器</h1>
<p>本页只在本机开发环境中存在。它代替“公安登记照片”：选择一位演示学员，用摄像头拍一张您自己的照片，之后在小程序里以该学员身份做实名核身时，对比的就是这张照片。</p>
<label>演示学员 <select id="who"></select></label>
<div><video id="camera" autoplay playsinline muted></video></div>
<button id="start">打开摄像头</button> <button id="take" disabled>拍照并设为参考照片</button>
<p id="result" role="status"></p>
<script>
const who = document.getElementById('who'), video = document.getElementById('camera'), result = document.getElementById('result');
fetch('/sim/references').then(r => r.json()).then(people => {
  for (const p of people) who.add(new Option(p.name + '（' + p.idMasked + '）', p.ref));
  if (!people.length) result.textContent = '还没有演示学员（由 npm start 登记）。';
});
document.getElementById('start').onclick = async () => {
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } });
  document.getElementById('take').disabled = false;
};
document.getElementById('take').onclick = async () => {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  const photoBase64 = canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  const res = await fetch('/sim/references/' + who.value + '/photo', { method: 'POST', body: JSON.stringify({ photoBase64 }) });
  result.textContent = res.ok ? '已设为 ' + who.options[who.selectedIndex].text + ' 的参考照片。' : '保存失败，请重试。';
};
</script>
</body></html>`);
}

/** A real portrait Debian ships (package `facedetect`, public domain): the demo people's default record photo. */
export const DEMO_REFERENCE_PHOTO = '/usr/share/doc/facedetect/examples/grace_hopper_512x512.jpg';

/**
 * Gives each demo person a "national record" photo: Grace Hopper's portrait when it is installed (the e2e
 * fake camera shows her too); a newcomer replaces it with their own on the simulator's page.
 */
export async function registerDemoPeople(sim: TencentCloudSimulator, people: { idNumber: string; name: string }[]): Promise<void> {
  const photo = await readFile(DEMO_REFERENCE_PHOTO).catch(() => undefined);
  if (!photo) return;
  for (const person of people) sim.registerReference({ ...person, photo });
}
