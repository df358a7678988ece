import { randomInt } from 'node:crypto';

/** 订单号: the China date and ten random digits, e.g. 202605011234567890 (also the stem of every out_trade_no). */
export function newOrderNo(now: Date): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return day + String(randomInt(0, 100_000)).padStart(5, '0') + String(randomInt(0, 100_000)).padStart(5, '0');
}

/** WeChat Pay's out_trade_no for the order's n-th attempt to pay (a closed attempt's number is never reused). */
export function outTradeNoFor(orderNo: string, attempt: number): string {
  return `${orderNo}P${attempt}`;
}

/** The refund number for money the order could not take (unique per WeChat transaction). */
export function extraRefundNo(transactionId: string): string {
  return `RX${transactionId}`;
}
