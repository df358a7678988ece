import { randomBytes } from 'node:crypto';
import { invoiceProfile, invoiceSummary, type InvoiceProfileInput } from '@ce/types';
import {
  CONTINUING_EDUCATION_LINE,
  createInvoicing,
  DEMO_ISSUER,
  DEMO_SELLERS,
  findInvoice,
  findInvoiceProfile,
  InvoiceModel,
  InvoiceNotIssuedError,
  invoiceMail,
  listInvoices,
  localPdfProvider,
  saveInvoiceProfile,
  toInvoiceProfile,
  toInvoiceSummary,
  type InvoiceOwner,
} from '../../backend/src/modules/invoices';
import { fixedClock } from '../../backend/src/platform/clock';
import { loadConfig } from '../../backend/src/platform/config';
import { connectDatabase, disconnectDatabase, ensureIndexes } from '../../backend/src/platform/db';
import { sendMail } from '../../backend/src/platform/mail';
import { pdfText } from './pdf-text';

const clock = fixedClock('2025-03-04T02:00:00Z');
const invoicing = createInvoicing({ provider: localPdfProvider(clock), clock, sellers: DEMO_SELLERS, issuer: DEMO_ISSUER });

const enterprise: InvoiceOwner = { type: 'enterprise', id: 'enterprise-luan' };
const companyProfile: InvoiceProfileInput = { kind: 'NORMAL', buyerType: 'ENTERPRISE', title: '济南鲁安建筑工程有限公司', taxId: '91370100MA3C5ABCDG', email: 'caiwu@luan.example.com' };

function paidOrder(orderId: string, people = 3) {
  return { orderId, owner: enterprise, province: 'SD', buyer: companyProfile, lines: [{ ...CONTINUING_EDUCATION_LINE, quantity: people, unitPriceFen: 33370, taxRate: 'EXEMPT' as const }], remark: `订单号：${orderId}` };
}

beforeAll(async () => {
  await connectDatabase(process.env.TEST_MONGODB_URI!, `test_invoices_${randomBytes(6).toString('hex')}`);
  await ensureIndexes();
});
afterAll(async () => {
  await disconnectDatabase();
});

test('when a payment is confirmed twice (a retried job), then the order still has exactly one invoice', async () => {
  const first = await invoicing.issueForOrder(paidOrder('ORDER-RETRY'));
  const again = await invoicing.issueForOrder(paidOrder('ORDER-RETRY'));
  expect(again.number).toBe(first.number);
  expect(first).toMatchObject({ status: 'ISSUED', totalFen: 100110, redLetter: false, provider: 'local-pdf' });
  expect(await InvoiceModel.countDocuments({ orderId: 'ORDER-RETRY' })).toBe(1);
});

test('when two confirmations race, then both are answered with the same invoice', async () => {
  const [one, other] = await Promise.all([invoicing.issueForOrder(paidOrder('ORDER-RACE')), invoicing.issueForOrder(paidOrder('ORDER-RACE'))]);
  expect(one.number).toBe(other.number);
  expect(await InvoiceModel.countDocuments({ orderId: 'ORDER-RACE' })).toBe(1);
});

test('the invoice mail goes to the profile\'s address with the PDF, whose text names the company and the amount', async () => {
  const invoice = await invoicing.issueForOrder(paidOrder('ORDER-MAIL'));
  const mail = invoiceMail(invoice);
  expect(mail.to).toBe('caiwu@luan.example.com');
  expect(mail.subject).toBe(`电子发票 ${invoice.number}（济南鲁安建筑工程有限公司）`);
  expect(mail.text).toContain('价税合计：¥1001.10（壹仟零壹元壹角整）');
  expect(mail.attachments).toHaveLength(1);
  expect(mail.attachments[0].filename).toBe(`电子发票_${invoice.number}.pdf`);
  const text = await pdfText(mail.attachments[0].content);
  expect(text).toContain('济南鲁安建筑工程有限公司');
  expect(text).toContain('¥1001.10');
  expect(text).toContain('壹仟零壹元壹角整');
});

