import type { ClassContent, PolicySettings } from '@ce/types';
import type { CourseDoc, LessonDoc, TopicDoc } from './content-data';
import type { ClassDoc } from './data';

export type PolicyTopics = PolicySettings['hours']['topics'];
type AdminTopic = ClassContent['topics'][number];
type AdminCourse = AdminTopic['courses'][number];
type AdminLesson = AdminCourse['lessons'][number];

/** By `order`, then by creation (ObjectIds grow with time). */
export function byOrder<T extends { order: number; _id: { toString(): string } }>(a: T, b: T): number {
  return a.order - b.order || String(a._id).localeCompare(String(b._id));
}

export function toAdminLesson(lesson: LessonDoc): AdminLesson {
  return { id: String(lesson._id), title: lesson.title, order: lesson.order, durationSeconds: lesson.durationSeconds, active: lesson.active };
}

export function toAdminCourse(course: CourseDoc, lessons: LessonDoc[]): AdminCourse {
  return {
    id: String(course._id),
    title: course.title,
    creditHours: course.creditHours,
    order: course.order,
    active: course.active,
    lessons: lessons.filter((l) => String(l.courseId) === String(course._id)).sort(byOrder).map(toAdminLesson),
  };
}

/** A topic's name and required hours are policy's; a code policy no longer lists keeps its code and requires nothing. */
export function toAdminTopic(topic: TopicDoc, courses: CourseDoc[], lessons: LessonDoc[], policyTopics: PolicyTopics): AdminTopic {
  const policy = policyTopics.find((t) => t.code === topic.code);
  return {
    id: String(topic._id),
    code: topic.code,
    name: policy?.name ?? topic.code,
    requiredHours: policy?.requiredHours ?? 0,
    order: topic.order,
    courses: courses.filter((c) => String(c.topicId) === String(topic._id)).sort(byOrder).map((c) => toAdminCourse(c, lessons)),
  };
}

export function toClassContent(cls: ClassDoc, content: { topics: TopicDoc[]; courses: CourseDoc[]; lessons: LessonDoc[] }, policyTopics: PolicyTopics): ClassContent {
  return {
    classId: String(cls._id),
    className: cls.name,
    topics: [...content.topics].sort(byOrder).map((t) => toAdminTopic(t, content.courses, content.lessons, policyTopics)),
  };
}
