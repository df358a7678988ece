import type { OrderDetail, OrderState, OrderSummary, OrderTransition } from '@ce/types';
import { ORDER_STATE_LABELS } from '@ce/types';
import { yuan } from '../utils/format';

/** Staff moves are recorded as `staff:<id>`, `reviewer:<id>` or `operator:<id>`. */
export function byStaff(by: string): boolean {
  return /^(staff|reviewer|operator):/.test(by);
}

/** Who made a move, in words a payer understands. */
export function actorWords(by: string): string {
  if (by.startsWith('enterprise:')) return '本企业';
  if (by.startsWith('learner:')) return '学员本人';
  if (by === 'wechatpay') return '微信支付';
  if (by === 'system') return '系统';
  if (by.startsWith('operator:')) return '管理员';
  if (byStaff(by)) return '审核员';
  return by;
}

/** One recorded move of an order, as a sentence: "提交订单", "微信支付成功", "超时未支付，订单已关闭". */
export function transitionWords(t: OrderTransition): string {
  const to: OrderState = t.to;
  if (t.from === null) return '提交订单，等待支付';
  if (to === 'PAID') return t.by === 'wechatpay' ? '微信支付成功' : byStaff(t.by) ? '审核通过，确认已收款' : '确认已支付';
  if (to === 'CLOSED') return t.by === 'system' ? '超过支付时限未支付，订单已关闭' : '订单已关闭';
  if (to === 'AWAITING_REVIEW') return '已提交转账信息，等待审核（订单待审核）';
  if (to === 'PENDING_PAYMENT' && t.from === 'AWAITING_REVIEW') return '转账审核未通过，订单回到待支付';
  if (to === 'REFUNDED') return '已全额退款';
  if (to === 'PARTIALLY_REFUNDED') return '已部分退款';
  return `订单状态变为“${ORDER_STATE_LABELS[to]}”`;
}

/** What the payer should know about a state, in one sentence. */
export function stateExplanation(order: Pick<OrderSummary, 'state'>): string {
  switch (order.state) {
    case 'PENDING_PAYMENT':
      return '订单已提交，请在支付时限内完成付款；超时订单自动关闭，需要重新下单。';
    case 'AWAITING_REVIEW':
      return '订单待审核：已收到转账信息，审核员一般在 1 个工作日内核对到账。';
    case 'PAID':
      return '已支付：报名已生效，学员可以开始学习。发票会自动开具并发送到邮箱。';
    case 'CLOSED':
      return '订单已关闭，没有扣款。如仍需缴费，请重新下单。';
    case 'PARTIALLY_REFUNDED':
      return '部分人员已退款，退款原路返回。';
    case 'REFUNDED':
      return '已全额退款，退款原路返回。';
    default:
      return '';
  }
}

/** "400.00 元（2 人）": the total always says it is yuan, and for how many. */
export function amountWords(order: Pick<OrderSummary, 'amountFen' | 'itemCount'>): string {
  return `${yuan(order.amountFen)}（${order.itemCount} 人）`;
}

/** "2 人 × 240.00 元" when everyone's fee is the same, else "共 3 人". */
export function breakdown(order: Pick<OrderDetail, 'items' | 'itemCount'>): string {
  const fees = new Set(order.items.map((i) => i.feeFen));
  return fees.size === 1 ? `${order.itemCount} 人 × ${yuan(order.items[0].feeFen)}` : `共 ${order.itemCount} 人`;
}

export function isPending(order: Pick<OrderDetail, 'state'>): boolean {
  return order.state === 'PENDING_PAYMENT';
}
