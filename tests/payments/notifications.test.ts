import { generateKeyPairSync, createSign, randomBytes } from 'node:crypto';
import type { WechatPaySimulator } from '../../backend/simulators/wechatpay';
import { PaymentEventModel, PaymentIntentModel, prepayInMiniProgram } from '../../backend/src/modules/payments';
import { eventually, NOTIFY_PATH, outTradeNo, usePaymentsStack } from './helpers';

// Certificate downloads for unknown serials unthrottled: the rotation story happens within a second here.
const stack = usePaymentsStack({}, { WECHATPAY_CERT_REFRESH_MIN_SECONDS: '0' });
const OPENID = 'oTestPayer000000000000000001';

async function openIntent(amountFen = 36000) {
  const no = outTradeNo();
  await prepayInMiniProgram(stack.api.running.deps, { outTradeNo: no, amountFen, description: '继续教育培训费', payerOpenid: OPENID });
  return { no, amountFen };
}

function paidResource(sim: WechatPaySimulator, intent: { no: string; amountFen: number }, overrides: Record<string, unknown> = {}) {
  return {
    mchid: sim.mchid,
    appid: sim.appid,
    out_trade_no: intent.no,
    transaction_id: `4200${randomBytes(10).toString('hex')}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    success_time: '2025-03-01T10:00:00+08:00',
    payer: { openid: OPENID },
    amount: { total: intent.amountFen, payer_total: intent.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    ...overrides,
  };
}

function envelope(encrypted: object, eventType = 'TRANSACTION.SUCCESS'): string {
  return JSON.stringify({ id: randomBytes(8).toString('hex'), create_time: '2025-03-01T10:00:01+08:00', resource_type: 'encrypt-resource', event_type: eventType, summary: '支付成功', resource: encrypted });
}

function deliver(notification: { headers: Record<string, string>; body: string }) {
  return stack.api.call('POST', NOTIFY_PATH, { raw: notification.body, headers: notification.headers });
}

async function expectNothingChanged(no: string) {
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(0);
  expect((await PaymentIntentModel.findOne({ outTradeNo: no }).lean())?.state).toBe('OPEN');
}

const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

type Forgery = (sim: WechatPaySimulator, intent: { no: string; amountFen: number }) => { headers: Record<string, string>; body: string };

const FORGERIES: [string, Forgery][] = [
  [
    "a notification signed with someone else's key",
    (sim, intent) => {
      const signed = sim.sign(envelope(sim.encryptResource(paidResource(sim, intent))));
      const h = signed.headers;
      const forged = createSign('RSA-SHA256').update(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${signed.body}\n`).sign(strangerKey, 'base64');
      return { body: signed.body, headers: { ...h, 'wechatpay-signature': forged } };
    },
  ],
  [
    'a notification whose bytes changed after signing (re-serialised)',
    (sim, intent) => {
      const signed = sim.sign(envelope(sim.encryptResource(paidResource(sim, intent))));
      return { ...signed, body: JSON.stringify(JSON.parse(signed.body), null, 1) };
    },
  ],
  [
    'a notification whose ciphertext was tampered with (and then signed again)',
    (sim, intent) => {
      const encrypted = sim.encryptResource(paidResource(sim, intent));
      const bytes = Buffer.from(encrypted.ciphertext, 'base64');
      bytes[5] ^= 0x01;
      return sim.sign(envelope({ ...encrypted, ciphertext: bytes.toString('base64') }));
    },
  ],
  ['a notification for another amount', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, intent, { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }))))],
  ['a notification for another merchant', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, intent, { mchid: '1900009999' }))))],
  ['a notification for another app', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, intent, { appid: 'wx9999999999999999' }))))],
  ['a notification in another currency', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, intent, { amount: { total: intent.amountFen, currency: 'USD' } }))))],
  ['a notification for an order we never created', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, { ...intent, no: outTradeNo('NOPE') }))))],
  ['a notification signed more than five minutes ago', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, intent))), { timestamp: Math.floor(Date.now() / 1000) - 301 })],
  ['a notification dated more than five minutes ahead', (sim, intent) => sim.sign(envelope(sim.encryptResource(paidResource(sim, intent))), { timestamp: Math.floor(Date.now() / 1000) + 301 })],
  [
    'a notification naming a serial WeChat Pay never issued',
    (sim, intent) => {
      const signed = sim.sign(envelope(sim.encryptResource(paidResource(sim, intent))));
      return { ...signed, headers: { ...signed.headers, 'wechatpay-serial': '7' + 'A'.repeat(39) } };
    },
  ],
  ['a notification without signature headers', (sim, intent) => ({ headers: { 'content-type': 'application/json' }, body: envelope(sim.encryptResource(paidResource(sim, intent))) })],
];

