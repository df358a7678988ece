/** 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet, mod 31 check character. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function normalizeUscc(raw: string): string {
  return raw.trim().toUpperCase();
}

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) return '';
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidUscc(raw: string): boolean {
  const code = normalizeUscc(raw);
  if (code.length !== 18) return false;
  for (const ch of code) if (!ALPHABET.includes(ch)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}
