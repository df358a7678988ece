/**
 * The exam's clock is the server's: the last answer's `serverNow`, plus the time that has passed on this phone
 * since it arrived, measured by a monotonic counter (a phone whose clock is wrong, or is changed during the exam,
 * changes nothing).
 */
function monotonicMs(): number {
  const perf = (globalThis as { performance?: { now?: () => number } }).performance;
  return typeof perf?.now === 'function' ? perf.now() : Date.now();
}

export class ServerClock {
  private serverMs = 0;
  private arrivedAt = 0;

  /** Takes the server's time from an answer that just arrived. */
  sync(serverNow: string): void {
    const t = Date.parse(serverNow);
    if (Number.isNaN(t)) return;
    this.serverMs = t;
    this.arrivedAt = monotonicMs();
  }

  get synced(): boolean {
    return this.serverMs > 0;
  }

  nowMs(): number {
    return this.serverMs + (monotonicMs() - this.arrivedAt);
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  /** Milliseconds left until `deadline` (never below zero). */
  remainingMs(deadline: string): number {
    return Math.max(0, Date.parse(deadline) - this.nowMs());
  }
}

/** 65 s → "01:05"; an hour or more → "1:02:05". */
export function clockText(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
