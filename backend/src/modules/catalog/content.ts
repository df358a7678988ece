import mongoose, { Types } from 'mongoose';
import type { ClassContent, createCourseRequest, createLessonFields, createTopicRequest, updateCourseRequest, updateLessonRequest } from '@ce/types';
import type { z } from 'zod';
import { AppError } from '../../platform/errors';
import type { Deps, SpooledFile } from '../../platform/http/route';
import { mediaStore } from '../../platform/storage';
import { settingsFor } from '../policy';
import { operatorsClass } from './classes';
import { CourseModel, LessonModel, TopicModel, type CourseDoc, type LessonDoc, type TopicDoc } from './content-data';
import type { ClassDoc } from './data';
import { readMp4FileFacts } from './mp4';
import { byOrder, toAdminCourse, toAdminLesson, toAdminTopic, toClassContent, type PolicyTopics } from './content-views';

const DUPLICATE_KEY = 11000;

/** Where a lesson's video lives in the media store. */
export function videoKeyOf(lessonId: Types.ObjectId | string): string {
  return `videos/${String(lessonId)}.mp4`;
}

async function policyTopicsOf(province: string): Promise<PolicyTopics> {
  return (await settingsFor(province)).hours.topics;
}

async function ownTopic(topicId: string, operatorProvince: string | undefined): Promise<{ topic: TopicDoc; cls: ClassDoc }> {
  const topic = await TopicModel.findById(topicId).lean();
  if (!topic) throw new AppError('CONTENT_NOT_FOUND');
  return { topic, cls: await operatorsClass(topic.classId, operatorProvince) };
}

async function ownCourse(courseId: string, operatorProvince: string | undefined): Promise<CourseDoc> {
  const course = await CourseModel.findById(courseId).lean();
  if (!course) throw new AppError('CONTENT_NOT_FOUND');
  await operatorsClass(course.classId, operatorProvince);
  return course;
}

async function ownLesson(lessonId: string, operatorProvince: string | undefined): Promise<LessonDoc> {
  const lesson = await LessonModel.findById(lessonId).lean();
  if (!lesson) throw new AppError('CONTENT_NOT_FOUND');
  await operatorsClass(lesson.classId, operatorProvince);
  return lesson;
}

/** Everything under a class, active or not, as the operator manages it. */
export async function classContentForOperator(classId: string, operatorProvince: string | undefined): Promise<ClassContent> {
  const cls = await operatorsClass(classId, operatorProvince);
  const [topics, courses, lessons, policyTopics] = await Promise.all([
    TopicModel.find({ classId: cls._id }).lean(),
    CourseModel.find({ classId: cls._id }).lean(),
    LessonModel.find({ classId: cls._id }).lean(),
    policyTopicsOf(cls.province),
  ]);
  return toClassContent(cls, { topics, courses, lessons }, policyTopics);
}

/** 专题: one of the class's province policy topics, at most once per class. */
export async function createTopic(classId: string, input: z.output<typeof createTopicRequest>, operatorProvince: string | undefined) {
  const cls = await operatorsClass(classId, operatorProvince);
  const policyTopics = await policyTopicsOf(cls.province);
  if (!policyTopics.some((t) => t.code === input.code)) {
    throw new AppError('TOPIC_NOT_IN_POLICY', { code: input.code, allowed: policyTopics.map((t) => t.code) });
  }
  try {
    const topic = (await TopicModel.create({ classId: cls._id, code: input.code, order: input.order })).toObject();
    return toAdminTopic(topic, [], [], policyTopics);
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) throw new AppError('TOPIC_TAKEN', { code: input.code });
    throw error;
  }
}

export async function createCourse(topicId: string, input: z.output<typeof createCourseRequest>, operatorProvince: string | undefined) {
  const { topic } = await ownTopic(topicId, operatorProvince);
  const course = (await CourseModel.create({ classId: topic.classId, topicId: topic._id, title: input.title, creditHours: input.creditHours, order: input.order, active: true })).toObject();
  return toAdminCourse(course, []);
}

export async function updateCourse(courseId: string, input: z.output<typeof updateCourseRequest>, operatorProvince: string | undefined) {
  await ownCourse(courseId, operatorProvince);
  const course = await CourseModel.findOneAndUpdate({ _id: courseId }, { $set: definedOnly(input) }, { returnDocument: 'after' }).lean();
  if (!course) throw new AppError('CONTENT_NOT_FOUND');
  return toAdminCourse(course, await LessonModel.find({ courseId: course._id }).lean());
}

