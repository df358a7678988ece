import type { z } from 'zod';
import { chinaDate, type completionView, type renewalRequest } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { ownEnrollmentFacts, type EnrollmentFacts } from './context';
import { renderCompletionCertificate } from './certificate';
import { CompletionModel, type CompletionDoc } from './data';
import { recordExamPassed } from './record';
import { reportJobs } from './report';
import { completionViewOf, renewalOf } from './views';

type View = z.input<typeof completionView>;

async function viewOf(facts: EnrollmentFacts, completion: CompletionDoc | null, deps: Deps): Promise<View> {
  const jobs = completion ? await reportJobs([String(completion.enrollmentId)]) : new Map();
  return completionViewOf({ enrollment: facts.enrollment, completion, job: jobs.get(String(facts.enrollment._id)) ?? null, settings: facts.settings, today: chinaDate(deps.clock.now()) });
}

/** 结业进度: the learner's own enrollment, from the passed exam to the government report, and renewal. */
export async function ownCompletion(personId: string, enrollmentId: string, deps: Deps): Promise<View> {
  const facts = await ownEnrollmentFacts(enrollmentId, personId);
  return viewOf(facts, await recordExamPassed(enrollmentId, deps, facts), deps);
}

/** 学时证明 PDF: the learner's own, once 合格结业. */
export async function ownCertificatePdf(personId: string, enrollmentId: string, deps: Deps): Promise<{ pdf: Buffer; completion: CompletionDoc }> {
  const facts = await ownEnrollmentFacts(enrollmentId, personId);
  const completion = await CompletionModel.findOne({ enrollmentId: facts.enrollment._id }).lean();
  if (completion?.state !== 'COMPLETED' || !completion.certificate) throw new AppError('CERTIFICATE_NOT_ISSUED');
  return { pdf: await renderCompletionCertificate(completion, deps.config), completion };
}

/** 到期换证: after 合格结业, inside the renewal window; once (RENEWAL_ALREADY_APPLIED), also when sent twice at once. */
export async function applyForRenewal(personId: string, request: z.output<typeof renewalRequest>, deps: Deps): Promise<View> {
  const facts = await ownEnrollmentFacts(request.enrollmentId, personId);
  const completion = await CompletionModel.findOne({ enrollmentId: facts.enrollment._id }).lean();
  if (completion?.renewal) throw new AppError('RENEWAL_ALREADY_APPLIED');
  const now = deps.clock.now();
  const renewal = renewalOf(completion, facts.enrollment, facts.settings, chinaDate(now));
  if (!completion || !renewal.allowed) throw new AppError('RENEWAL_NOT_ALLOWED', { reason: renewal.reason, windowOpensOn: renewal.windowOpensOn });
  const applied = await CompletionModel.findOneAndUpdate(
    { _id: completion._id, state: 'COMPLETED', renewal: { $exists: false } },
    { $set: { renewal: { at: now, mobile: request.mobile } } },
    { returnDocument: 'after', lean: true },
  );
  if (!applied) throw new AppError('RENEWAL_ALREADY_APPLIED');
  return viewOf(facts, applied, deps);
}
