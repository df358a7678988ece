import { randomBytes, type KeyObject } from 'node:crypto';
import { decryptAes256Gcm, publicKeyFrom } from './crypto';
import { createTransport, SigningPay } from './transport';
import { certificateVerification, publicKeyVerification, type PlatformCertificate, type VerificationKeys } from './verification-keys';

export interface WechatPaySettings {
  mchid: string;
  appid: string;
  merchantPrivateKeyPem: string;
  merchantSerial: string;
  apiV3Key: string;
  /** https://api.mch.weixin.qq.com in production; the local simulator in dev and tests. */
  baseUrl: string;
  notifyUrl: string;
  verification: { mode: 'certificate' } | { mode: 'publicKey'; publicKeyId: string; publicKeyPem: string };
  /** Certificate mode: the least time between downloads caused by an unknown serial (default 60 s). */
  certificateRefreshMinIntervalMs?: number;
}

/** What the mini-program passes to `wx.requestPayment`. */
export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface PrepayInput {
  outTradeNo: string;
  description: string;
  amountFen: number;
  /** RFC 3339 with +08:00: the last moment the payer can pay. */
  timeExpire?: string;
}

export interface TransactionView {
  out_trade_no: string;
  transaction_id?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  success_time?: string;
  amount: { total: number; currency?: string };
}

export interface RefundView {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  amount: { total: number; refund: number };
}

interface CertificatesAnswer {
  data: { serial_no: string; encrypt_certificate: { ciphertext: string; nonce: string; associated_data: string } }[];
}

export type WechatPayClient = ReturnType<typeof createWechatPayClient>;

export function createWechatPayClient(settings: WechatPaySettings, nowMs: () => number) {
  const signer = new SigningPay({
    appid: settings.appid,
    mchid: settings.mchid,
    serial_no: settings.merchantSerial,
    publicKey: Buffer.from('unused: the merchant serial is given'),
    privateKey: Buffer.from(settings.merchantPrivateKeyPem),
  });
  const certificates = certificateVerification(() => downloadCertificates(), { minIntervalMs: settings.certificateRefreshMinIntervalMs ?? 60_000, nowMs });
  const keys: VerificationKeys = settings.verification.mode === 'publicKey' ? publicKeyVerification(settings.verification.publicKeyId, settings.verification.publicKeyPem) : certificates;
  const transport = createTransport({ baseUrl: settings.baseUrl.replace(/\/$/, ''), mchid: settings.mchid, signer, keys, nowMs });

  function decryptCertificates(text: string): PlatformCertificate[] {
    const answer = JSON.parse(text) as CertificatesAnswer;
    return answer.data.map((c) => ({ serial: c.serial_no, pem: decryptAes256Gcm(settings.apiV3Key, c.encrypt_certificate) }));
  }

  async function downloadCertificates(): Promise<PlatformCertificate[]> {
    const selfVerifying = (text: string) => {
      const carried = new Map<string, KeyObject>(decryptCertificates(text).map((c) => [c.serial, publicKeyFrom(c.pem)]));
      return (serial: string) => carried.get(serial);
    };
    const { data } = await transport.request<CertificatesAnswer>('GET', '/v3/certificates', undefined, selfVerifying);
    return decryptCertificates(JSON.stringify(data));
  }

  function requestPaymentFor(prepayId: string): RequestPaymentParams {
    const timeStamp = String(Math.floor(nowMs() / 1000));
    const nonceStr = randomBytes(16).toString('hex');
    const pkg = `prepay_id=${prepayId}`;
    const paySign = signer.signText(`${settings.appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
    return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  const orderBody = (input: PrepayInput) => ({
    appid: settings.appid,
    mchid: settings.mchid,
    description: input.description,
    out_trade_no: input.outTradeNo,
    time_expire: input.timeExpire,
    notify_url: settings.notifyUrl,
    amount: { total: input.amountFen, currency: 'CNY' },
  });

  const byNo = (no: string) => encodeURIComponent(no);

  return {
    settings,
    keys,
    /** JSAPI (mini-program) prepay: the answer is what `wx.requestPayment` needs. */
    async prepayJsapi(input: PrepayInput & { payerOpenid: string }) {
      const { data } = await transport.request<{ prepay_id: string }>('POST', '/v3/pay/transactions/jsapi', { ...orderBody(input), payer: { openid: input.payerOpenid } });
      return { prepayId: data.prepay_id, requestPayment: requestPaymentFor(data.prepay_id) };
    },
    /** Native prepay: `code_url` is shown as a QR code for paying from a PC. */
    async prepayNative(input: PrepayInput) {
      const { data } = await transport.request<{ code_url: string }>('POST', '/v3/pay/transactions/native', orderBody(input));
      return { codeUrl: data.code_url };
    },
    async queryTransaction(outTradeNo: string) {
      const { data } = await transport.request<TransactionView>('GET', `/v3/pay/transactions/out-trade-no/${byNo(outTradeNo)}?mchid=${settings.mchid}`);
      return data;
    },
    async closeTransaction(outTradeNo: string): Promise<void> {
      await transport.request('POST', `/v3/pay/transactions/out-trade-no/${byNo(outTradeNo)}/close`, { mchid: settings.mchid });
    },
    /** Retrying with the same out_refund_no never refunds twice; the answer only means accepted (PROCESSING). */
    async refund(input: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason?: string }) {
      const { data } = await transport.request<RefundView>('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        reason: input.reason,
        notify_url: settings.notifyUrl,
        amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
      });
      return data;
    },
    async queryRefund(outRefundNo: string) {
      const { data } = await transport.request<RefundView>('GET', `/v3/refund/domestic/refunds/${byNo(outRefundNo)}`);
      return data;
    },
    /** The platform certificates WeChat Pay serves now, verified and decrypted (certificate mode only). */
    downloadCertificates,
    /** Certificate mode: downloads the platform certificates now (several serials during a rotation). */
    async refreshCertificates(): Promise<string[]> {
      if (keys.mode !== 'certificate') return keys.knownSerials();
      await certificates.forceRefresh();
      return keys.knownSerials();
    },
  };
}
