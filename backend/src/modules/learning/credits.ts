import { Types } from 'mongoose';
import type { EnrollmentContent, PolicySettings, StudyOverview } from '@ce/types';
import { processNow } from '../../platform/clock';
import { AppError } from '../../platform/errors';
import { CourseModel, LessonModel, TopicModel, type CourseDoc, type LessonDoc, type TopicDoc } from '../catalog';
import { EnrollmentModel, enrollmentSettings, type EnrollmentDoc } from '../enrollment';
import { photoCounts } from '../face';
import { windowState } from './access';
import type { LessonWatch } from './data';
import { findProgress } from './progress';
import { emptyWatch } from './rules';
import { lessonView } from './views';

/**
 * Credits, all decided here from server-verified lesson progress: lesson complete → the course's hours once all
 * its active lessons are → a policy topic met when its courses' hours reach the topic's requirement → the exam
 * opens when every policy topic is met, the total reaches the required hours and photo coverage reaches policy.
 */

interface ClassContent {
  topics: TopicDoc[];
  courses: CourseDoc[];
  lessons: LessonDoc[];
}

async function classContent(classId: Types.ObjectId): Promise<ClassContent> {
  const [topics, courses, lessons] = await Promise.all([
    TopicModel.find({ classId }).sort({ order: 1, _id: 1 }).lean(),
    CourseModel.find({ classId, active: true }).sort({ order: 1, _id: 1 }).lean(),
    LessonModel.find({ classId, active: true }).sort({ order: 1, _id: 1 }).lean(),
  ]);
  return { topics, courses, lessons };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Verified lessons, and the study photos the face module keeps per topic (the latest `keptPerTopic`). */
interface Progress {
  lessons: Record<string, LessonWatch>;
  photosByTopic: Record<string, number>;
}

function courseCompleted(course: CourseDoc, content: ClassContent, progress: Progress): boolean {
  const lessons = content.lessons.filter((l) => l.courseId.equals(course._id));
  return lessons.length > 0 && lessons.every((l) => progress.lessons[String(l._id)]?.completed === true);
}

function earnedByTopicCode(content: ClassContent, progress: Progress): Map<string, number> {
  const earned = new Map<string, number>();
  for (const topic of content.topics) {
    const hours = content.courses.filter((c) => c.topicId.equals(topic._id) && courseCompleted(c, content, progress)).reduce((sum, c) => sum + c.creditHours, 0);
    earned.set(topic.code, round2((earned.get(topic.code) ?? 0) + hours));
  }
  return earned;
}

function topicProgressOf(policyTopic: { code: string; name: string; requiredHours: number }, earned: Map<string, number>, progress: Progress, photos: PolicySettings['photos']) {
  const earnedHours = earned.get(policyTopic.code) ?? 0;
  const kept = Math.min(progress.photosByTopic[policyTopic.code] ?? 0, photos.keptPerTopic);
  return { code: policyTopic.code, name: policyTopic.name, requiredHours: policyTopic.requiredHours, earnedHours, met: earnedHours >= policyTopic.requiredHours, photos: { kept, expected: photos.keptPerTopic } };
}

type TopicProgress = ReturnType<typeof topicProgressOf>;

function examBlockers(input: { enrollment: EnrollmentDoc; topics: TopicProgress[]; hoursEarned: number; hoursRequired: number; coverage: StudyOverview['photoCoverage'] }): string[] {
  const blockers: string[] = [];
  if (input.enrollment.status !== 'PAID') blockers.push('尚未缴费');
  for (const t of input.topics.filter((topic) => !topic.met)) blockers.push(`专题「${t.name}」已获 ${t.earnedHours} 学时，需 ${t.requiredHours} 学时`);
  if (input.hoursEarned < input.hoursRequired) blockers.push(`总学时已获 ${input.hoursEarned} 学时，需 ${input.hoursRequired} 学时`);
  if (!input.coverage.met) blockers.push(`学习照片覆盖率 ${input.coverage.percent}%，需达到 ${input.coverage.requiredPercent}%`);
  return blockers;
}

function photoCoverage(topics: TopicProgress[], photos: PolicySettings['photos']): StudyOverview['photoCoverage'] {
  const kept = topics.reduce((sum, t) => sum + t.photos.kept, 0);
  const expected = topics.length * photos.keptPerTopic;
  return { percent: expected === 0 ? 100 : Math.floor((100 * kept) / expected), requiredPercent: photos.coveragePercent, met: kept * 100 >= photos.coveragePercent * expected };
}

function overviewOf(enrollment: EnrollmentDoc, settings: PolicySettings, content: ClassContent, progress: Progress, now: Date): StudyOverview {
  const earned = earnedByTopicCode(content, progress);
  const topics = settings.hours.topics.map((t) => topicProgressOf(t, earned, progress, settings.photos));
  const hoursEarned = round2(topics.reduce((sum, t) => sum + t.earnedHours, 0));
  const hoursRequired = settings.hours.required;
  const coverage = photoCoverage(topics, settings.photos);
  const blockers = examBlockers({ enrollment, topics, hoursEarned, hoursRequired, coverage });
  return {
    enrollmentId: String(enrollment._id),
    className: enrollment.className,
    certificateNo: enrollment.certificateNo,
    window: windowState(enrollment, now),
    ...(enrollment.studyUntil ? { studyUntil: enrollment.studyUntil } : {}),
    hoursRequired,
    hoursEarned,
    topics,
    photoCoverage: coverage,
    examEligible: blockers.length === 0,
    examBlockers: blockers,
  };
}

async function studyFacts(enrollment: EnrollmentDoc) {
  const [settings, content, progress, photosByTopic] = await Promise.all([enrollmentSettings(enrollment), classContent(enrollment.classId), findProgress(enrollment._id), photoCounts(String(enrollment._id))]);
  return { settings, content, progress: { lessons: progress?.lessons ?? {}, photosByTopic } };
}

async function studyOverview(enrollment: EnrollmentDoc, now: Date): Promise<StudyOverview> {
  const { settings, content, progress } = await studyFacts(enrollment);
  return overviewOf(enrollment, settings, content, progress, now);
}

/** 我的学习: every paid enrollment of the learner, newest first. */
export async function studyOverviews(personId: string, now: Date): Promise<StudyOverview[]> {
  const enrollments = await EnrollmentModel.find({ personId: new Types.ObjectId(personId), status: 'PAID' }).sort({ createdAt: -1 }).lean();
  return Promise.all(enrollments.map((e) => studyOverview(e, now)));
}

/** One enrollment's topics → courses → lessons, each with its verified progress. */
export async function enrollmentContent(enrollment: EnrollmentDoc, now: Date): Promise<EnrollmentContent> {
  const { settings, content, progress } = await studyFacts(enrollment);
  const overview = overviewOf(enrollment, settings, content, progress, now);
  const topics = content.topics.map((topic) => {
    const base = overview.topics.find((t) => t.code === topic.code) ?? { code: topic.code, name: topic.code, requiredHours: 0, earnedHours: 0, met: true, photos: { kept: 0, expected: 0 } };
    const courses = content.courses
      .filter((c) => c.topicId.equals(topic._id))
      .map((course) => ({
        id: String(course._id),
        title: course.title,
        creditHours: course.creditHours,
        completed: courseCompleted(course, content, progress),
        lessons: content.lessons
          .filter((l) => l.courseId.equals(course._id))
          .map((l) => lessonView({ id: String(l._id), title: l.title, durationSeconds: l.durationSeconds }, progress.lessons[String(l._id)] ?? emptyWatch())),
      }));
    return { ...base, id: String(topic._id), courses };
  });
  return { overview, topics };
}

export interface ExamEligibility {
  eligible: boolean;
  /** Chinese, one line per missing requirement. */
  blockers: string[];
  hoursEarned: number;
  hoursRequired: number;
}

/** For the exam: whether this enrollment's learner may sit it, decided from server-verified progress. */
export async function examEligibility(enrollmentId: string): Promise<ExamEligibility> {
  const enrollment = Types.ObjectId.isValid(enrollmentId) ? await EnrollmentModel.findById(enrollmentId).lean() : null;
  if (!enrollment) throw new AppError('ENROLLMENT_NOT_FOUND');
  const overview = await studyOverview(enrollment, processNow());
  return { eligible: overview.examEligible, blockers: overview.examBlockers, hoursEarned: overview.hoursEarned, hoursRequired: overview.hoursRequired };
}
