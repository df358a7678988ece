import type { StudyWindowState } from '@ce/types';

/** The study window, in the learner's words. */
export const WINDOW_WORDS: Record<StudyWindowState, string> = {
  OPEN: '学习中',
  NOT_PAID: '未缴费',
  ENDED: '学习期已结束',
};
