import path from 'node:path';
import { z, type ZodType } from 'zod';
import { errorBody } from '@ce/types';
import type { AnyRoute } from './route';

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}

function parameters(schema: ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: prop,
  }));
}

function audienceText(route: AnyRoute): string {
  return route.audience === 'public' ? 'public' : route.audience.roles.join(', ');
}

/** The form of a multipart route: its body's fields plus the file part (binary, with its accepted types and size). */
function multipartSchema(route: AnyRoute): Record<string, unknown> {
  const fields = (route.body ? jsonSchema(route.body, 'input') : { type: 'object', properties: {} }) as { properties?: Record<string, unknown> };
  const field = route.multipart!.field ?? 'file';
  const { spool, maxBytes } = route.multipart!;
  const limit = spool ? `最大 ${maxBytes} 字节，且不超过 VIDEO_UPLOAD_MAX_BYTES（默认 200 MB）` : `最大 ${maxBytes} 字节`;
  const file = { type: 'string', format: 'binary', description: `可选；${route.multipart!.types.join('、')}，${limit}` };
  return { ...fields, type: 'object', properties: { ...(fields.properties ?? {}), [field]: file }, 'x-max-file-bytes': route.multipart!.maxBytes, 'x-file-types': route.multipart!.types };
}

/** OpenAPI 3.1 built from the same route table and schemas that validate requests. */
export function buildOpenApi(routes: AnyRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const p = route.path.replace(/:(\w+)/g, '{$1}');
    paths[p] ??= {};
    paths[p][route.method] = {
      summary: route.summary,
      tags: [route.tag],
      'x-audience': audienceText(route),
      description: `调用方：${audienceText(route)}`,
      security: route.audience === 'public' ? [] : [{ bearer: [] }],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      ...(route.multipart ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: multipartSchema(route) }, 'application/json': { schema: route.body ? jsonSchema(route.body, 'input') : {} } } } } : {}),
      ...(route.rawBody ? { 'x-raw-body': true, requestBody: { required: true, description: '原始字节（按字节验签后才解析）', content: { 'application/json': { schema: {} } } } } : {}),
      responses: {
        [String(route.status ?? 200)]: route.sendsFile || route.streams
          ? { description: route.streams ? '文件内容（支持 Range：206 部分内容，416 超出范围）' : '文件内容', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
          : { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
        default: { description: '错误 {code, message, details}', content: { 'application/json': { schema: jsonSchema(errorBody, 'output') } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: '继续教育平台 API', version: '0.1.0', description: '学员、企业、审核员与管理员接口。错误统一为 {code, message, details}。' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

export const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

export const docsPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>继续教育平台 API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;
