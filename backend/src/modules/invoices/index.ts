/**
 * Invoices (数电票): 发票信息 (invoice profiles), issuing once a payment is confirmed, 冲红 on refund, the
 * invoice list and files, and the invoice mail. Orders call this face; nothing imports the files behind it.
 *
 * Issuing goes through an InvoiceProvider: the local PDF issuer by default, WeChat Pay's fapiao API in
 * production (its signed transport comes from modules/payments).
 */
export { amountInCapitals, amountInFigures, splitTax, taxRateLabel, TAX_RATES, type TaxRate } from './amounts';
export { InvoiceModel, InvoiceProfileModel, type InvoiceDoc, type InvoiceOwner, type InvoiceProfileDoc, type InvoiceRecordStatus } from './data';
export { changeInvoiceEmail, createInvoicing, findInvoice, InvoiceNotIssuedError, listInvoices, type Invoicing, type InvoicingSettings, type IssueForOrder, type ReverseForRefund } from './issue';
export { invoiceMail, type InvoiceMail } from './mail';
export { checkInvoiceProfile, findInvoiceProfile, saveInvoiceProfile, toInvoiceProfile, type InvoiceProfileCheck, type InvoiceProfileProblem } from './profiles';
export {
  FapiaoNotReadyError,
  FapiaoRequestError,
  fapiaoApplication,
  fapiaoReversal,
  INVOICE_TITLES,
  localPdfProvider,
  priceLine,
  MissingGlyphsError,
  NON_TAX_NOTICE,
  verificationPayload,
  wechatFapiaoProvider,
  type FapiaoTransport,
  type InvoiceDraft,
  type InvoiceLine,
  type InvoiceParty,
  type InvoiceProvider,
  type IssuedInvoice,
  type PricedLine,
} from './providers';
export { DEMO_ISSUER, DEMO_SELLERS } from './sellers';
export { invoiceFileName, invoicePdf, toInvoiceSummary } from './views';

/** The line every continuing-education fee is invoiced under (税收分类: 教育服务). */
export const CONTINUING_EDUCATION_LINE = { name: '*教育服务*继续教育培训费', unit: '人' } as const;
