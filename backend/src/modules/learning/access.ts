import { chinaDate, type StudyWindowState } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { EnrollmentDoc } from '../enrollment';

/** Paid and not past its last day of study (China date, inclusive). */
export function windowState(enrollment: Pick<EnrollmentDoc, 'status' | 'studyUntil'>, now: Date): StudyWindowState {
  if (enrollment.status !== 'PAID') return 'NOT_PAID';
  if (enrollment.studyUntil && chinaDate(now) > enrollment.studyUntil) return 'ENDED';
  return 'OPEN';
}

export function assertStudyOpen(enrollment: Pick<EnrollmentDoc, 'status' | 'studyUntil'>, now: Date): void {
  const state = windowState(enrollment, now);
  if (state === 'NOT_PAID') throw new AppError('STUDY_NOT_PAID');
  if (state === 'ENDED') throw new AppError('STUDY_WINDOW_CLOSED', { studyUntil: enrollment.studyUntil });
}

