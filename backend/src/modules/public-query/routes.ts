import { certificateQueryRequest, certificateQueryResponse } from '@ce/types';
import { defineRoute } from '../../platform/http/route';
import { limitRate } from '../accounts';
import { queryCertificates } from './certificate-query';

export const publicQueryRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/public/certificate-query',
    tag: 'public',
    summary: '证书查询（姓名 + 身份证号 + 证书类别；只返回有效性与状态）',
    audience: 'public',
    body: certificateQueryRequest,
    response: certificateQueryResponse,
    handler: async ({ body, ip, deps }) => {
      await limitRate('certificate-query', ip, deps);
      return queryCertificates(body, deps);
    },
  }),
];
