import { CATEGORY_LABELS, cityOverrideRequest, cityPolicyParams, effectivePolicyQuery, enterpriseInitialPasswordHint, learnerInitialPasswordHint, effectivePolicyResponse, effectiveSettings, policyListResponse, provinceListResponse, provinceParams } from '@ce/types';
import { AppError } from '../../platform/errors';
import { defineRoute } from '../../platform/http/route';
import { setCityOverride } from './city-overrides';
import { getPolicy, listPolicies } from './policies';

const LOGIN_LABELS = { name: '企业名称（汉字全称）', uscc: '统一社会信用代码' } as const;

export const policyRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/public/provinces',
    tag: 'public',
    summary: '可用省份及其企业登录方式',
    audience: 'public',
    response: provinceListResponse,
    handler: async () => ({
      items: (await listPolicies()).map((p) => ({
        code: p.province,
        name: p.name,
        enterpriseLoginBy: p.settings.accounts.enterpriseLoginBy,
        enterpriseLoginLabel: LOGIN_LABELS[p.settings.accounts.enterpriseLoginBy],
        enterpriseInitialPasswordHint: enterpriseInitialPasswordHint(p.settings.accounts),
        learnerInitialPasswordHint: learnerInitialPasswordHint(p.settings.accounts),
        categories: p.categories.map((code) => ({ code, label: CATEGORY_LABELS[code] })),
      })),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/policies',
    tag: 'admin',
    summary: '本省政策设置（含地市差异）；管理员只能查看本省',
    audience: { roles: ['operator'] },
    response: policyListResponse,
    handler: async ({ principal }) => ({ items: (await listPolicies()).filter((p) => p.province === principal.province) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/policies/:province/effective',
    tag: 'admin',
    summary: '某省（或某地市）实际生效的政策设置',
    audience: { roles: ['operator'] },
    params: provinceParams,
    query: effectivePolicyQuery,
    response: effectivePolicyResponse,
    handler: async ({ params, query, principal }) => {
      if (principal.province !== params.province) throw new AppError('FORBIDDEN', { province: params.province }, '只能查看本省的政策设置');
      return { province: params.province, city: query.city, settings: effectiveSettings(await getPolicy(params.province), query.city) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/admin/policies/:province/cities/:city',
    tag: 'admin',
    summary: '设置某地市与本省不同的政策（只写不同之处；{} 表示与全省一致）；管理员只能设置本省',
    audience: { roles: ['operator'] },
    params: cityPolicyParams,
    body: cityOverrideRequest,
    response: effectivePolicyResponse,
    handler: async ({ params, body, principal, log }) => {
      if (principal.province !== params.province) throw new AppError('FORBIDDEN', { province: params.province }, '只能设置本省的政策');
      const settings = await setCityOverride(params.province, params.city, body.override);
      log.info({ province: params.province, city: params.city, operator: principal.subjectId }, 'city policy override set');
      return { province: params.province, city: params.city, settings };
    },
  }),
];