describe('probe notifications', () => {
  test.each(FORGERIES)('when %s arrives, it is refused with a non-2xx answer and nothing changes', async (_label, forge) => {
    const intent = await openIntent();
    const res = await deliver(forge(stack.sim, intent));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toEqual({ code: 'FAIL', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    await expectNothingChanged(intent.no);
  });
});

describe('refund notifications', () => {
  test('when a REFUND.SUCCESS arrives for a refund we never requested, it is refused and nothing is recorded', async () => {
    const intent = await openIntent(3000);
    const resource = { mchid: stack.sim.mchid, out_trade_no: intent.no, transaction_id: '4200000000001', out_refund_no: `R${intent.no}`, refund_id: '50300000001', refund_status: 'SUCCESS', amount: { total: 3000, refund: 3000, payer_total: 3000, payer_refund: 3000 } };
    const res = await deliver(stack.sim.sign(envelope(stack.sim.encryptResource(resource), 'REFUND.SUCCESS')));
    expect(res.status).toBe(400);
    expect(await PaymentEventModel.countDocuments({ outTradeNo: intent.no })).toBe(0);
  });

  test('when a genuine event we do not act on yet arrives (REFUND.ABNORMAL), it is acknowledged (no day of retries) and nothing is recorded', async () => {
    const intent = await openIntent(3000);
    const res = await deliver(stack.sim.sign(envelope(stack.sim.encryptResource(paidResource(stack.sim, intent)), 'REFUND.ABNORMAL')));
    expect(res.status).toBe(200);
    await expectNothingChanged(intent.no);
  });
});

describe('genuine notifications', () => {
  test('when the payer pays, the simulator notifies and the payment is recorded once, with the intent marked paid', async () => {
    const intent = await openIntent(12000);
    const paid = await stack.sim.payNow(intent.no);
    const event = await eventually(() => PaymentEventModel.findOne({ outTradeNo: intent.no }).lean());
    expect(event).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', transactionId: paid.transactionId, amountFen: 12000 });
    expect(await PaymentIntentModel.findOne({ outTradeNo: intent.no }).lean()).toMatchObject({ state: 'PAID', transactionId: paid.transactionId });
    expect(stack.sim.deliveries.filter((d) => d.eventType === 'TRANSACTION.SUCCESS').at(-1)).toMatchObject({ attempt: 1, status: 200 });
  });

  test('when the same notification arrives 10 times at once, every delivery is answered 2xx and it is recorded once', async () => {
    const intent = await openIntent(50000);
    const notification = stack.sim.sign(envelope(stack.sim.encryptResource(paidResource(stack.sim, intent))));
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(notification)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await PaymentEventModel.countDocuments({ outTradeNo: intent.no })).toBe(1);
  });

  test('when WeChat Pay delivers a notification again later, it is acknowledged and not recorded twice', async () => {
    const intent = await openIntent(800);
    await stack.sim.payNow(intent.no);
    await eventually(() => PaymentEventModel.findOne({ outTradeNo: intent.no }).lean());
    expect(await stack.sim.deliverAgain(intent.no)).toBe(200);
    expect(await PaymentEventModel.countDocuments({ outTradeNo: intent.no })).toBe(1);
  });

  test('when WeChat Pay rotates its certificate, notifications signed with the new and the old serial are both accepted', async () => {
    const before = await openIntent(1000);
    const signedWithOld = stack.sim.sign(envelope(stack.sim.encryptResource(paidResource(stack.sim, before))));
    const newSerial = stack.sim.rotateCertificate();
    expect(stack.sim.certificateSerials()).toHaveLength(2);

    const after = await openIntent(2000);
    const signedWithNew = stack.sim.sign(envelope(stack.sim.encryptResource(paidResource(stack.sim, after))));
    expect(signedWithNew.headers['wechatpay-serial']).toBe(newSerial);
    expect((await deliver(signedWithNew)).status).toBe(200); // unknown serial: one certificate download, then verified
    expect((await deliver(signedWithOld)).status).toBe(200);
    expect(await PaymentEventModel.countDocuments({ outTradeNo: { $in: [before.no, after.no] } })).toBe(2);
  });
});
