import { createStaffAccount } from '../../backend/src/modules/accounts';
import type { ApiResponse, TestBackend } from '../helpers/backend';
import { NEW_PASSWORD } from '../helpers/journeys';
import type { Learner, StudyStack } from '../learning/helpers';
import { ExamTaker, learnerWhoStudied, type ExamClass } from '../exams/helpers';

let staffCount = 0;

/** A city reviewer created as `staff:create` does, logged in and past the forced change. */
export async function reviewerReady(api: TestBackend, province: 'SD' | 'YN', city: string): Promise<string> {
  const username = `reviewer.completion.${++staffCount}`;
  const { initialPassword } = await createStaffAccount({ username, role: 'reviewer', province, city });
  const login = await api.call('POST', '/api/auth/staff/login', { body: { username, password: initialPassword } });
  await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: NEW_PASSWORD } });
  return login.body.token;
}

/** Sits one attempt: `right` questions answered rightly, the rest wrongly, then submitted; answers the result. */
export async function sitExam(stack: StudyStack, learner: Learner, right: number): Promise<ApiResponse> {
  const taker = new ExamTaker(stack, learner);
  const started = await taker.start();
  if (started.status !== 201) throw new Error(`exam refused: ${JSON.stringify(started.body)}`);
  await taker.answer(started.body, right);
  const submitted = await taker.submit(started.body.id);
  if (submitted.status !== 200) throw new Error(`submit refused: ${JSON.stringify(submitted.body)}`);
  return submitted;
}

/** A learner who studied every lesson and passed the exam with full marks. */
export async function learnerWhoPassed(stack: StudyStack, province: 'SD' | 'YN', cls: ExamClass): Promise<Learner> {
  const learner = await learnerWhoStudied(stack, province, cls);
  await sitExam(stack, learner, 7);
  return learner;
}

/** The reviewer's queue item of an enrollment (default queue: awaiting review). */
export async function queueItem(api: TestBackend, reviewer: string, enrollmentId: string, state = 'AWAITING_REVIEW') {
  const queue = await api.call('GET', `/api/review/completions?state=${state}`, { token: reviewer });
  return queue.body.items.find((i: { enrollmentId: string }) => i.enrollmentId === enrollmentId);
}

/** Approves every photo of the enrollment, then completion: 合格结业. */
export async function approveCompletion(api: TestBackend, reviewer: string, enrollmentId: string): Promise<ApiResponse> {
  const item = await queueItem(api, reviewer, enrollmentId);
  if (!item) throw new Error(`enrollment ${enrollmentId} not in the queue`);
  for (const photo of item.photos) await api.call('POST', `/api/review/photos/${photo.id}/decision`, { token: reviewer, body: { approve: true, reason: '本人照片清晰' } });
  return api.call('POST', `/api/review/completions/${enrollmentId}/approve`, { token: reviewer, body: {} });
}
