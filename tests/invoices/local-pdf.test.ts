import {
  CONTINUING_EDUCATION_LINE,
  DEMO_ISSUER,
  DEMO_SELLERS,
  localPdfProvider,
  MissingGlyphsError,
  NON_TAX_NOTICE,
  priceLine,
  verificationPayload,
  type InvoiceDraft,
  type InvoiceParty,
} from '../../backend/src/modules/invoices';
import { fixedClock } from '../../backend/src/platform/clock';
import { embeddedFonts, GARBLED, pdfText } from './pdf-text';

const issuer = localPdfProvider(fixedClock('2025-03-04T02:00:00Z'));

const buyer: InvoiceParty = { name: '济南鲁安建筑工程有限公司', taxId: '91370100MA3C5ABCDG' };

function draft(overrides: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return {
    requestId: 'test-request',
    kind: 'NORMAL',
    province: 'SD',
    buyer,
    seller: DEMO_SELLERS.SD,
    lines: [priceLine({ ...CONTINUING_EDUCATION_LINE, quantity: 3, unitPriceFen: 33370, taxRate: 'EXEMPT' })],
    remark: '订单号：CE20250304001',
    issuer: DEMO_ISSUER,
    ...overrides,
  };
}

async function issuedPdf(invoice: Awaited<ReturnType<typeof issuer.issue>>): Promise<Buffer> {
  if (!('pdf' in invoice)) throw new Error('the local issuer returns the file itself');
  return invoice.pdf;
}

test('a 普票 for an enterprise reads back with its name, credit code, both forms of the amount and the non-tax marking', async () => {
  const issued = await issuer.issue(draft());
  const text = await pdfText(await issuedPdf(issued));
  expect(text).toContain('电子发票（普通发票）');
  expect(text).toContain(`发票号码：${issued.number}`);
  expect(text).toContain('开票日期：2025年03月04日');
  expect(text).toContain('名称：济南鲁安建筑工程有限公司');
  expect(text).toContain('统一社会信用代码/纳税人识别号：91370100MA3C5ABCDG');
  expect(text).toContain('*教育服务*继续教育培训费');
  expect(text).toContain('免税');
  expect(text).toContain('壹仟零壹元壹角整');
  expect(text).toContain('¥1001.10');
  expect(text).toContain(NON_TAX_NOTICE);
  expect(text).toContain('开票人：演示开票员');
  expect(text).not.toMatch(GARBLED);
});

test('the invoice number has the 20 digits of a 数电票, starting with the year and the province\'s tax region', async () => {
  const issued = await issuer.issue(draft({ province: 'YN' }));
  expect(issued.number).toMatch(/^2553\d{16}$/);
});

test('the Chinese is drawn with the Noto Sans Hans fonts the install brings, embedded in the file', async () => {
  const pdf = await issuedPdf(await issuer.issue(draft()));
  expect(embeddedFonts(pdf)).toEqual(['NotoSansHans-Bold', 'NotoSansHans-Regular']);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});

test('a 专票 shows the buyer\'s address, phone, bank and account, and a 3% line shows its tax', async () => {
  const special = draft({
    kind: 'SPECIAL',
    buyer: { ...buyer, address: '山东省济南市历下区经十路1号', phone: '0531-88886666', bankName: '中国银行济南分行', bankAccount: '6217000000000000001' },
    lines: [priceLine({ ...CONTINUING_EDUCATION_LINE, quantity: 3, unitPriceFen: 33370, taxRate: 3 })],
  });
  const text = await pdfText(await issuedPdf(await issuer.issue(special)));
  expect(text).toContain('电子发票（增值税专用发票）');
  expect(text).toContain('地址、电话：山东省济南市历下区经十路1号 0531-88886666');
  expect(text).toContain('开户行及账号：中国银行济南分行 6217000000000000001');
  expect(text).toMatch(/971\.94\s+3%\s+29\.16/);
  expect(text).toContain('¥1001.10');
});

test('a red-letter invoice shows negative amounts, 红字, the original\'s number and the reason', async () => {
  const original = draft();
  const blue = await issuer.issue(original);
  const red = await issuer.issueRedLetter({ requestId: 'red-request', original: { draft: original, number: blue.number, issuedAt: blue.issuedAt }, reason: '退款：学员退学' });
  const text = await pdfText(await issuedPdf(red));
  expect(red.number).not.toBe(blue.number);
  expect(text).toContain('红字');
  expect(text).toContain(`被红冲蓝字数电发票号码：${blue.number}`);
  expect(text).toContain('红冲原因：退款：学员退学');
  expect(text).toContain('¥-1001.10');
  expect(text).toContain('（负数）壹仟零壹元壹角整');
  expect(text).toMatch(/人\s+-3\s/);
  expect(text).toContain(NON_TAX_NOTICE);
});

test('a name with a character the fonts cannot draw is refused with that character named, never printed as an empty box', async () => {
  const refusal = await issuer.issue(draft({ buyer: { name: '𠮷野家建筑有限公司', taxId: buyer.taxId } })).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(MissingGlyphsError);
  expect((refusal as MissingGlyphsError).characters).toEqual(['𠮷']);
});

test('the QR code carries the number, amount and date in the tax QR\'s shape, with a check field no tax app accepts', () => {
  const payload = verificationPayload(draft(), '25379000000000000001', new Date('2025-03-04T02:00:00Z'));
  expect(payload).toMatch(/^01,32,,25379000000000000001,1001\.10,20250304,,DEMO-NOT-A-TAX-INVOICE,[0-9a-f]{16}$/);
});
