import { chinaDate } from '@ce/types';
import { Types } from 'mongoose';
import type { Deps, Principal } from '../platform/http/route';
import { EnterpriseAccountModel } from '../modules/accounts';
import { ClassModel } from '../modules/catalog';
import { EnrollmentModel, enrollCertificates } from '../modules/enrollment';
import { approveOfflineTransfer, OfflineTransferModel, OrderModel, placeOrder, submitOfflineTransfer, type OrderDoc } from '../modules/orders';
import { CertificateModel } from '../modules/registry';
import { DEMO_ENTERPRISES, type DemoEnterprise } from './dataset';

/** The seed acts as the enterprise and as the province's operator would; the order's history says it was the seed. */
function seedPrincipal(role: 'enterprise' | 'operator', subjectId: string, province: string, city?: string): Principal {
  return { sessionId: 'demo-seed', role, subjectId, province, city, mustChangePassword: false };
}

async function enrollmentOf(certificateNo: string, owner: DemoEnterprise, className: string, deps: Deps) {
  const certificate = await CertificateModel.findOne({ certificateNo }).lean();
  const find = () => EnrollmentModel.findOne({ certificateId: certificate!._id, cycleExpiry: certificate!.expiryDate }).lean();
  const existing = await find();
  if (existing) return existing;
  const klass = await ClassModel.findOne({ province: owner.province, name: className }).lean();
  const account = await EnterpriseAccountModel.findOne({ province: owner.province, enterpriseUscc: owner.uscc }).lean();
  await enrollCertificates({ enterpriseUscc: owner.uscc, province: owner.province, accountId: String(account!._id), classId: String(klass!._id), certificateIds: [String(certificate!._id)] }, deps);
  return (await find())!;
}

/** The order an interrupted seed left open, or a new one with the enterprise's 普票 details. */
async function openOrderFor(enrollmentId: Types.ObjectId, owner: DemoEnterprise, deps: Deps): Promise<OrderDoc> {
  const open = await OrderModel.findOne({ 'items.enrollmentId': enrollmentId, state: { $in: ['PENDING_PAYMENT', 'AWAITING_REVIEW'] } }).lean();
  if (open) return open;
  const invoice = { kind: 'NORMAL' as const, buyerType: 'ENTERPRISE' as const, title: owner.name, taxId: owner.uscc, email: 'finance@haiyue.example.com' };
  return placeOrder({ owner: { type: 'enterprise', id: owner.uscc }, province: owner.province, city: owner.city, by: 'enterprise:demo-seed', request: { enrollmentIds: [String(enrollmentId)], invoice } }, deps);
}

/**
 * 青岛海岳 enrolls the study learner and pays by 对公转账, which the province's operator confirms: a paid enrollment,
 * so a newcomer can bind as this learner and study at once. Done through the orders module's own steps; safe to
 * run again (a paid enrollment is left as it is).
 */
export async function seedPaidStudy(certificateNo: string, className: string, deps: Deps): Promise<void> {
  const owner = DEMO_ENTERPRISES.haiyue;
  const enrollment = await enrollmentOf(certificateNo, owner, className, deps);
  if (enrollment.status !== 'AWAITING_PAYMENT') return;
  let order = await openOrderFor(enrollment._id, owner, deps);
  if (order.state === 'PENDING_PAYMENT') {
    const details = { payerAccountName: owner.name, bankName: '中国工商银行青岛市南支行', transferDate: chinaDate(deps.clock.now()), amountFen: order.amountFen, reference: `继续教育培训费 ${order.orderNo}` };
    order = (await submitOfflineTransfer({ owner: { type: 'enterprise', id: owner.uscc }, principal: seedPrincipal('enterprise', owner.uscc, owner.province, owner.city), orderId: String(order._id), details }, deps)).order;
  }
  const transfer = await OfflineTransferModel.findOne({ orderId: order._id, state: 'AWAITING_REVIEW' }).lean();
  if (transfer) await approveOfflineTransfer({ principal: seedPrincipal('operator', 'demo-seed', owner.province), transferId: String(transfer._id) }, deps);
}
