import { Schema, Types, model } from 'mongoose';
import type { PlayerState } from '@ce/types';

/** Seconds of one lesson's video, [from, to). */
export type Interval = [number, number];

/** What the server knows about one lesson of one enrollment. */
export interface LessonWatch {
  /** Merged intervals of the video proven watched. */
  intervals: Interval[];
  /** Server-clock seconds credited to this lesson (capped at its duration). */
  credited: number;
  /** The last position the server accepted: playback resumes here on any device. */
  resumeAt: number;
  completed: boolean;
}

/**
 * Where the current playback of this enrollment stands: the last accepted heartbeat of its session. Kept inside
 * the progress document so one heartbeat's whole effect is one conditional write.
 */
export interface PlaybackState {
  sessionId: string;
  lessonId: string;
  lastSeq: number;
  lastAt: Date;
  lastPosition: number;
  lastState: PlayerState;
  /** Unused credit tolerance (seconds): slack used by one late heartbeat is paid back by the next ones. */
  slack: number;
  videoUrlExpiresAt: Date;
}

/** A study photo the server asked for and is waiting on. */
export interface PendingCapture {
  id: string;
  dueAt: Date;
  topicCode: string;
  lessonId: string;
}

/** One enrollment's study progress: every lesson, the current playback, the capture. `version` guards each write. */
export interface StudyProgressDoc {
  _id: Types.ObjectId;
  personId: Types.ObjectId;
  version: number;
  lessons: Record<string, LessonWatch>;
  playback?: PlaybackState;
  /** Seconds credited over all lessons; study photos are due at moments of this count. */
  creditedTotal: number;
  nextCaptureAt: number;
  capture?: PendingCapture;
}

const progressSchema = new Schema<StudyProgressDoc>(
  {
    personId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    lessons: { type: Schema.Types.Mixed, default: {} },
    playback: Schema.Types.Mixed,
    creditedTotal: { type: Number, required: true },
    nextCaptureAt: { type: Number, required: true },
    capture: Schema.Types.Mixed,
  },
  { minimize: false },
);
progressSchema.index({ personId: 1 });
export const StudyProgressModel = model<StudyProgressDoc>('StudyProgress', progressSchema, 'study_progress');

/** The tolerances a playback session was started under (policy at the start; a later policy change applies to the next session). */
export interface PlaybackRules {
  heartbeatSeconds: number;
  creditToleranceSeconds: number;
  completionToleranceSeconds: number;
  seekAheadToleranceSeconds: number;
  captureEverySeconds: { min: number; max: number };
  captureGraceSeconds: number;
}

export interface PlaybackSessionDoc {
  _id: string;
  personId: Types.ObjectId;
  enrollmentId: Types.ObjectId;
  lessonId: Types.ObjectId;
  topicCode: string;
  /** The lesson as it was when the session started (a session plays one lesson). */
  lessonTitle: string;
  durationSeconds: number;
  videoKey: string;
  rules: PlaybackRules;
  startedAt: Date;
}

const sessionSchema = new Schema<PlaybackSessionDoc>({
  _id: { type: String, required: true },
  personId: { type: Schema.Types.ObjectId, required: true },
  enrollmentId: { type: Schema.Types.ObjectId, required: true },
  lessonId: { type: Schema.Types.ObjectId, required: true },
  topicCode: { type: String, required: true },
  lessonTitle: { type: String, required: true },
  durationSeconds: { type: Number, required: true },
  videoKey: { type: String, required: true },
  rules: { type: Schema.Types.Mixed, required: true },
  startedAt: { type: Date, required: true },
});
sessionSchema.index({ personId: 1, startedAt: -1 });
export const PlaybackSessionModel = model<PlaybackSessionDoc>('PlaybackSession', sessionSchema, 'playback_sessions');

/** Each learner's one active playback session: starting another replaces it (last start wins). */
export interface ActivePlaybackDoc {
  _id: Types.ObjectId;
  sessionId: string;
}
const activeSchema = new Schema<ActivePlaybackDoc>({ _id: { type: Schema.Types.ObjectId, required: true }, sessionId: { type: String, required: true } });
export const ActivePlaybackModel = model<ActivePlaybackDoc>('ActivePlayback', activeSchema, 'active_playbacks');
