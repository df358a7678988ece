import type { Clock } from '../../../../platform/clock';
import { reversedLine } from '../lines';
import type { InvoiceDraft, InvoiceProvider, IssuedInvoice, RedLetterRequest } from '../types';
import { renderInvoicePdf } from './layout';
import { localInvoiceNumber } from './number';
import { qrPng, verificationPayload } from './qr';

export { MissingGlyphsError, NON_TAX_NOTICE, INVOICE_TITLES } from './layout';
export { verificationPayload } from './qr';

async function issueLocally(draft: InvoiceDraft, clock: Clock, redLetter?: { originalNumber: string; reason: string }): Promise<IssuedInvoice> {
  const issuedAt = clock.now();
  const number = localInvoiceNumber(draft.province, issuedAt);
  const qr = await qrPng(verificationPayload(draft, number, issuedAt));
  const pdf = await renderInvoicePdf({ draft, number, issuedAt, redLetter, qrPng: qr });
  return { number, issuedAt, pdf };
}

/**
 * The default issuer: numbers and prints the invoice itself as a PDF laid out like a 数电票 and marked on its
 * face as not a tax document. For development, demos and tests; production uses the WeChat fapiao provider.
 */
export function localPdfProvider(clock: Clock): InvoiceProvider {
  return {
    name: 'local-pdf',
    issue: (draft) => issueLocally(draft, clock),
    issueRedLetter: ({ requestId, original, reason }: RedLetterRequest) =>
      issueLocally({ ...original.draft, requestId, lines: original.draft.lines.map(reversedLine) }, clock, { originalNumber: original.number, reason }),
  };
}
