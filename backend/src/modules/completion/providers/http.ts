import { createHmac } from 'node:crypto';
import type { Config } from '../../../platform/config';
import { GovReportError, type GovReceipt, type GovReport, type GovReportProvider } from './types';

const TIMEOUT_MS = 10_000;
const GOV_REPORT_PATH = '/api/ce-results';

/** HMAC-SHA256 (hex) over timestamp, report id and body, one per line: what the platform checks. */
export function signReport(key: string, timestamp: string, reportId: string, body: string): string {
  return createHmac('sha256', key).update(`${timestamp}\n${reportId}\n${body}`).digest('hex');
}

interface PlatformAnswer {
  code?: unknown;
  receipt?: unknown;
  duplicate?: unknown;
  message?: unknown;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; answer: PlatformAnswer }> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: res.status, answer: (await res.json().catch(() => ({}))) as PlatformAnswer };
  } catch (error) {
    throw new GovReportError(`主管部门平台无法连接（${(error as Error).name}）`);
  }
}

/** Signed JSON over HTTPS to GOV_REPORT_ENDPOINT; 200 with a receipt is the acknowledgement. */
export function httpGovReportProvider(config: Pick<Config, 'GOV_REPORT_ENDPOINT' | 'GOV_REPORT_SIGNING_KEY'>): GovReportProvider {
  return {
    name: 'http',
    async submit(report: GovReport, at: Date): Promise<GovReceipt> {
      const body = JSON.stringify(report);
      const timestamp = at.toISOString();
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        'x-report-id': report.reportId,
        'x-timestamp': timestamp,
        'x-signature': signReport(config.GOV_REPORT_SIGNING_KEY, timestamp, report.reportId, body),
      };
      const { status, answer } = await post(new URL(GOV_REPORT_PATH, config.GOV_REPORT_ENDPOINT).toString(), headers, body);
      if (status === 200 && answer.code === 0 && typeof answer.receipt === 'string') return { receipt: answer.receipt, duplicate: answer.duplicate === true };
      const detail = typeof answer.message === 'string' ? answer.message : '未确认收到';
      throw new GovReportError(`主管部门平台未确认收到（HTTP ${status}，${detail}）`, status, status === 400);
    },
  };
}
