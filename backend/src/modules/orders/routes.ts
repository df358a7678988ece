import { createOrderRequest, idParams, orderCheckResponse, orderDetail, orderListResponse, payOrderRequest, payOrderResponse } from '@ce/types';
import { defineRoute } from '../../platform/http/route';
import { checkOrderPayment } from './check';
import { invoiceRoutes } from './invoice-routes';
import { placeOrder } from './create';
import { payOrder } from './pay';
import { actorOf, findOwnOrder, ordersOf, payerOf } from './payer';
import { orderDetailFor } from './read';
import { toOrderSummary } from './views';

const payers = { roles: ['enterprise' as const, 'learner' as const] };

export const orderRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/orders',
    tag: 'orders',
    summary: '提交订单（本企业待缴费的报名；或学员本人自己报名的记录，本地区政策允许时，普票抬头为本人姓名；金额按班级费用固定；发票信息随订单确认）',
    audience: payers,
    body: createOrderRequest,
    response: orderDetail,
    status: 201,
    handler: async ({ principal, body, deps }) => {
      const order = await placeOrder({ owner: payerOf(principal), province: principal.province!, city: principal.city, by: actorOf(principal), request: body }, deps);
      return orderDetailFor(order, principal);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/orders',
    tag: 'orders',
    summary: '我的订单（企业或学员本人），最新的在前',
    audience: payers,
    response: orderListResponse,
    handler: async ({ principal }) => ({ items: (await ordersOf(payerOf(principal))).map(toOrderSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/orders/:id',
    tag: 'orders',
    summary: '订单详情（仅本人订单；他人订单按不存在处理）',
    audience: payers,
    params: idParams,
    response: orderDetail,
    handler: async ({ principal, params }) => orderDetailFor(await findOwnOrder(payerOf(principal), params.id), principal),
  }),
  defineRoute({
    method: 'post',
    path: '/api/orders/:id/pay',
    tag: 'orders',
    summary: '去支付：WECHAT_JSAPI（学员在小程序内，返回 wx.requestPayment 参数）或 WECHAT_NATIVE（电脑扫码，返回二维码）',
    audience: payers,
    params: idParams,
    body: payOrderRequest,
    response: payOrderResponse,
    handler: async ({ principal, params, body, deps, log }) => payOrder({ principal, orderId: params.id, method: body.method }, deps, log),
  }),
  defineRoute({
    method: 'get',
    path: '/api/orders/:id/check',
    tag: 'orders',
    summary: '支付遇到问题？向微信支付查询并返回订单真实状态（不会在支付可能进行中时提示重新支付）',
    audience: payers,
    params: idParams,
    response: orderCheckResponse,
    handler: async ({ principal, params, deps, log }) => checkOrderPayment(principal, params.id, deps, log),
  }),
  ...invoiceRoutes,
];
