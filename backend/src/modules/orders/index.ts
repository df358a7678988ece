/**
 * Orders: one payer's payment for enrollments (WeChat Pay JSAPI / Native), with explicit, recorded state
 * transitions, expiry, self-healing confirmation, and the invoice issued once the payment is confirmed.
 */
export { OrderClaimModel, OrderModel, type ExtraPaymentDoc, type OrderDoc, type OrderItemDoc, type OrderOwner, type PaymentAttemptDoc } from './data';
export { IllegalTransition, moveOrder, changeOrder, type Move } from './transitions';
export { orderPaymentListener } from './listener';
export { applyConfirmedPayment, type ConfirmedPayment, type PaymentOutcome } from './payment-received';
export { defineOrderJobs, invoiceMailKey } from './jobs';
export { EXTRA_PAYMENT_REFUND_JOB, INVOICE_ISSUE_JOB, ORDER_EXPIRE_JOB, ORDER_SETTLE_JOB } from './job-names';
export { actorOf, findOwnOrder, payerOf } from './payer';
export { placeOrder, type PlaceOrder } from './create';
export { toOrderDetail, toOrderSummary } from './views';
export { orderRoutes } from './routes';
export { approveOfflineTransfer, OfflineTransferModel, offlineTransferPayerRoutes, rejectOfflineTransfer, submitOfflineTransfer, type OfflineTransferDoc } from './offline-transfer';
export { applyRefundSucceeded, defineRefundJobs, INVOICE_REVERSE_JOB, OrderRefundModel, requestOrderRefund, type OrderRefundDoc } from './refunds';
export { orderAdminRoutes } from './admin-routes';
