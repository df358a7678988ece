import type { HeartbeatIgnored, PlayerState } from '@ce/types';
import type { LessonWatch, PendingCapture, PlaybackRules, PlaybackState } from './data';
import { addInterval, coversWhole, furthestSecond } from './intervals';

/**
 * The progress rules, as one pure function of what the server already knows and one heartbeat. See
 * docs/product-rules.md "学习进度": only server-clock time between accepted heartbeats of one session, while the
 * player was playing, is credited, never more than the position advanced, and never more than real time.
 */

/** Heartbeats in the same state closer together than this (server clock) add nothing: a flood cannot beat real time. */
const MIN_HEARTBEAT_GAP_SECONDS = 1;

export interface Heartbeat {
  seq: number;
  position: number;
  state: PlayerState;
  rate: number;
}

export interface WatchState {
  playback: PlaybackState;
  lesson: LessonWatch;
  capture?: PendingCapture;
}

export interface HeartbeatOutcome {
  /** Absent when the heartbeat changes nothing at all (duplicate, out of order, too soon). */
  next?: { playback: PlaybackState; lesson: LessonWatch };
  creditedNow: number;
  ignored?: HeartbeatIgnored;
  seekTo?: number;
}

export function emptyWatch(): LessonWatch {
  return { intervals: [], credited: 0, resumeAt: 0, completed: false };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** A lesson completes when one watched stretch covers the video and enough time was credited. */
function isComplete(watch: Pick<LessonWatch, 'intervals' | 'credited'>, duration: number, rules: Pick<PlaybackRules, 'completionToleranceSeconds'>): boolean {
  return coversWhole(watch.intervals, duration) && watch.credited >= duration - rules.completionToleranceSeconds;
}

function ignoredWithoutChange(playback: PlaybackState, hb: Heartbeat, elapsed: number): HeartbeatIgnored | undefined {
  if (hb.seq === playback.lastSeq) return 'DUPLICATE';
  if (hb.seq < playback.lastSeq) return 'OUT_OF_ORDER';
  // A change of state (a pause, a resume) is never too soon: losing it would mislabel the next segment.
  if (elapsed < MIN_HEARTBEAT_GAP_SECONDS && hb.state === playback.lastState) return 'TOO_SOON';
  return undefined;
}

/** Why the segment since the last accepted heartbeat earns nothing, if it does not. */
function refusal(input: { hb: Heartbeat; playback: PlaybackState; advance: number; elapsed: number; beyondWatched: boolean; captureOverdue: boolean; rules: PlaybackRules }): HeartbeatIgnored | undefined {
  const { hb, playback, advance, elapsed, beyondWatched, captureOverdue, rules } = input;
  if (hb.rate !== 1) return 'RATE';
  if (captureOverdue) return 'CAPTURE_OVERDUE';
  const fasterThanTime = advance > elapsed + rules.creditToleranceSeconds;
  if (beyondWatched && (fasterThanTime || advance < 0 || playback.lastState !== 'playing')) return 'SEEK_AHEAD';
  if (playback.lastState !== 'playing') return 'NOT_PLAYING';
  if (fasterThanTime) return 'TOO_FAST';
  return undefined;
}

/**
 * Applies one heartbeat. `now` is the server clock. The segment [last accepted position, reported position] is
 * credited when the player was playing at normal speed and the position advanced no faster than server time
 * (+ tolerance); credit = min(advance, elapsed + unused tolerance), capped at the lesson's duration.
 */
export function applyHeartbeat(state: WatchState, hb: Heartbeat, now: Date, duration: number, rules: PlaybackRules): HeartbeatOutcome {
  const { playback, lesson } = state;
  const elapsed = (now.getTime() - playback.lastAt.getTime()) / 1000;
  const unchanged = ignoredWithoutChange(playback, hb, elapsed);
  if (unchanged) return { creditedNow: 0, ignored: unchanged };

  const position = Math.min(hb.position, duration);
  const advance = position - playback.lastPosition;
  const furthest = furthestSecond(lesson.intervals);
  const beyondWatched = !lesson.completed && position > furthest + rules.seekAheadToleranceSeconds;
  const captureOverdue = !!state.capture && now.getTime() > state.capture.dueAt.getTime() + rules.captureGraceSeconds * 1000;
  const refused = refusal({ hb, playback, advance, elapsed, beyondWatched, captureOverdue, rules });
  const base = { ...playback, lastSeq: hb.seq, lastAt: now, lastState: hb.state };

  if (refused) {
    // The player may stay where it is unless that is past what was watched (first viewing): then it goes back.
    const seekTo = beyondWatched ? furthest : undefined;
    const at = seekTo ?? position;
    return { next: { playback: { ...base, lastPosition: at }, lesson: { ...lesson, resumeAt: at } }, creditedNow: 0, ignored: refused, seekTo };
  }
  if (advance < 0) {
    // A rewind: the player's new place is accepted; what was watched around the seek cannot be proven.
    return { next: { playback: { ...base, lastPosition: position }, lesson: { ...lesson, resumeAt: position } }, creditedNow: 0 };
  }
  const earned = Math.min(advance, elapsed + playback.slack);
  const slack = Math.min(rules.creditToleranceSeconds, elapsed + playback.slack - earned);
  const creditedNow = round3(Math.min(earned, Math.max(0, duration - lesson.credited)));
  const intervals = addInterval(lesson.intervals, playback.lastPosition, position);
  const credited = round3(lesson.credited + creditedNow);
  const watched: LessonWatch = { intervals, credited, resumeAt: position, completed: lesson.completed || isComplete({ intervals, credited }, duration, rules) };
  return { next: { playback: { ...base, lastPosition: position, slack }, lesson: watched }, creditedNow };
}
