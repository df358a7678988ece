import { classListResponse, classSummary, createClassRequest } from '@ce/types';
import { defineRoute } from '../../platform/http/route';
import { createClass, listClasses, toClassSummary } from './classes';
import { contentRoutes } from './content-routes';

export const catalogRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/enterprise/classes',
    tag: 'enterprise',
    summary: '本省学习班（按证书类别）',
    audience: { roles: ['enterprise'] },
    response: classListResponse,
    handler: async ({ principal }) => ({ items: (await listClasses(principal.province!)).map(toClassSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/classes',
    tag: 'admin',
    summary: '本省学习班（管理员）',
    audience: { roles: ['operator'] },
    response: classListResponse,
    handler: async ({ principal }) => ({ items: (await listClasses(principal.province!)).map(toClassSummary) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/classes',
    tag: 'admin',
    summary: '新建学习班（仅限本省；类别须为本省开设的类别；名称在本省唯一）',
    audience: { roles: ['operator'] },
    body: createClassRequest,
    response: classSummary,
    status: 201,
    handler: async ({ body, principal }) => toClassSummary(await createClass(body, principal.province)),
  }),
  ...contentRoutes,
];
