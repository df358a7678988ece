/**
 * Exams (结业考试): question banks per class (operators), papers drawn by policy, attempts timed by the server
 * (deadline stored at start, finished by a job or by any read once overdue), autosave, the leaving rule and exam
 * photos. Other modules import only from here. Exam photos are listed by the face module (`examPhotosOf`).
 */
export { examRoutes } from './routes';
export { defineExamJobs, type ExamListener } from './jobs';
export { EXAM_FINISH_JOB, EXAM_LEFT_JOB, EXAM_PASSED_JOB } from './job-names';
/** For deferral/retake and completion. */
export { examStatus, restoreAttempts, type ExamStatus } from './status';
/** Seeding a class's question bank (the demo). */
export { seedQuestionBank } from './bank';
export type { RawQuestion } from './bank-rules';
