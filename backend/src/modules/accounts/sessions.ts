import { AppError } from '../../platform/errors';
import { randomToken, tokenDigest } from '../../platform/crypto';
import type { Deps, Principal } from '../../platform/http/route';
import { SessionModel, type SessionDoc } from './data';

export type NewSession = Pick<SessionDoc, 'role' | 'subjectId' | 'mustChangePassword'> & Partial<Pick<SessionDoc, 'accountId' | 'openid' | 'province' | 'city'>>;

export interface OpenedSession {
  token: string;
  session: SessionDoc;
}

export async function openSession(session: NewSession, deps: Deps): Promise<OpenedSession> {
  const token = randomToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.SESSION_TTL_HOURS * 3600_000);
  const doc = await SessionModel.create({ ...session, tokenHash: tokenDigest(token), createdAt: now, expiresAt });
  return { token, session: doc.toObject() };
}

/** Ends the subject's other live sessions; their clients are told why on their next request. */
export async function endOtherSessions(role: SessionDoc['role'], subjectId: string, keepSessionId: string, reason: NonNullable<SessionDoc['revokedReason']>, deps: Deps): Promise<void> {
  await SessionModel.updateMany(
    { role, subjectId, _id: { $ne: keepSessionId }, revokedAt: { $exists: false } },
    { $set: { revokedAt: deps.clock.now(), revokedReason: reason } },
  );
}

export async function endSession(sessionId: string, reason: NonNullable<SessionDoc['revokedReason']>, deps: Deps): Promise<void> {
  await SessionModel.updateOne({ _id: sessionId, revokedAt: { $exists: false } }, { $set: { revokedAt: deps.clock.now(), revokedReason: reason } });
}

export async function markPasswordChanged(sessionId: string): Promise<void> {
  await SessionModel.updateOne({ _id: sessionId }, { $set: { mustChangePassword: false } });
}

export async function findSession(sessionId: string): Promise<SessionDoc> {
  const doc = await SessionModel.findById(sessionId).lean();
  if (!doc) throw new AppError('UNAUTHENTICATED');
  return doc;
}

export async function authenticate(token: string, deps: Deps): Promise<Principal> {
  const doc = await SessionModel.findOne({ tokenHash: tokenDigest(token) }).lean();
  if (!doc) throw new AppError('UNAUTHENTICATED');
  if (doc.revokedReason === 'REPLACED') throw new AppError('SESSION_REPLACED');
  if (doc.revokedAt || doc.expiresAt <= deps.clock.now()) throw new AppError('SESSION_EXPIRED');
  return {
    sessionId: String(doc._id),
    role: doc.role,
    subjectId: doc.subjectId,
    province: doc.province,
    city: doc.city,
    mustChangePassword: doc.mustChangePassword,
  };
}
