import { addDays, chinaDate } from '@ce/types';
import type { ClientSession, Types } from 'mongoose';
import { EnrollmentModel, type EnrollmentDoc } from './data';

/** An enrollment an order may collect for: still awaiting payment. */
export function isPayable(enrollment: Pick<EnrollmentDoc, 'status'>): boolean {
  return enrollment.status === 'AWAITING_PAYMENT';
}

/** The last day of study: `windowDays` from the day of payment (China time), or the cycle's end when policy sets none. */
export function studyUntil(enrollment: Pick<EnrollmentDoc, 'cycleExpiry'>, paidAt: Date, windowDays: number | null): string {
  return windowDays === null ? enrollment.cycleExpiry : addDays(chinaDate(paidAt), windowDays);
}

/**
 * Marks the order's enrollments paid, each with its study window, in the caller's transaction. Answers how many
 * changed: only enrollments still awaiting payment are touched.
 */
export async function markEnrollmentsPaid(input: { enrollmentIds: Types.ObjectId[]; orderId: Types.ObjectId; paidAt: Date; windowDays: number | null }, session?: ClientSession): Promise<number> {
  const enrollments = await EnrollmentModel.find({ _id: { $in: input.enrollmentIds } }).session(session ?? null).lean();
  let changed = 0;
  for (const enrollment of enrollments) {
    const result = await EnrollmentModel.updateOne(
      { _id: enrollment._id, status: 'AWAITING_PAYMENT' },
      { $set: { status: 'PAID', paidAt: input.paidAt, paidByOrderId: input.orderId, studyUntil: studyUntil(enrollment, input.paidAt, input.windowDays) } },
      { session },
    );
    changed += result.modifiedCount;
  }
  return changed;
}
