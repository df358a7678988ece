/**
 * Face data: consent (PIPL art. 29), identity verification (实名核身), the avatar, face checks before study,
 * manual review, and the photos taken during study. Other modules import only from here.
 */
export { faceRoutes } from './routes';
/** For learning: may this learner study now, and the study photos checked at capture. */
export { assertStudyGate, studyGate } from './gate';
export { photoCounts, takeStudyPhoto, type StudyPhotoInput } from './study-photos';
export { subjectOf, type FaceSubject } from './profile';
export { FACE_PHOTO_UPLOAD } from './routes';
/** Engine statistics (checks run, queue) and shutdown. */
export { closeFaceProviders, faceProviderFor } from './providers';
/** The daily photo-retention job (defined and first queued at start). */
export { defineFaceJobs, PHOTO_RETENTION_JOB, scheduleFaceRetention } from './retention';
export { examPhotosOf, takeExamPhoto, type ExamPhotoInput } from './exam-photos';
export { reviewPhotosOf, type ReviewPhoto } from './review-photos';
