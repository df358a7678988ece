import PDFDocument from 'pdfkit';
import { chinaDate } from '@ce/types';
import { pdfFonts } from './pdf-font';

/**
 * One PDF in the platform's Chinese fonts, registered as 'regular' and 'bold': `draw` lays it out, and the bytes
 * come back once pdfkit has written them all.
 */
export function renderPdf(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const fonts = pdfFonts();
  const doc = new PDFDocument(options);
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return finished;
}

/** A date as our documents print it, in China's time zone: 2026年03月05日. */
export function printedDate(instant: Date): string {
  const [year, month, day] = chinaDate(instant).split('-');
  return `${year}年${month}月${day}日`;
}
