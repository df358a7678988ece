/** 居民身份证号码 (GB 11643-1999): 17 digits + mod 11-2 check character, with a real birth date. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `today`: the birth date must not be after it (pass the injected clock's date where there is one). */
export function isValidIdNumber(raw: string, today: Date): boolean {
  const id = normalizeIdNumber(raw);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || !isRealDate(year, month, day)) return false;
  if (Date.UTC(year, month - 1, day) > today.getTime()) return false;
  return idNumberCheckChar(id) === id[17];
}

/** `370102199001011234` → `3701**********1234`; never reveals more than the first and last four. */
export function maskIdNumber(raw: string): string {
  const id = normalizeIdNumber(raw);
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** Matches anything shaped like an 18-character ID number inside free text (used by log redaction). */
export const ID_NUMBER_IN_TEXT = /(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])/g;
