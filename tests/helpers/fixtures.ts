import { idNumberCheckChar, usccCheckChar } from '@ce/types';

/** A valid 18-character ID number (GB 11643), distinct per seed; region 370102 (济南市历下区) unless given. */
export function makeIdNumber(seed: number, birth = '19800101', region = '370102'): string {
  const first17 = region + birth + String(seed % 1000).padStart(3, '0');
  return first17 + idNumberCheckChar(first17);
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid unified social credit code (GB 32100), distinct per seed. */
export function makeUscc(seed: number): string {
  let body = '';
  let n = seed;
  for (let i = 0; i < 9; i++) {
    body = USCC_ALPHABET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const first17 = '91370100' + body;
  return first17 + usccCheckChar(first17);
}
