/**
 * Payments: WeChat Pay v3 (JSAPI in the mini-program, Native QR codes on a PC), refunds, and verified
 * notifications told to a PaymentListener exactly once. Other modules import only from here.
 */
export type { PaymentListener, RefundSucceeded, TransactionSucceeded } from './listener';
export type { PaymentErrorCode, PaymentIntentInput, RefundInput } from './payments';
export { closePayment, PaymentError, prepayByQrCode, prepayInMiniProgram, qrCodeSvg, queryPayment, queryRefund, refreshPlatformCertificates, requestRefund } from './payments';
export type { RequestPaymentParams, TransactionView, RefundView } from './providers/wechatpay/client';
export { UnverifiedResponseError, WechatPayApiError } from './providers/wechatpay/transport';
export { PaymentEventModel, PaymentIntentModel, PaymentRefundModel } from './data';
export type { PaymentEventDoc, PaymentIntentDoc, PaymentRefundDoc } from './data';
export { paymentRoutes } from './routes';
export { reconcileWechatPayment } from './notifications';

/** Until orders act on payments: verified events are only recorded (PaymentEventModel) and logged. */
export const recordOnlyPaymentListener: import('./listener').PaymentListener = {
  transactionSucceeded: async () => undefined,
  refundSucceeded: async () => undefined,
};
