import { PHOTO_PROBLEM_LABELS, type PhotoCheck, type PhotoProblem, type PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { FaceDetection, FacePhoto, FaceProvider } from './providers';

/** What makes a photo usable: its shorter side, and the face's share of it (a face too far away matches badly). */
export interface PhotoRules {
  minSide: number;
  minFaceShare: number;
}

/** The avatar is a 白底一寸照: large, one face filling a good part of it. */
export const AVATAR_RULES: PhotoRules = { minSide: 300, minFaceShare: 0.25 };
/** Live photos come from the front camera at arm's length. */
export const LIVE_RULES: PhotoRules = { minSide: 240, minFaceShare: 0.15 };

export function problemsOf(detection: FaceDetection, rules: PhotoRules): PhotoProblem[] {
  if (!detection.readable) return ['IMAGE_UNREADABLE'];
  if (Math.min(detection.width, detection.height) < rules.minSide) return ['IMAGE_TOO_SMALL'];
  if (detection.faces.length === 0) return ['NO_FACE'];
  if (detection.faces.length > 1) return ['MULTIPLE_FACES'];
  const [face] = detection.faces;
  return Math.max(face.width, face.height) < rules.minFaceShare * Math.min(detection.width, detection.height) ? ['FACE_TOO_SMALL'] : [];
}

/** Said with every problem of an avatar photo. */
export const AVATAR_GUIDANCE = '头像请使用本人近期白底一寸照：正面、免冠、光线均匀、脸部清晰无遮挡';

export function checkOf(problems: PhotoProblem[], extra: Pick<PhotoCheck, 'score' | 'threshold' | 'faces'> = {}, guidance?: string): PhotoCheck {
  const message = (code: PhotoProblem) => (guidance ? `${PHOTO_PROBLEM_LABELS[code]}。${guidance}` : PHOTO_PROBLEM_LABELS[code]);
  return { accepted: problems.length === 0, problems: problems.map((code) => ({ code, message: message(code) })), ...extra };
}

export function matchThreshold(settings: PolicySettings, provider: string): number {
  const threshold = settings.face.matchThresholds[provider];
  // A provider switched on without its threshold in policy: no check can be decided, so none is.
  if (threshold === undefined) throw new AppError('FACE_SERVICE_UNAVAILABLE', { reason: `policy face.matchThresholds has no entry for ${provider}` });
  return threshold;
}

export interface LivePhotoResult {
  check: PhotoCheck;
  detection: FaceDetection;
}

/** A live photo against the avatar: one usable face first, then the score against the policy's threshold. */
export async function checkLivePhoto(provider: FaceProvider, avatar: FacePhoto, photo: Buffer, settings: PolicySettings): Promise<LivePhotoResult> {
  const detection = await provider.detect(photo);
  const problems = problemsOf(detection, LIVE_RULES);
  if (problems.length) return { detection, check: checkOf(problems, { faces: detection.faces.length }) };
  const threshold = matchThreshold(settings, provider.name);
  const score = await provider.compare(avatar, { bytes: photo, template: detection.template });
  return { detection, check: checkOf(score >= threshold ? [] : ['NOT_SAME_PERSON'], { score, threshold, faces: 1 }) };
}
