import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A protocol-faithful stand-in for WeChat Pay API v3 (there is no v3 sandbox), with keys generated at start:
 *
 *   request auth   WECHATPAY2-SHA256-RSA2048 over `METHOD\n/path?query\nts\nnonce\nbody\n` with the merchant key;
 *                  401 SIGN_ERROR on a bad signature, an unknown serial or a timestamp more than 5 minutes off
 *   responses      signed: Wechatpay-Timestamp/-Nonce/-Serial/-Signature over `ts\nnonce\nbody\n`
 *   GET  /v3/certificates                                platform certificates, AEAD_AES_256_GCM encrypted with the
 *                                                        APIv3 key; several during rotation; 404 in public-key mode
 *   POST /v3/pay/transactions/jsapi | /native            → {prepay_id} | {code_url}
 *   GET  /v3/pay/transactions/out-trade-no/{no}?mchid=   → trade_state NOTPAY | SUCCESS | CLOSED | REFUND
 *   POST /v3/pay/transactions/out-trade-no/{no}/close    → 204 (400 ORDERPAID when paid)
 *   POST /v3/refund/domestic/refunds                     → status PROCESSING (idempotent by out_refund_no)
 *   GET  /v3/refund/domestic/refunds/{no}
 *   notifications  TRANSACTION.SUCCESS / REFUND.SUCCESS, encrypted and signed, POSTed to notify_url and retried on
 *                  any non-2xx answer on WeChat's schedule, multiplied by `timeScale`
 *   GET  /pay/{prepay_id | code}                         the page where a person confirms or cancels a payment;
 *                                                        a Native code_url points here
 *   POST /sim/...                                        control API (see `controlRoutes`)
 */

export type VerificationMode = 'certificate' | 'publicKey';

export interface WechatPaySimulatorOptions {
  mchid?: string;
  appid?: string;
  port?: number;
  host?: string;
  /** The address a browser or phone uses to reach the simulator (defaults to its own URL). */
  publicUrl?: string;
  mode?: VerificationMode;
  /** Multiplies WeChat's retry delays (15 s, 15 s, 30 s, 3 min, …): 0.001 turns 15 s into 15 ms. */
  timeScale?: number;
  /** Refunds succeed (and are notified) this long after they are accepted, before `timeScale`. */
  refundDelayMs?: number;
}

export interface Transaction {
  kind: 'jsapi' | 'native';
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  notifyUrl: string;
  amountFen: number;
  payerOpenid?: string;
  timeExpire?: string;
  prepayId: string;
  code: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND';
  transactionId?: string;
  successTime?: string;
  requestFingerprint: string;
}

export interface Refund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  transactionId: string;
  refundFen: number;
  totalFen: number;
  status: 'PROCESSING' | 'SUCCESS';
  notifyUrl?: string;
  createdAt: string;
}

export interface Delivery {
  notificationId: string;
  eventType: string;
  url: string;
  attempt: number;
  status: number | 'unreachable';
}

export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

export interface WechatPaySimulator {
  url: string;
  mchid: string;
  appid: string;
  apiV3Key: string;
  merchantPrivateKeyPem: string;
  merchantSerial: string;
  publicKeyId: string;
  publicKeyPem: string;
  mode(): VerificationMode;
  /** Serials of the platform certificates currently served (the newest last; it signs). */
  certificateSerials(): string[];
  transaction(outTradeNo: string): Transaction | undefined;
  refund(outRefundNo: string): Refund | undefined;
  deliveries: Delivery[];
  /** Every API request received, as `METHOD /path` (e.g. to count certificate downloads). */
  requests: string[];
  /** The payer confirms: the transaction succeeds and its notification is sent (awaited: first attempt only). */
  payNow(outTradeNo: string, payerOpenid?: string): Promise<Transaction>;
  /** The payer cancels or the payment fails: the order stays open but a PAYERROR is recorded. */
  failPayment(outTradeNo: string): Transaction;
  /** The latest notification for an order or refund, signed as WeChat would, without sending it. */
  notificationFor(outTradeNoOrRefundNo: string): SignedNotification;
  /** Sends the latest notification for an order or refund again (one attempt); resolves to the answer's status. */
  deliverAgain(outTradeNoOrRefundNo: string): Promise<number | 'unreachable'>;
  /** Signs any notification body with the current platform key: for tests that build their own. */
  sign(body: string, options?: { timestamp?: number; nonce?: string }): SignedNotification;
  encryptResource(plain: object): { algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; associated_data: string; nonce: string; original_type: string };
  /** A new platform certificate that signs from now on; the previous one stays valid (served) until retired. */
  rotateCertificate(): string;
  retireOldCertificates(): void;
  useMode(mode: VerificationMode): void;
  /** The next `count` responses carry a signature that does not verify (a tampering middlebox). */
  corruptResponseSignatures(count?: number): void;
  stop(): Promise<void>;
}

