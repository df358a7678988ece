import { PassThrough } from 'node:stream';
import mongoose from 'mongoose';
import { TC3_CONTENT_TYPE, Tc3ApiError, tc3Authorization, tc3Call } from '../../backend/src/modules/face/providers/tc3';
import { useTestBackend } from '../helpers/backend';
import { boundLearner, giveFaceConsent, registerNationalPhoto, sendPhoto } from '../helpers/face';
import { facePhotos, type FacePhotos } from '../helpers/face-photos';
import { importRecords, learnerBinds, wechatCode } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const logs: string[] = [];
const logStream = new PassThrough();
logStream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
const api = useTestBackend({ env: { LOG_LEVEL: 'debug' }, logDestination: logStream });
const owner = enterprise(7201, 'SD');
const [provisional, taken, wrongFace] = [certificate(owner), certificate(owner), certificate(owner)];
let photos: FacePhotos;

beforeAll(async () => {
  photos = await facePhotos();
  await importRecords([provisional, taken, wrongFace], api.running.deps);
  for (const person of [provisional, taken, wrongFace]) await registerNationalPhoto(person, photos.hopper);
});

async function consentVersion(token: string): Promise<string> {
  return (await api.call('GET', '/api/learner/face/consent', { token })).body.textVersion;
}

async function unboundWechatUser(deviceId: string): Promise<string> {
  const login = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode(deviceId) } });
  expect(login.body.principal.role).toBe('wechat');
  return login.body.token;
}

test('when a provisionally bound learner passes 实名核身, then the binding turns verified and the session stays', async () => {
  const token = await boundLearner(api, 'identity-provisional-1', provisional.idNumber);
  expect((await api.call('GET', '/api/auth/me', { token })).body.principal.binding.state).toBe('PROVISIONAL');
  const refused = await sendPhoto(api, 'POST', '/api/learner/identity-verification', token, photos.hopperAgain);
  expect(refused.body.code).toBe('FACE_CONSENT_REQUIRED');

  await giveFaceConsent(api, token);
  const res = await sendPhoto(api, 'POST', '/api/learner/identity-verification', token, photos.hopperAgain);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ verified: true, reclaimed: false });
  const me = await api.call('GET', '/api/auth/me', { token });
  expect(me.body.principal.binding.state).toBe('VERIFIED');
  expect((await api.call('GET', '/api/learner/face', { token })).body.identityVerified).toBe(true);
});

test('when the live photo is somebody else, then 实名核身 fails in Chinese, the binding stays provisional, and failures lock the person like bind attempts', async () => {
  const token = await boundLearner(api, 'identity-wrong-1', wrongFace.idNumber);
  await giveFaceConsent(api, token);
  const first = await sendPhoto(api, 'POST', '/api/learner/identity-verification', token, photos.astronaut);
  expect(first.status).toBe(422);
  expect(first.body).toMatchObject({ code: 'IDENTITY_VERIFICATION_FAILED', details: { remainingAttempts: 4 } });
  expect(first.body.message).toContain('实名核身未通过');
  for (let i = 0; i < 3; i++) await sendPhoto(api, 'POST', '/api/learner/identity-verification', token, photos.noFace);
  const locked = await sendPhoto(api, 'POST', '/api/learner/identity-verification', token, photos.astronaut);
  expect(locked.status).toBe(423);
  expect(locked.body.code).toBe('ACCOUNT_LOCKED');
  // Even the right face is refused while the person is locked, and the initial password no longer binds them either.
  const meanwhile = await sendPhoto(api, 'POST', '/api/learner/identity-verification', token, photos.hopperAgain);
  expect(meanwhile.body.code).toBe('ACCOUNT_LOCKED');
  expect((await learnerBinds(api, 'identity-wrong-2', wrongFace.idNumber, '12345678')).body.code).toBe('ACCOUNT_LOCKED');
  expect((await api.call('GET', '/api/auth/me', { token })).body.principal.binding.state).toBe('PROVISIONAL');
});

