import { z } from 'zod';

/** How we answer a WeChat Pay notification, in WeChat Pay's format: any non-2xx answer makes it deliver again. */
export const wechatPayNotificationAnswer = z.object({
  code: z.enum(['SUCCESS', 'FAIL']),
  message: z.string(),
});
export type WechatPayNotificationAnswer = z.infer<typeof wechatPayNotificationAnswer>;

/** What the mini-program passes to `wx.requestPayment` (JSAPI prepay). */
export const requestPaymentParams = z.object({
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string().startsWith('prepay_id='),
  signType: z.literal('RSA'),
  paySign: z.string(),
});
export type RequestPaymentParams = z.infer<typeof requestPaymentParams>;

/** Native prepay (paying from a PC): the URL to show as a QR code. */
export const nativePrepay = z.object({ codeUrl: z.string() });
export type NativePrepay = z.infer<typeof nativePrepay>;
