import type { OrderDetail } from '@ce/types';
import type { Principal } from '../../platform/http/route';
import type { OrderDoc } from './data';
import { payableBy } from './pay';
import { invoiceOfOrder } from './payer';
import { toOrderDetail } from './views';

/** The order as the calling payer sees it: with its invoice status and the methods they may pay with now. */
export async function orderDetailFor(order: OrderDoc, principal: Principal): Promise<OrderDetail> {
  return toOrderDetail(order, await invoiceOfOrder(order), await payableBy(order, principal));
}
