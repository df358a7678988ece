/**
 * Calendar dates (certificate issue/expiry, eligibility boundaries) are plain `YYYY-MM-DD` strings in China
 * time. Arithmetic happens in UTC on those strings so no machine time zone can shift a day.
 */
export type LocalDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function toUtc(date: LocalDate): Date {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
}

function fromUtc(d: Date): LocalDate {
  return d.toISOString().slice(0, 10);
}

/** The calendar date in China (UTC+8, no daylight saving) at the given instant. */
export function chinaDate(instant: Date): LocalDate {
  return fromUtc(new Date(instant.getTime() + 8 * 3600_000));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Adds calendar months, clamping to the month's last day (2026-08-31 − 6 months = 2026-02-28). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const d = toUtc(date);
  const targetMonth = d.getUTCMonth() + months;
  const day = d.getUTCDate();
  const firstOfTarget = new Date(Date.UTC(d.getUTCFullYear(), targetMonth, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(day, lastDay));
  return fromUtc(firstOfTarget);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
