import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa, { type ParameterizedContext } from 'koa';
import type { ZodType } from 'zod';
import serve from 'koa-static';
import { isConflictError, isDatabaseReady, isDatabaseUnavailableError } from '../db';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { readJsonBody, readRawBody } from './body';
import { buildOpenApi, docsPage, swaggerUiDir } from './openapi';
import { discardSpooled, spoolMultipart } from '../storage/spool';
import { readMultipart } from '../storage/upload';
import type { AnyRoute, Deps, FileAnswer, MultipartSpec, Principal, SpooledFile, StreamAnswer, UploadedFile } from './route';
import { validate } from './validate';

export interface HttpAppOptions {
  deps: Deps;
  routes: AnyRoute[];
  /** Resolves a bearer token to its principal, or throws UNAUTHENTICATED / SESSION_* errors. */
  authenticate(token: string): Promise<Principal>;
}

function bearerToken(ctx: ParameterizedContext): string | undefined {
  const header = ctx.get('authorization');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1];
}

async function authorize(route: AnyRoute, ctx: ParameterizedContext, options: HttpAppOptions): Promise<Principal | undefined> {
  const token = bearerToken(ctx);
  if (route.audience === 'public') return token ? options.authenticate(token).catch(() => undefined) : undefined;
  if (!token) throw new AppError('UNAUTHENTICATED');
  const principal = await options.authenticate(token);
  if (!route.audience.roles.includes(principal.role)) throw new AppError('FORBIDDEN');
  if (principal.mustChangePassword && !route.audience.allowBeforePasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  return principal;
}

function mount(router: Router, route: AnyRoute, options: HttpAppOptions): void {
  const { deps } = options;
  router[route.method](route.path, async (ctx) => {
    const principal = await authorize(route, ctx, options);
    const limitBytes = deps.config.BODY_LIMIT_KB * 1024;
    const bytes = route.rawBody ? await readRawBody(ctx, limitBytes) : Buffer.alloc(0);
    const upload = route.multipart && ctx.is('multipart/form-data') ? await readUpload(ctx, route.multipart, deps).catch(closeAfterAnswer(ctx)) : undefined;
    try {
      const rawBody = route.method === 'get' || route.rawBody ? undefined : upload ? upload.fields : await readJsonBody(ctx, limitBytes);
      if (!route.body && rawBody !== undefined) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: [{ path: 'body', message: '此接口不接受请求体' }] });
      const body = validate(route.body, rawBody, 'body');
      const query = validate(route.query, ctx.query, 'query');
      const params = validate(route.params, ctx.params, 'params');
      let status = route.status ?? 200;
      const answerStatus = (chosen: number) => void (status = chosen);
      const result = await route.handler({ body, query, params, principal, deps, ip: ctx.ip, log: ctx.state.log, koa: ctx, rawBody: bytes, file: upload?.file, spooledFile: upload?.spooledFile, headers: ctx.headers, answerStatus });
      respond(ctx, route, result, status, deps);
    } finally {
      await discardSpooled(upload?.spooledFile);
    }
  });
}

/** A refused upload may leave body bytes unread on the connection: it must not carry another request. */
function closeAfterAnswer(ctx: ParameterizedContext): (error: unknown) => never {
  return (error) => {
    ctx.set('Connection', 'close');
    throw error;
  };
}

/** A multipart body: in memory (small files, type enforced), or spooled to disk (videos). */
async function readUpload(ctx: ParameterizedContext, spec: MultipartSpec, deps: Deps): Promise<{ fields: Record<string, string>; file?: UploadedFile; spooledFile?: SpooledFile }> {
  if (!spec.spool) return readMultipart(ctx.req, ctx.get('content-type'), { ...spec, maxBytes: Math.min(spec.maxBytes, deps.config.UPLOAD_MAX_BYTES) });
  const { fields, file } = await spoolMultipart(ctx.req, ctx.get('content-type'), spec.field ?? 'file', Math.min(spec.maxBytes, deps.config.VIDEO_UPLOAD_MAX_BYTES));
  return { fields, spooledFile: file };
}

function respond(ctx: ParameterizedContext, route: AnyRoute, result: unknown, status: number, deps: Deps): void {
  if (deps.config.RESPONSE_VALIDATION === 'strict') assertResponseMatches(route, result, ctx.state.log);
  ctx.status = status;
  if (route.sendsFile) return sendFile(ctx, result as FileAnswer);
  if (route.streams) return sendStream(ctx, result as StreamAnswer);
  ctx.body = result;
}

