import type { AttemptView } from '@ce/types';
import { ApiError, isRetryable } from '../api/client';
import type { SaveAnswerResponse } from './api';
import type { ServerClock } from './server-clock';

export type SaveState = 'saved' | 'saving' | 'retrying' | 'failed';
export type Capture = NonNullable<AttemptView['capture']>;

export interface AutosaveEvents {
  onState(state: SaveState): void;
  onCapture(capture: Capture): void;
  /** The server will take no more answers (the attempt ended): the page shows the result. */
  onClosed(): void;
}

type Send = (questionId: string, body: { answer: string[]; seq: number; sentAt: string }) => Promise<SaveAnswerResponse>;

const RETRY_MS = [1000, 2000, 3000, 5000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (answer: string[]) => [...answer].sort().join(',');

/**
 * Saves each change of an answer as it is made, one request per question at a time, numbered per question
 * (`seq`): a failed save is retried with the same number and the same `sentAt`, so the server keeps it exactly
 * once; a newer change waiting behind it goes next with a higher number. A page reopened elsewhere starts its
 * numbers at 1: the server answers STALE with the number it holds, and the change is sent again above it.
 */
export class Autosaver {
  private readonly latest = new Map<string, string[]>();
  private readonly saved = new Map<string, string>();
  private readonly seqs = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly failing = new Set<string>();
  private readonly refused = new Set<string>();
  private closed = false;

  constructor(
    private readonly send: Send,
    private readonly clock: ServerClock,
    private readonly events: AutosaveEvents,
    questions: AttemptView['questions'],
  ) {
    for (const q of questions) if (q.saved) this.saved.set(q.id, keyOf(q.saved));
  }

  change(questionId: string, answer: string[]): void {
    this.latest.set(questionId, answer);
    this.refused.delete(questionId);
    void this.flush(questionId);
  }

  /** Questions whose latest change the server has not confirmed yet. */
  unsavedCount(): number {
    let n = 0;
    for (const [id, answer] of this.latest) if (this.saved.get(id) !== keyOf(answer)) n++;
    return n;
  }

  /** Resolves once every change is saved, or after `timeoutMs` (the caller then asks `unsavedCount`). */
  async settled(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && (this.inFlight.size || this.unsavedCount()) && !this.closed) await sleep(200);
  }

  stop(): void {
    this.closed = true;
  }

  private state(): SaveState {
    if (this.refused.size) return 'failed';
    if (this.failing.size) return 'retrying';
    return this.inFlight.size || this.unsavedCount() ? 'saving' : 'saved';
  }

  private notify(): void {
    this.events.onState(this.state());
  }

  private async flush(questionId: string): Promise<void> {
    const answer = this.latest.get(questionId);
    if (this.closed || this.inFlight.has(questionId) || !answer || this.saved.get(questionId) === keyOf(answer)) {
      this.notify();
      return;
    }
    const seq = (this.seqs.get(questionId) ?? 0) + 1;
    this.seqs.set(questionId, seq);
    this.inFlight.add(questionId);
    this.notify();
    await this.deliver(questionId, answer, seq, this.clock.nowIso());
    this.inFlight.delete(questionId);
    this.notify();
    if (!this.refused.has(questionId)) void this.flush(questionId);
  }

  private async deliver(questionId: string, answer: string[], seq: number, sentAt: string): Promise<void> {
    for (let tries = 0; !this.closed; tries++) {
      try {
        const res = await this.send(questionId, { answer, seq, sentAt });
        this.failing.delete(questionId);
        if (res.ignored === 'STALE') this.seqs.set(questionId, Math.max(seq, res.seq));
        else this.saved.set(questionId, keyOf(answer));
        if (res.capture) this.events.onCapture(res.capture);
        return;
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'ATTEMPT_CLOSED' || e.code === 'ATTEMPT_NOT_FOUND')) {
          this.closed = true;
          this.events.onClosed();
          return;
        }
        if (!isRetryable(e)) {
          this.refused.add(questionId);
          return;
        }
        this.failing.add(questionId);
        this.notify();
        await sleep(RETRY_MS[Math.min(tries, RETRY_MS.length - 1)]);
      }
    }
  }
}

export const SAVE_WORDS: Record<SaveState, string> = {
  saved: '已保存',
  saving: '保存中',
  retrying: '保存失败，重试中',
  failed: '有答案未能保存，请重新选择该题的答案',
};
