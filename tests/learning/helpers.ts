import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { ControlledClock } from '../../backend/src/platform/clock';
import { CourseModel, LessonModel, TopicModel } from '../../backend/src/modules/catalog';
import { CertificateModel } from '../../backend/src/modules/registry';
import type { ApiResponse, TestBackend } from '../helpers/backend';
import { learnerReadyForStudy, sendPhoto } from '../helpers/face';
import { facePhotos, type FacePhotos } from '../helpers/face-photos';
import { createClass, enterpriseReady, importRecords, learnerBinds, NEW_PASSWORD, operatorReady } from '../helpers/journeys';
import { certificate, enterprise, monthsFromToday } from '../helpers/records';
import { useOrdersStack, type OrdersStack } from '../orders/helpers';

export interface StudyStack extends OrdersStack {
  /** The backend's clock: it stands still until a test moves it (it starts at real time, for paying). */
  clock: ControlledClock;
}

/** A backend on a controlled clock, with the WeChat Pay simulator to pay enrollments; sessions outlast the test's days. */
export function useStudyStack(env: Record<string, string> = {}): StudyStack {
  const clock = new ControlledClock(Date.now());
  const stack = useOrdersStack({ clock, env: { SESSION_TTL_HOURS: String(24 * 400), ...env } }) as StudyStack;
  stack.clock = clock;
  return stack;
}

/** Course → lesson durations (seconds), under a policy topic code. */
export type ContentSpec = Record<string, { creditHours: number; lessons: number[] }[]>;

export interface ContentLesson {
  id: string;
  courseId: string;
  topicCode: string;
  durationSeconds: number;
}

/** Topics, courses and lessons of a class, as an operator's catalog would hold them (lessons of any length). */
export async function addContent(classId: string, spec: ContentSpec): Promise<ContentLesson[]> {
  const lessons: ContentLesson[] = [];
  const classOid = new Types.ObjectId(classId);
  for (const [order, [code, courses]] of Object.entries(spec).entries()) {
    const topic = await TopicModel.create({ classId: classOid, code, order });
    for (const [courseOrder, course] of courses.entries()) {
      const created = await CourseModel.create({ classId: classOid, topicId: topic._id, title: `课程${code}${courseOrder + 1}`, creditHours: course.creditHours, order: courseOrder, active: true });
      for (const [lessonOrder, durationSeconds] of course.lessons.entries()) {
        const lesson = await LessonModel.create({ classId: classOid, topicId: topic._id, courseId: created._id, title: `课时${lessonOrder + 1}`, order: lessonOrder, durationSeconds, videoKey: `videos/${randomBytes(8).toString('hex')}.mp4`, videoBytes: 1000, active: true });
        lessons.push({ id: String(lesson._id), courseId: String(created._id), topicCode: code, durationSeconds });
      }
    }
  }
  return lessons;
}

export interface Learner {
  token: string;
  enrollmentId: string;
  classId: string;
  idNumber: string;
}

let seedCount = 0;

async function waitUntilPaid(api: TestBackend, orderId: string, token: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await api.call('GET', `/api/orders/${orderId}`, { token })).body.state === 'PAID') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`order ${orderId} was not paid`);
}

