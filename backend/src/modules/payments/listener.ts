/** A payment WeChat Pay notified and we verified: told to the listener exactly once. */
export interface TransactionSucceeded {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  payerOpenid?: string;
  successTime?: string;
  /** The intent had been closed (or had expired) before the money arrived: the order must accept or refund it. */
  afterClose: boolean;
}

export interface RefundSucceeded {
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  refundFen: number;
  successTime?: string;
}

/**
 * Who acts on verified payment events (orders, in a later issue), wired at the composition root. A listener
 * that throws makes the notification answer 500 and the event unrecorded, so WeChat Pay delivers it again.
 */
export interface PaymentListener {
  transactionSucceeded(event: TransactionSucceeded): Promise<void>;
  refundSucceeded(event: RefundSucceeded): Promise<void>;
}