test('when the real person binds by 实名核身 a record someone else bound provisionally, then they hold it verified and the other is told BINDING_REPLACED', async () => {
  const thief = await boundLearner(api, 'identity-thief-1', taken.idNumber);
  const wechat = await unboundWechatUser('identity-owner-1');
  const version = await consentVersion(wechat);

  const wrongName = await sendPhoto(api, 'POST', '/api/auth/learner/bind-with-identity', wechat, photos.hopperAgain, { name: '冒名者', idNumber: taken.idNumber, consentTextVersion: version });
  expect(wrongName.body.code).toBe('IDENTITY_VERIFICATION_FAILED');
  const noConsent = await sendPhoto(api, 'POST', '/api/auth/learner/bind-with-identity', wechat, photos.hopperAgain, { name: taken.name, idNumber: taken.idNumber });
  expect(noConsent.status).toBe(400);

  const bound = await sendPhoto(api, 'POST', '/api/auth/learner/bind-with-identity', wechat, photos.hopperAgain, { name: taken.name, idNumber: taken.idNumber, consentTextVersion: version });
  expect(bound.status).toBe(200);
  expect(bound.body.reclaimed).toBe(true);
  expect(bound.body.principal).toMatchObject({ role: 'learner', binding: { state: 'VERIFIED' } });
  expect(bound.body.principal.idNumberMasked).not.toContain(taken.idNumber.slice(6, 14));

  const thiefNext = await api.call('GET', '/api/auth/me', { token: thief });
  expect(thiefNext.status).toBe(401);
  expect(thiefNext.body.code).toBe('BINDING_REPLACED');
  const face = await api.call('GET', '/api/learner/face', { token: bound.body.token });
  expect(face.body).toMatchObject({ identityVerified: true, consent: { given: true, textVersion: version } });
  // The old WeChat session was only for binding: it is over.
  expect((await api.call('GET', '/api/auth/me', { token: wechat })).status).toBe(401);
});

describe('the simulator speaks Tencent Cloud API 3.0 and checks every signature', () => {
  const call = (secretKey: string, payload: object = { IdCard: taken.idNumber, Name: taken.name, ImageBase64: photos.hopper.toString('base64') }) =>
    tc3Call<{ Result: string; Sim: number }>({
      endpoint: process.env.TEST_TENCENTCLOUD_URL!,
      service: 'faceid',
      version: '2018-03-01',
      action: 'ImageRecognition',
      region: 'ap-guangzhou',
      credentials: { secretId: process.env.TEST_TENCENTCLOUD_SECRET_ID!, secretKey },
      payload,
    });

  test('when a call is signed with the right key, then it is answered; with a wrong key, then AuthFailure.SignatureFailure', async () => {
    expect(await call(process.env.TEST_TENCENTCLOUD_SECRET_KEY!)).toMatchObject({ Result: 'Success' });
    await expect(call('not-the-key')).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
    await expect(call('not-the-key')).rejects.toBeInstanceOf(Tc3ApiError);
  });

  test('when the body is changed after signing, or the Authorization header is malformed, then the call is refused before anything is compared', async () => {
    const url = new URL(process.env.TEST_TENCENTCLOUD_URL!);
    const timestamp = Math.floor(Date.now() / 1000);
    const signedBody = JSON.stringify({ IdCard: taken.idNumber, Name: taken.name, ImageBase64: photos.astronaut.toString('base64') });
    const credentials = { secretId: process.env.TEST_TENCENTCLOUD_SECRET_ID!, secretKey: process.env.TEST_TENCENTCLOUD_SECRET_KEY! };
    const headers = { 'content-type': TC3_CONTENT_TYPE, 'x-tc-action': 'ImageRecognition', 'x-tc-version': '2018-03-01', 'x-tc-timestamp': String(timestamp), 'x-tc-region': 'ap-guangzhou' };
    const authorization = tc3Authorization(credentials, { host: url.host, service: 'faceid', timestamp, body: signedBody });
    const send = async (body: string, auth: string) => (await (await fetch(url, { method: 'POST', headers: { ...headers, authorization: auth }, body })).json()).Response;
    expect((await send(signedBody, authorization)).Result).toBe('FailedOperation.CompareLowSimilarity');
    const swapped = signedBody.replace(photos.astronaut.toString('base64'), photos.hopper.toString('base64'));
    expect((await send(swapped, authorization)).Error.Code).toBe('AuthFailure.SignatureFailure');
    expect((await send(signedBody, 'TC3-HMAC-SHA256 Credential=x')).Error.Code).toBe('AuthFailure.InvalidAuthorization');
  });
});

test('when 实名核身 has run, then no log line and no stored face record holds a raw ID number or a photo', async () => {
  const rawIds = [provisional, taken, wrongFace].map((p) => p.idNumber);
  expect(logs.length).toBeGreaterThan(0);
  for (const line of logs) for (const id of rawIds) expect(line).not.toContain(id);
  const stored = JSON.stringify([
    await mongoose.connection.collection('faceaudit').find({}).toArray(),
    await mongoose.connection.collection('faceprofiles').find({}).toArray(),
  ]);
  expect(stored).toContain('IDENTITY_REFUSED');
  for (const id of rawIds) expect(stored).not.toContain(id);
  expect(stored).not.toContain(photos.hopperAgain.subarray(0, 60).toString('base64'));
});