async function payOrder(stack: StudyStack, token: string, order: { enrollmentIds: string[]; invoice: object }, method: 'WECHAT_JSAPI' | 'WECHAT_NATIVE'): Promise<void> {
  const placed = await stack.api.call('POST', '/api/orders', { token, body: order });
  if (placed.status !== 201) throw new Error(`order failed: ${JSON.stringify(placed.body)}`);
  const paying = await stack.api.call('POST', `/api/orders/${placed.body.id}/pay`, { token, body: { method } });
  await fetch(`${stack.sim.url}/sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outTradeNo: paying.body.outTradeNo }) });
  await waitUntilPaid(stack.api, placed.body.id, token);
}

/**
 * A learner with an enrollment in a class of their province, bound in WeChat and past the forced password change.
 * Yunnan: the learner enrolls alone and pays in WeChat; Shandong: their enterprise enrolls and pays by QR code.
 * `paid: false` leaves the enrollment awaiting payment. Pays at real time: call before moving the clock.
 */
export async function enrolledLearner(stack: StudyStack, province: 'SD' | 'YN', classId: string, options: { paid?: boolean } = {}): Promise<Learner> {
  const { api } = stack;
  const seed = 7000 + ++seedCount * 10 + Math.floor(Math.random() * 9);
  const owner = enterprise(seed, province);
  const category = province === 'SD' ? 'C' : 'A';
  const record = certificate(owner, { category, ...(category === 'A' ? { aKind: 'MAIN' } : {}), expiryDate: monthsFromToday(3) });
  await importRecords([record], api.running.deps);
  const bound = await learnerBinds(api, `device-study-${seed}-${randomBytes(3).toString('hex')}`, record.idNumber, '12345678');
  if (bound.status !== 200) throw new Error(`bind failed: ${JSON.stringify(bound.body)}`);
  const token = bound.body.token as string;
  await api.call('POST', '/api/auth/password', { token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
  const certificateId = String((await CertificateModel.findOne({ certificateNo: record.certificateNo }).lean())!._id);

  let enrollmentId: string;
  if (province === 'YN') {
    const enrolled = await api.call('POST', '/api/learner/enrollments', { token, body: { classId, certificateId } });
    if (enrolled.status !== 201) throw new Error(`enrollment failed: ${JSON.stringify(enrolled.body)}`);
    enrollmentId = enrolled.body.items[0].id;
    if (options.paid !== false) await payOrder(stack, token, { enrollmentIds: [enrollmentId], invoice: { kind: 'NORMAL', buyerType: 'PERSON', title: record.name, email: `xueyuan-${seed}@example.com` } }, 'WECHAT_JSAPI');
  } else {
    const company = await enterpriseReady(api, 'SD', owner.name, owner.uscc);
    const enrolled = await api.call('POST', '/api/enterprise/enrollments', { token: company, body: { classId, certificateIds: [certificateId] } });
    if (enrolled.status !== 201) throw new Error(`enrollment failed: ${JSON.stringify(enrolled.body)}`);
    enrollmentId = enrolled.body.items[0].id;
    const invoice = { kind: 'NORMAL', buyerType: 'ENTERPRISE', title: owner.name, taxId: owner.uscc, email: `caiwu-${seed}@example.com` };
    if (options.paid !== false) await payOrder(stack, company, { enrollmentIds: [enrollmentId], invoice }, 'WECHAT_NATIVE');
  }
  return { token, enrollmentId, classId, idNumber: record.idNumber };
}

let classCount = 0;

/** A class of the province (its category) with the given content. */
export async function classWithContent(api: TestBackend, province: 'SD' | 'YN', spec: ContentSpec): Promise<{ classId: string; lessons: ContentLesson[] }> {
  const category = province === 'SD' ? 'C' : 'A';
  const classId = await createClass(api, await operatorReady(api, province), { province, name: `学习${category}类班${++classCount}${randomBytes(2).toString('hex')}`, category });
  return { classId, lessons: await addContent(classId, spec) };
}

export interface Beat {
  position: number;
  state?: 'playing' | 'paused' | 'hidden' | 'ended';
  rate?: number;
  /** Defaults to the next sequence number. */
  seq?: number;
}

/** The player of one device: starts sessions and sends heartbeats as the mini-program does. */
export class Player {
  sessionId = '';
  seq = 0;

  constructor(
    private readonly stack: StudyStack,
    readonly learner: Learner,
  ) {}

  async start(lessonId: string): Promise<ApiResponse> {
    const res = await this.stack.api.call('POST', '/api/learner/playback-sessions', { token: this.learner.token, body: { enrollmentId: this.learner.enrollmentId, lessonId } });
    if (res.status === 201) {
      this.sessionId = res.body.playbackSessionId;
      this.seq = 0;
    }
    return res;
  }

  async beat(beat: Beat): Promise<ApiResponse> {
    const seq = beat.seq ?? ++this.seq;
    return this.stack.api.call('POST', `/api/learner/playback-sessions/${this.sessionId}/heartbeats`, { token: this.learner.token, body: { seq, position: beat.position, state: beat.state ?? 'playing', rate: beat.rate ?? 1 } });
  }

  /** Plays honestly from `from` for `seconds`: the clock moves `step` seconds before each heartbeat. */
  async play(from: number, seconds: number, step = 10): Promise<ApiResponse[]> {
    const answers: ApiResponse[] = [];
    for (let at = from + step; at <= from + seconds + 1e-9; at += step) {
      this.stack.clock.advance(step * 1000);
      answers.push(await this.beat({ position: at }));
    }
    return answers;
  }

  /** Answers the capture the server asked for with a photo, as the mini-program does. */
  sendCapture(captureId: string, photo: Buffer): Promise<ApiResponse> {
    return sendPhoto(this.stack.api, 'POST', `/api/learner/playback-sessions/${this.sessionId}/captures`, this.learner.token, photo, { captureId });
  }
}

export interface CapturingClass {
  classId: string;
  lesson: ContentLesson;
  photos: FacePhotos;
}

/**
 * A Yunnan class of one lesson `lessonSeconds` long whose policy asks for a photo after every 20 s of credited
 * watching (policy is data: 10-20 minutes by default). Use at the top level of a test file; the returned object is
 * filled in before the first test runs.
 */
export function useCapturingClass(stack: StudyStack, lessonSeconds: number): CapturingClass {
  const cls = {} as CapturingClass;
  beforeAll(async () => {
    await mongoose.connection.collection('policies').updateOne({ province: 'YN' }, { $set: { 'settings.photos.captureEverySeconds': { min: 20, max: 20 } } });
    const content = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [lessonSeconds] }] });
    cls.classId = content.classId;
    cls.lesson = content.lessons[0];
    cls.photos = await facePhotos();
  });
  return cls;
}

/** A new Yunnan learner of the class, ready for study (consent, avatar, face check), whose player has started the lesson. */
export async function learnerStudying(stack: StudyStack, classId: string, lessonId: string): Promise<{ learner: Learner; player: Player; started: ApiResponse }> {
  stack.clock.set(Date.now());
  const learner = await enrolledLearner(stack, 'YN', classId);
  await learnerReadyForStudy(stack.api, learner.token);
  const player = new Player(stack, learner);
  const started = await player.start(lessonId);
  expect(started.status).toBe(201);
  return { learner, player, started };
}

/** The learner's verified progress on one lesson, as 课程 shows it. */
export async function lessonProgress(stack: StudyStack, learner: Learner, lessonId: string) {
  const content = await stack.api.call('GET', `/api/learner/study/${learner.enrollmentId}`, { token: learner.token });
  for (const topic of content.body.topics) for (const course of topic.courses) for (const lesson of course.lessons) if (lesson.id === lessonId) return lesson;
  throw new Error(`lesson ${lessonId} not in ${JSON.stringify(content.body)}`);
}
