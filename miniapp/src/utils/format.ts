/** 12345 fen → "123.45 元". Amounts travel as integer fen. */
export function yuan(fen: number): string {
  return `${(fen / 100).toFixed(2)} 元`;
}

/** ISO instant → "YYYY-MM-DD HH:mm" in China time. */
export function chinaDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** ISO instant → "HH:mm" when it falls on the same China-time day as `now`, else "YYYY-MM-DD HH:mm". */
export function chinaClock(iso: string, now = new Date()): string {
  const full = chinaDateTime(iso);
  return full.slice(0, 10) === chinaDateTime(now.toISOString()).slice(0, 10) ? full.slice(11) : full;
}
