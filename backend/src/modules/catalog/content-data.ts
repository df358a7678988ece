import { Schema, Types, model } from 'mongoose';

/**
 * What is studied under a class: 专题 (topic, one of the province policy's topics) → 课程 (course, credit hours)
 * → 课时 (lesson, one video). Required hours per topic come from policy, never from here.
 */
export interface TopicDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  /** The policy topic (`hours.topics[].code`) this topic fulfils. */
  code: string;
  order: number;
}

export interface CourseDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  topicId: Types.ObjectId;
  title: string;
  /** 学时 credited when all the course's active lessons are complete. */
  creditHours: number;
  order: number;
  active: boolean;
}

export interface LessonDoc {
  _id: Types.ObjectId;
  classId: Types.ObjectId;
  topicId: Types.ObjectId;
  courseId: Types.ObjectId;
  title: string;
  order: number;
  /** Read from the video file itself when it was uploaded. */
  durationSeconds: number;
  /** Where the video lives in the media store (private; served by signed URL with range requests). */
  videoKey: string;
  videoBytes: number;
  active: boolean;
}

const topicSchema = new Schema<TopicDoc>({
  classId: { type: Schema.Types.ObjectId, required: true },
  code: { type: String, required: true },
  order: { type: Number, default: 0 },
});
topicSchema.index({ classId: 1, code: 1 }, { unique: true });

const courseSchema = new Schema<CourseDoc>({
  classId: { type: Schema.Types.ObjectId, required: true },
  topicId: { type: Schema.Types.ObjectId, required: true },
  title: { type: String, required: true },
  creditHours: { type: Number, required: true },
  order: { type: Number, default: 0 },
  active: { type: Boolean, default: true },
});
courseSchema.index({ classId: 1, topicId: 1, order: 1 });

const lessonSchema = new Schema<LessonDoc>({
  classId: { type: Schema.Types.ObjectId, required: true },
  topicId: { type: Schema.Types.ObjectId, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  title: { type: String, required: true },
  order: { type: Number, default: 0 },
  durationSeconds: { type: Number, required: true },
  videoKey: { type: String, required: true },
  videoBytes: { type: Number, required: true },
  active: { type: Boolean, default: true },
});
lessonSchema.index({ courseId: 1, order: 1 });
lessonSchema.index({ classId: 1 });

export const TopicModel = model<TopicDoc>('Topic', topicSchema);
export const CourseModel = model<CourseDoc>('Course', courseSchema);
export const LessonModel = model<LessonDoc>('Lesson', lessonSchema);
