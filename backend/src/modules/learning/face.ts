import type { z } from 'zod';
import type { PolicySettings, studyPhotoResponse } from '@ce/types';
import type { Deps } from '../../platform/http/route';

export type StudyPhotoAnswer = z.infer<typeof studyPhotoResponse>;

export interface StudyPhotoInput {
  personId: string;
  enrollmentId: string;
  topicCode: string;
  captureId: string;
  photo: { bytes: Buffer; contentType: string };
  settings: PolicySettings;
}

/**
 * What learning needs from face checking, wired at the composition root: whether the learner may start studying
 * (consent, avatar, a recent passed face check), and the check of a study photo taken at a capture moment.
 */
export interface StudyFace {
  /** Throws FACE_CONSENT_REQUIRED / AVATAR_REQUIRED / FACE_CHECK_REQUIRED (AppError) unless study may start now. */
  assertMayStudy(personId: string, settings: PolicySettings, deps: Deps): Promise<void>;
  /** Checks the photo (one face, same person as the avatar), keeps it for its topic when accepted, and answers. */
  checkStudyPhoto(input: StudyPhotoInput, deps: Deps): Promise<StudyPhotoAnswer>;
}
