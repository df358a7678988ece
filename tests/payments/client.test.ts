import { createVerify, generateKeyPairSync } from 'node:crypto';
import {
  closePayment,
  PaymentError,
  PaymentEventModel,
  PaymentIntentModel,
  prepayByQrCode,
  prepayInMiniProgram,
  qrCodeSvg,
  queryPayment,
  queryRefund,
  requestRefund,
  UnverifiedResponseError,
  WechatPayApiError,
} from '../../backend/src/modules/payments';
import { createWechatPayClient } from '../../backend/src/modules/payments/providers/wechatpay/client';
import { eventually, outTradeNo, usePaymentsStack } from './helpers';

const stack = usePaymentsStack();
const deps = () => stack.api.running.deps;
const OPENID = 'oTestPayer000000000000000002';

describe('paying in the mini-program (JSAPI)', () => {
  test('when a learner pays, the backend answers the requestPayment parameters signed with the merchant key', async () => {
    const no = outTradeNo();
    const { prepayId, requestPayment } = await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 36000, description: '继续教育培训费', payerOpenid: OPENID, expiresAt: new Date(Date.now() + 30 * 60_000) });
    expect(stack.sim.transaction(no)).toMatchObject({ prepayId, amountFen: 36000, payerOpenid: OPENID, state: 'NOTPAY' });
    expect(requestPayment).toMatchObject({ package: `prepay_id=${prepayId}`, signType: 'RSA', timeStamp: expect.stringMatching(/^\d{10}$/), nonceStr: expect.any(String) });
    const signed = `${stack.sim.appid}\n${requestPayment.timeStamp}\n${requestPayment.nonceStr}\n${requestPayment.package}\n`;
    expect(createVerify('RSA-SHA256').update(signed).verify(stack.sim.merchantPrivateKeyPem, requestPayment.paySign, 'base64')).toBe(true);
  });

  test('when the same order is prepaid again with the same terms, it gets the same prepay id; with other terms it is refused', async () => {
    const no = outTradeNo();
    const first = await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 100, description: '培训费', payerOpenid: OPENID });
    const again = await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 100, description: '培训费', payerOpenid: OPENID });
    expect(again.prepayId).toBe(first.prepayId);
    await expect(prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 200, description: '培训费', payerOpenid: OPENID })).rejects.toMatchObject({ code: 'INTENT_MISMATCH' });
  });

  test('when WeChat Pay refuses an order (a fraction of a fen), the refusal comes back with its code', async () => {
    await expect(prepayInMiniProgram(deps(), { outTradeNo: outTradeNo(), amountFen: 10.5, description: '培训费', payerOpenid: OPENID })).rejects.toMatchObject({ code: 'PARAM_ERROR', status: 400 });
  });
});

describe('paying from a PC (Native QR code)', () => {
  test('when a person scans the code and confirms on the pay page, the notification arrives and the payment is recorded', async () => {
    const no = outTradeNo('PC');
    const { codeUrl } = await prepayByQrCode(deps(), { outTradeNo: no, amountFen: 68000, description: '继续教育培训费（企业统一缴费）' });
    expect(codeUrl.startsWith(`${stack.sim.url}/pay/`)).toBe(true);
    expect(await qrCodeSvg(codeUrl)).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>\s*$/);
    const page = await (await fetch(codeUrl)).text();
    expect(page).toContain('¥680.00');
    const confirmed = await (await fetch(`${codeUrl}/confirm`, { method: 'POST' })).text();
    expect(confirmed).toContain('支付成功');
    await eventually(() => PaymentEventModel.findOne({ outTradeNo: no }).lean());
    expect(await queryPayment(deps(), no)).toMatchObject({ trade_state: 'SUCCESS', amount: { total: 68000 } });
  });

  test('when the person cancels on the pay page, nothing is paid and nothing is recorded', async () => {
    const no = outTradeNo('PC');
    const { codeUrl } = await prepayByQrCode(deps(), { outTradeNo: no, amountFen: 100, description: '培训费' });
    await fetch(`${codeUrl}/cancel`, { method: 'POST' });
    expect((await queryPayment(deps(), no)).trade_state).toBe('PAYERROR');
    expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(0);
  });
});

