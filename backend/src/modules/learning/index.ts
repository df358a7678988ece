/**
 * Learning (学习): playback sessions whose progress the server decides from heartbeats, study photos at moments
 * the server picks, and the credits that follow (lesson → course hours → topic requirement → exam eligibility).
 * Other modules import only from here.
 */
export { learningRoutes } from './routes';
export { examEligibility, type ExamEligibility } from './credits';
