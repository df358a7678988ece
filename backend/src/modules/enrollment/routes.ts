import { batchEnrollRequest, employeeListQuery, employeeListResponse, enrollmentListResponse, selfEnrollmentOptions, selfEnrollRequest } from '@ce/types';
import { defineRoute, type Principal } from '../../platform/http/route';
import { listEmployeeCertificates } from './employees';
import { enrollCertificates, enrollmentsOfEnterprise, enrollmentsOfLearner, toEnrollmentSummary } from './enroll';
import { findSession } from '../accounts';
import { personalEnrollmentAllowed, selfEnroll, selfEnrollmentOptions as optionsFor } from './self-enroll';

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
    handler: async ({ principal }) => ({
      items: (await enrollmentsOfLearner(principal.subjectId)).map(toEnrollmentSummary),
      personalEnrollment: await personalEnrollmentAllowed(principal.province, principal.city),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/self-enrollment',
    tag: 'learner',
    summary: '自己报名缴费：本人证书及能否报名的原因、本省班级、发票抬头（本人姓名）；本地区不支持时 allowed=false 并说明',
    audience: { roles: ['learner'] },
    response: selfEnrollmentOptions,
    handler: async ({ principal, deps }) => optionsFor(principal.subjectId, provinceOf(principal), principal.city, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/enrollments',
    tag: 'learner',
    summary: '自己报名（仅本人证书，本地区政策允许时；规则与企业报名相同，由本人缴费）',
    audience: { roles: ['learner'] },
    body: selfEnrollRequest,
    response: enrollmentListResponse,
    status: 201,
    handler: async ({ principal, body, deps }) => {
      const session = await findSession(principal.sessionId);
      const created = await selfEnroll({ personId: principal.subjectId, accountId: session.accountId ?? `learner:${principal.subjectId}`, ...body }, deps);
      return { items: [toEnrollmentSummary(created)] };
    },
  }),
];
