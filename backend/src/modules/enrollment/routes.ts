import { batchEnrollRequest, CERTIFICATE_CATEGORIES, classListResponse, classSummary, employeeListQuery, employeeListResponse, enrollmentListResponse, PROVINCES } from '@ce/types';
import { z } from 'zod';
import { defineRoute, type Principal } from '../../platform/http/route';
import { createClass, listClasses, toClassSummary } from './classes';
import { listEmployeeCertificates } from './employees';
import { enrollCertificates, enrollmentsOfEnterprise, enrollmentsOfLearner, toEnrollmentSummary } from './enroll';
import { findSession } from '../accounts/sessions';

const enterprise = { roles: ['enterprise' as const] };

const createClassRequest = z.strictObject({
  province: z.enum(PROVINCES),
  name: z.string().trim().min(2).max(60),
  category: z.enum(CERTIFICATE_CATEGORIES),
  jobType: z.string().trim().min(1).max(30).optional(),
  subCategory: z.string().trim().min(1).max(30).optional(),
  feeFen: z.number().int().min(0).max(10_000_000),
});

const provinceOf = (principal: Principal | undefined) => principal!.province!;

export const enrollmentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/enterprise/classes',
    tag: 'enterprise',
    summary: '本省学习班（按证书类别）',
    audience: enterprise,
    response: classListResponse,
    handler: async ({ principal }) => ({ items: (await listClasses(provinceOf(principal))).map(toClassSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/enterprise/employees',
    tag: 'enterprise',
    summary: '本企业人员证书及能否报名的原因',
    audience: enterprise,
    query: employeeListQuery,
    response: employeeListResponse,
    handler: async ({ principal, query, deps }) => listEmployeeCertificates(principal!.subjectId, provinceOf(principal), query, deps),
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
      const session = await findSession(principal!.sessionId);
      const created = await enrollCertificates(
        { enterpriseUscc: principal!.subjectId, province: provinceOf(principal), accountId: session.accountId!, ...body },
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
    handler: async ({ principal }) => ({ items: (await enrollmentsOfEnterprise(principal!.subjectId)).map(toEnrollmentSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/enrollments',
    tag: 'learner',
    summary: '我的报名',
    audience: { roles: ['learner'] },
    response: enrollmentListResponse,
    handler: async ({ principal }) => ({ items: (await enrollmentsOfLearner(principal!.subjectId)).map(toEnrollmentSummary) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/classes',
    tag: 'admin',
    summary: '新建学习班',
    audience: { roles: ['operator'] },
    body: createClassRequest,
    response: classSummary,
    status: 201,
    handler: async ({ body }) => toClassSummary(await createClass(body)),
  }),
];
