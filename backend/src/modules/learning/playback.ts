import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { PlaybackSession, PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { CourseModel, LessonModel, TopicModel, type LessonDoc } from '../catalog';
import { enrollmentSettings, ownEnrollment } from '../enrollment';
import { assertStudyGate, type FaceSubject } from '../face';
import { assertStudyOpen } from './access';
import { ActivePlaybackModel, PlaybackSessionModel, type PlaybackRules, type PlaybackState, type StudyProgressDoc } from './data';
import { furthestSecond } from './intervals';
import { changeProgress, ensureProgress } from './progress';
import { emptyWatch } from './rules';
import { videoUrlFor } from './video-links';

function rulesOf(settings: PolicySettings): PlaybackRules {
  const { heartbeatSeconds, creditToleranceSeconds, completionToleranceSeconds, seekAheadToleranceSeconds } = settings.study;
  return { heartbeatSeconds, creditToleranceSeconds, completionToleranceSeconds, seekAheadToleranceSeconds, captureEverySeconds: settings.photos.captureEverySeconds, captureGraceSeconds: settings.photos.captureGraceSeconds };
}

/** An active lesson of the class, in an active course, with its topic's policy code. */
async function studiableLesson(lessonId: string, classId: Types.ObjectId): Promise<{ lesson: LessonDoc; topicCode: string }> {
  const lesson = await LessonModel.findOne({ _id: new Types.ObjectId(lessonId), classId, active: true }).lean();
  const course = lesson && (await CourseModel.findOne({ _id: lesson.courseId, active: true }).lean());
  const topic = course && (await TopicModel.findById(lesson.topicId).lean());
  if (!lesson || !topic) throw new AppError('LESSON_NOT_FOUND');
  return { lesson, topicCode: topic.code };
}

/**
 * The new session takes over the enrollment's playback. On the same lesson it continues the previous session's
 * timeline (a reconnect loses nothing the next heartbeat proves); on another lesson it starts at that lesson's
 * resume point, as playing from now.
 */
export function takeOver(doc: StudyProgressDoc, sessionId: string, lessonId: string, rules: PlaybackRules, now: Date, videoUrlExpiresAt: Date): PlaybackState {
  const previous = doc.playback;
  if (previous && previous.lessonId === lessonId) return { ...previous, sessionId, lastSeq: 0, videoUrlExpiresAt };
  const resumeAt = doc.lessons[lessonId]?.resumeAt ?? 0;
  return { sessionId, lessonId, lastSeq: 0, lastAt: now, lastPosition: resumeAt, lastState: 'playing', slack: rules.creditToleranceSeconds, videoUrlExpiresAt };
}

/** The learner's one active session is this one from now: the previous one's next heartbeat is told it was replaced. */
async function becomeActive(personId: Types.ObjectId, sessionId: string): Promise<void> {
  try {
    await ActivePlaybackModel.collection.updateOne({ _id: personId }, { $set: { sessionId } }, { upsert: true });
  } catch (error) {
    // Two first-ever starts raced on the upsert: the loser sets it over the winner's insert (last start wins).
    if ((error as { code?: number }).code !== 11000) throw error;
    await ActivePlaybackModel.collection.updateOne({ _id: personId }, { $set: { sessionId } });
  }
}

export async function startPlayback(input: { learner: FaceSubject; enrollmentId: string; lessonId: string }, deps: Deps): Promise<PlaybackSession> {
  const now = deps.clock.now();
  const enrollment = await ownEnrollment(input.enrollmentId, input.learner.personId);
  assertStudyOpen(enrollment, now);
  const { lesson, topicCode } = await studiableLesson(input.lessonId, enrollment.classId);
  const settings = await enrollmentSettings(enrollment);
  await assertStudyGate(input.learner, deps);

  const rules = rulesOf(settings);
  const sessionId = randomUUID();
  const video = videoUrlFor({ lesson, enrollmentId: input.enrollmentId, now }, deps);
  await PlaybackSessionModel.create({ _id: sessionId, personId: enrollment.personId, enrollmentId: enrollment._id, lessonId: lesson._id, topicCode, lessonTitle: lesson.title, durationSeconds: lesson.durationSeconds, videoKey: lesson.videoKey, rules, startedAt: now });
  await ensureProgress(enrollment, settings);
  const lessonKey = String(lesson._id);
  const watch = await changeProgress(enrollment._id, (doc) => ({
    set: { playback: takeOver(doc, sessionId, lessonKey, rules, now, video.expiresAt) },
    answer: doc.lessons[lessonKey] ?? emptyWatch(),
  }));
  await becomeActive(enrollment.personId, sessionId);
  return {
    playbackSessionId: sessionId,
    lessonId: lessonKey,
    title: lesson.title,
    durationSeconds: lesson.durationSeconds,
    videoUrl: video.url,
    videoUrlExpiresAt: video.expiresAt.toISOString(),
    resumeAtSecond: watch.resumeAt,
    furthestSecond: furthestSecond(watch.intervals),
    completed: watch.completed,
    heartbeatSeconds: rules.heartbeatSeconds,
    nextSeq: 1,
  };
}
