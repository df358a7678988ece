import { createLogger } from '../../backend/src/platform/logger';
import { PaymentEventModel, PaymentIntentModel, prepayInMiniProgram, reconcileWechatPayment, type PaymentListener, type TransactionSucceeded } from '../../backend/src/modules/payments';
import { outTradeNo, usePaymentsStack } from './helpers';

// Notifications go nowhere here (WeChat Pay cannot reach the backend): the order is found by asking.
const stack = usePaymentsStack({}, { WECHATPAY_NOTIFY_URL: 'http://127.0.0.1:9/api/payments/wechat/notify' });
const told: TransactionSucceeded[] = [];
const listener: PaymentListener = { transactionSucceeded: async (event) => void told.push(event), refundSucceeded: async () => undefined };
const log = createLogger('silent');

test('when no notification arrives, asking WeChat Pay applies the payment once, however often it is asked', async () => {
  const no = outTradeNo('RC');
  await prepayInMiniProgram(stack.api.running.deps, { outTradeNo: no, amountFen: 4200, description: '培训费', payerOpenid: 'oReconcile00000000000000001' });
  expect(await reconcileWechatPayment(stack.api.running.deps, log, listener, no)).toBe('NOTPAY');
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(0);

  const paid = await stack.sim.payNow(no);
  expect(stack.sim.deliveries.at(-1)).toMatchObject({ attempt: 1, status: 'unreachable' });
  const states = await Promise.all([1, 2, 3].map(() => reconcileWechatPayment(stack.api.running.deps, log, listener, no)));
  expect(states).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(1);
  expect(told).toEqual([expect.objectContaining({ outTradeNo: no, transactionId: paid.transactionId, amountFen: 4200, afterClose: false })]);
  expect((await PaymentIntentModel.findOne({ outTradeNo: no }).lean())?.state).toBe('PAID');
});
