import { amountInCapitals, amountInFigures, taxRateLabel } from '../../amounts';
import { invoiceTotals } from '../lines';
import type { InvoiceDraft, InvoiceParty, PricedLine } from '../types';
import { printedDate, renderPdf } from '../../../../platform/pdf';
import { missingGlyphs } from '../../../../platform/pdf-font';

/** What the local issuer prints: the draft, the number it gave, and for 冲红 what is reversed and why. */
export interface PrintedInvoice {
  draft: InvoiceDraft;
  number: string;
  issuedAt: Date;
  redLetter?: { originalNumber: string; reason: string };
  /** The QR code, already drawn as a PNG. */
  qrPng: Buffer;
}

export const NON_TAX_NOTICE = '本票据为测试/演示用途，不是税务发票';
export const INVOICE_TITLES = { NORMAL: '电子发票（普通发票）', SPECIAL: '电子发票（增值税专用发票）' } as const;

/** The characters (named) the fonts cannot draw; the invoice is refused rather than printed with empty boxes. */
export class MissingGlyphsError extends Error {
  constructor(readonly characters: string[]) {
    super(`发票字体无法显示以下字符：${characters.join(' ')}`);
  }
}

const PAGE_WIDTH = 842;
const MARGIN = 36;
const FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const LABEL_COLUMN = 22;
const ROW = 20;
const MIN_BODY_ROWS = 4;
const INK = '#1f1f1f';
const FRAME = '#9c3d1f';
const RED = '#d4161b';

const COLUMNS: { title: string; width: number; align: 'left' | 'center' | 'right' }[] = [
  { title: '项目名称', width: 220, align: 'left' },
  { title: '规格型号', width: 80, align: 'center' },
  { title: '单位', width: 50, align: 'center' },
  { title: '数量', width: 60, align: 'right' },
  { title: '单价', width: 100, align: 'right' },
  { title: '金额', width: 90, align: 'right' },
  { title: '税率/征收率', width: 80, align: 'center' },
  { title: '税额', width: 90, align: 'right' },
];

type Doc = PDFKit.PDFDocument;

function variableTexts(invoice: PrintedInvoice): string {
  const { draft } = invoice;
  const party = (p: InvoiceParty) => [p.name, p.taxId, p.address, p.phone, p.bankName, p.bankAccount].join('');
  return [party(draft.buyer), party(draft.seller), ...draft.lines.map((l) => l.name + l.unit), draft.remark ?? '', draft.issuer, invoice.redLetter?.reason ?? ''].join('');
}

/** Net unit price: up to 8 decimals as the tax system prints it, trailing zeros dropped (97.08737864). */
function unitPriceText(line: PricedLine): string {
  const yuan = Math.abs(line.amountFen) / Math.abs(line.quantity) / 100;
  const text = yuan.toFixed(8).replace(/0+$/, '');
  return text.endsWith('.') ? text + '00' : text.split('.')[1].length < 2 ? text + '0' : text;
}

function taxText(line: { taxRate?: PricedLine['taxRate']; taxFen: number }): string {
  return line.taxRate === 'EXEMPT' ? '***' : amountInFigures(line.taxFen);
}

/** Writes one line of text in a cell, shrinking the size (not below 7 pt) rather than wrapping out of the frame. */
function cellText(doc: Doc, text: string, x: number, y: number, width: number, options: { size?: number; align?: 'left' | 'center' | 'right'; bold?: boolean; color?: string } = {}): void {
  let size = options.size ?? 9;
  doc.font(options.bold ? 'bold' : 'regular');
  while (size > 7 && doc.fontSize(size).widthOfString(text) > width) size -= 0.5;
  doc.fontSize(size).fillColor(options.color ?? INK).text(text, x, y, { width, align: options.align ?? 'left', lineBreak: doc.widthOfString(text) > width, height: size * 2.6 });
}

/** 购买方信息 / 销售方信息 / 备注: the narrow label column printed top to bottom. */
function verticalLabel(doc: Doc, label: string, x: number, top: number, height: number): void {
  const chars = [...label];
  const step = Math.min(11, (height - 6) / chars.length);
  const size = Math.min(9, step - 1);
  const start = top + (height - chars.length * step) / 2;
  doc.font('regular').fontSize(size).fillColor(FRAME);
  chars.forEach((char, i) => doc.text(char, x, start + i * step, { width: LABEL_COLUMN, align: 'center', lineBreak: false }));
}

