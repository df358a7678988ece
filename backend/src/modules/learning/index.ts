/**
 * Learning (学习): playback sessions whose progress the server decides from heartbeats, study photos at moments
 * the server picks, and the credits that follow (lesson → course hours → topic requirement → exam eligibility).
 * Other modules import only from here; face checking is handed in (`StudyFace`) at the composition root.
 */
export { learningRoutes } from './routes';
export type { StudyFace, StudyPhotoAnswer, StudyPhotoInput, Studier } from './face';
export { examEligibility, type ExamEligibility } from './credits';
