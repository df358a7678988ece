import { processNow } from '../../platform/clock';
import { createLogger } from '../../platform/logger';
import type { PaymentListener } from '../payments';
import { applyConfirmedPayment, markExtraPaymentRefunded } from './payment-received';
import { applyRefundSucceeded } from './refunds';

// The listener is wired before any backend starts (no Deps here): it logs on its own, quietly under tests.
const log = createLogger(process.env.NODE_ENV === 'test' ? 'silent' : (process.env.LOG_LEVEL ?? 'info'));

/**
 * Orders acting on verified WeChat Pay events (wired as the composition root's `paymentListener`). A failure
 * here makes the notification answer 500, so WeChat Pay delivers it again; applying twice changes nothing.
 */
export const orderPaymentListener: PaymentListener = {
  async transactionSucceeded(event) {
    await applyConfirmedPayment({ outTradeNo: event.outTradeNo, transactionId: event.transactionId, amountFen: event.amountFen, successTime: event.successTime }, processNow(), log);
  },
  async refundSucceeded(event) {
    // A refund staff asked for, else money an order could not take being returned.
    if (!(await applyRefundSucceeded(event, processNow()))) await markExtraPaymentRefunded(event.outRefundNo);
  },
};
