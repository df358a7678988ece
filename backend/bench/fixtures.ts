import { idNumberCheckChar, usccCheckChar } from '@ce/types';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid credit code (GB 32100), distinct per n. */
export function uscc(n: number): string {
  let body = '';
  for (let i = 0, v = n; i < 9; i++, v = Math.floor(v / 31)) body = USCC_ALPHABET[v % 31] + body;
  const first17 = '91370100' + body;
  return first17 + usccCheckChar(first17);
}

/** A valid ID number (GB 11643) with a real birth date, distinct per n up to a million. */
export function idNumber(n: number): string {
  const birth = `19${60 + (n % 40)}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}`;
  const region = String(370000 + (Math.floor(n / 1000) % 1000)).padStart(6, '0');
  const first17 = region + birth + String(n % 1000).padStart(3, '0');
  return first17 + idNumberCheckChar(first17);
}