function drawHeader(doc: Doc, invoice: PrintedInvoice): void {
  doc.font('bold').fontSize(10).fillColor(RED).text(NON_TAX_NOTICE, MARGIN, 16, { width: FRAME_WIDTH, align: 'center' });
  doc.image(invoice.qrPng, MARGIN, 36, { width: 72, height: 72 });
  const title = INVOICE_TITLES[invoice.draft.kind];
  doc.font('bold').fontSize(20).fillColor(FRAME).text(title, MARGIN, 50, { width: FRAME_WIDTH, align: 'center' });
  const titleWidth = doc.widthOfString(title);
  const left = (PAGE_WIDTH - titleWidth) / 2;
  doc.moveTo(left, 78).lineTo(left + titleWidth, 78).moveTo(left, 81).lineTo(left + titleWidth, 81).lineWidth(0.8).strokeColor(FRAME).stroke();
  if (invoice.redLetter) {
    doc.rect(left - 54, 50, 42, 24).lineWidth(1.2).strokeColor(RED).stroke();
    doc.font('bold').fontSize(14).fillColor(RED).text('红字', left - 54, 53, { width: 42, align: 'center' });
  }
  doc.font('regular').fontSize(10).fillColor(FRAME).text('发票号码：', 610, 48, { continued: true }).fillColor(INK).text(invoice.number);
  doc.font('regular').fontSize(10).fillColor(FRAME).text('开票日期：', 610, 68, { continued: true }).fillColor(INK).text(printedDate(invoice.issuedAt));
}

function partyLines(party: InvoiceParty, withBank: boolean): [string, string][] {
  const lines: [string, string][] = [
    ['名称：', party.name],
    ['统一社会信用代码/纳税人识别号：', party.taxId ?? ''],
  ];
  if (withBank) {
    lines.push(['地址、电话：', [party.address, party.phone].filter(Boolean).join(' ')]);
    lines.push(['开户行及账号：', [party.bankName, party.bankAccount].filter(Boolean).join(' ')]);
  }
  return lines;
}

function drawParty(doc: Doc, label: string, party: InvoiceParty, x: number, top: number, width: number, height: number, withBank: boolean): void {
  verticalLabel(doc, label, x, top, height);
  doc.moveTo(x + LABEL_COLUMN, top).lineTo(x + LABEL_COLUMN, top + height).strokeColor(FRAME).lineWidth(0.6).stroke();
  const textX = x + LABEL_COLUMN + 6;
  const textWidth = width - LABEL_COLUMN - 12;
  partyLines(party, withBank).forEach(([caption, value], i) => {
    const y = top + 8 + i * 18;
    doc.font('regular').fontSize(9).fillColor(FRAME);
    const captionWidth = doc.widthOfString(caption);
    doc.text(caption, textX, y, { lineBreak: false });
    cellText(doc, value, textX + captionWidth, y, textWidth - captionWidth);
  });
}

function drawLines(doc: Doc, lines: PricedLine[], top: number): number {
  let x = MARGIN;
  for (const column of COLUMNS) {
    doc.font('regular').fontSize(9).fillColor(FRAME).text(column.title, x + 4, top + 5, { width: column.width - 8, align: 'center' });
    x += column.width;
  }
  lines.forEach((line, i) => {
    const cells = [line.name, '', line.unit, String(line.quantity), unitPriceText(line), amountInFigures(line.amountFen), taxRateLabel(line.taxRate), taxText(line)];
    let cellX = MARGIN;
    COLUMNS.forEach((column, c) => {
      cellText(doc, cells[c], cellX + 4, top + ROW * (i + 1) + 5, column.width - 8, { align: column.align });
      cellX += column.width;
    });
  });
  return top + ROW * (Math.max(lines.length, MIN_BODY_ROWS) + 1);
}

function drawTotals(doc: Doc, lines: PricedLine[], top: number): void {
  const totals = invoiceTotals(lines);
  const allExempt = lines.every((line) => line.taxRate === 'EXEMPT');
  doc.font('regular').fontSize(9).fillColor(FRAME).text('合　　计', MARGIN + 4, top + 5, { width: COLUMNS[0].width - 8, align: 'center' });
  const amountX = MARGIN + COLUMNS.slice(0, 5).reduce((sum, c) => sum + c.width, 0);
  cellText(doc, '¥' + amountInFigures(totals.amountFen), amountX + 4, top + 5, COLUMNS[5].width - 8, { align: 'right' });
  const taxX = amountX + COLUMNS[5].width + COLUMNS[6].width;
  cellText(doc, allExempt ? '***' : '¥' + amountInFigures(totals.taxFen), taxX + 4, top + 5, COLUMNS[7].width - 8, { align: 'right' });
}

