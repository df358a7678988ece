import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { chinaDate } from '@ce/types';
import { amountInFigures } from '../../amounts';
import { invoiceTotals } from '../lines';
import type { InvoiceDraft } from '../types';

/** 数电票 type codes in the tax QR's second field: 31 专用发票, 32 普通发票. */
const TYPE_CODE = { SPECIAL: '31', NORMAL: '32' } as const;
/** In the QR's check field, where a tax invoice has its check code: no tax verification app accepts it. */
const NOT_A_TAX_INVOICE = 'DEMO-NOT-A-TAX-INVOICE';

/**
 * The QR payload follows the tax QR's shape (version, type, -, number, net amount, date YYYYMMDD, -, check)
 * so the layout reads true, and ends with a digest of the printed fields so our records can verify a copy.
 */
export function verificationPayload(draft: InvoiceDraft, number: string, issuedAt: Date): string {
  const date = chinaDate(issuedAt).replace(/-/g, '');
  const totals = invoiceTotals(draft.lines);
  const fields = ['01', TYPE_CODE[draft.kind], '', number, amountInFigures(totals.amountFen), date, '', NOT_A_TAX_INVOICE];
  const digest = createHash('sha256').update([...fields, draft.seller.taxId ?? '', draft.buyer.taxId ?? '', draft.buyer.name, String(totals.totalFen)].join('|')).digest('hex').slice(0, 16);
  return [...fields, digest].join(',');
}

export async function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
}
