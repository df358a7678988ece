import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PolicySettings } from '@ce/types';
import type { Deps } from '../platform/http/route';
import { makeLessonVideo, resolveFfmpeg } from '../platform/ffmpeg';
import { mediaStore } from '../platform/storage';
import { ClassModel, createCourse, createLesson, createTopic, LessonModel, TopicModel, type ClassDoc } from '../modules/catalog';
import { settingsFor } from '../modules/policy';

/** Demo lessons per policy topic: short real videos (H.264 + silent AAC) with the lesson's title drawn on them. */
const LESSONS: Record<string, { title: string; seconds: number }[]> = {
  LAW: [
    { title: '《安全生产法》要点解读', seconds: 30 },
    { title: '建设工程安全生产管理条例', seconds: 20 },
  ],
  MANAGEMENT: [
    { title: '安全生产责任制与管理制度', seconds: 30 },
    { title: '危险性较大的分部分项工程管理', seconds: 20 },
  ],
  TECHNOLOGY: [
    { title: '高处作业与脚手架安全技术', seconds: 30 },
    { title: '施工用电安全技术', seconds: 20 },
  ],
  CASES: [{ title: '典型坍塌事故案例分析', seconds: 40 }],
};
const FALLBACK_LESSONS = [
  { title: '建设工程安全生产法规与管理', seconds: 30 },
  { title: '施工现场安全技术与事故案例', seconds: 20 },
];

/** Generated once per machine and reused: ffmpeg runs only for files missing here. */
const SOURCE_DIR = path.join(os.tmpdir(), 'ce-demo-videos');

type PolicyTopic = PolicySettings['hours']['topics'][number];

function lessonsOf(code: string) {
  return LESSONS[code] ?? FALLBACK_LESSONS;
}

function sourceOf(code: string, index: number): string {
  return path.join(SOURCE_DIR, `${code.toLowerCase()}-${index + 1}.mp4`);
}

/** Makes the demo videos that are missing, a few at a time (each takes a fraction of a second). */
async function ensureSources(codes: string[], deps: Deps): Promise<void> {
  const missing = codes.flatMap((code) => lessonsOf(code).map((lesson, i) => ({ ...lesson, file: sourceOf(code, i) }))).filter((v) => !existsSync(v.file));
  if (!missing.length) return;
  const ffmpeg = resolveFfmpeg(deps.config);
  for (let i = 0; i < missing.length; i += 3) {
    await Promise.all(missing.slice(i, i + 3).map((v) => makeLessonVideo(ffmpeg, v.file, { seconds: v.seconds, title: v.title })));
  }
}

/** A class's content, made through the catalog's own use cases: per policy topic one course worth its hours. */
async function seedClassContent(cls: ClassDoc, topics: PolicyTopic[], deps: Deps): Promise<void> {
  const classId = String(cls._id);
  for (const [t, policyTopic] of topics.entries()) {
    const topic = await createTopic(classId, { code: policyTopic.code, order: t }, cls.province);
    const course = await createCourse(topic.id, { title: `${policyTopic.name}（2026年度）`, creditHours: policyTopic.requiredHours, order: 0 }, cls.province);
    for (const [l, lesson] of lessonsOf(policyTopic.code).entries()) {
      const file = sourceOf(policyTopic.code, l);
      const { size } = await stat(file);
      await createLesson(course.id, { title: lesson.title, order: l }, { path: file, size, fileName: path.basename(file), contentType: 'video/mp4' }, cls.province, deps);
    }
  }
}

/** Lessons seeded earlier whose video files are gone (e.g. the temp folder was cleared): stored again. */
async function restoreMissingVideos(classIds: ClassDoc['_id'][], deps: Deps): Promise<void> {
  const store = mediaStore(deps.config);
  const [lessons, topics] = await Promise.all([LessonModel.find({ classId: { $in: classIds } }).lean(), TopicModel.find({ classId: { $in: classIds } }).lean()]);
  for (const lesson of lessons) {
    if (await store.stat(lesson.videoKey)) continue;
    const code = topics.find((t) => String(t._id) === String(lesson.topicId))?.code ?? '';
    const source = sourceOf(code, Math.min(lesson.order, lessonsOf(code).length - 1));
    if (existsSync(source)) await store.put(lesson.videoKey, { path: source });
  }
}

/**
 * Every demo class gets its province policy's topics, one course per topic worth the topic's hours, and one or
 * two lessons per course with real playable videos. Classes that have content keep it: safe to run again.
 */
export async function seedDemoContent(classes: { province: string; name: string }[], deps: Deps): Promise<void> {
  const docs = await ClassModel.find({ $or: classes.map(({ province, name }) => ({ province, name })) }).lean();
  const topicsByProvince = new Map<string, PolicyTopic[]>();
  for (const province of new Set(docs.map((d) => d.province))) topicsByProvince.set(province, (await settingsFor(province)).hours.topics);
  await ensureSources([...new Set([...topicsByProvince.values()].flat().map((t) => t.code))], deps);
  for (const cls of docs) {
    if (!(await TopicModel.exists({ classId: cls._id }))) await seedClassContent(cls, topicsByProvince.get(cls.province)!, deps);
  }
  await restoreMissingVideos(docs.map((d) => d._id), deps);
}