function drawGrandTotal(doc: Doc, totalFen: number, top: number, height: number): void {
  doc.font('regular').fontSize(9.5).fillColor(FRAME).text('价税合计（大写）', MARGIN + 4, top + 8, { width: 120, align: 'center' });
  doc.moveTo(MARGIN + 128, top).lineTo(MARGIN + 128, top + height).strokeColor(FRAME).lineWidth(0.6).stroke();
  doc.font('bold').fontSize(11).fillColor(INK).text('⊗ ' + amountInCapitals(totalFen), MARGIN + 140, top + 7, { lineBreak: false });
  doc.font('regular').fontSize(9.5).fillColor(FRAME).text('（小写）', MARGIN + 540, top + 8, { continued: true, lineBreak: false });
  doc.font('bold').fontSize(11).fillColor(INK).text('¥' + amountInFigures(totalFen), { lineBreak: false });
}

function remarkText(invoice: PrintedInvoice): string {
  const parts: string[] = [];
  if (invoice.redLetter) parts.push(`被红冲蓝字数电发票号码：${invoice.redLetter.originalNumber}　红冲原因：${invoice.redLetter.reason}`);
  if (invoice.draft.remark) parts.push(invoice.draft.remark);
  parts.push(NON_TAX_NOTICE);
  return parts.join('\n');
}

function drawWatermark(doc: Doc, pageHeight: number): void {
  doc.save();
  doc.rotate(-14, { origin: [PAGE_WIDTH / 2, pageHeight / 2] });
  doc.font('bold').fontSize(30).fillColor(RED).fillOpacity(0.16).text(NON_TAX_NOTICE, 0, pageHeight / 2 - 20, { width: PAGE_WIDTH, align: 'center', lineBreak: false });
  doc.restore();
}

/** One page laid out like a 数电票, plainly marked as not a tax document (top line, 备注 and across the page). */
export async function renderInvoicePdf(invoice: PrintedInvoice): Promise<Buffer> {
  const missing = missingGlyphs(variableTexts(invoice));
  if (missing.length > 0) throw new MissingGlyphsError(missing);
  const { draft } = invoice;
  const withBank = draft.kind === 'SPECIAL';
  const partyHeight = withBank ? 84 : 62;
  const frameTop = 118;
  const linesTop = frameTop + partyHeight;
  const bodyRows = Math.max(draft.lines.length, MIN_BODY_ROWS) + 1;
  const totalsTop = linesTop + ROW * bodyRows;
  const grandTop = totalsTop + ROW;
  const grandHeight = 28;
  const remarkTop = grandTop + grandHeight;
  const remarkHeight = 58;
  const frameBottom = remarkTop + remarkHeight;
  const pageHeight = frameBottom + 44;

  const info = { Title: `${INVOICE_TITLES[draft.kind]} ${invoice.number}（演示，非税务发票）`, Subject: NON_TAX_NOTICE, Producer: 'ce-platform local invoice issuer' };
  return renderPdf({ size: [PAGE_WIDTH, pageHeight], margin: 0, info }, (doc) => {
    drawHeader(doc, invoice);
    doc.rect(MARGIN, frameTop, FRAME_WIDTH, frameBottom - frameTop).lineWidth(1).strokeColor(FRAME).stroke();
    const half = FRAME_WIDTH / 2;
    drawParty(doc, '购买方信息', draft.buyer, MARGIN, frameTop, half, partyHeight, withBank);
    doc.moveTo(MARGIN + half, frameTop).lineTo(MARGIN + half, linesTop).strokeColor(FRAME).lineWidth(0.6).stroke();
    drawParty(doc, '销售方信息', draft.seller, MARGIN + half, frameTop, half, partyHeight, withBank);
    for (const y of [linesTop, grandTop, remarkTop]) doc.moveTo(MARGIN, y).lineTo(MARGIN + FRAME_WIDTH, y).strokeColor(FRAME).lineWidth(0.6).stroke();
    drawLines(doc, draft.lines, linesTop);
    drawTotals(doc, draft.lines, totalsTop);
    drawGrandTotal(doc, invoiceTotals(draft.lines).totalFen, grandTop, grandHeight);
    verticalLabel(doc, '备注', MARGIN, remarkTop, remarkHeight);
    doc.moveTo(MARGIN + LABEL_COLUMN, remarkTop).lineTo(MARGIN + LABEL_COLUMN, frameBottom).strokeColor(FRAME).lineWidth(0.6).stroke();
    doc.font('regular').fontSize(9).fillColor(INK).text(remarkText(invoice), MARGIN + LABEL_COLUMN + 8, remarkTop + 6, { width: FRAME_WIDTH - LABEL_COLUMN - 16, height: remarkHeight - 8 });
    doc.font('regular').fontSize(10).fillColor(FRAME).text('开票人：', MARGIN + 20, frameBottom + 14, { continued: true }).fillColor(INK).text(draft.issuer);
    drawWatermark(doc, pageHeight);
  });
}
