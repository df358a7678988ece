import { createLogger } from '../../backend/src/platform/logger';
import { PaymentEventModel, PaymentIntentModel, prepayInMiniProgram, reconcileWechatPayment, type PaymentListener, type TransactionSucceeded } from '../../backend/src/modules/payments';
import { outTradeNo, usePaymentsStack } from './helpers';

// Notifications go nowhere here (WeChat Pay cannot reach the backend): the order is found by asking.
const stack = usePaymentsStack({}, { WECHATPAY_NOTIFY_URL: 'http://127.0.0.1:9/api/payments/wechat/notify' });
const told: TransactionSucceeded[] = [];
const listener: PaymentListener = { transactionSucceeded: async (event) => void told.push(event), refundSucceeded: async () => undefined };
const log = createLogger('silent');

test('when no notification arrives, asking WeChat Pay records the payment once and tells only that payment, however often it is asked (the listener’s effects are conditional: tests/orders show the order paid once)', async () => {
  const no = outTradeNo('RC');
  await prepayInMiniProgram(stack.api.running.deps, { outTradeNo: no, amountFen: 4200, description: '培训费', payerOpenid: 'oReconcile00000000000000001' });
  expect(await reconcileWechatPayment(stack.api.running.deps, log, listener, no)).toBe('NOTPAY');
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(0);

  const paid = await stack.sim.payNow(no);
  expect(stack.sim.deliveries.at(-1)).toMatchObject({ attempt: 1, status: 'unreachable' });
  const states = await Promise.all([1, 2, 3].map(() => reconcileWechatPayment(stack.api.running.deps, log, listener, no)));
  expect(states).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(1);
  expect(told.length).toBeGreaterThanOrEqual(1);
  expect(told.every((event) => event.outTradeNo === no && event.transactionId === paid.transactionId && event.amountFen === 4200 && !event.afterClose)).toBe(true);
  expect((await PaymentIntentModel.findOne({ outTradeNo: no }).lean())?.state).toBe('PAID');
});

test('when the process stopped after recording a payment but before applying it, then asking WeChat Pay again still tells the listener', async () => {
  const no = outTradeNo('RS');
  await prepayInMiniProgram(stack.api.running.deps, { outTradeNo: no, amountFen: 4300, description: '培训费', payerOpenid: 'oReconcile00000000000000002' });
  const paid = await stack.sim.payNow(no);
  // What a crash right after recordOnce leaves behind: the event recorded, nobody told.
  await PaymentEventModel.create({ key: `TRANSACTION.SUCCESS:${paid.transactionId}`, eventType: 'TRANSACTION.SUCCESS', notificationId: 'crashed', outTradeNo: no, transactionId: paid.transactionId, amountFen: 4300 });
  const before = told.length;
  expect(await reconcileWechatPayment(stack.api.running.deps, log, listener, no)).toBe('SUCCESS');
  expect(told.slice(before)).toEqual([expect.objectContaining({ outTradeNo: no, transactionId: paid.transactionId, amountFen: 4300 })]);
  expect(await PaymentEventModel.countDocuments({ outTradeNo: no })).toBe(1);
});