test('the invoice mail reaches the test SMTP server with a PDF whose extracted text has the company name and the amount', async () => {
  const invoice = await invoicing.issueForOrder(paidOrder('ORDER-SMTP'));
  const to = `caiwu-${randomBytes(3).toString('hex')}@luan.example.com`;
  const config = loadConfig({ NODE_ENV: 'test', SMTP_HOST: process.env.TEST_SMTP_HOST, SMTP_PORT: process.env.TEST_SMTP_PORT, MAIL_FROM: '继续教育平台 <invoice@ce-platform.test>' });
  expect((await sendMail(config, invoiceMail(invoice, to))).accepted).toEqual([to]);

  const inbox = process.env.TEST_MAIL_INBOX_URL!;
  const [received] = await (await fetch(`${inbox}/api/messages?to=${encodeURIComponent(to)}`)).json();
  expect(received).toMatchObject({ subject: `电子发票 ${invoice.number}（济南鲁安建筑工程有限公司）`, attachments: [{ filename: `电子发票_${invoice.number}.pdf`, contentType: 'application/pdf' }] });
  const attachment = Buffer.from(await (await fetch(`${inbox}/api/messages/${received.id}/attachments/0`)).arrayBuffer());
  const text = await pdfText(attachment);
  expect(text).toContain('济南鲁安建筑工程有限公司');
  expect(text).toContain('¥1001.10');
  expect(text).toContain('壹仟零壹元壹角整');
});

test('when an order is refunded, then a red-letter invoice reverses it once, and both stay listed', async () => {
  const blue = await invoicing.issueForOrder(paidOrder('ORDER-REFUND', 1));
  const red = await invoicing.reverseForRefund({ orderId: 'ORDER-REFUND', reason: '退款：学员退学' });
  const redAgain = await invoicing.reverseForRefund({ orderId: 'ORDER-REFUND', reason: '退款：学员退学' });
  expect(redAgain.number).toBe(red.number);
  expect(red).toMatchObject({ redLetter: true, status: 'ISSUED', totalFen: -33370, originalNumber: blue.number });
  const listed = (await listInvoices(enterprise)).filter((doc) => doc.orderId === 'ORDER-REFUND').map(toInvoiceSummary);
  expect(listed.map((s) => [s.redLetter, s.status, s.totalFen])).toEqual([[true, 'ISSUED', -33370], [false, 'REVERSED', 33370]]);
  for (const summary of listed) expect(invoiceSummary.parse(summary)).toEqual(summary);
  const text = await pdfText(invoiceMail(red).attachments[0].content);
  expect(text).toContain(`被红冲蓝字数电发票号码：${blue.number}`);
  expect(text).toContain('¥-333.70');
});

test('when a refund comes before the order\'s invoice exists, then it is told to come back later', async () => {
  await expect(invoicing.reverseForRefund({ orderId: 'ORDER-NEVER-PAID', reason: '退款' })).rejects.toThrow(InvoiceNotIssuedError);
});

test('an invoice is found only by its owner', async () => {
  const invoice = await invoicing.issueForOrder(paidOrder('ORDER-OWNED'));
  expect((await findInvoice(enterprise, String(invoice._id)))?.number).toBe(invoice.number);
  expect(await findInvoice({ type: 'enterprise', id: 'someone-else' }, String(invoice._id))).toBeUndefined();
  expect(await findInvoice(enterprise, 'not-an-id')).toBeUndefined();
});

test('when an enterprise switches its 发票信息 from 专票 to 普票, then no bank details are left behind', async () => {
  const owner: InvoiceOwner = { type: 'enterprise', id: 'enterprise-switch' };
  await saveInvoiceProfile(owner, { ...companyProfile, kind: 'SPECIAL', address: '山东省济南市历下区经十路1号', phone: '0531-88886666', bankName: '中国银行济南分行', bankAccount: '6217000000000000001' }, clock);
  await saveInvoiceProfile(owner, companyProfile, clock);
  const saved = toInvoiceProfile((await findInvoiceProfile(owner))!);
  expect(saved).toEqual({ ...companyProfile, kindLabel: '普票', updatedAt: '2025-03-04T02:00:00.000Z' });
  expect(invoiceProfile.parse(saved)).toEqual(saved);
});
