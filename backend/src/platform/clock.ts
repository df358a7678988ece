import { chinaDate, type LocalDate } from '@ce/types';

/** The one source of "now": injected so tests and demos can stand on a chosen day. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: Date | string): Clock {
  const at = new Date(instant);
  return { now: () => new Date(at) };
}

export function today(clock: Clock): LocalDate {
  return chinaDate(clock.now());
}
