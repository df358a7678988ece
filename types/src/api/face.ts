import { z } from 'zod';
import { idNumberField, nameText } from '../fields';
import { loginResponse } from './auth';

/**
 * Face data: separate consent, identity verification (实名核身), the avatar, face checks before study, and the
 * photos taken during study. Every photo is private; URLs here are short-lived signed URLs.
 */

export const faceConsentRequest = z.strictObject({ textVersion: z.string().min(1).max(40) });
export const faceConsent = z.object({
  textVersion: z.string(),
  /** The full consent text the learner reads (Chinese), separate from any other agreement. */
  text: z.string(),
  given: z.boolean(),
  givenAt: z.string().optional(),
  withdrawnAt: z.string().optional(),
});
export type FaceConsent = z.infer<typeof faceConsent>;

/** Why a photo was not usable or did not match (stable codes; the label is for the learner). */
export const PHOTO_PROBLEMS = ['NO_FACE', 'MULTIPLE_FACES', 'FACE_TOO_SMALL', 'IMAGE_TOO_SMALL', 'IMAGE_UNREADABLE', 'NOT_SAME_PERSON'] as const;
export type PhotoProblem = (typeof PHOTO_PROBLEMS)[number];
export const PHOTO_PROBLEM_LABELS: Record<PhotoProblem, string> = {
  NO_FACE: '照片中没有检测到人脸，请正对镜头、光线充足后重拍',
  MULTIPLE_FACES: '照片中有多张人脸，请确保只有本人入镜',
  FACE_TOO_SMALL: '人脸太小，请靠近镜头，让脸部占画面的三分之一以上',
  IMAGE_TOO_SMALL: '照片分辨率太低，请使用至少 300×300 像素的照片',
  IMAGE_UNREADABLE: '无法读取照片，请重新拍摄',
  NOT_SAME_PERSON: '与您的头像不是同一人，请本人重新拍摄',
};

export const photoCheck = z.object({
  accepted: z.boolean(),
  problems: z.array(z.object({ code: z.enum(PHOTO_PROBLEMS), message: z.string() })),
  /** Match score against the avatar on the provider's 0-100 scale, when one was computed. */
  score: z.number().optional(),
  threshold: z.number().optional(),
  faces: z.number().optional(),
});
export type PhotoCheck = z.infer<typeof photoCheck>;

export const MANUAL_REVIEW_STATES = ['NONE', 'PENDING', 'APPROVED', 'REJECTED'] as const;
export type ManualReviewState = (typeof MANUAL_REVIEW_STATES)[number];

export const faceStatusResponse = z.object({
  consent: faceConsent,
  avatar: z.object({ set: z.boolean(), url: z.string().optional(), setAt: z.string().optional() }),
  /** Until when the last passed face check opens study (absent: a check is needed before studying). */
  verifiedUntil: z.string().optional(),
  failuresInRow: z.number(),
  manualReview: z.object({ state: z.enum(MANUAL_REVIEW_STATES), offered: z.boolean(), reason: z.string().optional() }),
  identityVerified: z.boolean(),
  /** Which face provider decides (`local`, `tencentcloud`): thresholds are per provider. */
  provider: z.string(),
});
export type FaceStatus = z.infer<typeof faceStatusResponse>;

export const avatarResponse = z.object({ check: photoCheck, avatarUrl: z.string().optional() });
export const faceVerificationResponse = z.object({
  check: photoCheck,
  passed: z.boolean(),
  verifiedUntil: z.string().optional(),
  failuresInRow: z.number(),
  manualReviewOffered: z.boolean(),
});
export const manualReviewRequest = z.strictObject({ note: z.string().max(200).optional() });

/** A bound learner confirms their identity; the file is a live photo. */
export const identityVerificationResponse = z.object({
  verified: z.boolean(),
  message: z.string(),
  /** Present when verification replaced someone else's provisional binding. */
  reclaimed: z.boolean(),
});
/** An unbound WeChat user proves who they are with name + ID number + a live photo (multipart fields + file). */
export const bindWithIdentityFields = z.strictObject({
  name: nameText('姓名', 2, 30),
  idNumber: idNumberField,
  /** The consent text version the user read and accepted before the photo was taken (GET /api/learner/face/consent). */
  consentTextVersion: z.string().min(1).max(40),
});
/** The learner's session, and whether it took the record over from someone who had bound it. */
export const bindWithIdentityResponse = loginResponse.extend({ reclaimed: z.boolean() });

/** A study photo's answer: the check, and where the topic stands. */
export const studyPhotoResponse = z.object({
  check: photoCheck,
  /** When not accepted the learner may retake at once for the same capture. */
  retake: z.boolean(),
  topicPhotos: z.object({ kept: z.number(), expected: z.number() }),
});

export const studyPhotoView = z.object({
  id: z.string(),
  topicCode: z.string(),
  takenAt: z.string(),
  accepted: z.boolean(),
  score: z.number().optional(),
  url: z.string(),
});
export const studyPhotoListResponse = z.object({ items: z.array(studyPhotoView) });

/** Reviewers' queue of manual face-review requests in their city (the fuller photo review comes with exams). */
export const manualReviewItem = z.object({
  id: z.string(),
  personName: z.string(),
  idMasked: z.string(),
  city: z.string().optional(),
  requestedAt: z.string(),
  state: z.enum(MANUAL_REVIEW_STATES),
  avatarUrl: z.string().optional(),
  photos: z.array(z.object({ url: z.string(), takenAt: z.string(), score: z.number().optional(), problems: z.array(z.string()) })),
});
export const manualReviewListResponse = z.object({ items: z.array(manualReviewItem) });
export const manualReviewDecision = z.strictObject({
  approve: z.boolean(),
  reason: z.string().min(2, '请填写理由').max(200),
});
