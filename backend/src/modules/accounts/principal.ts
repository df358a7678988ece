import type { LoginResponse, SessionPrincipal } from '@ce/types';
import { EnterpriseModel, PersonModel } from '../registry';
import { StaffAccountModel, type SessionDoc } from './data';
import { bindingView, provisionalBinding } from './learner-binding';
import type { OpenedSession } from './sessions';

/**
 * What a client is told about who is logged in; never more than it needs (masked ID, no secrets).
 * One read besides the session: the learner's binding travels with the session so /api/auth/me stays cheap.
 */
export async function describeSession(session: SessionDoc): Promise<SessionPrincipal> {
  const base = { role: session.role, province: session.province as SessionPrincipal['province'], city: session.city, mustChangePassword: session.mustChangePassword };
  switch (session.role) {
    case 'learner': {
      const person = await PersonModel.findById(session.subjectId).lean();
      // Sessions opened before bindings had states were all bound with the initial password.
      const binding = bindingView(session.binding ?? provisionalBinding(session.createdAt), 'learner');
      return { ...base, displayName: person?.name ?? '学员', idNumberMasked: person?.idMasked, binding };
    }
    case 'enterprise': {
      const enterprise = await EnterpriseModel.findOne({ uscc: session.subjectId }).lean();
      return { ...base, displayName: enterprise?.name ?? session.subjectId, uscc: session.subjectId };
    }
    case 'wechat':
      return { ...base, displayName: '微信用户' };
    default: {
      const staff = await StaffAccountModel.findById(session.accountId).lean();
      return { ...base, displayName: staff?.username ?? '工作人员' };
    }
  }
}

export async function loginResponse({ token, session }: OpenedSession): Promise<LoginResponse> {
  return { token, expiresAt: session.expiresAt.toISOString(), principal: await describeSession(session) };
}
