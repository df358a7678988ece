/** Finishes an attempt nobody submitted, at its deadline + the autosave grace. */
export const EXAM_FINISH_JOB = 'exam.finish';
/** Ends an attempt whose app stayed hidden beyond the leaving grace (END_ATTEMPT_SCORE_ZERO). */
export const EXAM_LEFT_JOB = 'exam.left';
/** Tells the exam's listener (completion, wired at the composition root) that an attempt passed. */
export const EXAM_PASSED_JOB = 'exam.passed';
