import { wechatPayNotificationAnswer } from '@ce/types';
import { defineRoute, type AnyRoute } from '../../platform/http/route';
import type { PaymentListener } from './listener';
import { receiveWechatPayNotification } from './notifications';

/** WeChat Pay's callbacks; the listener (wired at the composition root) acts on verified events. */
export function paymentRoutes(listener: PaymentListener): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/payments/wechat/notify',
      tag: 'payments',
      summary: '微信支付通知（支付成功、退款成功）：按原始字节验签、解密并核对后记录一次',
      audience: 'public',
      rawBody: true,
      response: wechatPayNotificationAnswer,
      handler: async ({ deps, log, rawBody, headers, answerStatus }) => {
        const answer = await receiveWechatPayNotification(deps, log, listener, rawBody, headers);
        answerStatus(answer.status);
        return answer.body;
      },
    }),
  ];
}
