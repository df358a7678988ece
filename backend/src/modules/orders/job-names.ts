/** Durable jobs of the orders module (defined in jobs.ts, enqueued by the use cases). */
export const ORDER_EXPIRE_JOB = 'order.expire';
export const ORDER_SETTLE_JOB = 'order.settle';
export const INVOICE_ISSUE_JOB = 'invoice.issue';
export const EXTRA_PAYMENT_REFUND_JOB = 'order.refund-extra-payment';
