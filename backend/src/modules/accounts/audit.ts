import { Schema, Types, model } from 'mongoose';
import { tokenDigest } from '../../platform/crypto';

export type AccountAuditAction =
  | 'ACTIVATION_CODE_ISSUED'
  | 'ACTIVATION_CODE_SUPERSEDED'
  | 'ACTIVATION_CODE_USED'
  | 'LEARNER_BOUND'
  | 'LEARNER_BINDING_REPLACED'
  | 'LEARNER_VERIFIED';

/** Who did it: an enterprise account, or a WeChat user (by a digest of the openid). */
export interface AuditActor {
  role: 'enterprise' | 'learner' | 'wechat' | 'system';
  accountId?: string;
  enterpriseUscc?: string;
  openidDigest?: string;
}

/**
 * What happened to whose learner identity, when and by whom: kept for good (no TTL). The person is named by
 * record id and masked ID number only; raw ID numbers and activation codes never enter it.
 */
export interface AccountAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  action: AccountAuditAction;
  actor: AuditActor;
  personId?: Types.ObjectId;
  idMasked?: string;
  certificateId?: Types.ObjectId;
  details?: Record<string, unknown>;
}

const accountAuditSchema = new Schema<AccountAuditDoc>({
  at: { type: Date, required: true },
  action: { type: String, required: true },
  actor: { type: Schema.Types.Mixed, required: true },
  personId: Schema.Types.ObjectId,
  idMasked: String,
  certificateId: Schema.Types.ObjectId,
  details: Schema.Types.Mixed,
});
accountAuditSchema.index({ personId: 1, at: -1 });
accountAuditSchema.index({ 'actor.enterpriseUscc': 1, at: -1 });
export const AccountAuditModel = model<AccountAuditDoc>('AccountAudit', accountAuditSchema, 'accountaudit');

export function wechatActor(openid: string, role: AuditActor['role'] = 'wechat'): AuditActor {
  return { role, openidDigest: tokenDigest(openid) };
}

export async function audit(entry: Omit<AccountAuditDoc, '_id'>): Promise<void> {
  await AccountAuditModel.create(entry);
}

/** A person's identity history, newest first (enterprise support and tests read it). */
export async function identityHistoryOf(personId: string): Promise<AccountAuditDoc[]> {
  return AccountAuditModel.find({ personId }).sort({ at: -1, _id: -1 }).lean();
}
