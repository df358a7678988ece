import type { Interval } from './data';

/** Gaps shorter than this between watched intervals count as watched (the instant between a resume and its heartbeat). */
const GAP_TOLERANCE_SECONDS = 1;

/** Adds [from, to) to sorted, merged intervals; touching or nearly touching intervals merge. */
export function addInterval(intervals: Interval[], from: number, to: number): Interval[] {
  if (to <= from) return intervals;
  const all = [...intervals, [from, to] as Interval].sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [start, end] of all) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + GAP_TOLERANCE_SECONDS) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Seconds of [0, duration] the intervals cover. */
export function coveredSeconds(intervals: Interval[], duration: number): number {
  return intervals.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(end, duration) - Math.max(start, 0)), 0);
}

/** The furthest point watching has reached. */
export function furthestSecond(intervals: Interval[]): number {
  return intervals.reduce((max, [, end]) => Math.max(max, end), 0);
}

/** True when one watched stretch runs from the start to the end (the last `GAP_TOLERANCE_SECONDS` may be missing). */
export function coversWhole(intervals: Interval[], duration: number): boolean {
  return intervals.some(([start, end]) => start <= GAP_TOLERANCE_SECONDS && end >= duration - GAP_TOLERANCE_SECONDS);
}
