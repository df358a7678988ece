import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local stand-in for the provincial continuing-education platform (主管部门平台) that completion results are
 * reported to. It checks each report's HMAC-SHA256 signature, stores it once per report id and answers a receipt;
 * the same report sent again (a retry after a lost answer) gets the same receipt and is not counted twice.
 *
 *   POST /api/ce-results            headers X-Report-Id, X-Timestamp, X-Signature = hex HMAC(key, `${ts}\n${id}\n${body}`)
 *        → 200 {code: 0, reportId, receipt, duplicate} | 401 {code: 'SIGNATURE_INVALID'} | 400 {code: 'BAD_REPORT'}
 *   POST /__control/fail-next {count, status?, afterStore?}   the next `count` reports fail with `status` (default
 *        503); with `afterStore` the report is stored first and only the answer fails (an acknowledgement lost)
 *   GET  /__control/reports         every stored report with its receipt and how often it was delivered
 *   POST /__control/reset           forgets reports and pending failures
 */
export interface GovReportRecord {
  reportId: string;
  receipt: string;
  /** Deliveries of this report id, failed ones included. */
  deliveries: number;
  firstReceivedAt: string;
  body: Record<string, unknown>;
}

export interface GovPlatformSimulator {
  url: string;
  reports(): GovReportRecord[];
  failNext(count: number, status?: number, afterStore?: boolean): void;
  stop(): Promise<void>;
}

export const GOV_REPORT_PATH = '/api/ce-results';

/** What the backend signs, and the simulator checks: timestamp, report id and body, one per line. */
export function govReportSignature(key: string, timestamp: string, reportId: string, body: string): string {
  return createHmac('sha256', key).update(`${timestamp}\n${reportId}\n${body}`).digest('hex');
}

interface PendingFailure {
  count: number;
  status: number;
  afterStore: boolean;
}

export async function startGovPlatformSimulator(options: { signingKey: string; port?: number; host?: string }): Promise<GovPlatformSimulator> {
  const reports = new Map<string, GovReportRecord>();
  const attempts = new Map<string, number>();
  let failure: PendingFailure = { count: 0, status: 503, afterStore: false };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const signatureValid = (req: IncomingMessage, reportId: string, raw: string) => {
    const given = Buffer.from(String(req.headers['x-signature'] ?? ''), 'hex');
    const expected = Buffer.from(govReportSignature(options.signingKey, String(req.headers['x-timestamp'] ?? ''), reportId, raw), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const takeFailure = (): PendingFailure | undefined => {
    if (failure.count <= 0) return undefined;
    failure.count--;
    return failure;
  };

  const store = (reportId: string, body: Record<string, unknown>): GovReportRecord => {
    const existing = reports.get(reportId);
    if (existing) return existing;
    const record = { reportId, receipt: `GOV${Date.now().toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`, deliveries: 0, firstReceivedAt: new Date().toISOString(), body };
    reports.set(reportId, record);
    return record;
  };

  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const reportId = String(req.headers['x-report-id'] ?? '');
    attempts.set(reportId, (attempts.get(reportId) ?? 0) + 1);
    if (!reportId || !signatureValid(req, reportId, raw)) return send(res, 401, { code: 'SIGNATURE_INVALID', message: '签名无效' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(res, 400, { code: 'BAD_REPORT', message: '报文格式错误' });
    }
    if (body.reportId !== reportId || typeof body.certificateNo !== 'string') return send(res, 400, { code: 'BAD_REPORT', message: '报文缺少必填项' });
    const failing = takeFailure();
    if (failing && !failing.afterStore) return send(res, failing.status, { code: 'UNAVAILABLE', message: '平台维护中' });
    const duplicate = reports.has(reportId);
    const record = store(reportId, body);
    record.deliveries = attempts.get(reportId)!;
    if (failing) return send(res, failing.status, { code: 'UNAVAILABLE', message: '平台维护中' });
    send(res, 200, { code: 0, reportId, receipt: record.receipt, duplicate });
  };

  const control = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method === 'GET' && path === '/__control/reports') return send(res, 200, [...reports.values()]);
    if (req.method === 'POST' && path === '/__control/reset') {
      reports.clear();
      attempts.clear();
      failure = { count: 0, status: 503, afterStore: false };
      return send(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/__control/fail-next') {
      const asked = JSON.parse((await readBody(req)) || '{}') as { count?: number; status?: number; afterStore?: boolean };
      failure = { count: asked.count ?? 1, status: asked.status ?? 503, afterStore: asked.afterStore === true };
      return send(res, 200, { ok: true });
    }
    send(res, 404, { code: 'NOT_FOUND' });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const handled = path.startsWith('/__control/') ? control(req, res, path) : req.method === 'POST' && path === GOV_REPORT_PATH ? receive(req, res) : Promise.resolve(send(res, 404, { code: 'NOT_FOUND' }));
    handled.catch(() => send(res, 400, { code: 'BAD_REQUEST' }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    reports: () => [...reports.values()],
    failNext(count, status = 503, afterStore = false) {
      failure = { count, status, afterStore };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
