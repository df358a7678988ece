import type { z } from 'zod';
import type { CompletionState, decisionRequest, reviewPhoto, reviewQueueItem } from '@ce/types';
import { Types, type ClientSession } from 'mongoose';
import { inTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { Deps, Principal } from '../../platform/http/route';
import { examPhotosOf, reviewPhotosOf, type ReviewPhoto } from '../face';
import { enrollmentFacts, inScope, reviewerScope, type CityScope } from './context';
import { newVerificationCode } from './certificate';
import { CompletionModel, PhotoDecisionModel, ReviewAuditModel, type CompletionDoc, type PhotoDecisionDoc, type ReviewAction, type ReviewPhotoKind } from './data';
import { decideAlone } from './once';
import { catchUpPassedExams, recordExamPassed } from './record';
import { enqueueReport } from './report';

type QueueItem = z.input<typeof reviewQueueItem>;
type PhotoView = z.input<typeof reviewPhoto>;
type Decision = z.output<typeof decisionRequest>;

const OPEN_STATES: CompletionDoc['state'][] = ['AWAITING_REVIEW', 'RECAPTURE_REQUESTED'];

export async function reviewAudit(principal: Principal, scope: CityScope, entry: { action: ReviewAction; enrollmentId: Types.ObjectId; subjectId: string; reason: string }, at: Date): Promise<void> {
  await ReviewAuditModel.create({ at, reviewer: principal.subjectId, ...scope, ...entry });
}

interface CurrentPhoto extends ReviewPhoto {
  kind: ReviewPhotoKind;
}

/** The photos a reviewer judges now: the current avatar, the study photos kept, every exam photo. */
async function currentPhotos(completion: CompletionDoc, deps: Deps): Promise<CurrentPhoto[]> {
  const enrollmentId = String(completion.enrollmentId);
  const [{ avatar, study }, exam] = await Promise.all([reviewPhotosOf(String(completion.personId), enrollmentId, deps), examPhotosOf(enrollmentId, deps)]);
  return [
    ...(avatar ? [{ ...avatar, kind: 'AVATAR' as const }] : []),
    ...study.map((p) => ({ ...p, kind: 'STUDY' as const })),
    ...exam.map((p) => ({ ...p, kind: 'EXAM' as const })),
  ];
}

const sameIdentity = (photo: CurrentPhoto) => (record: PhotoDecisionDoc) => record.kind === photo.kind && record.ref === photo.ref;

/** Each current photo's decision record (made on first sight: its id is what the reviewer decides on). */
async function decisionRecords(completion: CompletionDoc, photos: CurrentPhoto[]): Promise<PhotoDecisionDoc[]> {
  const known = await PhotoDecisionModel.find({ enrollmentId: completion.enrollmentId }).lean();
  const unseen = photos.filter((photo) => !known.some(sameIdentity(photo)));
  for (const photo of unseen) {
    const key = { enrollmentId: completion.enrollmentId, kind: photo.kind, ref: photo.ref };
    await PhotoDecisionModel.updateOne(key, { $setOnInsert: key }, { upsert: true }).catch((error: { code?: number }) => {
      if (error.code !== 11000) throw error;
    });
  }
  const records = unseen.length ? await PhotoDecisionModel.find({ enrollmentId: completion.enrollmentId }).lean() : known;
  return photos.map((photo) => records.find(sameIdentity(photo))!);
}

function photoView(photo: CurrentPhoto, record: PhotoDecisionDoc): PhotoView {
  return {
    id: String(record._id),
    kind: photo.kind,
    url: photo.url,
    takenAt: photo.takenAt.toISOString(),
    ...(photo.score !== undefined ? { score: photo.score } : {}),
    accepted: photo.accepted,
    ...(record.decision ? { decision: { approved: record.decision.approved, reason: record.decision.reason, at: record.decision.at.toISOString() } } : {}),
  };
}

async function queueItemOf(completion: CompletionDoc, deps: Deps): Promise<QueueItem> {
  const photos = await currentPhotos(completion, deps);
  const records = await decisionRecords(completion, photos);
  return {
    enrollmentId: String(completion.enrollmentId),
    personName: completion.holderName,
    idMasked: completion.idMasked,
    city: completion.city,
    className: completion.className,
    certificateNo: completion.certificateNo,
    state: completion.state,
    ...(completion.examScore !== undefined ? { examScore: completion.examScore } : {}),
    examPassedAt: completion.examPassedAt.toISOString(),
    hoursEarned: completion.hoursEarned,
    photos: photos.map((photo, i) => photoView(photo, records[i])),
  };
}

/** Learners asked to retake photos who have taken a new one since come back to the queue awaiting review. */
async function resumeRecaptured(scope: CityScope, deps: Deps): Promise<void> {
  for (const completion of await CompletionModel.find({ ...scope, state: 'RECAPTURE_REQUESTED' }).lean()) {
    const askedAt = completion.notes.at(-1)?.at ?? completion.examPassedAt;
    const photos = await currentPhotos(completion, deps);
    if (photos.some((p) => p.takenAt > askedAt)) await CompletionModel.updateOne({ _id: completion._id, state: 'RECAPTURE_REQUESTED', notes: completion.notes }, { $set: { state: 'AWAITING_REVIEW' } });
  }
}

/** 审核队列: the city's learners in `state` (default: exam passed, awaiting review), oldest pass first. */
export async function reviewQueue(principal: Principal, state: CompletionState, deps: Deps): Promise<{ items: QueueItem[] }> {
  const scope = reviewerScope(principal);
  if (state === 'STUDYING') return { items: [] };
  if (state === 'AWAITING_REVIEW') {
    await catchUpPassedExams(scope, deps);
    await resumeRecaptured(scope, deps);
  }
  const completions = await CompletionModel.find({ ...scope, state }).sort({ examPassedAt: 1 }).limit(100).lean();
  return { items: await Promise.all(completions.map((c) => queueItemOf(c, deps))) };
}

/** The completion of an enrollment in the reviewer's city: another city's is not found; no passed exam is REVIEW_NOT_READY. */
async function scopedCompletion(enrollmentId: string, scope: CityScope, deps: Deps): Promise<CompletionDoc> {
  const facts = await enrollmentFacts(enrollmentId).catch(() => undefined);
  if (!facts || !inScope(facts, scope)) throw new AppError('COMPLETION_NOT_FOUND');
  const completion = await recordExamPassed(enrollmentId, deps, facts);
  if (!completion) throw new AppError('REVIEW_NOT_READY');
  return completion;
}

function assertOpen(completion: CompletionDoc): void {
  if (!OPEN_STATES.includes(completion.state)) throw new AppError('ALREADY_DECIDED', { state: completion.state });
}

/** 照片审核: approve or reject one photo with a reason; decided once (ALREADY_DECIDED after). */
export async function decidePhoto(principal: Principal, photoId: string, decision: Decision, deps: Deps): Promise<QueueItem> {
  const scope = reviewerScope(principal);
  const record = await PhotoDecisionModel.findById(new Types.ObjectId(photoId)).lean();
  const completion = record && (await CompletionModel.findOne({ enrollmentId: record.enrollmentId, ...scope }).lean());
  if (!record || !completion) throw new AppError('NOT_FOUND');
  assertOpen(completion);
  const at = deps.clock.now();
  const decided = await PhotoDecisionModel.findOneAndUpdate(
    { _id: record._id, decision: { $exists: false } },
    { $set: { decision: { approved: decision.approve, reason: decision.reason, at, by: principal.subjectId } } },
    { returnDocument: 'after', lean: true },
  );
  if (!decided) throw new AppError('ALREADY_DECIDED');
  await reviewAudit(principal, scope, { action: decision.approve ? 'PHOTO_APPROVED' : 'PHOTO_REJECTED', enrollmentId: record.enrollmentId, subjectId: `${record.kind}:${photoId}`, reason: decision.reason }, at);
  return queueItemOf(completion, deps);
}

/**
 * A reviewer's decision on an open completion of their city: taken alone per enrollment, written by `decide` (see
 * `closeOpen`) at the moment of deciding, then audited with its reason.
 */
async function decideOpenCompletion(
  principal: Principal,
  enrollmentId: string,
  audit: { action: ReviewAction; reason: string },
  decide: (completion: CompletionDoc, at: Date) => Promise<CompletionDoc>,
  deps: Deps,
): Promise<QueueItem> {
  const scope = reviewerScope(principal);
  return decideAlone(`completion:${enrollmentId}`, async () => {
    const completion = await scopedCompletion(enrollmentId, scope, deps);
    assertOpen(completion);
    const at = deps.clock.now();
    const decided = await decide(completion, at);
    await reviewAudit(principal, scope, { ...audit, enrollmentId: completion.enrollmentId, subjectId: enrollmentId }, at);
    return queueItemOf(decided, deps);
  });
}

/** Sets the decision on a completion still open; ALREADY_DECIDED when another decision got there first. */
async function closeOpen(completion: CompletionDoc, set: Partial<CompletionDoc>, session?: ClientSession): Promise<CompletionDoc> {
  const updated = await CompletionModel.findOneAndUpdate({ _id: completion._id, state: { $in: OPEN_STATES } }, { $set: set }, { returnDocument: 'after', lean: true, session });
  if (!updated) throw new AppError('ALREADY_DECIDED');
  return updated;
}

/** 要求重新拍照: the learner sees the reason; the reviewer approves later once the photos are right. */
export async function requestRecapture(principal: Principal, enrollmentId: string, reason: string, deps: Deps): Promise<QueueItem> {
  return decideOpenCompletion(principal, enrollmentId, { action: 'RECAPTURE_REQUESTED', reason }, (completion, at) => closeOpen(completion, { state: 'RECAPTURE_REQUESTED', notes: [...completion.notes, { text: reason, at }] }), deps);
}

/** Photos that stop approval: undecided ones the engine accepted, and any the reviewer rejected that are still current. */
function blockingPhotos(photos: CurrentPhoto[], records: PhotoDecisionDoc[]): string[] {
  return photos.flatMap((photo, i) => {
    const decision = records[i].decision;
    const blocks = decision ? !decision.approved : photo.accepted;
    return blocks ? [String(records[i]._id)] : [];
  });
}

/**
 * 批准结业 → 合格结业: issues the 学时证明's verification code and queues the government report in the same
 * transaction (outbox). Once per enrollment: a second approval, even at the same moment, is ALREADY_DECIDED.
 */
export async function approveCompletion(principal: Principal, enrollmentId: string, deps: Deps): Promise<QueueItem> {
  return decideOpenCompletion(
    principal,
    enrollmentId,
    { action: 'COMPLETION_APPROVED', reason: '照片审核通过，合格结业' },
    async (completion, at) => {
      const photos = await currentPhotos(completion, deps);
      const blocking = blockingPhotos(photos, await decisionRecords(completion, photos));
      if (blocking.length) throw new AppError('PHOTOS_NOT_APPROVED', { photoIds: blocking });
      return inTransaction(async (session) => {
        const approved = await closeOpen(completion, { state: 'COMPLETED', completedAt: at, decidedBy: principal.subjectId, certificate: { code: newVerificationCode(), issuedAt: at } }, session);
        await enqueueReport(enrollmentId, at, session);
        return approved;
      });
    },
    deps,
  );
}

/** 审核不通过: final for this enrollment, with the reason the learner sees. */
export async function rejectCompletion(principal: Principal, enrollmentId: string, reason: string, deps: Deps): Promise<QueueItem> {
  return decideOpenCompletion(principal, enrollmentId, { action: 'COMPLETION_REJECTED', reason }, (completion) => closeOpen(completion, { state: 'REJECTED', decidedBy: principal.subjectId, rejectionReason: reason }), deps);
}
