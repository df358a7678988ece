import { ORDER_TRANSITIONS, type OrderState } from '@ce/types';
import type { ClientSession, UpdateQuery } from 'mongoose';
import { OrderModel, type OrderDoc } from './data';

export interface Move {
  to: OrderState;
  /** `enterprise:<uscc>`, `learner:<id>`, `wechatpay`, `system`, `staff:<id>`. */
  by: string;
  /** Why, in Chinese, for whoever reads the order's history. */
  reason: string;
  at: Date;
}

export class IllegalTransition extends Error {
  constructor(from: OrderState, to: OrderState) {
    super(`order cannot move from ${from} to ${to}`);
  }
}

/**
 * The one place an order changes state: refuses a move ORDER_TRANSITIONS does not allow, and makes it only on
 * the version the caller read (so of two racing callers exactly one moves it), recording who, when and why.
 * `also` is set in the same write. Answers false when the order changed meanwhile: read it again and decide again.
 */
export async function moveOrder(order: OrderDoc, move: Move, also: UpdateQuery<OrderDoc>['$set'] = {}, session?: ClientSession): Promise<boolean> {
  if (!ORDER_TRANSITIONS[order.state].includes(move.to)) throw new IllegalTransition(order.state, move.to);
  const transition = { from: order.state, to: move.to, at: move.at, by: move.by, reason: move.reason };
  const result = await OrderModel.updateOne(
    { _id: order._id, state: order.state, version: order.version },
    { $set: { ...also, state: move.to, transitions: [...order.transitions, transition] }, $inc: { version: 1 } },
    { session },
  );
  return result.modifiedCount === 1;
}

/** A change that is not a state move (a new payment attempt, an extra payment), made only on the version read. */
export async function changeOrder(order: OrderDoc, set: UpdateQuery<OrderDoc>['$set'], session?: ClientSession): Promise<boolean> {
  const result = await OrderModel.updateOne({ _id: order._id, version: order.version }, { $set: set, $inc: { version: 1 } }, { session });
  return result.modifiedCount === 1;
}