/** Only the fields the request carries: a partial update never blanks what was left out. */
function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The video must be an MP4 with a picture and a sound track (iOS misreports `currentTime` without one). */
async function checkedVideo(file: SpooledFile | undefined): Promise<{ durationSeconds: number }> {
  if (!file) throw new AppError('VIDEO_INVALID', { reason: 'no file' }, '请选择要上传的课时视频（MP4）');
  if (file.contentType !== 'video/mp4') throw new AppError('VIDEO_INVALID', { reason: 'not an MP4 file' });
  const facts = await readMp4FileFacts(file.path);
  if (!facts.hasVideo) throw new AppError('VIDEO_INVALID', { reason: 'no video track' }, '视频文件没有画面轨道，请上传 MP4（H.264 视频，含音轨）');
  if (!facts.hasAudio) throw new AppError('VIDEO_INVALID', { reason: 'no audio track' }, '视频文件没有音轨：请加一条音轨（可以是静音）后重新上传，否则部分手机无法正确记录学习进度');
  return { durationSeconds: facts.durationSeconds };
}

/** 课时: the video is checked and its duration read from the file before anything is stored. */
export async function createLesson(courseId: string, input: z.output<typeof createLessonFields>, file: SpooledFile | undefined, operatorProvince: string | undefined, deps: Deps) {
  const course = await ownCourse(courseId, operatorProvince);
  const { durationSeconds } = await checkedVideo(file);
  const _id = new Types.ObjectId();
  const videoKey = videoKeyOf(_id);
  const store = mediaStore(deps.config);
  const stored = await store.put(videoKey, { path: file!.path });
  try {
    const lesson = await LessonModel.create({ _id, classId: course.classId, topicId: course.topicId, courseId: course._id, title: input.title, order: input.order, durationSeconds, videoKey, videoBytes: stored.size, active: true });
    return toAdminLesson(lesson.toObject());
  } catch (error) {
    await store.delete(videoKey);
    throw error;
  }
}

export async function updateLesson(lessonId: string, input: z.output<typeof updateLessonRequest>, operatorProvince: string | undefined) {
  await ownLesson(lessonId, operatorProvince);
  const lesson = await LessonModel.findOneAndUpdate({ _id: lessonId }, { $set: definedOnly(input) }, { returnDocument: 'after' }).lean();
  if (!lesson) throw new AppError('CONTENT_NOT_FOUND');
  return toAdminLesson(lesson);
}

/**
 * Someone has started this lesson: a playback session names it (the learning module's `playback_sessions`, read
 * by collection name so the catalog does not depend on the learning module).
 */
async function lessonWatched(lessonId: Types.ObjectId): Promise<boolean> {
  return (await mongoose.connection.collection('playback_sessions').countDocuments({ lessonId }, { limit: 1 })) > 0;
}

/** A lesson nobody has started may be deleted with its video; one that was watched may only be deactivated. */
export async function deleteLesson(lessonId: string, operatorProvince: string | undefined, deps: Deps): Promise<void> {
  const lesson = await ownLesson(lessonId, operatorProvince);
  if (await lessonWatched(lesson._id)) throw new AppError('CONTENT_IN_USE', { lessonId });
  const { deletedCount } = await LessonModel.deleteOne({ _id: lesson._id });
  if (deletedCount === 0) throw new AppError('CONTENT_NOT_FOUND');
  await mediaStore(deps.config).delete(lesson.videoKey);
}

/** A class's active content, ordered: topics → active courses → active lessons (what learners study). */
export interface ContentTree {
  topics: (TopicDoc & { courses: (CourseDoc & { lessons: LessonDoc[] })[] })[];
}

export async function contentOfClass(classId: Types.ObjectId | string): Promise<ContentTree> {
  const [topics, courses, lessons] = await Promise.all([
    TopicModel.find({ classId }).lean(),
    CourseModel.find({ classId, active: true }).lean(),
    LessonModel.find({ classId, active: true }).lean(),
  ]);
  const lessonsOf = (course: CourseDoc) => lessons.filter((l) => String(l.courseId) === String(course._id)).sort(byOrder);
  const coursesOf = (topic: TopicDoc) => courses.filter((c) => String(c.topicId) === String(topic._id)).sort(byOrder).map((c) => ({ ...c, lessons: lessonsOf(c) }));
  return { topics: topics.sort(byOrder).map((t) => ({ ...t, courses: coursesOf(t) })) };
}

/** An active lesson by id, or undefined (an unknown, malformed or deactivated id alike). */
export async function findLesson(lessonId: Types.ObjectId | string): Promise<LessonDoc | undefined> {
  if (!Types.ObjectId.isValid(lessonId)) return undefined;
  return (await LessonModel.findOne({ _id: lessonId, active: true }).lean()) ?? undefined;
}
