import type { Deps } from '../../platform/http/route';
import { checkSignature, mediaStore, signKey, type SignatureCheck, type SignedMediaUrl } from '../../platform/storage';
import type { LessonDoc } from '../catalog';

export const VIDEOS_PATH = '/api/media/videos';

/** What a video link is signed over: the lesson and the enrollment it is watched under. */
const signedSubject = (lessonId: string, enrollmentId: string) => `video/${lessonId}/${enrollmentId}`;

/**
 * A short-lived link to the lesson's video (MEDIA_URL_TTL_SECONDS). Local media: our own range-serving route,
 * signed with HMAC over lesson, enrollment and expiry (STORAGE_URL_KEY), which also checks the study window on
 * every request. CDN: the CDN's own signed URL.
 */
export function videoUrlFor(input: { lesson: Pick<LessonDoc, '_id' | 'videoKey'>; enrollmentId: string; now: Date }, deps: Deps): SignedMediaUrl {
  const store = mediaStore(deps.config);
  if (store.driver === 'cdn') return store.signedUrl(input.lesson.videoKey, input.now);
  const lessonId = String(input.lesson._id);
  const { exp, sig } = signKey(deps.config.storageUrlKey, signedSubject(lessonId, input.enrollmentId), new Date(input.now.getTime() + deps.config.MEDIA_URL_TTL_SECONDS * 1000));
  return { url: `${VIDEOS_PATH}/${lessonId}/${input.enrollmentId}?exp=${exp}&sig=${sig}`, expiresAt: new Date(exp * 1000) };
}

export function checkVideoLink(input: { lessonId: string; enrollmentId: string; exp?: string; sig?: string }, deps: Deps): SignatureCheck {
  const exp = Number(input.exp);
  if (!input.sig || !Number.isSafeInteger(exp)) return 'forged';
  return checkSignature(deps.config.storageUrlKey, signedSubject(input.lessonId, input.enrollmentId), { exp, sig: input.sig }, deps.clock.now());
}
