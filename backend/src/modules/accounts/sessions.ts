import type { ErrorCode } from '@ce/types';
import { AppError } from '../../platform/errors';
import { randomToken, tokenDigest } from '../../platform/crypto';
import type { Deps, Principal } from '../../platform/http/route';
import { SessionModel, type RevokedReason, type SessionDoc } from './data';

export type NewSession = Pick<SessionDoc, 'role' | 'subjectId' | 'mustChangePassword'> &
  Partial<Pick<SessionDoc, 'accountId' | 'openid' | 'province' | 'city' | 'binding'>>;

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

const live = { revokedAt: { $exists: false } };

/** Ends the subject's other live sessions; their clients are told why on their next request. */
export async function endOtherSessions(role: SessionDoc['role'], subjectId: string, keepSessionId: string, reason: RevokedReason, deps: Deps): Promise<void> {
  await SessionModel.updateMany({ role, subjectId, _id: { $ne: keepSessionId }, ...live }, { $set: { revokedAt: deps.clock.now(), revokedReason: reason } });
}

/** Ends a learner's live sessions held by other WeChat users than `openid` (the person's record changed hands). */
export async function endOtherHoldersSessions(personId: string, openid: string, reason: RevokedReason, deps: Deps): Promise<void> {
  await SessionModel.updateMany({ role: 'learner', subjectId: personId, openid: { $ne: openid }, ...live }, { $set: { revokedAt: deps.clock.now(), revokedReason: reason } });
}

export async function endSession(sessionId: string, reason: RevokedReason, deps: Deps): Promise<void> {
  await SessionModel.updateOne({ _id: sessionId, ...live }, { $set: { revokedAt: deps.clock.now(), revokedReason: reason } });
}

export async function markPasswordChanged(sessionId: string): Promise<void> {
  await SessionModel.updateOne({ _id: sessionId }, { $set: { mustChangePassword: false } });
}

/** Keeps the binding shown by a person's live sessions current after it changed. */
export async function refreshLearnerSessions(personId: string, binding: NonNullable<SessionDoc['binding']>): Promise<void> {
  await SessionModel.updateMany({ role: 'learner', subjectId: personId, ...live }, { $set: { binding } });
}

export async function findSession(sessionId: string): Promise<SessionDoc> {
  const doc = await SessionModel.findById(sessionId).lean();
  if (!doc) throw new AppError('UNAUTHENTICATED');
  return doc;
}

/** What a revoked session's client is told; a plain logout or password change reads as "expired". */
const REVOKED_ANSWER: Partial<Record<RevokedReason, ErrorCode>> = { REPLACED: 'SESSION_REPLACED', BINDING_REPLACED: 'BINDING_REPLACED' };

export async function authenticate(token: string, deps: Deps): Promise<Principal> {
  const doc = await SessionModel.findOne({ tokenHash: tokenDigest(token) }).lean();
  if (!doc) throw new AppError('UNAUTHENTICATED');
  const revokedAnswer = doc.revokedReason && REVOKED_ANSWER[doc.revokedReason];
  if (revokedAnswer) throw new AppError(revokedAnswer);
  if (doc.revokedAt || doc.expiresAt <= deps.clock.now()) throw new AppError('SESSION_EXPIRED');
  const principal: Principal = {
    sessionId: String(doc._id),
    role: doc.role,
    subjectId: doc.subjectId,
    province: doc.province,
    city: doc.city,
    mustChangePassword: doc.mustChangePassword,
  };
  authenticatedSessions.set(principal, doc);
  return principal;
}

/** The session document `authenticate` read for this request's principal, so a handler need not read it again. */
const authenticatedSessions = new WeakMap<Principal, SessionDoc>();

/** The caller's session as read when the request was authenticated (read afresh only if it was not). */
export async function sessionOf(principal: Principal): Promise<SessionDoc> {
  return authenticatedSessions.get(principal) ?? findSession(principal.sessionId);
}
