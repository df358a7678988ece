/** Enrollment (报名): eligibility with reasons, employees' certificates, batch enrollment. */
export type { EnrollmentDoc } from './data';
export { EnrollmentModel } from './data';
export { enrollCertificates, enrollmentsOfEnterprise, enrollmentsOfLearner, toEnrollmentSummary } from './enroll';
export { enrollmentSettings, ownEnrollment } from './own';
export { enrollmentRoutes } from './routes';
export { isPayable, markEnrollmentsPaid, studyUntil } from './payment';
export { personalEnrollmentAllowed } from './self-enroll';
export { extendStudyWindow } from './study-window';
