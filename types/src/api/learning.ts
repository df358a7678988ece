import { z } from 'zod';
import { nameText, objectIdField } from '../fields';

/**
 * Learning (学习): the catalog under a class (topics → courses → lessons), study overviews, playback sessions
 * and their heartbeats. The server decides progress; the player only reports what it sees.
 */

// ── Catalog administration (operators, their own province) ────────────────────────────────────────────────

/** 专题: one of the province policy's topics (its code), under one class. Required hours come from policy. */
export const createTopicRequest = z.strictObject({
  code: z.string().min(1).max(40),
  order: z.number().int().min(0).max(999).default(0),
});
export const createCourseRequest = z.strictObject({
  title: nameText('课程名称', 2, 80),
  /** 学时 credited when every lesson of the course is complete. */
  creditHours: z.number().positive().max(100),
  order: z.number().int().min(0).max(999).default(0),
});
/** Only what is sent changes (no defaults here: a missing `order` must not reset it). */
export const updateCourseRequest = z.strictObject({
  title: nameText('课程名称', 2, 80).optional(),
  creditHours: z.number().positive().max(100).optional(),
  order: z.number().int().min(0).max(999).optional(),
  active: z.boolean().optional(),
});
/** Multipart fields beside the video file (`file`, MP4); the duration is read from the video, never typed in. */
export const createLessonFields = z.strictObject({
  title: nameText('课时名称', 2, 80),
  order: z.coerce.number().int().min(0).max(999).default(0),
});
export const updateLessonRequest = z.strictObject({
  title: nameText('课时名称', 2, 80).optional(),
  order: z.number().int().min(0).max(999).optional(),
  active: z.boolean().optional(),
});

export const adminLesson = z.object({
  id: z.string(),
  title: z.string(),
  order: z.number(),
  durationSeconds: z.number(),
  active: z.boolean(),
});
export const adminCourse = z.object({
  id: z.string(),
  title: z.string(),
  creditHours: z.number(),
  order: z.number(),
  active: z.boolean(),
  lessons: z.array(adminLesson),
});
export const adminTopic = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  requiredHours: z.number(),
  order: z.number(),
  courses: z.array(adminCourse),
});
export const classContentResponse = z.object({ classId: z.string(), className: z.string(), topics: z.array(adminTopic) });
export type ClassContent = z.infer<typeof classContentResponse>;

// ── The learner's view ────────────────────────────────────────────────────────────────────────────────────

export const STUDY_WINDOW_STATES = ['OPEN', 'NOT_PAID', 'ENDED'] as const;
export type StudyWindowState = (typeof STUDY_WINDOW_STATES)[number];

export const topicProgress = z.object({
  code: z.string(),
  name: z.string(),
  requiredHours: z.number(),
  earnedHours: z.number(),
  met: z.boolean(),
  /** Study photos kept for this topic (latest `keptPerTopic`) and how many are expected. */
  photos: z.object({ kept: z.number(), expected: z.number() }),
});

/** One paid enrollment as the learner's 我的学习 shows it. */
export const studyOverview = z.object({
  enrollmentId: z.string(),
  className: z.string(),
  certificateNo: z.string(),
  window: z.enum(STUDY_WINDOW_STATES),
  /** Last day of study (China date), when known. */
  studyUntil: z.string().optional(),
  hoursRequired: z.number(),
  hoursEarned: z.number(),
  topics: z.array(topicProgress),
  photoCoverage: z.object({ percent: z.number(), requiredPercent: z.number(), met: z.boolean() }),
  examEligible: z.boolean(),
  /** Why the exam is not open yet (Chinese, one line each); empty when eligible. */
  examBlockers: z.array(z.string()),
});
export type StudyOverview = z.infer<typeof studyOverview>;
export const studyOverviewResponse = z.object({ items: z.array(studyOverview) });

