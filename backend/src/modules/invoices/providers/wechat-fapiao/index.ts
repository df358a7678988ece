import type { InvoiceDraft, InvoiceProvider, IssuedInvoice, RedLetterRequest } from '../types';
import { FAPIAO_PATHS, fapiaoApplication, fapiaoReversal } from './requests';

export { FAPIAO_PATHS, QUANTITY_SCALE, fapiaoApplication, fapiaoReversal, type FapiaoApplication, type FapiaoReversal } from './requests';

/**
 * How this provider reaches WeChat Pay: signed v3 requests (and the platform-certificate encryption of the
 * buyer's email/phone) are modules/payments' business, so it is handed in, never built here.
 */
export interface FapiaoTransport {
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  get(path: string): Promise<{ status: number; body: unknown }>;
}

export interface WechatFapiaoOptions {
  transport: FapiaoTransport;
  /** 税收分类编码 for 继续教育培训费, from the merchant's tax-code list (GET /v3/new-tax-control-fapiao/merchant/tax-codes). */
  taxCode: string;
  /** WITH_WECHATPAY when the order was paid through WeChat Pay. */
  scene?: 'WITH_WECHATPAY' | 'WITHOUT_WECHATPAY';
}

/** WeChat issues asynchronously: until the tax system answers, the caller (a durable job) tries again later. */
export class FapiaoNotReadyError extends Error {
  constructor(readonly applyId: string, readonly status: string | undefined) {
    super(`fapiao ${applyId} not issued yet (status ${status ?? 'unknown'})`);
  }
}

export class FapiaoRequestError extends Error {
  constructor(readonly path: string, readonly status: number, readonly body: unknown) {
    super(`WeChat fapiao request ${path} answered ${status}`);
  }
}

interface FapiaoCard {
  fapiao_id: string;
  status?: string;
  blue_fapiao?: { fapiao_number: string; fapiao_time: string };
  red_fapiao?: { fapiao_number: string; fapiao_time: string };
}

function expectOk(path: string, answer: { status: number; body: unknown }): unknown {
  if (answer.status < 200 || answer.status >= 300) throw new FapiaoRequestError(path, answer.status, answer.body);
  return answer.body;
}

async function fapiaoCard(transport: FapiaoTransport, applyId: string): Promise<FapiaoCard | undefined> {
  const path = `${FAPIAO_PATHS.application(applyId)}?fapiao_id=${encodeURIComponent(applyId)}`;
  const body = expectOk(path, await transport.get(path)) as { fapiao_information?: FapiaoCard[] };
  return body.fapiao_information?.find((card) => card.fapiao_id === applyId);
}

async function fileUrl(transport: FapiaoTransport, applyId: string): Promise<string> {
  const path = `${FAPIAO_PATHS.files(applyId)}?fapiao_id=${encodeURIComponent(applyId)}`;
  const body = expectOk(path, await transport.get(path)) as { fapiao_download_info_list?: { fapiao_id: string; download_url: string }[] };
  const file = body.fapiao_download_info_list?.find((info) => info.fapiao_id === applyId);
  if (!file) throw new FapiaoNotReadyError(applyId, 'NO_FILE');
  return file.download_url;
}

async function collect(transport: FapiaoTransport, applyId: string, which: 'blue_fapiao' | 'red_fapiao', wanted: string): Promise<IssuedInvoice> {
  const card = await fapiaoCard(transport, applyId);
  const fapiao = card?.[which];
  if (card?.status !== wanted || !fapiao) throw new FapiaoNotReadyError(applyId, card?.status);
  return { number: fapiao.fapiao_number, issuedAt: new Date(fapiao.fapiao_time), url: await fileUrl(transport, applyId) };
}

/**
 * Production: the tax system issues the 数电票 through WeChat Pay. Not exercised by this repository's tests
 * (no WeChat fapiao simulator yet): only the request bodies are checked.
 */
export function wechatFapiaoProvider(options: WechatFapiaoOptions): InvoiceProvider {
  const { transport } = options;
  return {
    name: 'wechat-fapiao',
    async issue(draft: InvoiceDraft) {
      const body = fapiaoApplication(draft, { taxCode: options.taxCode, scene: options.scene ?? 'WITH_WECHATPAY' });
      const answer = await transport.post(FAPIAO_PATHS.applications, body);
      // 409: this apply id was sent before (a retried job) — the earlier application stands.
      if (answer.status !== 409) expectOk(FAPIAO_PATHS.applications, answer);
      return collect(transport, draft.requestId, 'blue_fapiao', 'ISSUED');
    },
    async issueRedLetter({ original, reason }: RedLetterRequest) {
      const applyId = original.draft.requestId;
      const path = FAPIAO_PATHS.reverse(applyId);
      const answer = await transport.post(path, fapiaoReversal(applyId, original.number, reason));
      if (answer.status !== 409) expectOk(path, answer);
      return collect(transport, applyId, 'red_fapiao', 'REVERSED');
    },
  };
}
