import { invoiceTotals } from '../lines';
import type { InvoiceDraft, PricedLine } from '../types';

/**
 * Request bodies of WeChat Pay's 电子发票 (new-tax-control-fapiao) API v3, as far as this provider uses it.
 * Field names follow the API; amounts are in fen, as ours are.
 */
export const FAPIAO_PATHS = {
  applications: '/v3/new-tax-control-fapiao/fapiao-applications',
  application: (applyId: string) => `/v3/new-tax-control-fapiao/fapiao-applications/${encodeURIComponent(applyId)}`,
  files: (applyId: string) => `/v3/new-tax-control-fapiao/fapiao-applications/${encodeURIComponent(applyId)}/fapiao-files`,
  reverse: (applyId: string) => `/v3/new-tax-control-fapiao/fapiao-applications/${encodeURIComponent(applyId)}/reverse`,
} as const;

/** The API counts quantity in hundred-millionths (1 person = 100000000); to confirm against the merchant's sandbox. */
export const QUANTITY_SCALE = 100_000_000;

export interface FapiaoItem {
  tax_code: string;
  goods_name: string;
  unit: string;
  quantity: number;
  total_amount: number;
  /** 税率 in ten-thousandths: 300 = 3%. */
  tax_rate: number;
  tax_prefer_mark: 'NO_FAVORABLE' | 'FREE';
  discount: false;
}

export interface FapiaoApplication {
  scene: 'WITH_WECHATPAY' | 'WITHOUT_WECHATPAY';
  fapiao_apply_id: string;
  buyer_information: {
    type: 'INDIVIDUAL' | 'ORGANIZATION';
    name: string;
    taxpayer_id?: string;
    address?: string;
    telephone?: string;
    bank_name?: string;
    bank_account?: string;
    email?: string;
  };
  fapiao_information: {
    fapiao_id: string;
    total_amount: number;
    need_list: boolean;
    remark?: string;
    items: FapiaoItem[];
  }[];
}

export interface FapiaoReversal {
  reverse_reason: string;
  fapiao_information: { fapiao_id: string; fapiao_code: string; fapiao_number: string }[];
}

function fapiaoItem(line: PricedLine, taxCode: string): FapiaoItem {
  return {
    tax_code: taxCode,
    // WeChat adds the category between asterisks itself from tax_code: send the bare name.
    goods_name: line.name.replace(/^\*[^*]+\*/, ''),
    unit: line.unit,
    quantity: line.quantity * QUANTITY_SCALE,
    total_amount: line.totalFen,
    tax_rate: line.taxRate === 'EXEMPT' ? 0 : line.taxRate * 100,
    tax_prefer_mark: line.taxRate === 'EXEMPT' ? 'FREE' : 'NO_FAVORABLE',
    discount: false,
  };
}

/** 开具电子发票 for a paid order: our invoice id is both fapiao_apply_id and fapiao_id (one invoice per apply). */
export function fapiaoApplication(draft: InvoiceDraft, options: { taxCode: string; email?: string; scene: FapiaoApplication['scene'] }): FapiaoApplication {
  const { buyer } = draft;
  return {
    scene: options.scene,
    fapiao_apply_id: draft.requestId,
    buyer_information: {
      type: buyer.taxId ? 'ORGANIZATION' : 'INDIVIDUAL',
      name: buyer.name,
      taxpayer_id: buyer.taxId,
      address: buyer.address,
      telephone: buyer.phone,
      bank_name: buyer.bankName,
      bank_account: buyer.bankAccount,
      email: options.email,
    },
    fapiao_information: [
      {
        fapiao_id: draft.requestId,
        total_amount: invoiceTotals(draft.lines).totalFen,
        need_list: false,
        remark: draft.remark,
        items: draft.lines.map((line) => fapiaoItem(line, options.taxCode)),
      },
    ],
  };
}

/** 冲红: WeChat reverses the original application as a whole; the red invoice shows up on that application. */
export function fapiaoReversal(originalRequestId: string, originalNumber: string, reason: string): FapiaoReversal {
  return { reverse_reason: reason, fapiao_information: [{ fapiao_id: originalRequestId, fapiao_code: '', fapiao_number: originalNumber }] };
}