export const lessonProgress = z.object({
  id: z.string(),
  title: z.string(),
  durationSeconds: z.number(),
  /** Seconds of the video covered by watched intervals (server-verified). */
  coveredSeconds: z.number(),
  creditedSeconds: z.number(),
  /** Furthest second reached by continuous watching; the first viewing may not seek past it. */
  furthestSecond: z.number(),
  /** Where playback resumes (the last position the server accepted). */
  resumeAtSecond: z.number(),
  completed: z.boolean(),
  percent: z.number(),
});
export const courseProgress = z.object({
  id: z.string(),
  title: z.string(),
  creditHours: z.number(),
  completed: z.boolean(),
  lessons: z.array(lessonProgress),
});
export const topicContent = topicProgress.extend({ id: z.string(), courses: z.array(courseProgress) });
export const enrollmentContentResponse = z.object({
  overview: studyOverview,
  topics: z.array(topicContent),
});
export type EnrollmentContent = z.infer<typeof enrollmentContentResponse>;

// ── Playback ──────────────────────────────────────────────────────────────────────────────────────────────

export const startPlaybackRequest = z.strictObject({ enrollmentId: objectIdField, lessonId: objectIdField });
export const playbackSessionResponse = z.object({
  playbackSessionId: z.string(),
  lessonId: z.string(),
  title: z.string(),
  durationSeconds: z.number(),
  /** Short-lived signed URL of the video (HTTP range requests); refreshed in heartbeat answers before it expires. */
  videoUrl: z.string(),
  videoUrlExpiresAt: z.string(),
  resumeAtSecond: z.number(),
  furthestSecond: z.number(),
  completed: z.boolean(),
  heartbeatSeconds: z.number(),
  /** The first heartbeat's `seq` is 1; each next one is one more. */
  nextSeq: z.number(),
});
export type PlaybackSession = z.infer<typeof playbackSessionResponse>;

export const PLAYER_STATES = ['playing', 'paused', 'hidden', 'ended'] as const;
export type PlayerState = (typeof PLAYER_STATES)[number];

export const heartbeatRequest = z.strictObject({
  seq: z.number().int().min(1).max(1_000_000),
  /** The player's position (seconds) when the heartbeat was sent. */
  position: z.number().min(0).max(24 * 3600),
  state: z.enum(PLAYER_STATES),
  /** The playback rate the player reports; anything but 1 credits nothing. */
  rate: z.number().min(0).max(16).default(1),
});

/** Why a heartbeat added nothing (it is still answered 200: the player keeps going and learns why). */
export const HEARTBEAT_IGNORED = ['DUPLICATE', 'OUT_OF_ORDER', 'SEEK_AHEAD', 'TOO_FAST', 'RATE', 'TOO_SOON', 'CAPTURE_OVERDUE', 'NOT_PLAYING'] as const;
export type HeartbeatIgnored = (typeof HEARTBEAT_IGNORED)[number];
export const HEARTBEAT_IGNORED_LABELS: Record<HeartbeatIgnored, string> = {
  DUPLICATE: '重复的进度上报，已忽略',
  OUT_OF_ORDER: '过期的进度上报，已忽略',
  SEEK_AHEAD: '首次学习不能快进，已回到上次学到的位置',
  TOO_FAST: '播放进度快于实际时间，本段不计学时',
  RATE: '倍速播放不计学时，请使用正常速度',
  TOO_SOON: '上报过于频繁，本次不计学时',
  CAPTURE_OVERDUE: '请先完成拍照核验，拍照通过后继续计时',
  NOT_PLAYING: '暂停期间不计学时',
};

export const captureRequest = z.object({
  captureId: z.string(),
  /** When the capture became due; after `captureGraceSeconds` without an accepted photo, crediting pauses. */
  dueAt: z.string(),
  message: z.string(),
});

export const heartbeatResponse = z.object({
  /** False when the heartbeat added nothing; `ignored` says why. */
  accepted: z.boolean(),
  ignored: z.enum(HEARTBEAT_IGNORED).optional(),
  message: z.string().optional(),
  /** Seconds credited by this heartbeat (0 when ignored). */
  creditedNow: z.number(),
  lesson: lessonProgress,
  /** The player must jump here (a seek ahead on first viewing is undone). */
  seekTo: z.number().optional(),
  /** A study photo is due: take it from the live camera now. */
  capture: captureRequest.optional(),
  /** A fresh signed video URL when the old one is close to expiring. */
  videoUrl: z.string().optional(),
  videoUrlExpiresAt: z.string().optional(),
  nextSeq: z.number(),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponse>;

/** Multipart fields of a study photo (the file: the live camera's JPEG/PNG). */
export const capturePhotoFields = z.strictObject({ captureId: z.string().min(1).max(64) });
