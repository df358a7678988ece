import { amountInCapitals, amountInFigures } from './amounts';
import type { InvoiceDoc } from './data';
import { INVOICE_TITLES, NON_TAX_NOTICE } from './providers';
import { invoiceFileName, invoicePdf } from './views';

/** A mail in nodemailer's shape (to, subject, text, attachments), for platform/mail to send. */
export interface InvoiceMail {
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: 'application/pdf' }[];
}

/** The invoice mail: the PDF attached when we hold it, else the provider's download link in the text. */
export function invoiceMail(doc: InvoiceDoc, to: string = doc.email): InvoiceMail {
  const pdf = invoicePdf(doc);
  const title = INVOICE_TITLES[doc.kind];
  const lines = [
    '您好：',
    `${doc.draft.buyer.name}的${doc.redLetter ? '红字' : ''}${title}已开具。`,
    `发票号码：${doc.number}`,
    ...(doc.originalNumber ? [`被红冲发票号码：${doc.originalNumber}（原因：${doc.reason}）`] : []),
    `价税合计：¥${amountInFigures(doc.totalFen)}（${amountInCapitals(doc.totalFen)}）`,
    pdf ? '发票文件见附件（PDF）。' : `发票下载地址：${doc.url}`,
    ...(doc.provider === 'local-pdf' ? [`注意：${NON_TAX_NOTICE}。`] : []),
  ];
  return {
    to,
    subject: `${doc.redLetter ? '红字' : ''}电子发票 ${doc.number}（${doc.draft.buyer.name}）`,
    text: lines.join('\n'),
    attachments: pdf ? [{ filename: invoiceFileName(doc), content: pdf, contentType: 'application/pdf' }] : [],
  };
}
