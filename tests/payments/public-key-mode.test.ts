import { randomBytes } from 'node:crypto';
import { PaymentEventModel, prepayInMiniProgram, queryPayment, refreshPlatformCertificates } from '../../backend/src/modules/payments';
import { eventually, NOTIFY_PATH, outTradeNo, usePaymentsStack } from './helpers';

/** Merchants registered since late 2024 get no platform certificate, only the WeChat Pay public key PUB_KEY_ID_…. */
const stack = usePaymentsStack({ mode: 'publicKey' });
const deps = () => stack.api.running.deps;

test('when the merchant only has the WeChat Pay public key, answers verify with it and /v3/certificates is never needed', async () => {
  const no = outTradeNo();
  const { prepayId } = await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 500, description: '培训费', payerOpenid: 'oPublicKeyMode0000000000001' });
  expect(prepayId).toMatch(/^wx/);
  expect(await refreshPlatformCertificates(deps())).toEqual([stack.sim.publicKeyId]);
  expect((await queryPayment(deps(), no)).trade_state).toBe('NOTPAY');
});

test('when a payment succeeds, its notification (Wechatpay-Serial: PUB_KEY_ID_…) is verified and recorded', async () => {
  const no = outTradeNo();
  await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 700, description: '培训费', payerOpenid: 'oPublicKeyMode0000000000002' });
  await stack.sim.payNow(no);
  const event = await eventually(() => PaymentEventModel.findOne({ outTradeNo: no }).lean());
  expect(event.amountFen).toBe(700);
  expect(stack.sim.notificationFor(no).headers['wechatpay-serial']).toBe(stack.sim.publicKeyId);
});

test('when a notification is signed with a platform certificate instead, it is refused and nothing is recorded', async () => {
  const no = outTradeNo();
  await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 900, description: '培训费', payerOpenid: 'oPublicKeyMode0000000000003' });
  stack.sim.useMode('certificate');
  try {
    const resource = { mchid: stack.sim.mchid, appid: stack.sim.appid, out_trade_no: no, transaction_id: `4200${randomBytes(8).toString('hex')}`, trade_state: 'SUCCESS', amount: { total: 900, currency: 'CNY' } };
    const signed = stack.sim.sign(JSON.stringify({ id: 'n1', event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource: stack.sim.encryptResource(resource) }));
    const res = await stack.api.call('POST', NOTIFY_PATH, { raw: signed.body, headers: signed.headers });
    expect(res.status).toBe(401);
    expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(0);
  } finally {
    stack.sim.useMode('publicKey');
  }
});
