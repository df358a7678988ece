import { Schema, Types, model } from 'mongoose';
import { processNow } from '../../platform/clock';
import type { LearnerBindingState, StaffRole } from '@ce/types';

/**
 * An enterprise login. It belongs to the legal entity (one per province and credit code) and is derived
 * from the certificate registry, never registered by hand. The login name follows the registry: a rename
 * changes `name` and keeps the password. `passwordHash` stays empty until the first change; until then the
 * policy's initial password (derived from public data such as the credit code) is accepted and a change is
 * forced.
 */
export interface EnterpriseAccountDoc {
  _id: Types.ObjectId;
  province: string;
  enterpriseUscc: string;
  enterpriseName: string;
  /** `enterpriseName` as typed logins are compared (see enterpriseNameKey). */
  nameKey: string;
  /** Names the enterprise had before, as keys: a login with one of them may be told the new name. */
  formerNameKeys: string[];
  city?: string;
  passwordHash?: string;
  passwordChangedAt?: Date;
  createdAt: Date;
}

const enterpriseAccountSchema = new Schema<EnterpriseAccountDoc>({
  province: { type: String, required: true },
  enterpriseUscc: { type: String, required: true },
  enterpriseName: { type: String, required: true },
  nameKey: { type: String, required: true },
  formerNameKeys: { type: [String], default: [] },
  city: String,
  passwordHash: String,
  passwordChangedAt: Date,
  createdAt: { type: Date, required: true, default: processNow },
});
enterpriseAccountSchema.index({ province: 1, enterpriseUscc: 1 }, { unique: true });
// Not unique: two enterprises may share a name (the login then asks for the credit code).
enterpriseAccountSchema.index({ province: 1, nameKey: 1 });
enterpriseAccountSchema.index({ province: 1, formerNameKeys: 1 });
export const EnterpriseAccountModel = model<EnterpriseAccountDoc>('EnterpriseAccount', enterpriseAccountSchema);

/** How the person behind a learner account was proven (see learner-binding.ts). */
export type BindingProof = 'INITIAL_PASSWORD' | 'ACTIVATION_CODE' | 'IDENTITY_VERIFICATION';

export interface BindingState {
  state: Exclude<LearnerBindingState, 'UNBOUND'>;
  since: Date;
  proof: BindingProof;
}

/**
 * A learner login: one per person, held by at most one WeChat user (`openid`) at a time.
 * PROVISIONAL (bound with public data only) can be taken over by a VERIFIED binding; VERIFIED never goes
 * back, and closes the initial-password path for the person.
 */
export interface LearnerAccountDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  openid?: string;
  passwordHash?: string;
  binding: BindingState;
  /** Keyed hash of the activation code this account was verified with, accepted as the current password until the learner sets one. */
  bindCodeHash?: string;
  createdAt: Date;
}

const bindingSchema = new Schema<BindingState>(
  { state: { type: String, required: true }, since: { type: Date, required: true }, proof: { type: String, required: true } },
  { _id: false },
);

const learnerAccountSchema = new Schema<LearnerAccountDoc>({
  personId: { type: Schema.Types.ObjectId, required: true },
  openid: String,
  passwordHash: String,
  binding: { type: bindingSchema, required: true },
  bindCodeHash: String,
  createdAt: { type: Date, required: true, default: processNow },
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
  createdAt: { type: Date, required: true, default: processNow },
});
staffAccountSchema.index({ username: 1 }, { unique: true });
export const StaffAccountModel = model<StaffAccountDoc>('StaffAccount', staffAccountSchema);

export type RevokedReason = 'LOGOUT' | 'REPLACED' | 'PASSWORD_CHANGED' | 'BOUND' | 'BINDING_REPLACED';

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
  /** Learners: the binding as it stood when the session opened (kept current by the binding use cases). */
  binding?: BindingState;
  createdAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: RevokedReason;
}

/** Expired sessions stay a week (so a client is told "expired", not "unknown"), then the database drops them. */
export const SESSION_KEPT_AFTER_EXPIRY_SECONDS = 7 * 24 * 3600;

const sessionSchema = new Schema<SessionDoc>({
  tokenHash: { type: String, required: true },
  role: { type: String, required: true },
  subjectId: { type: String, required: true },
  accountId: String,
  openid: String,
  province: String,
  city: String,
  mustChangePassword: { type: Boolean, required: true },
  binding: { type: bindingSchema, default: undefined },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  revokedAt: Date,
  revokedReason: String,
});
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ role: 1, subjectId: 1 });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: SESSION_KEPT_AFTER_EXPIRY_SECONDS });
export const SessionModel = model<SessionDoc>('Session', sessionSchema);