interface PlatformCertificate {
  serial: string;
  privateKey: KeyObject;
  pem: string;
  effective: Date;
  expire: Date;
}

/** WeChat's retry schedule for notifications answered with anything but 2xx (about 24 h in all). */
export const WECHAT_RETRY_DELAYS_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map((s) => s * 1000);

const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const FIVE_MINUTES_S = 300;

export async function startWechatPaySimulator(options: WechatPaySimulatorOptions = {}): Promise<WechatPaySimulator> {
  const mchid = options.mchid ?? '1900000109';
  const appid = options.appid ?? 'wxd678efh567hg6787';
  const timeScale = options.timeScale ?? 1;
  const apiV3Key = randomBytes(16).toString('hex'); // 32 ASCII characters, as the merchant platform issues
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantSerial = randomSerial();
  const wechatPayKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyId = `PUB_KEY_ID_01${randomBytes(14).toString('hex').toUpperCase()}`;
  let mode: VerificationMode = options.mode ?? 'certificate';
  const certificates: PlatformCertificate[] = [newPlatformCertificate()];
  const transactions = new Map<string, Transaction>();
  const byPayCode = new Map<string, Transaction>();
  const refunds = new Map<string, Refund>();
  const lastNotification = new Map<string, () => string>();
  const deliveries: Delivery[] = [];
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let corruptResponses = 0;
  let publicUrl = options.publicUrl;

  function signingKey(): { serial: string; key: KeyObject } {
    if (mode === 'publicKey') return { serial: publicKeyId, key: wechatPayKey.privateKey };
    const newest = certificates[certificates.length - 1];
    return { serial: newest.serial, key: newest.privateKey };
  }

  function sign(body: string, at: { timestamp?: number; nonce?: string } = {}): SignedNotification {
    const timestamp = String(at.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = at.nonce ?? randomBytes(16).toString('hex');
    const { serial, key } = signingKey();
    const signature = rsaSign(key, `${timestamp}\n${nonce}\n${body}\n`);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-serial': serial,
        'wechatpay-signature': signature,
        'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      },
    };
  }

  function encryptResource(plain: object) {
    const nonce = randomBytes(6).toString('hex');
    const associatedData = 'transaction';
    return { algorithm: 'AEAD_AES_256_GCM' as const, ...aesGcmEncrypt(apiV3Key, nonce, associatedData, JSON.stringify(plain)), original_type: 'transaction' };
  }

  // ---- HTTP plumbing -------------------------------------------------------------------------------------------

  function send(res: ServerResponse, status: number, body?: unknown) {
    const text = body === undefined ? '' : JSON.stringify(body);
    const signed = sign(text);
    if (corruptResponses > 0) {
      corruptResponses -= 1;
      signed.headers['wechatpay-signature'] = rsaSign(signingKey().key, `${signed.headers['wechatpay-timestamp']}\n${signed.headers['wechatpay-nonce']}\nnot this body\n`);
    }
    res.writeHead(status, { ...signed.headers, 'request-id': randomBytes(8).toString('hex') });
    res.end(text);
  }

  const fail = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { code, message });

  function sendHtml(res: ServerResponse, status: number, html: string) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function authenticate(req: IncomingMessage, pathWithQuery: string, body: string): string | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^WECHATPAY2-SHA256-RSA2048\s+(.*)$/.exec(header);
    if (!m) return '缺少或无法识别 Authorization';
    const fields = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (fields.mchid !== mchid) return '商户号与签名不符';
    if (fields.serial_no !== merchantSerial) return '商户证书序列号有误';
    const age = Math.abs(Math.floor(Date.now() / 1000) - Number(fields.timestamp));
    if (!(age <= FIVE_MINUTES_S)) return '签名时间戳已过期';
    const message = `${req.method}\n${pathWithQuery}\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    if (!rsaVerify(merchant.publicKey, message, fields.signature ?? '')) return '签名错误';
    return undefined;
  }

  // ---- business -------------------------------------------------------------------------------------------------

  function prepay(kind: 'jsapi' | 'native', input: Record<string, any>, res: ServerResponse) {
    const problem = checkPrepay(kind, input);
    if (problem) return fail(res, 400, 'PARAM_ERROR', problem);
    if (input.mchid !== mchid) return fail(res, 400, 'MCH_NOT_EXISTS', '商户号不存在');
    if (input.appid !== appid) return fail(res, 400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const fingerprint = JSON.stringify([kind, input.description, input.amount.total, input.payer?.openid ?? null]);
    const existing = transactions.get(input.out_trade_no);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return fail(res, 400, 'ORDERPAID', '该订单已支付');
      if (existing.state === 'CLOSED') return fail(res, 400, 'ORDER_CLOSED', '该订单已关闭');
      if (existing.requestFingerprint !== fingerprint) return fail(res, 400, 'OUT_TRADE_NO_USED', '商户订单号重复');
      return send(res, 200, kind === 'jsapi' ? { prepay_id: existing.prepayId } : { code_url: codeUrl(existing) });
    }
    const transaction: Transaction = {
      kind,
      appid: input.appid,
      mchid: input.mchid,
      outTradeNo: input.out_trade_no,
      description: input.description,
      notifyUrl: input.notify_url,
      amountFen: input.amount.total,
      payerOpenid: input.payer?.openid,
      timeExpire: input.time_expire,
      prepayId: `wx${compactNow()}${randomBytes(9).toString('hex')}`,
      code: randomBytes(12).toString('hex'),
      state: 'NOTPAY',
      requestFingerprint: fingerprint,
    };
    transactions.set(transaction.outTradeNo, transaction);
    byPayCode.set(transaction.prepayId, transaction);
    byPayCode.set(transaction.code, transaction);
    send(res, 200, kind === 'jsapi' ? { prepay_id: transaction.prepayId } : { code_url: codeUrl(transaction) });
  }

  function checkPrepay(kind: 'jsapi' | 'native', input: Record<string, any>): string | undefined {
    if (typeof input.out_trade_no !== 'string' || !OUT_TRADE_NO.test(input.out_trade_no)) return 'out_trade_no 应为 6-32 位数字、字母、_-|*';
    if (typeof input.description !== 'string' || !input.description || input.description.length > 127) return 'description 必填，且不超过 127 个字符';
    if (typeof input.notify_url !== 'string' || !/^https?:\/\//.test(input.notify_url)) return 'notify_url 应为 http(s) 地址';
    const total = input.amount?.total;
    if (!Number.isInteger(total) || total < 1) return 'amount.total 应为正整数（单位：分）';
    if ((input.amount.currency ?? 'CNY') !== 'CNY') return 'amount.currency 仅支持 CNY';
    if (kind === 'jsapi' && typeof input.payer?.openid !== 'string') return 'payer.openid 必填';
    if (input.time_expire !== undefined) {
      if (typeof input.time_expire !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/.test(input.time_expire)) return 'time_expire 应为 RFC 3339 格式，如 2018-06-08T10:34:56+08:00';
      if (Date.parse(input.time_expire) <= Date.now()) return 'time_expire 已过';
    }
    return undefined;
  }

  const codeUrl = (t: Transaction) => `${publicUrl}/pay/${t.code}`;

  function queryView(t: Transaction) {
    return {
      appid: t.appid,
      mchid: t.mchid,
      out_trade_no: t.outTradeNo,
      transaction_id: t.transactionId,
      trade_type: t.kind.toUpperCase(),
      trade_state: t.state,
      trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', CLOSED: '已关闭', PAYERROR: '支付失败', REFUND: '转入退款' }[t.state],
      success_time: t.successTime,
      payer: t.payerOpenid ? { openid: t.payerOpenid } : undefined,
      amount: t.state === 'NOTPAY' || t.state === 'CLOSED' ? { total: t.amountFen, currency: 'CNY' } : { total: t.amountFen, payer_total: t.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  function isExpired(t: Transaction): boolean {
    return t.timeExpire !== undefined && Date.parse(t.timeExpire) <= Date.now();
  }

  async function payNow(outTradeNo: string, payerOpenid?: string): Promise<Transaction> {
    const t = transactions.get(outTradeNo);
    if (!t) throw new Error(`no transaction ${outTradeNo}`);
    if (t.state !== 'NOTPAY' && t.state !== 'PAYERROR') throw new Error(`transaction ${outTradeNo} is ${t.state}`);
    if (isExpired(t)) throw new Error(`transaction ${outTradeNo} expired at ${t.timeExpire}`);
    t.state = 'SUCCESS';
    t.payerOpenid ??= payerOpenid ?? `oSim${randomBytes(10).toString('hex')}`;
    t.transactionId = `4200${compactNow().slice(0, 8)}${randomBytes(7).toString('hex').replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`;
    t.successTime = rfc3339China(new Date());
    const notification = makeNotification('TRANSACTION.SUCCESS', '支付成功', () => ({ ...queryView(t), trade_state: 'SUCCESS', bank_type: 'OTHERS', attach: '' }));
    lastNotification.set(outTradeNo, notification);
    await deliver(t.notifyUrl, notification, 'TRANSACTION.SUCCESS', 0);
    return t;
  }

  function refundView(r: Refund) {
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: r.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      status: r.status,
      create_time: r.createdAt,
      amount: { total: r.totalFen, refund: r.refundFen, payer_total: r.totalFen, payer_refund: r.refundFen, currency: 'CNY' },
    };
  }

  function refund(input: Record<string, any>, res: ServerResponse) {
    const t = transactions.get(input.out_trade_no ?? '') ?? [...transactions.values()].find((x) => x.transactionId && x.transactionId === input.transaction_id);
    if (typeof input.out_refund_no !== 'string' || !OUT_TRADE_NO.test(input.out_refund_no)) return fail(res, 400, 'PARAM_ERROR', 'out_refund_no 应为 6-64 位数字、字母、_-|*@');
    const refundFen = input.amount?.refund;
    if (!Number.isInteger(refundFen) || refundFen < 1 || !Number.isInteger(input.amount?.total)) return fail(res, 400, 'PARAM_ERROR', 'amount.refund 与 amount.total 应为正整数（单位：分）');
    if (!t) return fail(res, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const existing = refunds.get(input.out_refund_no);
    if (existing) {
      if (existing.refundFen !== refundFen || existing.outTradeNo !== t.outTradeNo) return fail(res, 400, 'INVALID_REQUEST', '同一退款单号的退款金额或订单不一致');
      return send(res, 200, refundView(existing));
    }
    if (t.state !== 'SUCCESS' && t.state !== 'REFUND') return fail(res, 400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (input.amount.total !== t.amountFen) return fail(res, 400, 'PARAM_ERROR', 'amount.total 与订单金额不一致');
    const refunded = [...refunds.values()].filter((r) => r.outTradeNo === t.outTradeNo);
    if (refunded.length >= 50) return fail(res, 403, 'REFUND_TRANSACTION_ERROR', '部分退款次数已达 50 次上限');
    if (refunded.reduce((sum, r) => sum + r.refundFen, 0) + refundFen > t.amountFen) return fail(res, 403, 'NOT_ENOUGH', '退款金额超过订单可退金额');
    const created: Refund = {
      outRefundNo: input.out_refund_no,
      refundId: `5030${randomBytes(12).toString('hex').replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`,
      outTradeNo: t.outTradeNo,
      transactionId: t.transactionId!,
      refundFen,
      totalFen: t.amountFen,
      status: 'PROCESSING',
      notifyUrl: input.notify_url,
      createdAt: rfc3339China(new Date()),
    };
    refunds.set(created.outRefundNo, created);
    t.state = 'REFUND';
    later(() => completeRefund(created), (options.refundDelayMs ?? 1000) * timeScale);
    send(res, 200, refundView(created));
  }

  function completeRefund(r: Refund) {
    r.status = 'SUCCESS';
    const notification = makeNotification('REFUND.SUCCESS', '退款成功', () => ({
      mchid,
      out_trade_no: r.outTradeNo,
      transaction_id: r.transactionId,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_status: 'SUCCESS',
      success_time: rfc3339China(new Date()),
      user_received_account: '支付用户零钱',
      amount: { total: r.totalFen, refund: r.refundFen, payer_total: r.totalFen, payer_refund: r.refundFen },
    }));
    lastNotification.set(r.outRefundNo, notification);
    if (r.notifyUrl) void deliver(r.notifyUrl, notification, 'REFUND.SUCCESS', 0);
  }

  /** Returns a body builder: each delivery of one notification keeps its id, and is signed afresh. */
  function makeNotification(eventType: string, summary: string, resource: () => object): () => string {
    const id = randomUUIDish();
    const createTime = rfc3339China(new Date());
    const encrypted = encryptResource(resource());
    return () => JSON.stringify({ id, create_time: createTime, resource_type: 'encrypt-resource', event_type: eventType, summary, resource: encrypted });
  }

  async function attempt(url: string, body: string): Promise<number | 'unreachable'> {
    const signed = sign(body);
    try {
      const answer = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(5000) });
      await answer.arrayBuffer();
      return answer.status;
    } catch {
      return 'unreachable';
    }
  }

  async function deliver(url: string, notification: () => string, eventType: string, attemptIndex: number): Promise<void> {
    const body = notification();
    const status = await attempt(url, body);
    deliveries.push({ notificationId: JSON.parse(body).id, eventType, url, attempt: attemptIndex + 1, status });
    const accepted = typeof status === 'number' && status >= 200 && status < 300;
    if (accepted || attemptIndex >= WECHAT_RETRY_DELAYS_MS.length) return;
    later(() => void deliver(url, notification, eventType, attemptIndex + 1), WECHAT_RETRY_DELAYS_MS[attemptIndex] * timeScale);
  }

  function later(work: () => void, ms: number) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  }

  function certificatesView() {
    return {
      data: certificates.map((c) => ({
        serial_no: c.serial,
        effective_time: rfc3339China(c.effective),
        expire_time: rfc3339China(c.expire),
        encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', ...aesGcmEncrypt(apiV3Key, randomBytes(6).toString('hex'), 'certificate', c.pem) },
      })),
    };
  }

  // ---- routing --------------------------------------------------------------------------------------------------

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL) {
    const body = await readBody(req);
    requests.push(`${req.method} ${url.pathname}`);
    const refused = authenticate(req, url.pathname + url.search, body);
    if (refused) return fail(res, 401, 'SIGN_ERROR', refused);
    let input: Record<string, any> = {};
    if (body) {
      try {
        input = JSON.parse(body);
      } catch {
        return fail(res, 400, 'PARAM_ERROR', '请求体不是 JSON');
      }
    }
    const path = url.pathname;
    if (req.method === 'GET' && path === '/v3/certificates') {
      if (mode === 'publicKey') return fail(res, 404, 'NOT_FOUND', '无可用的平台证书，请使用微信支付公钥验签');
      return send(res, 200, certificatesView());
    }
    if (req.method === 'POST' && path === '/v3/pay/transactions/jsapi') return prepay('jsapi', input, res);
    if (req.method === 'POST' && path === '/v3/pay/transactions/native') return prepay('native', input, res);
    let m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      if (url.searchParams.get('mchid') !== mchid) return fail(res, 400, 'PARAM_ERROR', 'mchid 有误');
      const t = transactions.get(decodeURIComponent(m[1]));
      if (!t) return fail(res, 404, 'ORDER_NOT_EXIST', '订单不存在');
      if (t.state === 'NOTPAY' && isExpired(t)) t.state = 'CLOSED';
      return send(res, 200, queryView(t));
    }
    m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(path);
    if (req.method === 'POST' && m) {
      if (input.mchid !== mchid) return fail(res, 400, 'PARAM_ERROR', 'mchid 有误');
      const t = transactions.get(decodeURIComponent(m[1]));
      if (!t) return fail(res, 404, 'ORDER_NOT_EXIST', '订单不存在');
      if (t.state === 'SUCCESS' || t.state === 'REFUND') return fail(res, 400, 'ORDERPAID', '该订单已支付');
      t.state = 'CLOSED';
      return send(res, 204);
    }
    if (req.method === 'POST' && path === '/v3/refund/domestic/refunds') return refund(input, res);
    m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const r = refunds.get(decodeURIComponent(m[1]));
      return r ? send(res, 200, refundView(r)) : fail(res, 404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    }
    fail(res, 404, 'NOT_FOUND', '接口不存在');
  }

  function failPayment(outTradeNo: string): Transaction {
    const t = transactions.get(outTradeNo);
    if (!t) throw new Error(`no transaction ${outTradeNo}`);
    if (t.state === 'NOTPAY') t.state = 'PAYERROR';
    return t;
  }

  function notificationFor(no: string): SignedNotification {
    const build = lastNotification.get(no);
    if (!build) throw new Error(`no notification for ${no}`);
    return sign(build());
  }

  async function deliverAgain(no: string) {
    const build = lastNotification.get(no);
    const target = transactions.get(no)?.notifyUrl ?? refunds.get(no)?.notifyUrl;
    if (!build || !target) throw new Error(`no notification for ${no}`);
    return attempt(target, build());
  }

  /** Control API for scripts, the H5 page and tests in other processes. */
  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(body));
    };
    const input = (await readBody(req).then((b) => (b ? JSON.parse(b) : {})).catch(() => ({}))) as Record<string, any>;
    try {
      const path = url.pathname;
      if (path === '/sim/config') return reply(200, { url: publicUrl, mchid, appid, apiV3Key, merchantSerial, merchantPrivateKeyPem: pem(merchant.privateKey), publicKeyId, publicKeyPem: pem(wechatPayKey.publicKey), mode });
      if (path === '/sim/pay') return reply(200, queryView(await payNow(input.outTradeNo, input.openid)));
      if (path === '/sim/fail') return reply(200, queryView(failPayment(input.outTradeNo)));
      if (path === '/sim/deliver-again') return reply(200, { status: await deliverAgain(input.no) });
      if (path === '/sim/rotate-certificate') return reply(200, { serial: rotateCertificate() });
      if (path === '/sim/retire-old-certificates') return reply(200, { serials: (retireOldCertificates(), certificates.map((c) => c.serial)) });
      if (path === '/sim/mode') return reply(200, { mode: (useMode(input.mode), mode) });
      if (path === '/sim/deliveries') return reply(200, deliveries);
      reply(404, { message: 'unknown control' });
    } catch (error) {
      reply(409, { message: (error as Error).message });
    }
  }

  function rotateCertificate() {
    const next = newPlatformCertificate();
    certificates.push(next);
    return next.serial;
  }

  function retireOldCertificates() {
    certificates.splice(0, certificates.length - 1);
  }

  function useMode(next: VerificationMode) {
    if (next !== 'certificate' && next !== 'publicKey') throw new Error(`unknown mode ${String(next)}`);
    mode = next;
  }

  async function handlePayPage(req: IncomingMessage, res: ServerResponse, url: URL) {
    const m = /^\/pay\/([0-9A-Za-z]+)(\/(confirm|cancel))?$/.exec(url.pathname);
    const t = m ? byPayCode.get(m[1]) : undefined;
    if (!m || !t) return sendHtml(res, 404, page('订单不存在', '<p>没有这笔支付。</p>'));
    if (req.method === 'POST' && m[3] === 'confirm') {
      try {
        await payNow(t.outTradeNo);
      } catch (error) {
        return sendHtml(res, 409, page('无法支付', `<p>${escapeHtml((error as Error).message)}</p>`));
      }
    }
    if (req.method === 'POST' && m[3] === 'cancel') failPayment(t.outTradeNo);
    sendHtml(res, 200, payPage(t, m[1]));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const handle = url.pathname.startsWith('/v3/') ? handleApi : url.pathname.startsWith('/sim/') ? handleControl : url.pathname.startsWith('/pay/') ? handlePayPage : undefined;
    if (!handle) return sendHtml(res, 404, page('404', '<p>微信支付模拟器：没有这个地址。</p>'));
    handle(req, res, url).catch((error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: String((error as Error).message) }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as { port: number };
  const url = `http://${host}:${port}`;
  publicUrl ??= url;

  return {
    url,
    mchid,
    appid,
    apiV3Key,
    merchantPrivateKeyPem: pem(merchant.privateKey),
    merchantSerial,
    publicKeyId,
    publicKeyPem: pem(wechatPayKey.publicKey),
    mode: () => mode,
    certificateSerials: () => certificates.map((c) => c.serial),
    transaction: (no) => transactions.get(no),
    refund: (no) => refunds.get(no),
    deliveries,
    requests,
    payNow,
    failPayment,
    notificationFor,
    deliverAgain,
    sign,
    encryptResource,
    rotateCertificate,
    retireOldCertificates,
    useMode,
    corruptResponseSignatures: (count = 1) => void (corruptResponses = count),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---- the page a payer sees -----------------------------------------------------------------------------------------

function payPage(t: Transaction, code: string): string {
  const yuan = (t.amountFen / 100).toFixed(2);
  const state = { NOTPAY: '待支付', SUCCESS: '支付成功', CLOSED: '已关闭', PAYERROR: '已取消', REFUND: '已支付（有退款）' }[t.state];
  const open = t.state === 'NOTPAY' || t.state === 'PAYERROR';
  const buttons = open
    ? `<form method="post" action="/pay/${code}/confirm"><button class="pay">确认支付 ¥${yuan}</button></form>
       <form method="post" action="/pay/${code}/cancel"><button class="cancel">取消</button></form>`
    : '<p>可以关闭此页面，回到小程序或网页查看订单。</p>';
  return page(
    '微信支付（模拟）',
    `<p class="merchant">商户号 ${escapeHtml(t.mchid)}</p><h1>¥${yuan}</h1><p>${escapeHtml(t.description)}</p>
     <p>订单号 ${escapeHtml(t.outTradeNo)} · <strong data-state="${t.state}">${state}</strong></p>${buttons}`,
  );
}

function page(title: string, content: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font-family:sans-serif;max-width:420px;margin:2em auto;padding:0 1em;text-align:center}
button{width:100%;padding:.8em;margin:.4em 0;font-size:1.1em;border:0;border-radius:6px}.pay{background:#07c160;color:#fff}.cancel{background:#eee}
.merchant{color:#888}</style></head><body><p>微信支付模拟器 · 本地开发用</p>${content}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// ---- crypto ----------------------------------------------------------------------------------------------------------

function rsaSign(key: KeyObject, message: string): string {
  return createSign('RSA-SHA256').update(message).sign(key, 'base64');
}

function rsaVerify(key: KeyObject, message: string, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

function aesGcmEncrypt(apiV3Key: string, nonce: string, associatedData: string, plain: string) {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: encrypted.toString('base64'), associated_data: associatedData, nonce };
}

function pem(key: KeyObject): string {
  return key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
}

function randomSerial(): string {
  // 40 hex digits like WeChat's serials; a leading 1-7 keeps the DER integer positive without padding.
  return String(1 + (randomBytes(1)[0] % 7)) + randomBytes(20).toString('hex').toUpperCase().slice(0, 39);
}

function newPlatformCertificate(): PlatformCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = randomSerial();
  const effective = new Date(Date.now() - 60_000);
  const expire = new Date(Date.now() + 5 * 365 * 24 * 3600_000);
  return { serial, privateKey, effective, expire, pem: selfSignedCertificate(serial, privateKey, publicKey, effective, expire) };
}

// A minimal X.509 v3 certificate in DER (node:crypto parses certificates but cannot make them).
function selfSignedCertificate(serialHex: string, privateKey: KeyObject, publicKey: KeyObject, notBefore: Date, notAfter: Date): string {
  const sha256WithRsa = der(0x30, Buffer.concat([der(0x06, Buffer.from('2a864886f70d01010b', 'hex')), Buffer.from('0500', 'hex')]));
  const name = der(0x30, der(0x31, der(0x30, Buffer.concat([der(0x06, Buffer.from('550403', 'hex')), der(0x0c, Buffer.from('Tenpay.com Root CA (simulator)', 'utf8'))]))));
  const time = (d: Date) => der(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z', 'ascii'));
  const tbs = der(
    0x30,
    Buffer.concat([
      der(0xa0, der(0x02, Buffer.from([2]))),
      der(0x02, Buffer.from(serialHex, 'hex')),
      sha256WithRsa,
      name,
      der(0x30, Buffer.concat([time(notBefore), time(notAfter)])),
      name,
      publicKey.export({ type: 'spki', format: 'der' }),
    ]),
  );
  const signature = createSign('RSA-SHA256').update(tbs).sign(privateKey);
  const certificate = der(0x30, Buffer.concat([tbs, sha256WithRsa, der(0x03, Buffer.concat([Buffer.from([0]), signature]))]));
  const base64 = certificate.toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

function rfc3339China(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
}

function compactNow(): string {
  return rfc3339China(new Date()).replace(/\D/g, '').slice(0, 14);
}

function randomUUIDish(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

