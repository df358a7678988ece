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

/**
 * A clock that stands still until told to move: tests set it, or advance it past a lease or a backoff, instead of
 * sleeping.
 */
export class ControlledClock implements Clock {
  private at: number;

  constructor(start: Date | string | number) {
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(instant: Date | string | number): void {
    this.at = new Date(instant).getTime();
  }

  advance(ms: number): Date {
    this.at += ms;
    return this.now();
  }
}

export function today(clock: Clock): LocalDate {
  return chinaDate(clock.now());
}

let processClock: Clock = systemClock;

/** Set once by `startBackend` to the clock the backend runs on (tests and demos may stand it on another day). */
export function useProcessClock(clock: Clock): void {
  processClock = clock;
}

/**
 * "Now" on the backend's clock, for the few places that cannot be handed `deps` — schema defaults such as
 * `createdAt: { default: processNow }`. Everything that has `deps` uses `deps.clock`.
 */
export function processNow(): Date {
  return processClock.now();
}
