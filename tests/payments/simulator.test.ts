import { createServer, type Server } from 'node:http';
import { X509Certificate, randomBytes } from 'node:crypto';
import { startWechatPaySimulator, WECHAT_RETRY_DELAYS_MS, type WechatPaySimulator } from '../../backend/simulators/wechatpay';
import { createWechatPayClient } from '../../backend/src/modules/payments/providers/wechatpay/client';
import { eventually } from './helpers';

let sim: WechatPaySimulator;
let merchant: { status: number[]; seen: string[]; server: Server; url: string };

beforeAll(async () => {
  sim = await startWechatPaySimulator({ timeScale: 0.001 });
  const status = [500, 503, 204];
  const seen: string[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push(body);
    res.writeHead(status[Math.min(seen.length - 1, status.length - 1)]).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  merchant = { status, seen, server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/notify` };
});

afterAll(async () => {
  await sim.stop();
  merchant.server.close();
});

const client = () =>
  createWechatPayClient(
    { mchid: sim.mchid, appid: sim.appid, merchantPrivateKeyPem: sim.merchantPrivateKeyPem, merchantSerial: sim.merchantSerial, apiV3Key: sim.apiV3Key, baseUrl: sim.url, notifyUrl: merchant.url, verification: { mode: 'certificate' } },
    () => Date.now(),
  );

test('when a request carries a signature that does not verify, the simulator answers 401 SIGN_ERROR', async () => {
  const res = await fetch(`${sim.url}/v3/certificates`, {
    headers: { authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${sim.mchid}",nonce_str="n",timestamp="${Math.floor(Date.now() / 1000)}",serial_no="${sim.merchantSerial}",signature="${randomBytes(256).toString('base64')}"` },
  });
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
});

test('when the platform certificates are downloaded, they are real X.509 certificates whose serials are the ones served', async () => {
  const serials = await client().refreshCertificates();
  expect(serials).toEqual(sim.certificateSerials());
  const [downloaded] = await client().downloadCertificates();
  const certificate = new X509Certificate(downloaded.pem);
  expect(certificate.serialNumber.toUpperCase()).toBe(serials[0]);
  expect(certificate.verify(certificate.publicKey)).toBe(true);
});

test('when an order is reused with other parameters, WeChat Pay answers OUT_TRADE_NO_USED; a bad out_trade_no or expiry is a PARAM_ERROR', async () => {
  const pay = client();
  await pay.prepayNative({ outTradeNo: 'SIM-0001', amountFen: 100, description: '培训费' });
  await expect(pay.prepayNative({ outTradeNo: 'SIM-0001', amountFen: 200, description: '培训费' })).rejects.toMatchObject({ code: 'OUT_TRADE_NO_USED' });
  await expect(pay.prepayNative({ outTradeNo: 'bad no!', amountFen: 100, description: '培训费' })).rejects.toMatchObject({ code: 'PARAM_ERROR' });
  await expect(pay.prepayNative({ outTradeNo: 'SIM-0002', amountFen: 100, description: '培训费', timeExpire: '2020-01-01T00:00:00+08:00' })).rejects.toMatchObject({ code: 'PARAM_ERROR' });
});

test("when the merchant answers a notification with an error, the simulator retries on WeChat's schedule until it gets a 2xx", async () => {
  await client().prepayNative({ outTradeNo: 'SIM-RETRY-1', amountFen: 100, description: '培训费' });
  await sim.payNow('SIM-RETRY-1');
  await eventually(async () => sim.deliveries.filter((d) => d.url === merchant.url).length >= 3);
  const attempts = sim.deliveries.filter((d) => d.url === merchant.url);
  expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
    [1, 500],
    [2, 503],
    [3, 204],
  ]);
  expect(new Set(merchant.seen.map((body) => JSON.parse(body).id)).size).toBe(1); // the same notification each time
  expect(WECHAT_RETRY_DELAYS_MS.slice(0, 4)).toEqual([15_000, 15_000, 30_000, 180_000]);
});

