import { randomBytes } from 'node:crypto';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../backend/simulators/wechatpay';
import { createWechatPayClient } from '../../backend/src/modules/payments/providers/wechatpay/client';
import { decodeNotification, NotificationRefused } from '../../backend/src/modules/payments/providers/wechatpay/notification';

let sim: WechatPaySimulator;
beforeAll(async () => {
  sim = await startWechatPaySimulator();
});
afterAll(() => sim.stop());

const downloads = () => sim.requests.filter((r) => r === 'GET /v3/certificates').length;

function clientWith(minIntervalMs: number) {
  return createWechatPayClient(
    { mchid: sim.mchid, appid: sim.appid, merchantPrivateKeyPem: sim.merchantPrivateKeyPem, merchantSerial: sim.merchantSerial, apiV3Key: sim.apiV3Key, baseUrl: sim.url, notifyUrl: 'http://127.0.0.1:9/notify', verification: { mode: 'certificate' }, certificateRefreshMinIntervalMs: minIntervalMs },
    () => Date.now(),
  );
}

function probe() {
  const signed = sim.sign(JSON.stringify({ id: 'probe', event_type: 'TRANSACTION.SUCCESS', resource: sim.encryptResource({}) }));
  return { body: Buffer.from(signed.body), headers: { ...signed.headers, 'wechatpay-serial': '6' + randomBytes(20).toString('hex').toUpperCase().slice(0, 39) } };
}

test('when probes name one unknown serial after another, at most one certificate download per interval is made and each probe is refused', async () => {
  const client = clientWith(60_000);
  const before = downloads();
  for (let i = 0; i < 5; i++) {
    const { body, headers } = probe();
    await expect(decodeNotification(body, headers, client.keys, sim.apiV3Key, Date.now())).rejects.toBeInstanceOf(NotificationRefused);
  }
  expect(downloads() - before).toBe(1);
});

test('when ten notifications with a new serial arrive at once, they share one certificate download', async () => {
  const client = clientWith(0);
  const before = downloads();
  sim.rotateCertificate();
  const signed = sim.sign(JSON.stringify({ id: 'n', event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource: sim.encryptResource({ ok: true }) }));
  const decoded = await Promise.all(Array.from({ length: 10 }, () => decodeNotification(Buffer.from(signed.body), signed.headers, client.keys, sim.apiV3Key, Date.now())));
  expect(decoded.every((d) => d.eventType === 'TRANSACTION.SUCCESS' && (d.resource as unknown as { ok: boolean }).ok)).toBe(true);
  expect(downloads() - before).toBe(1);
});
