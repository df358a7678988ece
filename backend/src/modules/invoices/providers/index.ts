/**
 * Invoice providers: who numbers and issues an invoice. The local PDF issuer is the default (development,
 * demos, tests); WeChat Pay's fapiao API is the production provider, behind the same interface.
 */
export type { InvoiceDraft, InvoiceLine, InvoiceParty, InvoiceProvider, InvoiceProviderName, IssuedInvoice, IssuedOriginal, PricedLine, RedLetterRequest } from './types';
export { invoiceTotals, priceLine, reversedLine } from './lines';
export { INVOICE_TITLES, MissingGlyphsError, NON_TAX_NOTICE, localPdfProvider, verificationPayload } from './local-pdf';
export { FapiaoNotReadyError, FapiaoRequestError, fapiaoApplication, fapiaoReversal, wechatFapiaoProvider, type FapiaoTransport, type WechatFapiaoOptions } from './wechat-fapiao';
