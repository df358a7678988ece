import type { z } from 'zod';
import { APPLICATION_KIND_LABELS, APPLICATION_STATE_LABELS, chinaDate, type applicationOptions, type applicationRequest, type ApplicationKind, type ApplicationState, type applicationView, type decisionRequest } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import { enqueue, jobs, type JobContext, type JobDefinitions } from '../../platform/jobs';
import type { Deps, Principal } from '../../platform/http/route';
import { extendStudyWindow } from '../enrollment';
import { examStatus, restoreAttempts } from '../exams';
import { enrollmentFacts, maskMobile, ownEnrollmentFacts, reviewerScope, type EnrollmentFacts } from './context';
import { ApplicationModel, type ApplicationDoc } from './data';
import { decideAlone } from './once';
import { reviewAudit } from './review';

type View = z.input<typeof applicationView>;
type Options = z.input<typeof applicationOptions>;
type Verdict = { allowed: true } | { allowed: false; reason: string };

const APPLICATION_EFFECT_JOB = 'completion.application-effect';
const EFFECT_JOB_DELAY_MS = 5 * 60_000;

export function applicationViewOf(application: ApplicationDoc, withPerson = false): View {
  return {
    id: String(application._id),
    enrollmentId: String(application.enrollmentId),
    kind: application.kind,
    kindLabel: APPLICATION_KIND_LABELS[application.kind],
    state: application.state,
    stateLabel: APPLICATION_STATE_LABELS[application.state],
    mobileMasked: maskMobile(application.mobile),
    submittedAt: application.submittedAt.toISOString(),
    ...(application.decidedAt ? { decidedAt: application.decidedAt.toISOString() } : {}),
    ...(application.decisionReason ? { decisionReason: application.decisionReason } : {}),
    ...(application.effect ? { effect: application.effect } : {}),
    ...(withPerson ? { personName: application.holderName, idMasked: application.idMasked, className: application.className } : {}),
  };
}

const refuse = (reason: string): Verdict => ({ allowed: false, reason });

/** 延期: only once the study window has ended (the day after its last day) without 合格结业 or a passed exam. */
async function deferralVerdict(facts: EnrollmentFacts, now: Date): Promise<Verdict> {
  const { enrollment, settings } = facts;
  if (!settings.deferral.allowed) return refuse('本地区不办理延期申请');
  if (enrollment.status !== 'PAID' || !enrollment.studyUntil) return refuse('缴费后才能申请延期');
  if ((await examStatus(String(enrollment._id))).passed) return refuse('您已通过考试，无需延期');
  if (settings.deferral.onlyAfterWindowEnds && chinaDate(now) <= enrollment.studyUntil) return refuse(`学习期（至 ${enrollment.studyUntil}）结束后仍未完成的，才能申请延期`);
  return { allowed: true };
}

/** 补考: only once every attempt is used without a pass (where policy says so). */
async function retakeVerdict(facts: EnrollmentFacts): Promise<Verdict> {
  const { enrollment, settings } = facts;
  if (!settings.retake.allowed) return refuse('本地区不办理补考申请');
  const status = await examStatus(String(enrollment._id));
  if (status.passed) return refuse('您已通过考试，无需补考');
  if (settings.retake.onlyAfterAllAttemptsUsed && status.attemptsLeft > 0) return refuse(`考试机会还剩 ${status.attemptsLeft} 次（共 ${status.maxAttempts} 次），用完仍未通过的才能申请补考`);
  if (status.attemptsUsed === 0) return refuse('参加考试后仍未通过的，才能申请补考');
  return { allowed: true };
}

function verdictOf(kind: ApplicationKind, facts: EnrollmentFacts, now: Date): Promise<Verdict> {
  return kind === 'DEFERRAL' ? deferralVerdict(facts, now) : retakeVerdict(facts);
}

const withoutPending = (verdict: Verdict, pending: boolean): Verdict => (pending && verdict.allowed ? refuse('已有待审核的申请，请等待审核结果') : verdict);

/** 延期 / 补考: whether each may be applied for now (and why not), with the enrollment's applications, newest first. */
export async function applicationOptionsOf(personId: string, enrollmentId: string, deps: Deps): Promise<Options> {
  const facts = await ownEnrollmentFacts(enrollmentId, personId);
  const now = deps.clock.now();
  const items = await ApplicationModel.find({ enrollmentId: facts.enrollment._id }).sort({ submittedAt: -1 }).lean();
  const pending = (kind: ApplicationKind) => items.some((a) => a.kind === kind && a.state === 'PENDING');
  return {
    enrollmentId,
    deferral: withoutPending(await deferralVerdict(facts, now), pending('DEFERRAL')),
    retake: withoutPending(await retakeVerdict(facts), pending('RETAKE')),
    items: items.map((a) => applicationViewOf(a)),
  };
}

