import { chinaDate } from '@ce/types';
import { enqueue, jobs, type JobDefinitions } from '../../platform/jobs';
import { CertificateModel } from '../registry';
import { CertificateVoidModel, CompletionModel } from './data';

export const CERTIFICATE_VOID_JOB = 'completion.void-expired-certificates';
const DAY_MS = 86_400_000;
/** 03:30 in China (UTC+8) is 19:30 UTC the day before. */
const RUN_MINUTE_UTC = 19 * 60 + 30;

/** The first 03:30 China time after `now`. */
export function nextVoidRun(now: Date): Date {
  const run = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + RUN_MINUTE_UTC * 60_000);
  return run > now ? run : new Date(run.getTime() + DAY_MS);
}

/** Queues the next daily run (once per day, whoever asks: the key is the run's moment). */
export async function scheduleCertificateVoiding(now: Date): Promise<void> {
  const runAt = nextVoidRun(now);
  await enqueue(CERTIFICATE_VOID_JOB, {}, { key: `${CERTIFICATE_VOID_JOB}:${runAt.toISOString()}`, runAt, now });
}

/**
 * Certificates past their expiry date (China date) with no 合格结业 in the cycle that ended then become 注销
 * (VOIDED), as the certificate query and the eligibility rules show. Each is voided once, recorded with its cycle;
 * a certificate whose expiry the registry moved since is left alone.
 */
export async function voidExpiredCertificates(now: Date): Promise<{ voided: number }> {
  const today = chinaDate(now);
  const expired = await CertificateModel.find({ status: 'VALID', expiryDate: { $lt: today } }, { _id: 1, certificateNo: 1, expiryDate: 1 }).lean();
  let voided = 0;
  for (const certificate of expired) {
    const completed = await CompletionModel.exists({ certificateId: certificate._id, cycleExpiry: certificate.expiryDate, state: 'COMPLETED' });
    if (completed) continue;
    const written = await CertificateModel.updateOne({ _id: certificate._id, status: 'VALID', expiryDate: certificate.expiryDate }, { $set: { status: 'VOIDED' } });
    if (written.modifiedCount === 0) continue;
    await CertificateVoidModel.updateOne(
      { certificateId: certificate._id, cycleExpiry: certificate.expiryDate },
      { $setOnInsert: { certificateId: certificate._id, certificateNo: certificate.certificateNo, cycleExpiry: certificate.expiryDate, voidedAt: now } },
      { upsert: true },
    );
    voided++;
  }
  return { voided };
}

/** The daily voiding job: a durable job that queues its next day's run once it has run. */
export function defineVoidingJob(definitions: JobDefinitions = jobs): void {
  definitions.define(CERTIFICATE_VOID_JOB, async (_payload, context) => {
    const result = await voidExpiredCertificates(context.now);
    await scheduleCertificateVoiding(context.now);
    return result;
  });
}

