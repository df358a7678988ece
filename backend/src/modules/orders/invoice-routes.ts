import { idParams, invoiceListResponse, invoiceProfile, invoiceProfileRequest, invoiceSummary, resendInvoiceRequest } from '@ce/types';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { defineRoute } from '../../platform/http/route';
import { enqueueMail } from '../../platform/mail';
import { changeInvoiceEmail, findInvoice, findInvoiceProfile, invoiceMail, invoicePdf, listInvoices, saveInvoiceProfile, toInvoiceProfile, toInvoiceSummary, type InvoiceDoc } from '../invoices';
import type { OrderOwner } from './data';
import { payerOf } from './payer';

const payers = { roles: ['enterprise' as const, 'learner' as const] };

const savedProfileResponse = z.object({ profile: invoiceProfile.nullable() });
const fileAnswer = z.object({ contentType: z.string(), bytes: z.instanceof(Buffer), maxAgeSeconds: z.number().optional() });

/** The payer's own issued invoice (blue or red-letter); another payer's is answered as missing. */
async function ownInvoice(owner: OrderOwner, invoiceId: string): Promise<InvoiceDoc> {
  const invoice = await findInvoice(owner, invoiceId);
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  return invoice;
}

/** 发票信息 and 发票列表 of the signed-in payer (enterprise or learner). */
export const invoiceRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/invoice-profile',
    tag: 'invoices',
    summary: '我的发票信息（未保存时 profile 为 null）',
    audience: payers,
    response: savedProfileResponse,
    handler: async ({ principal }) => {
      const saved = await findInvoiceProfile(payerOf(principal));
      return { profile: saved ? toInvoiceProfile(saved) : null };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/invoice-profile',
    tag: 'invoices',
    summary: '保存发票信息（普票：抬头、税号、邮箱；专票另需地址、电话、开户行及账号）',
    audience: payers,
    body: invoiceProfileRequest,
    response: invoiceProfile,
    handler: async ({ principal, body, deps }) => toInvoiceProfile(await saveInvoiceProfile(payerOf(principal), body, deps.clock)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/invoices',
    tag: 'invoices',
    summary: '我的发票（蓝字与红字），最新的在前',
    audience: payers,
    response: invoiceListResponse,
    handler: async ({ principal }) => ({ items: (await listInvoices(payerOf(principal))).map(toInvoiceSummary) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/invoices/:id/pdf',
    tag: 'invoices',
    summary: '下载发票 PDF（仅本人发票）',
    audience: payers,
    params: idParams,
    response: fileAnswer,
    sendsFile: true,
    handler: async ({ principal, params }) => {
      const invoice = await ownInvoice(payerOf(principal), params.id);
      const pdf = invoicePdf(invoice);
      if (!pdf) throw new AppError('INVOICE_NOT_FOUND', undefined, '该发票文件由开票平台提供，请通过邮件中的下载地址获取');
      return { contentType: 'application/pdf', bytes: pdf, downloadName: `电子发票_${invoice.number}.pdf` };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/invoices/:id/resend',
    tag: 'invoices',
    summary: '重新发送发票邮件（可改为新的邮箱地址，之后以新地址为准）',
    audience: payers,
    params: idParams,
    body: resendInvoiceRequest,
    response: invoiceSummary,
    handler: async ({ principal, params, body }) => {
      const invoice = await ownInvoice(payerOf(principal), params.id);
      const to = body.email ?? invoice.email;
      if (to !== invoice.email) await changeInvoiceEmail(invoice._id, to);
      // Each resend is its own request to send: its own key (one mail per request, however often its job runs).
      await enqueueMail(invoiceMail(invoice, to), { key: `invoice-resend:${String(invoice._id)}:${randomUUID()}` });
      return toInvoiceSummary({ ...invoice, email: to });
    },
  }),
];
