import type { z } from 'zod';
import type {
  AttemptView,
  CompletionView,
  ExamOverview,
  applicationOptions,
  applicationRequest,
  applicationView,
  examPhotoResponse,
  renewalRequest,
  saveAnswerResponse,
  visibilityResponse,
} from '@ce/types';
import { API_BASE, api, request } from '../api/client';
import type { Photo } from '../platform';

export type SaveAnswerResponse = z.infer<typeof saveAnswerResponse>;
export type VisibilityResponse = z.infer<typeof visibilityResponse>;
export type ApplicationOptions = z.infer<typeof applicationOptions>;
export type ApplicationView = z.infer<typeof applicationView>;
export type ApplicationRequest = z.infer<typeof applicationRequest>;
export type RenewalRequest = z.infer<typeof renewalRequest>;
export type ExamPhotoResponse = z.infer<typeof examPhotoResponse>;

const id = (value: string) => encodeURIComponent(value);

/**
 * Every call the exam and completion pages make (the contracts: types/src/api/exams.ts and completion.ts).
 * Pages never build these paths themselves.
 */
export const examApi = {
  overview: (enrollmentId: string) => api.get<ExamOverview>(`/api/learner/exams/${id(enrollmentId)}`),
  start: (enrollmentId: string) => api.post<AttemptView>('/api/learner/exams/attempts', { enrollmentId }),
  attempt: (attemptId: string) => api.get<AttemptView>(`/api/learner/exams/attempts/${id(attemptId)}`),
  save: (attemptId: string, questionId: string, body: { answer: string[]; seq: number; sentAt?: string }) =>
    api.put<SaveAnswerResponse>(`/api/learner/exams/attempts/${id(attemptId)}/answers/${id(questionId)}`, body),
  submit: (attemptId: string) => request<AttemptView>('POST', `/api/learner/exams/attempts/${id(attemptId)}/submit`),
  visibility: (attemptId: string, state: 'hidden' | 'visible') => api.post<VisibilityResponse>(`/api/learner/exams/attempts/${id(attemptId)}/visibility`, { state }),
  photo: (attemptId: string, captureId: string, photo: Photo) => api.upload<ExamPhotoResponse>(`/api/learner/exams/attempts/${id(attemptId)}/photos`, photo, { captureId }),
};

export const completionApi = {
  applications: (enrollmentId: string) => api.get<ApplicationOptions>(`/api/learner/applications/${id(enrollmentId)}`),
  apply: (body: ApplicationRequest) => api.post<ApplicationView>('/api/learner/applications', body),
  completion: (enrollmentId: string) => api.get<CompletionView>(`/api/learner/completion/${id(enrollmentId)}`),
  renew: (body: RenewalRequest) => api.post<unknown>('/api/learner/renewals', body),
  certificateUrl: (enrollmentId: string) => `${API_BASE}/api/learner/completion/${id(enrollmentId)}/certificate.pdf`,
};
