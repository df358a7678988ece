import type { ClientSession } from 'mongoose';
import { enqueue, JobModel, jobs, PermanentJobError, type JobContext, type JobDefinitions, type JobDoc } from '../../platform/jobs';
import { CompletionModel, type CompletionDoc } from './data';
import { GovReportError, govReportProvider, type GovReport } from './providers';

const GOV_REPORT_JOB = 'completion.gov-report';

/**
 * Retries: 30 s, then doubling, capped at 10 minutes (each with jitter), so a platform that comes back is reached
 * within 10 minutes and a first failure is retried well inside the hour promised; 1,000 tries cover about a week
 * of outage before the job is `failed` for an operator to retry.
 */
const REPORT_RETRIES = { maxAttempts: 1000, backoff: { baseMs: 30_000, maxMs: 600_000 } };

const reportJobKey = (enrollmentId: string) => `gov-report:${enrollmentId}`;

/** Queued with 合格结业, in its transaction (outbox): due at once. */
export async function enqueueReport(enrollmentId: string, now: Date, session: ClientSession): Promise<void> {
  await enqueue(GOV_REPORT_JOB, { enrollmentId }, { key: reportJobKey(enrollmentId), now, session });
}

/** The report jobs of these enrollments, by enrollment id. */
export async function reportJobs(enrollmentIds: string[]): Promise<Map<string, JobDoc>> {
  const found = await JobModel.find({ key: { $in: enrollmentIds.map(reportJobKey) } }).lean<JobDoc[]>();
  return new Map(found.map((job) => [(job.payload as { enrollmentId: string }).enrollmentId, job]));
}

function reportOf(completion: CompletionDoc): GovReport {
  return {
    reportId: String(completion._id),
    province: completion.province,
    city: completion.city,
    certificateNo: completion.certificateNo,
    holderName: completion.holderName,
    idMasked: completion.idMasked,
    category: completion.category,
    className: completion.className,
    hoursEarned: completion.hoursEarned,
    ...(completion.examScore !== undefined ? { examScore: completion.examScore } : {}),
    examPassedAt: completion.examPassedAt.toISOString(),
    completedAt: completion.completedAt!.toISOString(),
    verificationCode: completion.certificate!.code,
  };
}

/**
 * Sends the result until the platform acknowledges it. At least once, with the completion's id as the report id:
 * a retry after a lost answer is recognised by the platform, so the result is reported once.
 */
async function sendReport(payload: { enrollmentId: string }, context: JobContext): Promise<string> {
  const completion = await CompletionModel.findOne({ enrollmentId: payload.enrollmentId }).lean();
  if (completion?.state !== 'COMPLETED') throw new PermanentJobError(`enrollment ${payload.enrollmentId} is not completed`);
  if (completion.reported) return `already reported: ${completion.reported.receipt}`;
  try {
    const { receipt } = await govReportProvider(context.deps.config).submit(reportOf(completion), context.now);
    await CompletionModel.updateOne({ _id: completion._id, reported: { $exists: false } }, { $set: { reported: { at: context.now, receipt } } });
    return receipt;
  } catch (error) {
    if (error instanceof GovReportError && error.permanent) throw new PermanentJobError(error.message);
    throw error;
  }
}

export function defineCompletionReportJob(definitions: JobDefinitions = jobs): void {
  definitions.define(GOV_REPORT_JOB, sendReport, REPORT_RETRIES);
}