/** A file answer: its own content type, never sniffed by the browser, cached privately at most as long as it is valid. */
function sendFile(ctx: ParameterizedContext, answer: FileAnswer): void {
  ctx.type = answer.contentType;
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', `private, max-age=${Math.max(0, Math.floor(answer.maxAgeSeconds ?? 0))}`);
  if (answer.downloadName) ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(answer.downloadName)}`);
  ctx.body = answer.bytes;
}

/** A streamed answer (e.g. a byte range of a video): the body is set before the headers, which Koa would otherwise drop. */
function sendStream(ctx: ParameterizedContext, answer: StreamAnswer): void {
  ctx.status = answer.status;
  if (answer.body !== undefined) ctx.body = answer.body;
  ctx.set('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(answer.headers)) ctx.set(name, value);
}

/** Test-time check (RESPONSE_VALIDATION=strict): an answer that breaks its route's response schema is a bug. */
function assertResponseMatches(route: AnyRoute, result: unknown, log: Logger): void {
  const checked = (route.response as ZodType).safeParse(result);
  if (checked.success) return;
  const issues = checked.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message }));
  log.error({ route: `${route.method.toUpperCase()} ${route.path}`, issues }, 'response does not match its schema');
  throw new AppError('INTERNAL', { responseSchemaViolation: issues });
}

/** At most 64 characters of [A-Za-z0-9._-]: anything else a client sends is replaced, never logged as given. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestIdOf(ctx: ParameterizedContext): string {
  const given = ctx.get('x-request-id');
  return SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** A path no route or file can have: `//` (static serving takes it as absolute) or broken percent-encoding. */
function isImpossiblePath(path: string): boolean {
  if (path.includes('//')) return true;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Client errors raised by Koa or middleware (http-errors carry a 4xx `status`) keep a 4xx answer. */
function fromHttpError(error: unknown): AppError | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (status === 404 || status === 405) return new AppError('NOT_FOUND');
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  return new AppError('VALIDATION_FAILED', { where: 'request', issues: [{ path: 'request', message: '请求无法识别' }] });
}

/** Static files; a path that tries to leave the folder (koa-send answers 400 "Malicious Path") is simply not found. */
function serveFiles(dir: string): Koa.Middleware {
  const files = serve(dir);
  return async (ctx, next) => {
    try {
      await files(ctx, next);
    } catch (error) {
      if (fromHttpError(error)) throw new AppError('NOT_FOUND');
      throw error;
    }
  };
}

/** Expected failures keep their code; a lost race is a conflict and a missing database is unavailable, not a bug. */
function toAppError(error: unknown, log: Logger): AppError {
  if (error instanceof AppError) return error;
  const clientError = fromHttpError(error);
  if (clientError) {
    log.warn({ err: error }, 'client error');
    return clientError;
  }
  if (isConflictError(error)) {
    log.warn({ err: error }, 'write conflict');
    return new AppError('CONFLICT');
  }
  if (isDatabaseUnavailableError(error)) {
    log.error({ err: error }, 'database unavailable');
    return new AppError('SERVICE_UNAVAILABLE');
  }
  log.error({ err: error }, 'unhandled error');
  return new AppError('INTERNAL');
}

export function createHttpApp(options: HttpAppOptions): Koa {
  const { deps, routes } = options;
  const app = new Koa({ proxy: deps.config.TRUST_PROXY });
  const router = new Router();

  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(ctx);
    ctx.set('X-Request-Id', requestId);
    ctx.state.log = deps.logger.child({ reqId: requestId });
    try {
      if (isImpossiblePath(ctx.path)) throw new AppError('NOT_FOUND');
      await next();
    } catch (error) {
      const appError = toAppError(error, ctx.state.log);
      ctx.status = appError.status;
      ctx.body = appError.toBody();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms) }, 'request');
    }
  });

  for (const route of routes) mount(router, route, options);

  const openapi = buildOpenApi(routes);
  router.get('/openapi.json', (ctx) => (ctx.body = openapi));
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = docsPage;
  });
  router.get('/healthz', (ctx) => (ctx.body = { status: 'ok' }));
  router.get('/readyz', async (ctx) => {
    const ready = await isDatabaseReady();
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ready' } : new AppError('SERVICE_UNAVAILABLE').toBody();
  });
  if (deps.config.H5_RUNTIME_CONFIG) {
    const runtime = JSON.parse(deps.config.H5_RUNTIME_CONFIG);
    router.get('/runtime-config.json', (ctx) => (ctx.body = runtime));
  }

  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/docs/assets/')) {
      ctx.path = ctx.path.slice('/docs/assets'.length);
      return serveFiles(swaggerUiDir)(ctx, next);
    }
    return next();
  });
  if (deps.config.H5_DIST_DIR) app.use(serveFiles(deps.config.H5_DIST_DIR));
  app.use(async (ctx) => {
    if (!ctx.body && (ctx.status === 404 || ctx.status === 405)) throw new AppError('NOT_FOUND');
  });
  return app;
}