/** Submits an application the rules allow; one pending per kind (APPLICATION_PENDING), even when sent twice at once. */
export async function submitApplication(personId: string, request: z.output<typeof applicationRequest>, deps: Deps): Promise<View> {
  const facts = await ownEnrollmentFacts(request.enrollmentId, personId);
  const now = deps.clock.now();
  const verdict = await verdictOf(request.kind, facts, now);
  if (!verdict.allowed) throw new AppError('APPLICATION_NOT_ALLOWED', { reason: verdict.reason }, verdict.reason);
  const { enrollment, certificate } = facts;
  try {
    const created = await ApplicationModel.create({
      enrollmentId: enrollment._id,
      personId: enrollment.personId,
      province: certificate.province,
      city: certificate.city,
      kind: request.kind,
      state: 'PENDING',
      mobile: request.mobile,
      ...(request.reason ? { reason: request.reason } : {}),
      holderName: enrollment.holderName,
      idMasked: enrollment.idMasked,
      className: enrollment.className,
      submittedAt: now,
    });
    return applicationViewOf(created.toObject());
  } catch (error) {
    if ((error as { code?: number }).code === 11000) throw new AppError('APPLICATION_PENDING');
    throw error;
  }
}

/** The reviewer's list: their city's applications in `state`, oldest first. */
export async function applicationsForReview(principal: Principal, state: ApplicationState): Promise<{ items: View[] }> {
  const scope = reviewerScope(principal);
  const items = await ApplicationModel.find({ ...scope, state }).sort({ submittedAt: 1 }).limit(200).lean();
  return { items: items.map((a) => applicationViewOf(a, true)) };
}

/**
 * Approval's effect, once per application whoever runs it (the decision right away, the job after a crash): the
 * application's id is the grant key of the window extension or of the attempts given back.
 */
async function applyEffect(application: ApplicationDoc, deps: Pick<Deps, 'clock'>): Promise<string> {
  if (application.effect) return application.effect;
  const { settings } = await enrollmentFacts(String(application.enrollmentId));
  const grantKey = `application:${String(application._id)}`;
  let effect: string;
  if (application.kind === 'DEFERRAL') {
    const until = await extendStudyWindow(String(application.enrollmentId), settings.deferral.extensionDays, grantKey, chinaDate(deps.clock.now()));
    effect = `学习期延长至 ${until}`;
  } else {
    await restoreAttempts(String(application.enrollmentId), settings.retake.attemptsRestored, grantKey, deps);
    effect = `恢复 ${settings.retake.attemptsRestored} 次考试机会`;
  }
  await ApplicationModel.updateOne({ _id: application._id }, { $set: { effect } });
  return effect;
}

async function applyEffectJob(payload: { applicationId: string }, context: JobContext): Promise<string> {
  const application = await ApplicationModel.findById(payload.applicationId).lean();
  if (application?.state !== 'APPROVED') return 'nothing to apply';
  return applyEffect(application, context.deps);
}

export function defineApplicationJobs(definitions: JobDefinitions = jobs): void {
  definitions.define(APPLICATION_EFFECT_JOB, applyEffectJob, { maxAttempts: 50, backoff: { baseMs: 30_000, maxMs: 600_000 } });
}

/**
 * 审核申请: approve (effect applied at once, and by a job queued first should this process stop halfway) or
 * reject with a reason. Decided once: a second decision, even at the same moment, is ALREADY_DECIDED.
 */
export async function decideApplication(principal: Principal, applicationId: string, decision: z.output<typeof decisionRequest>, deps: Deps): Promise<View> {
  const scope = reviewerScope(principal);
  const id = new Types.ObjectId(applicationId);
  return decideAlone(`application:${applicationId}`, async () => {
    const application = await ApplicationModel.findOne({ _id: id, ...scope }).lean();
    if (!application) throw new AppError('APPLICATION_NOT_FOUND');
    if (application.state !== 'PENDING') throw new AppError('ALREADY_DECIDED', { state: application.state });
    const at = deps.clock.now();
    // Queued before the decision is written, due once this request has surely ended: it applies the effect if the
    // process stopped between the decision and the effect below.
    if (decision.approve) await enqueue(APPLICATION_EFFECT_JOB, { applicationId }, { key: `application-effect:${applicationId}`, now: at, runAt: new Date(at.getTime() + EFFECT_JOB_DELAY_MS) });
    const decided = await ApplicationModel.findOneAndUpdate(
      { _id: id, state: 'PENDING' },
      { $set: { state: decision.approve ? 'APPROVED' : 'REJECTED', decidedAt: at, decidedBy: principal.subjectId, decisionReason: decision.reason } },
      { returnDocument: 'after', lean: true },
    );
    if (!decided) throw new AppError('ALREADY_DECIDED');
    await reviewAudit(principal, scope, { action: decision.approve ? 'APPLICATION_APPROVED' : 'APPLICATION_REJECTED', enrollmentId: decided.enrollmentId, subjectId: applicationId, reason: decision.reason }, at);
    if (decision.approve) decided.effect = await applyEffect(decided, deps);
    return applicationViewOf(decided, true);
  });
}
