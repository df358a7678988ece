/**
 * Durable jobs (a MongoDB-backed queue with leases, retries and an outbox-style `enqueue`) and the cron-style
 * schedule. See docs/operations.md, "Jobs".
 */
export { enqueue, type EnqueueOptions, type Enqueued } from './enqueue';
export {
  jobs,
  JobDefinitions,
  PermanentJobError,
  retryDelayMs,
  type BackoffOptions,
  type JobContext,
  type JobHandler,
  type JobOptions,
} from './definitions';
export { JobModel, type JobDoc, type JobStatus } from './model';
export { failedJobs, findJobByKey, retryFailedJob } from './operations';
export { JobRunner, type JobRunnerOptions, type RunSummary } from './runner';
export { Jobs } from './schedule';