describe('every answer is verified', () => {
  test('when an answer carries a signature that does not verify, the client refuses to use it', async () => {
    const no = outTradeNo();
    stack.sim.corruptResponseSignatures(1);
    await expect(prepayByQrCode(deps(), { outTradeNo: no, amountFen: 100, description: '培训费' })).rejects.toBeInstanceOf(UnverifiedResponseError);
    expect((await queryPayment(deps(), no)).trade_state).toBe('NOTPAY'); // the next answer verifies again
  });

  test("when the merchant key is wrong, every answer (certificates included) is refused, so nothing unverified is used", async () => {
    const sim = stack.sim;
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const client = createWechatPayClient(
      { mchid: sim.mchid, appid: sim.appid, merchantPrivateKeyPem: stranger, merchantSerial: sim.merchantSerial, apiV3Key: sim.apiV3Key, baseUrl: sim.url, notifyUrl: 'http://127.0.0.1:9/notify', verification: { mode: 'certificate' } },
      () => Date.now(),
    );
    // WeChat Pay answers SIGN_ERROR (tests/payments/simulator.test.ts), signed with a certificate this client
    // could not download: the refusal itself cannot be verified.
    await expect(client.queryTransaction('NO-SUCH-ORDER')).rejects.toBeInstanceOf(UnverifiedResponseError);
    await expect(client.refreshCertificates()).rejects.toBeInstanceOf(UnverifiedResponseError);
  });
});

describe('closing', () => {
  test('when an unpaid order is closed, WeChat Pay and the intent both say closed', async () => {
    const no = outTradeNo();
    await prepayByQrCode(deps(), { outTradeNo: no, amountFen: 100, description: '培训费' });
    await closePayment(deps(), no);
    expect((await queryPayment(deps(), no)).trade_state).toBe('CLOSED');
    expect((await PaymentIntentModel.findOne({ outTradeNo: no }).lean())?.state).toBe('CLOSED');
  });

  test('when a paid order is closed, WeChat Pay answers ORDERPAID and the payment stays recorded', async () => {
    const no = outTradeNo();
    await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen: 100, description: '培训费', payerOpenid: OPENID });
    await stack.sim.payNow(no);
    const refused = await closePayment(deps(), no).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WechatPayApiError);
    expect(refused).toMatchObject({ code: 'ORDERPAID' });
    expect((await PaymentIntentModel.findOne({ outTradeNo: no }).lean())?.state).toBe('PAID');
  });
});

describe('refunds', () => {
  async function paidOrder(amountFen: number) {
    const no = outTradeNo();
    await prepayInMiniProgram(deps(), { outTradeNo: no, amountFen, description: '培训费', payerOpenid: OPENID });
    await stack.sim.payNow(no);
    await eventually(() => PaymentEventModel.findOne({ outTradeNo: no }).lean());
    return no;
  }

  test('when a refund is retried with the same out_refund_no, one refund is made and its notification recorded once', async () => {
    const no = await paidOrder(30000);
    const outRefundNo = `R${no}`;
    const answers = await Promise.all([1, 2, 3].map(() => requestRefund(deps(), { outTradeNo: no, outRefundNo, refundFen: 10000, reason: '学员退课' })));
    expect(new Set(answers.map((a) => a.refundId)).size).toBe(1);
    expect(answers.map((a) => a.status)).toContain('PROCESSING'); // accepted; the outcome comes as a notification
    const event = await eventually(() => PaymentEventModel.findOne({ eventType: 'REFUND.SUCCESS', outRefundNo }).lean());
    expect(event).toMatchObject({ amountFen: 10000, refundId: answers[0].refundId });
    expect(await stack.sim.deliverAgain(outRefundNo)).toBe(200);
    expect(await PaymentEventModel.countDocuments({ eventType: 'REFUND.SUCCESS', outTradeNo: no })).toBe(1);
    expect((await queryRefund(deps(), outRefundNo)).status).toBe('SUCCESS');
  });

  test('when partial refunds would exceed the amount paid, the last one is refused; the full remainder is accepted', async () => {
    const no = await paidOrder(1000);
    await requestRefund(deps(), { outTradeNo: no, outRefundNo: `R1${no}`, refundFen: 600 });
    await expect(requestRefund(deps(), { outTradeNo: no, outRefundNo: `R2${no}`, refundFen: 500 })).rejects.toMatchObject({ code: 'NOT_ENOUGH' });
    await requestRefund(deps(), { outTradeNo: no, outRefundNo: `R3${no}`, refundFen: 400 });
    await eventually(async () => (await PaymentEventModel.countDocuments({ eventType: 'REFUND.SUCCESS', outTradeNo: no })) === 2);
  });

  test('when the same out_refund_no is reused for another amount, it is refused before WeChat Pay is asked', async () => {
    const no = await paidOrder(1000);
    await requestRefund(deps(), { outTradeNo: no, outRefundNo: `R${no}`, refundFen: 100 });
    await expect(requestRefund(deps(), { outTradeNo: no, outRefundNo: `R${no}`, refundFen: 200 })).rejects.toBeInstanceOf(PaymentError);
  });
});
