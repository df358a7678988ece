import { execFile } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

// pdf.js starts its worker with a dynamic import(), which jest's module sandbox refuses; plain Node runs it.
const EXTRACT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try { process.stdout.write(JSON.stringify((await parser.getText()).text)); } finally { await parser.destroy(); }
});`;

/** The text a reader (or a mail filter, or a search index) gets out of a PDF, extracted by pdf-parse. */
export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', EXTRACT], { cwd: REPO, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pdf-parse failed: ${(stderr || error.message).slice(-600)}`));
      else resolve(JSON.parse(stdout) as string);
    });
    child.stdin!.end(pdf);
  });
}

/** Names of the fonts a PDF embeds as font programs (subset prefix removed), read from its font descriptors. */
export function embeddedFonts(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const names = [...raw.matchAll(/\/FontName \/[A-Z]{6}\+([A-Za-z0-9-]+)/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

/** U+FFFD or private-use code points: what broken ToUnicode maps produce instead of the printed character. */
export const GARBLED = /[\uFFFD\uE000-\uF8FF]/u;
