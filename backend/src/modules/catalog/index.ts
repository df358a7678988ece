/**
 * The catalog: 学习班 and what is studied under them (topics, courses, lessons with their videos): what can be
 * enrolled in and studied. Other modules import only from here.
 */
export type { ClassDoc } from './data';
export { ClassModel } from './data';
export { findClass, listClasses, operatorsClass, toClassSummary } from './classes';
export { catalogRoutes } from './routes';

/** Content under a class: topics (policy topics) → courses (credit hours) → lessons (videos). */
export type { CourseDoc, LessonDoc, TopicDoc } from './content-data';
export { CourseModel, LessonModel, TopicModel } from './content-data';
export { contentOfClass, findLesson, videoKeyOf, type ContentTree } from './content';
/** The operator's use cases, for the demo seed (which builds content exactly as an operator would). */
export { createCourse, createLesson, createTopic } from './content';
