import { readFile } from 'node:fs/promises';
import { BUILT_IN_PROFILES } from '../../backend/src/modules/policy';
import type { TestBackend } from './backend';
import { testVideo } from './videos';

export interface LessonSpec {
  title?: string;
  /** Length of the generated video (a real MP4; its duration is read back from the file by the backend). */
  seconds: number;
}
export interface CourseSpec {
  title?: string;
  creditHours: number;
  lessons: LessonSpec[];
}
export interface TopicSpec {
  /** A code of the province policy's `hours.topics`. */
  code: string;
  courses: CourseSpec[];
}

export interface CreatedLesson {
  id: string;
  durationSeconds: number;
}
export interface CreatedCourse {
  id: string;
  creditHours: number;
  lessons: CreatedLesson[];
}
export interface CreatedTopic {
  id: string;
  code: string;
  courses: CreatedCourse[];
}
export interface CreatedContent {
  topics: CreatedTopic[];
  /** Every lesson, in the order given. */
  lessons: CreatedLesson[];
}

async function expectStatus(res: { status: number; body: any }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what} failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Uploads a lesson video through POST /api/admin/courses/:id/lessons as an operator's browser would. */
export async function uploadLesson(api: TestBackend, token: string, courseId: string, fields: { title: string; order?: number }, video: Buffer, fileName = 'lesson.mp4') {
  const form = new FormData();
  form.append('title', fields.title);
  if (fields.order !== undefined) form.append('order', String(fields.order));
  form.append('file', new Blob([new Uint8Array(video)], { type: 'video/mp4' }), fileName);
  const res = await fetch(`${api.url}/api/admin/courses/${courseId}/lessons`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Creates topics (by policy code), courses (with credit hours) and lessons (with real videos of the given
 * lengths) under a class through the operator's admin API; returns the ids.
 */
export async function createContent(api: TestBackend, operatorToken: string, classId: string, spec: TopicSpec[]): Promise<CreatedContent> {
  const created: CreatedContent = { topics: [], lessons: [] };
  for (const [t, topicSpec] of spec.entries()) {
    const topic = await expectStatus(await api.call('POST', `/api/admin/classes/${classId}/topics`, { token: operatorToken, body: { code: topicSpec.code, order: t } }), 201, `topic ${topicSpec.code}`);
    const createdTopic: CreatedTopic = { id: topic.id, code: topic.code, courses: [] };
    for (const [c, courseSpec] of topicSpec.courses.entries()) {
      const title = courseSpec.title ?? `${topic.name} 课程${c + 1}`;
      const course = await expectStatus(await api.call('POST', `/api/admin/topics/${topic.id}/courses`, { token: operatorToken, body: { title, creditHours: courseSpec.creditHours, order: c } }), 201, `course ${title}`);
      const createdCourse: CreatedCourse = { id: course.id, creditHours: course.creditHours, lessons: [] };
      for (const [l, lessonSpec] of courseSpec.lessons.entries()) {
        const video = await readFile(await testVideo(lessonSpec.seconds));
        const lesson = await expectStatus(await uploadLesson(api, operatorToken, course.id, { title: lessonSpec.title ?? `${title} 第${l + 1}课`, order: l }, video), 201, 'lesson upload');
        createdCourse.lessons.push({ id: lesson.id, durationSeconds: lesson.durationSeconds });
        created.lessons.push({ id: lesson.id, durationSeconds: lesson.durationSeconds });
      }
      createdTopic.courses.push(createdCourse);
    }
    created.topics.push(createdTopic);
  }
  return created;
}

/** A spec that fulfils a province's built-in policy exactly: per topic one course worth its required hours, with these lessons. */
export function policyContentSpec(province: string, lessons: LessonSpec[] = [{ seconds: 20 }]): TopicSpec[] {
  const profile = BUILT_IN_PROFILES.find((p) => p.province === province);
  if (!profile) throw new Error(`no built-in policy for ${province}`);
  return profile.settings.hours.topics.map((t) => ({ code: t.code, courses: [{ creditHours: t.requiredHours, lessons }] }));
}
