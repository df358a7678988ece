/**
 * Money on an invoice: integer fen in, the two ways a 数电票 prints it out — 价税合计（小写）¥1001.10 and
 * 价税合计（大写）壹仟零壹元壹角整 — and the split of a tax-inclusive price into 金额 and 税额.
 */

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES = ['', '拾', '佰', '仟'];
const GROUP_UNITS = ['', '万', '亿', '万亿'];
const NEGATIVE_PREFIX = '（负数）';

/** 1..9999 in capitals; inner zeros collapse to one 零, trailing zeros are silent (1010 → 壹仟零壹拾). */
function groupInCapitals(group: number): string {
  let words = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(group / 10 ** place) % 10;
    if (digit === 0) {
      if (words) pendingZero = true;
      continue;
    }
    if (pendingZero) words += '零';
    pendingZero = false;
    words += DIGITS[digit] + PLACES[place];
  }
  return words;
}

/** Whole yuan in capitals, in groups of four digits (万, 亿): 100010 → 壹拾万零壹拾. */
function yuanInCapitals(yuan: number): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let words = '';
  let skippedZeroGroup = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i];
    if (group === 0) {
      if (words) skippedZeroGroup = true;
      continue;
    }
    if (words && (skippedZeroGroup || group < 1000)) words += '零';
    words += groupInCapitals(group) + GROUP_UNITS[i];
    skippedZeroGroup = false;
  }
  return words;
}

/** The cents part: 整 closes an amount without 分 (壹角整, 壹元整); 零 bridges 元 to 分 (壹元零伍分). */
function jiaoFenInCapitals(jiao: number, fen: number, hasYuan: boolean): string {
  if (jiao === 0 && fen === 0) return '整';
  if (jiao === 0) return (hasYuan ? '零' : '') + DIGITS[fen] + '分';
  return DIGITS[jiao] + '角' + (fen === 0 ? '整' : DIGITS[fen] + '分');
}

/** 价税合计（大写）: 1001.10 元 → 壹仟零壹元壹角整; 0.05 → 伍分; a red-letter amount starts with （负数）. */
export function amountInCapitals(amountFen: number): string {
  if (!Number.isSafeInteger(amountFen)) throw new RangeError(`amount must be a whole number of fen: ${amountFen}`);
  if (amountFen < 0) return NEGATIVE_PREFIX + amountInCapitals(-amountFen);
  if (amountFen === 0) return '零元整';
  const yuan = Math.floor(amountFen / 100);
  const jiao = Math.floor(amountFen / 10) % 10;
  const fen = amountFen % 10;
  const yuanWords = yuan > 0 ? yuanInCapitals(yuan) + '元' : '';
  return yuanWords + jiaoFenInCapitals(jiao, fen, yuan > 0);
}

/** 小写 as printed on an invoice: two decimals, no thousands separator, minus sign for red letter (-100.00). */
export function amountInFigures(amountFen: number): string {
  const sign = amountFen < 0 ? '-' : '';
  const abs = Math.abs(amountFen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 税率/征收率: exempt (免税, education services commonly are) or a percentage such as 3 (小规模纳税人). */
export type TaxRate = 'EXEMPT' | 1 | 3 | 6 | 9 | 13;
export const TAX_RATES: readonly TaxRate[] = ['EXEMPT', 1, 3, 6, 9, 13];

export function taxRateLabel(rate: TaxRate): string {
  return rate === 'EXEMPT' ? '免税' : `${rate}%`;
}

/** A tax-inclusive total split into 金额 (net) and 税额, rounded to the fen, so that net + tax = total exactly. */
export function splitTax(totalFen: number, rate: TaxRate): { amountFen: number; taxFen: number } {
  if (rate === 'EXEMPT') return { amountFen: totalFen, taxFen: 0 };
  const amountFen = Math.round((totalFen * 100) / (100 + rate));
  return { amountFen, taxFen: totalFen - amountFen };
}
