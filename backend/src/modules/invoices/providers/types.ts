import type { InvoiceKind } from '@ce/types';
import type { TaxRate } from '../amounts';

/** 购买方 / 销售方 as printed: 专票 buyers also carry address, phone and bank. */
export interface InvoiceParty {
  name: string;
  /** 统一社会信用代码/纳税人识别号; absent for a person. */
  taxId?: string;
  address?: string;
  phone?: string;
  bankName?: string;
  bankAccount?: string;
}

/** One row of 项目名称 / 单位 / 数量 / 单价 …: the price is tax-inclusive, in fen. */
export interface InvoiceLine {
  /** e.g. `*教育服务*继续教育培训费` (the tax category between asterisks, as 数电票 print it). */
  name: string;
  unit: string;
  quantity: number;
  unitPriceFen: number;
  taxRate: TaxRate;
}

/** A row with its money worked out; negative on a red-letter invoice. */
export interface PricedLine extends InvoiceLine {
  totalFen: number;
  amountFen: number;
  taxFen: number;
}

/** Everything a provider needs to issue one invoice. */
export interface InvoiceDraft {
  /** Our invoice id: the provider's idempotency key (WeChat's fapiao_apply_id). */
  requestId: string;
  kind: InvoiceKind;
  /** Province code (SD, YN): 数电票 numbers carry the tax region. */
  province: string;
  buyer: InvoiceParty;
  seller: InvoiceParty;
  lines: PricedLine[];
  remark?: string;
  /** 开票人 */
  issuer: string;
}

/** What a provider hands back: the 20-digit 发票号码 and either the file or where to fetch it. */
export type IssuedInvoice = { number: string; issuedAt: Date } & ({ pdf: Buffer } | { url: string });

/** A blue invoice that a refund reverses, with the number the provider gave it. */
export interface IssuedOriginal {
  draft: InvoiceDraft;
  number: string;
  issuedAt: Date;
}

/** A red-letter (冲红) request: the reversing invoice gets its own request id. */
export interface RedLetterRequest {
  requestId: string;
  original: IssuedOriginal;
  /** Chinese, printed in 备注 (e.g. 退款：学员退学). */
  reason: string;
}

export type InvoiceProviderName = 'local-pdf' | 'wechat-fapiao';

export interface InvoiceProvider {
  readonly name: InvoiceProviderName;
  issue(draft: InvoiceDraft): Promise<IssuedInvoice>;
  issueRedLetter(request: RedLetterRequest): Promise<IssuedInvoice>;
}
