import { randomInt } from 'node:crypto';
import { chinaDate } from '@ce/types';

/** 省级税务局区域代码 as the 3rd-4th digits of a 数电票 number. */
const TAX_REGION: Record<string, string> = { SD: '37', YN: '53' };
const LOCAL_CHANNEL = '9';
const SEQUENCE_DIGITS = 15;

/**
 * 发票号码 laid out as 数电票 numbers are (20 digits: year, tax region, channel, sequence). The sequence is
 * random: this issuer keeps no counter, and the invoice collection's unique index catches the 1-in-10^15 clash.
 */
export function localInvoiceNumber(province: string, issuedAt: Date): string {
  const year = chinaDate(issuedAt).slice(2, 4);
  const region = TAX_REGION[province] ?? '00';
  const high = randomInt(0, 10 ** 7);
  const low = randomInt(0, 10 ** 8);
  const sequence = `${String(high).padStart(7, '0')}${String(low).padStart(8, '0')}`;
  return `${year}${region}${LOCAL_CHANNEL}${sequence}`.slice(0, 5 + SEQUENCE_DIGITS);
}
