import { z } from 'zod';
import { nameText, usccField } from '../fields';

/** 普票 (电子发票（普通发票）) or 专票 (电子发票（增值税专用发票）). */
export const INVOICE_KINDS = ['NORMAL', 'SPECIAL'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const INVOICE_KIND_LABELS: Record<InvoiceKind, string> = { NORMAL: '普票', SPECIAL: '专票' };

/** Who the invoice is made out to: an enterprise (with its credit code) or a learner paying alone. */
export const INVOICE_BUYER_TYPES = ['ENTERPRISE', 'PERSON'] as const;
export type InvoiceBuyerType = (typeof INVOICE_BUYER_TYPES)[number];

/** Blue invoices are issued once; a refund reverses one with a red-letter invoice, it is never deleted. */
export const INVOICE_STATUSES = ['ISSUED', 'REVERSED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const PERSON_TITLE_MAX = 30;
export const BANK_ACCOUNT_DIGITS = { min: 8, max: 30 } as const;

/** A form sends '' for a field it shows but the person left empty: that is "not given". */
function blankAsMissing<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
}

/** Full-width ＠ and ． typed with a Chinese input method are taken as @ and .; the domain is case-free. */
export function normalizeEmail(value: string): string {
  const ascii = value.trim().replace(/＠/g, '@').replace(/．/g, '.');
  const at = ascii.lastIndexOf('@');
  return at < 0 ? ascii : ascii.slice(0, at) + '@' + ascii.slice(at + 1).toLowerCase();
}

export const invoiceEmailField = z
  .string({ error: '请填写接收发票的邮箱' })
  .transform(normalizeEmail)
  .pipe(z.email({ error: '邮箱格式不正确，请核对（例如 name@example.com）' }).max(100, '邮箱过长'));

/** 注册电话: landline (0531-88886666) or mobile; digits with optional +, -, spaces and parentheses. */
export const invoicePhoneField = z
  .string()
  .trim()
  .refine((v) => /^[0-9+\-\s()（）]+$/.test(v), { message: '注册电话只能包含数字、“-”和括号' })
  .refine((v) => { const digits = v.replace(/\D/g, '').length; return digits >= 7 && digits <= 15; }, { message: '注册电话应为7至15位数字' });

/** 银行账号: digits only; spaces and dashes copied from a bank slip are dropped. */
export const bankAccountField = z
  .string()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .refine((v) => /^\d+$/.test(v), { message: '银行账号只能包含数字' })
  .refine((v) => v.length >= BANK_ACCOUNT_DIGITS.min && v.length <= BANK_ACCOUNT_DIGITS.max, {
    message: `银行账号应为${BANK_ACCOUNT_DIGITS.min}至${BANK_ACCOUNT_DIGITS.max}位数字`,
  });

const invoiceProfileFields = z.strictObject({
  kind: z.enum(INVOICE_KINDS, { error: '请选择发票类型（普票或专票）' }),
  buyerType: z.enum(INVOICE_BUYER_TYPES, { error: '请选择抬头类型（企业或个人）' }),
  title: nameText('发票抬头', 2, 100),
  taxId: blankAsMissing(usccField),
  email: invoiceEmailField,
  address: blankAsMissing(nameText('注册地址', 5, 100)),
  phone: blankAsMissing(invoicePhoneField),
  bankName: blankAsMissing(nameText('开户银行', 4, 60)),
  bankAccount: blankAsMissing(bankAccountField),
});

type ProfileFields = z.output<typeof invoiceProfileFields>;

/** What 专票 needs beyond a 普票, with the sentence a person reads when it is missing. */
const SPECIAL_REQUIRED: { field: keyof ProfileFields; message: string }[] = [
  { field: 'address', message: '专票须填写注册地址' },
  { field: 'phone', message: '专票须填写注册电话' },
  { field: 'bankName', message: '专票须填写开户银行' },
  { field: 'bankAccount', message: '专票须填写银行账号' },
];

function checkBuyerRules(profile: ProfileFields, ctx: z.RefinementCtx): void {
  const problem = (field: keyof ProfileFields, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  if (profile.buyerType === 'PERSON') {
    if (profile.kind === 'SPECIAL') problem('kind', '专票只能开给企业，个人请选择普票');
    if (profile.taxId) problem('taxId', '个人抬头无需填写纳税人识别号');
    if ([...profile.title].length > PERSON_TITLE_MAX) problem('title', `个人抬头请填写本人姓名（最多${PERSON_TITLE_MAX}个字）`);
    return;
  }
  if (!profile.taxId) problem('taxId', '企业抬头须填写纳税人识别号（统一社会信用代码）');
  if (profile.kind === 'SPECIAL') {
    for (const { field, message } of SPECIAL_REQUIRED) if (!profile[field]) problem(field, message);
  }
}

/** 发票信息: 普票 for an enterprise (title + credit code) or a person (name only); 专票 adds address, phone, bank. */
export const invoiceProfileRequest = invoiceProfileFields.superRefine(checkBuyerRules);
export type InvoiceProfileRequest = z.input<typeof invoiceProfileRequest>;
export type InvoiceProfileInput = z.output<typeof invoiceProfileRequest>;

export const invoiceProfile = z.object({
  kind: z.enum(INVOICE_KINDS),
  kindLabel: z.string(),
  buyerType: z.enum(INVOICE_BUYER_TYPES),
  title: z.string(),
  taxId: z.string().optional(),
  email: z.string(),
  address: z.string().optional(),
  phone: z.string().optional(),
  bankName: z.string().optional(),
  bankAccount: z.string().optional(),
  updatedAt: z.string(),
});
export type InvoiceProfile = z.output<typeof invoiceProfile>;

/** One invoice as its payer sees it in 发票列表; amounts in fen, negative for a red-letter invoice. */
export const invoiceSummary = z.object({
  id: z.string(),
  number: z.string().regex(/^\d{20}$/),
  kind: z.enum(INVOICE_KINDS),
  kindLabel: z.string(),
  redLetter: z.boolean(),
  status: z.enum(INVOICE_STATUSES),
  title: z.string(),
  totalFen: z.number().int(),
  issuedAt: z.string(),
  orderId: z.string(),
  /** Set on a red-letter invoice: the number of the invoice it reverses. */
  originalNumber: z.string().optional(),
  email: z.string(),
});
export type InvoiceSummary = z.output<typeof invoiceSummary>;
export const invoiceListResponse = z.object({ items: z.array(invoiceSummary) });

/** 重新发送: to the address on file, or to a corrected one. */
export const resendInvoiceRequest = z.strictObject({ email: invoiceEmailField.optional() });
