import { z } from 'zod';
import type { manualReviewDecision, manualReviewItem } from '@ce/types';
import { Types } from 'mongoose';
import { AppError } from '../../platform/errors';
import type { Deps, Principal } from '../../platform/http/route';
import { PersonModel } from '../registry';
import { FacePhotoModel, FaceProfileModel, FaceReviewModel, faceAudit, type FaceReviewDoc } from './data';
import { photoUrl } from './files';
import { requireConsent, type FaceSubject } from './profile';

/**
 * 申请人工审核: after face.failuresBeforeManualReview failed checks in a row the learner may ask a reviewer of
 * their city to look at their photos instead; while the request is open they may study. Asking twice is one request.
 */
export async function requestManualReview(subject: FaceSubject, note: string | undefined, deps: Deps): Promise<void> {
  const { profile, settings } = await requireConsent(subject, deps);
  if (profile.manualReview.state === 'PENDING') return;
  if (profile.failuresInRow < settings.face.failuresBeforeManualReview) throw new AppError('MANUAL_REVIEW_NOT_OFFERED', { failuresInRow: profile.failuresInRow, needed: settings.face.failuresBeforeManualReview });
  const person = await PersonModel.findById(subject.personId).lean();
  if (!person) throw new AppError('NOT_BOUND');
  const now = deps.clock.now();
  let review: FaceReviewDoc;
  try {
    review = (
      await FaceReviewModel.create({ personId: person._id, personName: person.name, idMasked: person.idMasked, province: subject.province, city: subject.city, state: 'PENDING', note, requestedAt: now })
    ).toObject();
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return; // the same request, sent twice at once
    throw error;
  }
  await FacePhotoModel.updateMany({ personId: person._id, accepted: false, reviewId: { $exists: false } }, { $set: { reviewId: review._id } });
  await FaceProfileModel.updateOne({ _id: profile._id }, { $set: { manualReview: { state: 'PENDING', reviewId: review._id } } });
  await faceAudit({ at: now, action: 'MANUAL_REVIEW_REQUESTED', personId: person._id, actor: 'learner', details: { reviewId: String(review._id) } });
}

/** Reviewers are city staff: they see and decide requests of their own city only. */
function scopeOf(principal: Principal): { province: string; city: string } {
  if (!principal.province || !principal.city) throw new AppError('FORBIDDEN');
  return { province: principal.province, city: principal.city };
}

async function itemOf(review: FaceReviewDoc, deps: Deps): Promise<z.input<typeof manualReviewItem>> {
  const [profile, photos] = await Promise.all([
    FaceProfileModel.findOne({ personId: review.personId }, { avatar: 1 }).lean(),
    FacePhotoModel.find({ reviewId: review._id }).sort({ takenAt: -1 }).lean(),
  ]);
  return {
    id: String(review._id),
    personName: review.personName,
    idMasked: review.idMasked,
    ...(review.city ? { city: review.city } : {}),
    requestedAt: review.requestedAt.toISOString(),
    state: review.state,
    ...(profile?.avatar ? { avatarUrl: photoUrl(profile.avatar.key, deps) } : {}),
    photos: photos.map((p) => ({ url: photoUrl(p.key, deps), takenAt: p.takenAt.toISOString(), ...(p.score !== undefined ? { score: p.score } : {}), problems: p.problems })),
  };
}

/** The reviewer's queue: open requests of their city first (oldest first), then the recently decided ones. */
export async function listManualReviews(principal: Principal, deps: Deps): Promise<{ items: z.input<typeof manualReviewItem>[] }> {
  const scope = scopeOf(principal);
  const open = await FaceReviewModel.find({ ...scope, state: 'PENDING' }).sort({ requestedAt: 1 }).limit(100).lean();
  const decided = await FaceReviewModel.find({ ...scope, state: { $ne: 'PENDING' } }).sort({ decidedAt: -1 }).limit(20).lean();
  return { items: await Promise.all([...open, ...decided].map((r) => itemOf(r, deps))) };
}

/** 审核决定: approved → the learner may study without the face check; rejected → they are told why. Recorded. */
export async function decideManualReview(principal: Principal, reviewId: string, decision: z.output<typeof manualReviewDecision>, deps: Deps): Promise<z.input<typeof manualReviewItem>> {
  const scope = scopeOf(principal);
  const now = deps.clock.now();
  const state = decision.approve ? 'APPROVED' : 'REJECTED';
  const review = await FaceReviewModel.findOneAndUpdate(
    { _id: new Types.ObjectId(reviewId), ...scope, state: 'PENDING' },
    { $set: { state, decidedAt: now, decidedBy: principal.subjectId, reason: decision.reason } },
    { returnDocument: 'after', lean: true },
  );
  if (!review) {
    const exists = await FaceReviewModel.exists({ _id: reviewId, ...scope });
    throw exists ? new AppError('CONFLICT', undefined, '该申请已审核，请刷新后查看') : new AppError('NOT_FOUND');
  }
  await FaceProfileModel.updateOne(
    { personId: review.personId, 'manualReview.reviewId': review._id },
    { $set: { manualReview: { state, reviewId: review._id, reason: decision.reason }, ...(decision.approve ? { failuresInRow: 0 } : {}) } },
  );
  await faceAudit({ at: now, action: 'MANUAL_REVIEW_DECIDED', personId: review.personId, actor: `reviewer:${principal.subjectId}`, details: { reviewId, state, reason: decision.reason } });
  return itemOf(review, deps);
}
