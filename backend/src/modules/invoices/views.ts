import { INVOICE_KIND_LABELS, type InvoiceSummary } from '@ce/types';
import type { InvoiceDoc } from './data';

export function toInvoiceSummary(doc: InvoiceDoc): InvoiceSummary {
  return {
    id: String(doc._id),
    number: doc.number!,
    kind: doc.kind,
    kindLabel: INVOICE_KIND_LABELS[doc.kind],
    redLetter: doc.redLetter,
    status: doc.status === 'REVERSED' ? 'REVERSED' : 'ISSUED',
    title: doc.draft.buyer.name,
    totalFen: doc.totalFen,
    issuedAt: doc.issuedAt!.toISOString(),
    orderId: doc.orderId,
    ...(doc.originalNumber ? { originalNumber: doc.originalNumber } : {}),
    email: doc.email,
  };
}

/** The file a person downloads or receives, named so it sorts and reads well in a mailbox. */
export function invoiceFileName(doc: InvoiceDoc): string {
  return `${doc.redLetter ? '红字' : ''}电子发票_${doc.number}.pdf`;
}

/** The stored PDF as a Buffer: a lean read hands back BSON Binary, not Buffer. */
export function invoicePdf(doc: InvoiceDoc): Buffer | undefined {
  const stored = doc.pdf as unknown;
  if (!stored) return undefined;
  if (Buffer.isBuffer(stored)) return stored;
  const binary = stored as { buffer: Uint8Array };
  return Buffer.from(binary.buffer.buffer, binary.buffer.byteOffset, binary.buffer.byteLength);
}
