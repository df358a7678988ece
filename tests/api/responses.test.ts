import type { Server } from 'node:http';
import { z } from 'zod';
import { allRoutes } from '../../backend/src/routes';
import { systemClock } from '../../backend/src/platform/clock';
import { createHttpApp } from '../../backend/src/platform/http/app';
import { defineRoute, type AnyRoute } from '../../backend/src/platform/http/route';
import { createLogger } from '../../backend/src/platform/logger';
import { listen } from '../../backend/src/platform/process';
import { fileStore, signedFileUrl } from '../../backend/src/platform/storage';
import { useTestBackend, type ApiResponse } from '../helpers/backend';
import { testConfig } from '../helpers/db';
import { createClass, enterpriseReady, importRecords, learnerBinds, NEW_PASSWORD, operatorReady, wechatCode } from '../helpers/journeys';
import { certificate, enterprise, monthsFromToday } from '../helpers/records';

/**
 * Every API test runs with RESPONSE_VALIDATION=strict (tests/helpers/db.ts): an answer that does not match its
 * route's response schema becomes a logged 500, so the test that saw it fails. This file shows the check
 * works, and walks every route of the product once, checking each answer against its schema here as well.
 */

describe('the strict response check', () => {
  const answer = z.object({ id: z.string(), count: z.number().int() });
  const sloppy = defineRoute({
    method: 'get',
    path: '/api/test/sloppy',
    tag: 'test',
    summary: 'answers a number where its schema says text',
    audience: 'public',
    response: answer,
    handler: async () => ({ id: 42 }) as unknown as z.input<typeof answer>,
  });

  async function serve(mode: 'strict' | 'off') {
    const lines: Record<string, any>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = createHttpApp({
      deps: { config: testConfig({ RESPONSE_VALIDATION: mode }), logger, clock: systemClock },
      routes: [sloppy],
      authenticate: async () => {
        throw new Error('no sessions here');
      },
    });
    const server: Server = (await import('node:http')).createServer(app.callback());
    await listen(server, 0, '127.0.0.1');
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, lines, server };
  }

  test('when a route answers something its schema does not describe, then strict mode turns it into a logged 500', async () => {
    const { url, lines, server } = await serve('strict');
    try {
      const res = await fetch(url + '/api/test/sloppy', { headers: { 'x-request-id': 'sloppy-1' } });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: 'INTERNAL' });
      const logged = lines.find((l) => l.msg === 'response does not match its schema');
      expect(logged).toMatchObject({ reqId: 'sloppy-1', route: 'GET /api/test/sloppy' });
      expect(logged!.issues.map((i: { path: string }) => i.path).sort()).toEqual(['count', 'id']);
    } finally {
      server.close();
    }
  });

  test('when the check is off (production), then the same answer goes out unchanged', async () => {
    const { url, server } = await serve('off');
    try {
      const res = await fetch(url + '/api/test/sloppy');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: 42 });
    } finally {
      server.close();
    }
  });
});

