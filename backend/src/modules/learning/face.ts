import type { z } from 'zod';
import type { studyPhotoResponse } from '@ce/types';
import type { Deps, MultipartSpec, UploadedFile } from '../../platform/http/route';

export type StudyPhotoAnswer = z.input<typeof studyPhotoResponse>;

/** The learner studying: their person record and where they study (their session's province and city). */
export interface Studier {
  personId: string;
  province?: string;
  city?: string;
}

export interface StudyPhotoInput {
  subject: Studier;
  enrollmentId: string;
  topicCode: string;
  captureId: string;
  photo: UploadedFile;
}

/**
 * What learning needs from face checking, wired at the composition root: whether the learner may start studying
 * (consent, avatar, a recent passed face check), and the check of a study photo taken at a capture moment.
 */
export interface StudyFace {
  /** Throws FACE_CONSENT_REQUIRED / AVATAR_REQUIRED / FACE_CHECK_REQUIRED (AppError) unless study may start now. */
  assertMayStudy(subject: Studier, deps: Deps): Promise<void>;
  /** Checks the photo (one face, same person as the avatar), keeps it for its topic when accepted, and answers. */
  checkStudyPhoto(input: StudyPhotoInput, deps: Deps): Promise<StudyPhotoAnswer>;
  /** What a live photo upload may be (size, JPEG/PNG), the same for every face photo. */
  photoUpload: MultipartSpec;
}
