import { batchEnrollRequest, employeeListQuery, employeeListResponse, enrollmentListResponse } from '@ce/types';
import { defineRoute, type Principal } from '../../platform/http/route';
import { listEmployeeCertificates } from './employees';
import { enrollCertificates, enrollmentsOfEnterprise, enrollmentsOfLearner, toEnrollmentSummary } from './enroll';
import { findSession } from '../accounts';

const enterprise = { roles: ['enterprise' as const] };

const provinceOf = (principal: Principal) => principal.province!;

export const enrollmentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/enterprise/employees',
    tag: 'enterprise',
    summary: '本企业人员证书及能否报名的原因',
    audience: enterprise,
    query: employeeListQuery,
    response: employeeListResponse,
    handler: async ({ principal, query, deps }) => listEmployeeCertificates(principal.subjectId, provinceOf(principal), query, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/enterprise/enrollments',
    tag: 'enterprise',
    summary: '批量报名（全部符合才提交；否则返回每人的原因，不写入任何数据）',
    audience: enterprise,
    body: batchEnrollRequest,
    response: enrollmentListResponse,
    status: 201,
    handler: async ({ principal, body, deps }) => {
      const session = await findSession(principal.sessionId);
      const created = await enrollCertificates(
        { enterpriseUscc: principal.subjectId, province: provinceOf(principal), accountId: session.accountId!, ...body },
        deps,
      );
      return { items: created.map(toEnrollmentSummary) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/enterprise/enrollments',
    tag: 'enterprise',
    summary: '本企业的报名记录',
    audience: enterprise,
    response: enrollmentListResponse,
    handler: async ({ principal }) => ({ items: (await enrollmentsOfEnterprise(principal.subjectId)).map(toEnrollmentSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/enrollments',
    tag: 'learner',
    summary: '我的报名',
    audience: { roles: ['learner'] },
    response: enrollmentListResponse,
    handler: async ({ principal }) => ({ items: (await enrollmentsOfLearner(principal.subjectId)).map(toEnrollmentSummary) }),
  }),
];
