/**
 * After the exam (结业): deferral and retake applications, city reviewers' photo review and approval (合格结业),
 * the completion certificate (学时证明) anyone can verify, the government report through the job outbox, renewal
 * (到期换证), the daily voiding of certificates that expired without completion, and the CE-record query.
 * Other modules import only from here.
 */
import { defineApplicationJobs } from './applications';
import { defineCompletionReportJob } from './report';
import { defineVoidingJob } from './voiding';

export { completionRoutes } from './routes';
/** Exams may call this when an attempt passes, so the learner reaches the review queue at once. */
export { recordExamPassed } from './record';
/** The daily voiding job's first run is queued at start. */
export { scheduleCertificateVoiding } from './voiding';

/** The module's durable jobs: the government report, approval effects, the daily voiding. */
export function defineCompletionJobs(): void {
  defineCompletionReportJob();
  defineApplicationJobs();
  defineVoidingJob();
}
