import { performance } from 'node:perf_hooks';

/** Milliseconds spent per step of a run; steps that overlap (reading while the database works) each count in full. */
export class Stopwatch {
  private readonly totals = new Map<string, number>();

  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.totals.set(step, (this.totals.get(step) ?? 0) + performance.now() - started);
    }
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.totals].map(([step, ms]) => [step, Math.round(ms)]));
  }
}