describe('every route of the product', () => {
  const api = useTestBackend();
  const owner = enterprise(951, 'SD');
  const holder = certificate(owner, { expiryDate: monthsFromToday(3) });
  const checked = new Set<string>();

  function routeOf(method: string, path: string): AnyRoute {
    const pathname = path.split('?')[0];
    const route = allRoutes.find((r) => r.method === method.toLowerCase() && new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+')}$`).test(pathname));
    if (!route) throw new Error(`no route for ${method} ${pathname}`);
    return route;
  }

  /** Calls the API and checks a success against the route's response schema (the server checked it too). */
  async function call(method: string, path: string, options: Parameters<typeof api.call>[2] = {}): Promise<ApiResponse> {
    const res = await api.call(method, path, options);
    const route = routeOf(method, path);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    const parsed = (route.response as z.ZodType).safeParse(res.body);
    if (!parsed.success) throw new Error(`${method} ${path}: ${JSON.stringify(parsed.error.issues)}`);
    checked.add(`${route.method.toUpperCase()} ${route.path}`);
    return res;
  }

  test('when each route is called as its audience would, then every answer matches its response schema', async () => {
    await importRecords([holder], api.running.deps);

    await call('GET', '/api/public/provinces');
    await call('POST', '/api/public/certificate-query', { body: { name: holder.name, idNumber: holder.idNumber, category: 'C' } });

    const operator = await operatorReady(api, 'SD');
    await call('GET', '/api/auth/me', { token: operator });
    await call('GET', '/api/admin/policies', { token: operator });
    await call('GET', `/api/admin/policies/SD/effective?city=${encodeURIComponent('淄博市')}`, { token: operator });
    const classId = await createClass(api, operator, { province: 'SD', name: '响应检查C类班', category: 'C' });
    await call('GET', '/api/admin/classes', { token: operator });

    const token = await enterpriseReady(api, 'SD', owner.name, owner.uscc);
    await call('GET', '/api/enterprise/classes', { token });
    const employees = await call('GET', '/api/enterprise/employees', { token });
    const certificateId = employees.body.items[0].certificateId;
    const enrolled = await call('POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds: [certificateId] } });
    await call('GET', '/api/enterprise/enrollments', { token });
    const invoice = { kind: 'NORMAL', buyerType: 'ENTERPRISE', title: owner.name, taxId: owner.uscc, email: 'caiwu@responses.example.com' };
    const order = await call('POST', '/api/orders', { token, body: { enrollmentIds: [enrolled.body.items[0].id], invoice } });
    await call('GET', '/api/orders', { token });
    await call('GET', `/api/orders/${order.body.id}`, { token });
    await call('GET', `/api/orders/${order.body.id}/check`, { token });
    await call('PUT', '/api/invoice-profile', { token, body: invoice });
    await call('GET', '/api/invoice-profile', { token });
    await call('GET', '/api/invoices', { token });
    // Offline transfer (Shandong), sent as JSON here; the multipart form with a slip: tests/orders/offline-transfer.test.ts.
    const transfer = { payerAccountName: owner.name, bankName: '中国建设银行济南分行', transferDate: '2026-03-02', amountFen: order.body.amountFen };
    const submitted = await call('POST', `/api/orders/${order.body.id}/offline-transfers`, { token, body: transfer });
    await call('GET', `/api/orders/${order.body.id}/offline-transfers`, { token });
    await call('GET', '/api/admin/offline-transfers', { token: operator });
    await call('POST', `/api/admin/offline-transfers/${submitted.body.transfer.id}/reject`, { token: operator, body: { reason: '未查询到到账记录' } });
    const resubmitted = await call('POST', `/api/orders/${order.body.id}/offline-transfers`, { token, body: transfer });
    await call('POST', `/api/admin/offline-transfers/${resubmitted.body.transfer.id}/approve`, { token: operator });
    await call('GET', '/api/admin/orders', { token: operator });
    await call('GET', `/api/admin/orders/${order.body.id}`, { token: operator });
    await call('GET', `/api/admin/orders/${order.body.id}/refunds`, { token: operator });
    const activation = await call('POST', `/api/enterprise/certificates/${certificateId}/activation-code`, { token });

    const bound = await learnerBinds(api, 'device-responses-1', holder.idNumber, '12345678', holder.name);
    expect(bound.status).toBe(200);
    const learner = bound.body.token;
    await call('POST', '/api/auth/password', { token: learner, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
    await call('GET', '/api/learner/enrollments', { token: learner });
    await call('GET', '/api/learner/self-enrollment', { token: learner });
    const verified = await call('POST', '/api/auth/learner/verify-with-code', { token: learner, body: { activationCode: activation.body.code } });
    expect(verified.body.principal.binding.state).toBe('VERIFIED');
    await call('POST', '/api/auth/logout', { token: learner });

    const again = await call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode('device-responses-1') } });
    expect(again.body.principal.role).toBe('learner');

    // Driven through the helpers above (their answers were checked by the server in strict mode).
    for (const viaHelper of ['POST /api/auth/staff/login', 'POST /api/auth/enterprise/login', 'POST /api/auth/learner/bind', 'POST /api/admin/classes']) checked.add(viaHelper);
    // WeChat Pay's callback needs a payment signed by a pay simulator: tests/payments/notifications.test.ts sends it
    // genuine and forged notifications, every answer checked by the server in strict mode.
    checked.add('POST /api/payments/wechat/notify');
    // Paying needs WeChat Pay (a simulator): tests/orders/wechat-pay.test.ts pays orders through it in strict mode.
    checked.add('POST /api/orders/:id/pay');
    // Enrolling alone is Yunnan's: tests/orders/personal-enrollment.test.ts enrolls a Yunnan learner in strict mode.
    checked.add('POST /api/learner/enrollments');
    // An invoice exists once a payment is confirmed: tests/orders/wechat-pay.test.ts downloads and re-sends one.
    checked.add('GET /api/invoices/:id/pdf');
    checked.add('POST /api/invoices/:id/resend');
    // Refunds need a WeChat payment: tests/orders/refunds.test.ts refunds through the simulator in strict mode.
    checked.add('POST /api/admin/orders/:id/refunds');
    checked.add('POST /api/admin/orders/:id/invoice/resend');
    // A signed file URL answers the file's bytes (not JSON) under the type it was stored with.
    await fileStore(api.running.deps.config).put('responses/slip.pdf', { bytes: Buffer.from('%PDF-1.7\n'), contentType: 'application/pdf' });
    const file = await fetch(api.url + signedFileUrl(api.running.deps.config, 'responses/slip.pdf', new Date()).url);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    checked.add('GET /api/files/:key');
    // Learning, face data, exams and completion need a paid learner with content, a face engine, a question bank and
    // a passed exam; each route below is driven in strict mode (a wrong answer shape would fail there) by the file named.
    const drivenElsewhere: Record<string, string[]> = {
      'tests/api/city-policy.test.ts': ['PUT /api/admin/policies/:province/cities/:city'],
      'tests/learning/catalog-content.test.ts': [
        'GET /api/admin/classes/:id/content', 'POST /api/admin/classes/:id/topics', 'POST /api/admin/topics/:id/courses', 'PUT /api/admin/courses/:id',
        'POST /api/admin/courses/:id/lessons', 'PUT /api/admin/lessons/:id', 'DELETE /api/admin/lessons/:id',
      ],
      'tests/face/*.test.ts': [
        'GET /api/learner/face', 'GET /api/learner/face/consent', 'PUT /api/learner/face/consent', 'DELETE /api/learner/face/consent',
        'PUT /api/learner/face/avatar', 'POST /api/learner/face/avatar', 'POST /api/learner/face/verifications', 'POST /api/learner/face/manual-review',
        'POST /api/learner/identity-verification', 'POST /api/auth/learner/bind-with-identity', 'GET /api/learner/study/:id/photos',
        'GET /api/review/face-reviews', 'POST /api/review/face-reviews/:id/decision',
      ],
      'tests/learning/progress-*.test.ts, video-range.test.ts, captures-photos.test.ts': [
        'GET /api/learner/study', 'GET /api/learner/study/:id', 'POST /api/learner/playback-sessions', 'POST /api/learner/playback-sessions/:id/heartbeats',
        'POST /api/learner/playback-sessions/:id/captures', 'GET /api/media/videos/:lessonId/:enrollmentId',
      ],
      'tests/exams/*.test.ts': [
        'POST /api/admin/classes/:id/question-bank', 'GET /api/admin/classes/:id/question-bank', 'GET /api/learner/exams/:enrollmentId', 'POST /api/learner/exams/attempts',
        'GET /api/learner/exams/attempts/:id', 'PUT /api/learner/exams/attempts/:id/answers/:questionId', 'POST /api/learner/exams/attempts/:id/submit',
        'POST /api/learner/exams/attempts/:id/visibility', 'POST /api/learner/exams/attempts/:id/photos',
      ],
      'tests/completion/*.test.ts': [
        'GET /api/learner/applications/:enrollmentId', 'POST /api/learner/applications', 'GET /api/learner/completion/:enrollmentId',
        'GET /api/learner/completion/:enrollmentId/certificate.pdf', 'POST /api/learner/renewals', 'GET /api/review/applications', 'POST /api/review/applications/:id/decision',
        'GET /api/review/completions', 'POST /api/review/photos/:id/decision', 'POST /api/review/completions/:enrollmentId/recapture',
        'POST /api/review/completions/:enrollmentId/approve', 'POST /api/review/completions/:enrollmentId/reject', 'GET /api/enterprise/completions',
        'GET /api/admin/completions', 'GET /api/public/completion-certificates/:code', 'POST /api/public/ce-records',
      ],
    };
    for (const routes of Object.values(drivenElsewhere)) for (const route of routes) checked.add(route);
    const everyRoute = allRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(everyRoute.filter((r) => !checked.has(r))).toEqual([]);
  });
});
