import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { HEARTBEAT_IGNORED_LABELS, type HeartbeatResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { EnrollmentModel } from '../enrollment';
import { assertStudyOpen } from './access';
import { ActivePlaybackModel, PlaybackSessionModel, type PendingCapture, type PlaybackSessionDoc, type StudyProgressDoc } from './data';
import { takeOver } from './playback';
import { changeProgress, type ProgressChange } from './progress';
import { applyHeartbeat, emptyWatch, type Heartbeat } from './rules';
import { videoUrlFor } from './video-links';
import { lessonView } from './views';

const CAPTURE_MESSAGE = '请正对镜头拍一张照片，核验通过后继续计时';

/** The caller's session, still the learner's active one; otherwise NOT_FOUND or REPLACED. */
export async function activeSession(sessionId: string, personId: string): Promise<PlaybackSessionDoc> {
  const session = await PlaybackSessionModel.findById(sessionId).lean();
  if (!session || String(session.personId) !== personId) throw new AppError('PLAYBACK_SESSION_NOT_FOUND');
  const active = await ActivePlaybackModel.findById(session.personId).lean();
  if (active?.sessionId !== sessionId) throw new AppError('PLAYBACK_SESSION_REPLACED');
  return session;
}

export async function assertSessionWindowOpen(session: PlaybackSessionDoc, now: Date): Promise<void> {
  const enrollment = await EnrollmentModel.findById(session.enrollmentId).lean();
  if (!enrollment) throw new AppError('PLAYBACK_SESSION_NOT_FOUND');
  assertStudyOpen(enrollment, now);
}

function captureView(capture: PendingCapture): NonNullable<HeartbeatResponse['capture']> {
  return { captureId: capture.id, dueAt: capture.dueAt.toISOString(), message: CAPTURE_MESSAGE };
}

/** A study photo becomes due once credited watching passes the drawn moment; it stays due until one is accepted. */
function captureAfter(doc: StudyProgressDoc, creditedTotal: number, session: PlaybackSessionDoc, now: Date): PendingCapture | undefined {
  if (doc.capture || creditedTotal < doc.nextCaptureAt) return doc.capture;
  return { id: randomUUID(), dueAt: now, topicCode: session.topicCode, lessonId: String(session.lessonId) };
}

/** Video links are renewed in the answer when less than this is left of them. */
const renewWithinMs = (session: PlaybackSessionDoc) => Math.max(60, 3 * session.rules.heartbeatSeconds) * 1000;

function decideHeartbeat(doc: StudyProgressDoc, session: PlaybackSessionDoc, hb: Heartbeat, now: Date, deps: Deps): ProgressChange<HeartbeatResponse> {
  const lessonKey = String(session.lessonId);
  // The learner's active session (checked before) whose start lost the write to an older start takes over here.
  const playback = doc.playback?.sessionId === session._id ? doc.playback : takeOver(doc, session._id, lessonKey, session.rules, session.startedAt, new Date(0));
  const lesson = { id: lessonKey, title: session.lessonTitle, durationSeconds: session.durationSeconds };
  const watch = doc.lessons[lessonKey] ?? emptyWatch();
  const outcome = applyHeartbeat({ playback, lesson: watch, capture: doc.capture }, hb, now, session.durationSeconds, session.rules);
  const why = outcome.ignored && { ignored: outcome.ignored, message: HEARTBEAT_IGNORED_LABELS[outcome.ignored] };
  const common = { accepted: !outcome.ignored, ...why, creditedNow: outcome.creditedNow, ...(outcome.seekTo !== undefined ? { seekTo: outcome.seekTo } : {}) };
  if (!outcome.next) {
    return { answer: { ...common, lesson: lessonView(lesson, watch), ...(doc.capture ? { capture: captureView(doc.capture) } : {}), nextSeq: playback.lastSeq + 1 } };
  }
  const creditedTotal = Math.round((doc.creditedTotal + outcome.creditedNow) * 1000) / 1000;
  const capture = captureAfter(doc, creditedTotal, session, now);
  const renew = playback.videoUrlExpiresAt.getTime() - now.getTime() < renewWithinMs(session);
  const video = renew ? videoUrlFor({ lesson: { _id: session.lessonId, videoKey: session.videoKey }, enrollmentId: String(session.enrollmentId), now }, deps) : undefined;
  const nextPlayback = video ? { ...outcome.next.playback, videoUrlExpiresAt: video.expiresAt } : outcome.next.playback;
  return {
    set: { playback: nextPlayback, [`lessons.${lessonKey}`]: outcome.next.lesson, creditedTotal, ...(capture ? { capture } : {}) },
    answer: {
      ...common,
      lesson: lessonView(lesson, outcome.next.lesson),
      ...(capture ? { capture: captureView(capture) } : {}),
      ...(video ? { videoUrl: video.url, videoUrlExpiresAt: video.expiresAt.toISOString() } : {}),
      nextSeq: nextPlayback.lastSeq + 1,
    },
  };
}

/** One heartbeat, applied once: its whole effect is one conditional write of the enrollment's progress. */
export async function recordHeartbeat(input: { sessionId: string; personId: string; heartbeat: Heartbeat }, deps: Deps): Promise<HeartbeatResponse> {
  const now = deps.clock.now();
  const session = await activeSession(input.sessionId, input.personId);
  await assertSessionWindowOpen(session, now);
  return changeProgress(new Types.ObjectId(session.enrollmentId), (doc) => decideHeartbeat(doc, session, input.heartbeat, now, deps));
}
