import type { z } from 'zod';
import type {
  EnrollmentContent,
  FaceConsent,
  FaceStatus,
  HeartbeatResponse,
  PlaybackSession,
  PlayerState,
  StudyOverview,
  avatarResponse,
  bindWithIdentityResponse,
  faceVerificationResponse,
  identityVerificationResponse,
  studyPhotoResponse,
} from '@ce/types';
import { api } from '../api/client';
import type { Photo } from '../platform';

export type AvatarResponse = z.infer<typeof avatarResponse>;
export type FaceVerificationResponse = z.infer<typeof faceVerificationResponse>;
export type IdentityVerificationResponse = z.infer<typeof identityVerificationResponse>;
export type StudyPhotoResponse = z.infer<typeof studyPhotoResponse>;
export type BindWithIdentityResponse = z.infer<typeof bindWithIdentityResponse>;

const id = (value: string) => encodeURIComponent(value);

/**
 * Every call the study pages make (the contracts: types/src/api/learning.ts and face.ts). Pages never build
 * these paths themselves.
 */
export const studyApi = {
  async overviews(): Promise<StudyOverview[]> {
    return (await api.get<{ items: StudyOverview[] }>('/api/learner/study')).items;
  },
  enrollment: (enrollmentId: string) => api.get<EnrollmentContent>(`/api/learner/study/${id(enrollmentId)}`),
  startPlayback: (enrollmentId: string, lessonId: string) => api.post<PlaybackSession>('/api/learner/playback-sessions', { enrollmentId, lessonId }),
  heartbeat: (sessionId: string, beat: { seq: number; position: number; state: PlayerState; rate: number }) =>
    api.post<HeartbeatResponse>(`/api/learner/playback-sessions/${id(sessionId)}/heartbeats`, beat),
  capture: (sessionId: string, captureId: string, photo: Photo) =>
    api.upload<StudyPhotoResponse>(`/api/learner/playback-sessions/${id(sessionId)}/captures`, photo, { captureId }),
};

export const faceApi = {
  status: () => api.get<FaceStatus>('/api/learner/face'),
  /** The consent text and its version (also for a WeChat user not bound yet). */
  consentText: () => api.get<FaceConsent>('/api/learner/face/consent'),
  consent: (textVersion: string) => api.put<unknown>('/api/learner/face/consent', { textVersion }),
  withdraw: () => api.delete<unknown>('/api/learner/face/consent'),
  avatar: (photo: Photo) => api.upload<AvatarResponse>('/api/learner/face/avatar', photo),
  verify: (photo: Photo) => api.upload<FaceVerificationResponse>('/api/learner/face/verifications', photo),
  manualReview: (note?: string) => api.post<unknown>('/api/learner/face/manual-review', note ? { note } : {}),
  identity: (photo: Photo) => api.upload<IdentityVerificationResponse>('/api/learner/identity-verification', photo),
  bindWithIdentity: (photo: Photo, fields: { name: string; idNumber: string; consentTextVersion: string }) =>
    api.upload<BindWithIdentityResponse>('/api/auth/learner/bind-with-identity', photo, fields, { noRedirect: true }),
};
