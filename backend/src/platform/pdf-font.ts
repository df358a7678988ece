import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Chinese fonts every PDF we print uses (invoices, completion certificates): Noto Sans Hans (Adobe/Google,
 * SIL OFL), shipped by the @embedpdf/fonts-sc package so that every install has it: no system font is looked up.
 * pdfkit embeds a subset of these CFF OpenType fonts with a ToUnicode map, so the printed Chinese is also the
 * extracted Chinese. The fonts cover the Basic Multilingual Plane's CJK (about 30,000 glyphs) but not the
 * supplementary planes (e.g. 𠮷).
 */
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');

export const PDF_FONTS = {
  regular: path.join(FONT_DIR, 'NotoSansHans-Regular.otf'),
  bold: path.join(FONT_DIR, 'NotoSansHans-Bold.otf'),
} as const;

interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

// fontkit is the font engine pdfkit itself uses; asked directly so a missing glyph is refused, not printed as tofu.
const fontkit = require('fontkit') as { create(data: Buffer): GlyphSource };

let fonts: { regular: Buffer; bold: Buffer; glyphs: GlyphSource[] } | undefined;

/** Read once per process: each font is 8 MB. */
export function pdfFonts(): { regular: Buffer; bold: Buffer; glyphs: GlyphSource[] } {
  if (!fonts) {
    const regular = readFileSync(PDF_FONTS.regular);
    const bold = readFileSync(PDF_FONTS.bold);
    fonts = { regular, bold, glyphs: [fontkit.create(regular), fontkit.create(bold)] };
  }
  return fonts;
}

/** Characters the PDF fonts cannot draw (whitespace aside): printing them would show empty boxes. */
export function missingGlyphs(text: string): string[] {
  const { glyphs } = pdfFonts();
  const missing = new Set<string>();
  for (const char of text) {
    if (/\s/u.test(char)) continue;
    const codePoint = char.codePointAt(0)!;
    if (!glyphs.every((font) => font.hasGlyphForCodePoint(codePoint))) missing.add(char);
  }
  return [...missing];
}
