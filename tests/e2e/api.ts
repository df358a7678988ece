import { readFile } from 'node:fs/promises';
import type { TestBackend } from '../helpers/backend';
import { uploadLesson } from '../helpers/content';
import { testVideo } from '../helpers/videos';

/**
 * Calls to the running backend made "behind the page's back" in end-to-end journeys: another clerk of the
 * same enterprise acting at the same time, so the page's data goes stale as it would in real use.
 */
export async function apiCall<T = any>(baseUrl: string, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(baseUrl + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T };
}

/** A second session of an enterprise whose password is already changed. */
export async function enterpriseToken(baseUrl: string, province: string, account: string, password: string): Promise<string> {
  const res = await apiCall(baseUrl, 'POST', '/api/auth/enterprise/login', { body: { province, account, password } });
  if (res.status !== 200) throw new Error(`enterprise login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** Enrolls certificates as that other clerk would, so the page's ticked people become 已报名 underneath it. */
export async function enrollBehindThePage(baseUrl: string, token: string, classId: string, certificateIds: string[]): Promise<void> {
  const res = await apiCall(baseUrl, 'POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds } });
  if (res.status !== 201) throw new Error(`enrollment failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The session token the page keeps (Taro's storage is localStorage in the browser), to act as the same person. */
export async function pageToken(page: import('playwright-core').Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('ce.token'));
  if (!raw) throw new Error('the page holds no session');
  try {
    const parsed = JSON.parse(raw) as { data?: unknown };
    return typeof parsed.data === 'string' ? parsed.data : raw;
  } catch {
    return raw;
  }
}

/**
 * A learner enrolls their own certificate in a class and pays it in WeChat, through the API and the pay
 * simulator (what pay-journey and self-enroll-journey show on the pages); returns the enrollment id.
 */
export async function enrollAndPayAlone(baseUrl: string, token: string, input: { classId: string; certificateId: string; name: string }): Promise<string> {
  const enrolled = await apiCall(baseUrl, 'POST', '/api/learner/enrollments', { token, body: { classId: input.classId, certificateId: input.certificateId } });
  if (enrolled.status !== 201) throw new Error(`enrollment failed: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  const enrollmentId = enrolled.body.items[0].id as string;
  const invoice = { kind: 'NORMAL', buyerType: 'PERSON', title: input.name, email: 'learner@example.com' };
  const order = await apiCall(baseUrl, 'POST', '/api/orders', { token, body: { enrollmentIds: [enrollmentId], invoice } });
  if (order.status !== 201) throw new Error(`order failed: ${order.status} ${JSON.stringify(order.body)}`);
  const paying = await apiCall(baseUrl, 'POST', `/api/orders/${order.body.id}/pay`, { token, body: { method: 'WECHAT_JSAPI' } });
  if (paying.status !== 200) throw new Error(`pay failed: ${paying.status} ${JSON.stringify(paying.body)}`);
  await fetch(`${process.env.TEST_WECHATPAY_API_BASE}/sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo: paying.body.outTradeNo }) });
  for (let i = 0; i < 100; i++) {
    if ((await apiCall(baseUrl, 'GET', `/api/orders/${order.body.id}`, { token })).body.state === 'PAID') return enrollmentId;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`order ${order.body.id} was not paid`);
}

/** The body of an answer with the expected status, or an error that says what failed and how. */
export async function expectOk(res: { status: number; body: any }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The e2e stack's backend as the API test helpers expect it (JSON bodies, or a multipart form). */
export function backendAt(url: string): TestBackend {
  async function call(method: string, p: string, o: { body?: unknown; token?: string; form?: FormData } = {}) {
    if (!o.form) return apiCall(url, method, p, o);
    const res = await fetch(url + p, { method, headers: o.token ? { authorization: `Bearer ${o.token}` } : {}, body: o.form });
    return { status: res.status, body: await res.json() };
  }
  return { url, call } as unknown as TestBackend;
}

/**
 * The operator adds a course with one short lesson (a real video of `lessonSeconds`) to the class's GENERAL topic,
 * through the admin API; returns the lesson's id.
 */
export async function addOneLessonCourse(
  baseUrl: string,
  operator: string,
  classId: string,
  course: { title: string; creditHours: number; order?: number; lessonTitle: string; lessonSeconds: number },
): Promise<string> {
  const content = await expectOk(await apiCall(baseUrl, 'GET', `/api/admin/classes/${classId}/content`, { token: operator }), 200, 'class content');
  const topic = content.topics.find((t: { code: string }) => t.code === 'GENERAL');
  const body = { title: course.title, creditHours: course.creditHours, order: course.order };
  const created = await expectOk(await apiCall(baseUrl, 'POST', `/api/admin/topics/${topic.id}/courses`, { token: operator, body }), 201, 'course');
  const lesson = await uploadLesson(backendAt(baseUrl), operator, created.id, { title: course.lessonTitle }, await readFile(await testVideo(course.lessonSeconds)));
  return (await expectOk(lesson, 201, 'lesson')).id;
}
