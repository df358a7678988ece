import { Schema, Types, model } from 'mongoose';
import type { StaffRole } from '@ce/types';

/**
 * An enterprise login. Accounts are never registered by hand: the certificate import derives them.
 * `passwordHash` stays empty until the first password change; until then the policy's initial password
 * (derived from public data such as the credit code) is accepted and the change is forced.
 */
export interface EnterpriseAccountDoc {
  _id: Types.ObjectId;
  province: string;
  /** Full enterprise name or credit code, whichever the province's policy logs in with. */
  loginId: string;
  enterpriseUscc: string;
  enterpriseName: string;
  passwordHash?: string;
  /** RENAMED: the enterprise now has an account under its new name. */
  status: 'ACTIVE' | 'RENAMED';
  renamedTo?: string;
  createdAt: Date;
}

const enterpriseAccountSchema = new Schema<EnterpriseAccountDoc>({
  province: { type: String, required: true },
  loginId: { type: String, required: true },
  enterpriseUscc: { type: String, required: true },
  enterpriseName: { type: String, required: true },
  passwordHash: String,
  status: { type: String, required: true, default: 'ACTIVE' },
  renamedTo: String,
  createdAt: { type: Date, required: true, default: () => new Date() },
});
enterpriseAccountSchema.index({ province: 1, loginId: 1 }, { unique: true });
enterpriseAccountSchema.index({ enterpriseUscc: 1 });
export const EnterpriseAccountModel = model<EnterpriseAccountDoc>('EnterpriseAccount', enterpriseAccountSchema);

/** A learner login, created when a WeChat user first binds to a person. */
export interface LearnerAccountDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  openid?: string;
  passwordHash?: string;
  createdAt: Date;
}

const learnerAccountSchema = new Schema<LearnerAccountDoc>({
  personId: { type: Schema.Types.ObjectId, required: true },
  openid: String,
  passwordHash: String,
  createdAt: { type: Date, required: true, default: () => new Date() },
});
learnerAccountSchema.index({ personId: 1 }, { unique: true });
learnerAccountSchema.index({ openid: 1 }, { unique: true, partialFilterExpression: { openid: { $type: 'string' } } });
export const LearnerAccountModel = model<LearnerAccountDoc>('LearnerAccount', learnerAccountSchema);

/** Reviewer (scoped to a city) or operator (province), created by the `staff:create` command. */
export interface StaffAccountDoc {
  _id: Types.ObjectId;
  username: string;
  role: StaffRole;
  province: string;
  city?: string;
  passwordHash: string;
  mustChangePassword: boolean;
  createdAt: Date;
}

const staffAccountSchema = new Schema<StaffAccountDoc>({
  username: { type: String, required: true },
  role: { type: String, required: true },
  province: { type: String, required: true },
  city: String,
  passwordHash: { type: String, required: true },
  mustChangePassword: { type: Boolean, required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
staffAccountSchema.index({ username: 1 }, { unique: true });
export const StaffAccountModel = model<StaffAccountDoc>('StaffAccount', staffAccountSchema);

export interface SessionDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  role: 'learner' | 'enterprise' | 'reviewer' | 'operator' | 'wechat';
  subjectId: string;
  /** The account whose password this session may change (enterprise, learner or staff account). */
  accountId?: string;
  openid?: string;
  province?: string;
  city?: string;
  mustChangePassword: boolean;
  createdAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: 'LOGOUT' | 'REPLACED' | 'PASSWORD_CHANGED' | 'BOUND';
}

const sessionSchema = new Schema<SessionDoc>({
  tokenHash: { type: String, required: true },
  role: { type: String, required: true },
  subjectId: { type: String, required: true },
  accountId: String,
  openid: String,
  province: String,
  city: String,
  mustChangePassword: { type: Boolean, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  revokedAt: Date,
  revokedReason: String,
});
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ role: 1, subjectId: 1 });
export const SessionModel = model<SessionDoc>('Session', sessionSchema);

/** Failed-login bookkeeping per identifier (existing or not, so lockout reveals nothing about accounts). */
export interface LoginThrottleDoc {
  _id: Types.ObjectId;
  key: string;
  failures: number;
  windowStartedAt: Date;
  lockedUntil?: Date;
}

const loginThrottleSchema = new Schema<LoginThrottleDoc>({
  key: { type: String, required: true },
  failures: { type: Number, required: true },
  windowStartedAt: { type: Date, required: true },
  lockedUntil: Date,
});
loginThrottleSchema.index({ key: 1 }, { unique: true });
export const LoginThrottleModel = model<LoginThrottleDoc>('LoginThrottle', loginThrottleSchema);
