import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LessonModel, TopicModel } from '../../backend/src/modules/catalog';
import { PlaybackSessionModel } from '../../backend/src/modules/learning/data';
import { mediaStore } from '../../backend/src/platform/storage';
import { useTestBackend } from '../helpers/backend';
import { createContent, uploadLesson } from '../helpers/content';
import { makeIdNumber } from '../helpers/fixtures';
import { createClass, enterpriseReady, importRecords, learnerBinds, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';
import { testVideo } from '../helpers/videos';

const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'ce-catalog-media-'));
const api = useTestBackend({ env: { MEDIA_DIR: mediaDir } });
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not a video')]);

let shandong: string;
let yunnan: string;
let classId: string;

beforeAll(async () => {
  shandong = await operatorReady(api, 'SD');
  yunnan = await operatorReady(api, 'YN');
  classId = await createClass(api, shandong, { province: 'SD', name: '安全员C证继续教育班', category: 'C' });
});

function storedVideos(): string[] {
  return existsSync(path.join(mediaDir, 'videos')) ? readdirSync(path.join(mediaDir, 'videos')).sort() : [];
}

async function content(token = shandong, id = classId) {
  return api.call('GET', `/api/admin/classes/${id}/content`, { token });
}

let classCount = 0;

/** A course in a class of its own, under the policy topic `code`. */
async function newCourse(code: string, creditHours = 6): Promise<string> {
  const cls = await createClass(api, shandong, { province: 'SD', name: `课程测试班${++classCount}`, category: 'C' });
  const topic = await api.call('POST', `/api/admin/classes/${cls}/topics`, { token: shandong, body: { code } });
  const course = await api.call('POST', `/api/admin/topics/${topic.body.id}/courses`, { token: shandong, body: { title: '安全生产法律法规解读', creditHours } });
  return course.body.id;
}

describe('an operator builds a class’s content', () => {
  test('when an operator adds the four policy topics, a course to each and lessons with videos, then the class shows the tree with policy names, hours and durations read from the videos', async () => {
    const created = await createContent(api, shandong, classId, [
      { code: 'LAW', courses: [{ title: '安全生产法律法规解读', creditHours: 6, lessons: [{ seconds: 12 }, { seconds: 7 }] }] },
      { code: 'MANAGEMENT', courses: [{ title: '安全生产管理实务', creditHours: 6, lessons: [{ seconds: 7 }] }] },
      { code: 'TECHNOLOGY', courses: [{ title: '施工现场安全技术', creditHours: 6, lessons: [{ seconds: 7 }] }] },
      { code: 'CASES', courses: [{ title: '典型事故案例分析', creditHours: 6, lessons: [{ seconds: 7 }] }] },
    ]);
    const res = await content();
    expect(res.status).toBe(200);
    expect(res.body.className).toBe('安全员C证继续教育班');
    expect(res.body.topics.map((t: any) => [t.code, t.name, t.requiredHours])).toEqual([
      ['LAW', '安全生产法律法规', 6],
      ['MANAGEMENT', '安全生产管理', 6],
      ['TECHNOLOGY', '安全生产技术', 6],
      ['CASES', '典型事故案例分析', 6],
    ]);
    const law = res.body.topics[0].courses[0];
    expect(law).toMatchObject({ id: created.topics[0].courses[0].id, title: '安全生产法律法规解读', creditHours: 6, active: true });
    expect(law.lessons.map((l: any) => [l.title, l.active])).toEqual([
      ['安全生产法律法规解读 第1课', true],
      ['安全生产法律法规解读 第2课', true],
    ]);
    expect(law.lessons[0].durationSeconds).toBeCloseTo(12, 1);
    expect(law.lessons[1].durationSeconds).toBeCloseTo(7, 1);
  });

  test('when a lesson is uploaded, then its video is kept in the media store under videos/<lessonId>.mp4, byte for byte', async () => {
    const courseId = await newCourse('LAW');
    const video = readFileSync(await testVideo(7));
    const res = await uploadLesson(api, shandong, courseId, { title: '第一课 法律体系' }, video);
    expect(res.status).toBe(201);
    const lesson = await LessonModel.findById(res.body.id).lean();
    expect(lesson).toMatchObject({ videoKey: `videos/${res.body.id}.mp4`, videoBytes: video.length });
    expect(readFileSync(path.join(mediaDir, 'videos', `${res.body.id}.mp4`)).equals(video)).toBe(true);
  });

  test('when the form states a duration of its own, then it is refused: the duration comes only from the video', async () => {
    const courseId = await newCourse('LAW');
    const form = new FormData();
    form.append('title', '自报时长的课时');
    form.append('durationSeconds', '3600');
    form.append('file', new Blob([new Uint8Array(readFileSync(await testVideo(7)))]), 'lesson.mp4');
    const res = await fetch(`${api.url}/api/admin/courses/${courseId}/lessons`, { method: 'POST', headers: { authorization: `Bearer ${shandong}` }, body: form });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('VALIDATION_FAILED');
    expect(await LessonModel.countDocuments({ courseId })).toBe(0);
  });

  test('when a course is changed in part, then only what was sent changes; a deactivated lesson stays listed for the operator as inactive', async () => {
    const courseId = await newCourse('CASES', 4);
    const upload = await uploadLesson(api, shandong, courseId, { title: '事故案例一' }, readFileSync(await testVideo(7)));
    expect((await api.call('PUT', `/api/admin/courses/${courseId}`, { token: shandong, body: { order: 3 } })).body.order).toBe(3);
    const course = await api.call('PUT', `/api/admin/courses/${courseId}`, { token: shandong, body: { creditHours: 5.5 } });
    expect(course.status).toBe(200);
    expect(course.body).toMatchObject({ title: '安全生产法律法规解读', creditHours: 5.5, order: 3, active: true });
    expect((await api.call('PUT', `/api/admin/courses/${courseId}`, { token: shandong, body: {} })).body).toEqual(course.body);
    const lesson = await api.call('PUT', `/api/admin/lessons/${upload.body.id}`, { token: shandong, body: { active: false, title: '事故案例一（旧）' } });
    expect(lesson.body).toMatchObject({ id: upload.body.id, title: '事故案例一（旧）', active: false, durationSeconds: upload.body.durationSeconds });
  });
});

describe('topics follow the province policy', () => {
  test('when a topic code is not one of the province policy’s topics, then it is refused TOPIC_NOT_IN_POLICY with the allowed codes, and nothing is created', async () => {
    const res = await api.call('POST', `/api/admin/classes/${classId}/topics`, { token: shandong, body: { code: 'GENERAL' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'TOPIC_NOT_IN_POLICY', message: expect.stringContaining('专题'), details: { allowed: ['LAW', 'MANAGEMENT', 'TECHNOLOGY', 'CASES'] } });
    expect(await TopicModel.countDocuments({ code: 'GENERAL' })).toBe(0);
  });

  test('when the same topic is added to a class twice, even at the same moment, then exactly one is created and the others are told TOPIC_TAKEN', async () => {
    const cls = await createClass(api, shandong, { province: 'SD', name: '并发专题班', category: 'C' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.call('POST', `/api/admin/classes/${cls}/topics`, { token: shandong, body: { code: 'TECHNOLOGY' } })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('TOPIC_TAKEN');
    expect(await TopicModel.countDocuments({ classId: cls })).toBe(1);
  });
});

/** An ISO-BMFF box: 32-bit size, type, content; `large` writes the 64-bit size form (size field 1). */
function box(type: string, content: Buffer, large = false): Buffer {
  const header = Buffer.alloc(large ? 16 : 8);
  header.write(type, 4, 'latin1');
  if (large) {
    header.writeUInt32BE(1, 0);
    header.writeBigUInt64BE(BigInt(16 + content.length), 8);
  } else header.writeUInt32BE(8 + content.length, 0);
  return Buffer.concat([header, content]);
}

/** A track whose handler says what it is (`vide`, `soun`). */
function track(handler: string): Buffer {
  const hdlr = Buffer.alloc(24);
  hdlr.write(handler, 8, 'latin1');
  return box('trak', box('mdia', box('hdlr', hdlr)));
}

/** A version-1 movie header (64-bit times and duration). */
function mvhdV1(timescale: number, duration: bigint): Buffer {
  const content = Buffer.alloc(4 + 8 + 8 + 4 + 8 + 80);
  content[0] = 1;
  content.writeUInt32BE(timescale, 4 + 16);
  content.writeBigUInt64BE(duration, 4 + 20);
  return box('mvhd', content);
}

describe('the duration is read from the video itself', () => {
  test('when the movie header is version 1 (64-bit) and comes after a large media box, then its duration is still read', async () => {
    const courseId = await newCourse('TECHNOLOGY');
    const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomavc1', 'latin1'));
    const mdat = box('mdat', Buffer.alloc(4096), true);
    const moov = box('moov', Buffer.concat([mvhdV1(90_000, 90_000n * 3725n + 45_000n), track('vide'), track('soun')]));
    const res = await uploadLesson(api, shandong, courseId, { title: '一小时的讲座' }, Buffer.concat([ftyp, mdat, moov]));
    expect(res.status).toBe(201);
    expect(res.body.durationSeconds).toBe(3725.5);
  });

  test('when a movie header claims more than a day, then the video is refused VIDEO_INVALID', async () => {
    const courseId = await newCourse('TECHNOLOGY');
    const file = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0', 'latin1')), box('moov', Buffer.concat([mvhdV1(1000, 1000n * 86_401n), track('vide'), track('soun')]))]);
    const res = await uploadLesson(api, shandong, courseId, { title: '超长视频' }, file);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'VIDEO_INVALID', details: { reason: 'the movie header claims more than a day' } });
  });

  test('when an MP4 has sound but no picture, then it is refused VIDEO_INVALID', async () => {
    const courseId = await newCourse('TECHNOLOGY');
    const file = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0', 'latin1')), box('moov', Buffer.concat([mvhdV1(1000, 60_000n), track('soun')]))]);
    const res = await uploadLesson(api, shandong, courseId, { title: '只有声音' }, file);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'VIDEO_INVALID', details: { reason: 'no video track' } });
  });
});

describe('videos are checked before anything is stored', () => {
  let courseId: string;
  beforeAll(async () => {
    courseId = await newCourse('MANAGEMENT');
  });

  async function refused(file: Buffer | undefined, reason: string, messagePart: string) {
    const res = file ? await uploadLesson(api, shandong, courseId, { title: '有问题的视频' }, file) : await api.call('POST', `/api/admin/courses/${courseId}/lessons`, { token: shandong, body: { title: '没有视频' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'VIDEO_INVALID', details: { reason }, message: expect.stringContaining(messagePart) });
  }

  test('when the file is not an MP4 (a PNG, plain text, a truncated MP4) or no file is sent, then it is refused VIDEO_INVALID and nothing is stored', async () => {
    const storedBefore = storedVideos();
    await refused(PNG, 'not an MP4 file', 'MP4');
    await refused(Buffer.from('plain text pretending to be a video'), 'not an MP4 file', 'MP4');
    const mp4 = readFileSync(await testVideo(7));
    await refused(mp4.subarray(0, 2000), 'a top-level box runs past the end of the file', 'MP4');
    await refused(undefined, 'no file', '请选择');
    expect(await LessonModel.countDocuments({ courseId })).toBe(0);
    expect(storedVideos()).toEqual(storedBefore);
  });

  test('when the MP4 has no audio track, then it is refused VIDEO_INVALID saying why (iOS misreports progress without one), and nothing is stored', async () => {
    const storedBefore = storedVideos();
    await refused(readFileSync(await testVideo(7, { audio: false })), 'no audio track', '音轨');
    expect(await LessonModel.countDocuments({ courseId })).toBe(0);
    expect(storedVideos()).toEqual(storedBefore);
  });
});

describe('a lesson that was watched cannot be deleted', () => {
  test('when nobody has started a lesson, then deleting it removes it and its video; once someone has, deleting is refused CONTENT_IN_USE (deactivating is still allowed)', async () => {
    const courseId = await newCourse('TECHNOLOGY');
    const video = readFileSync(await testVideo(7));
    const unwatched = (await uploadLesson(api, shandong, courseId, { title: '未学习的课时' }, video)).body;
    const deleted = await api.call('DELETE', `/api/admin/lessons/${unwatched.id}`, { token: shandong });
    expect(deleted).toMatchObject({ status: 200, body: { ok: true } });
    expect(await mediaStore(api.running.deps.config).stat(`videos/${unwatched.id}.mp4`)).toBeUndefined();
    expect((await api.call('DELETE', `/api/admin/lessons/${unwatched.id}`, { token: shandong })).body.code).toBe('CONTENT_NOT_FOUND');

    const watched = (await uploadLesson(api, shandong, courseId, { title: '已有人学习的课时' }, video)).body;
    const lesson = (await LessonModel.findById(watched.id).lean())!;
    // A learner's playback of it, as the learning module records one when study starts.
    await PlaybackSessionModel.create({ _id: 'session-catalog-test', personId: lesson.classId, enrollmentId: lesson.classId, lessonId: lesson._id, topicCode: 'TECHNOLOGY', lessonTitle: lesson.title, durationSeconds: lesson.durationSeconds, videoKey: lesson.videoKey, rules: {}, startedAt: new Date('2026-03-02T02:00:00Z') });
    const refused = await api.call('DELETE', `/api/admin/lessons/${watched.id}`, { token: shandong });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONTENT_IN_USE', message: expect.stringContaining('下架') });
    expect(await mediaStore(api.running.deps.config).stat(`videos/${watched.id}.mp4`)).toBeDefined();
    expect((await api.call('PUT', `/api/admin/lessons/${watched.id}`, { token: shandong, body: { active: false } })).body.active).toBe(false);
  });
});

describe('only operators of the class’s own province manage its content', () => {
  let ids: { topicId: string; courseId: string; lessonId: string };
  let video: Buffer;
  beforeAll(async () => {
    video = readFileSync(await testVideo(7));
    const cls = await createClass(api, shandong, { province: 'SD', name: '权限测试班', category: 'C' });
    const created = await createContent(api, shandong, cls, [{ code: 'LAW', courses: [{ creditHours: 6, lessons: [{ seconds: 7 }] }] }]);
    ids = { topicId: created.topics[0].id, courseId: created.topics[0].courses[0].id, lessonId: created.lessons[0].id };
    classId = cls;
  });

  function attempts(token: string | undefined) {
    return [
      api.call('GET', `/api/admin/classes/${classId}/content`, { token }),
      api.call('POST', `/api/admin/classes/${classId}/topics`, { token, body: { code: 'CASES' } }),
      api.call('POST', `/api/admin/topics/${ids.topicId}/courses`, { token, body: { title: '越权课程', creditHours: 1 } }),
      api.call('PUT', `/api/admin/courses/${ids.courseId}`, { token, body: { title: '越权改名' } }),
      token ? uploadLesson(api, token, ids.courseId, { title: '越权课时' }, video) : api.call('POST', `/api/admin/courses/${ids.courseId}/lessons`, { body: { title: '越权课时' } }),
      api.call('PUT', `/api/admin/lessons/${ids.lessonId}`, { token, body: { active: false } }),
      api.call('DELETE', `/api/admin/lessons/${ids.lessonId}`, { token }),
    ];
  }

  async function expectUnchanged() {
    const res = await content(shandong, classId);
    expect(res.body.topics.map((t: any) => t.code)).toEqual(['LAW']);
    expect(res.body.topics[0].courses).toEqual([expect.objectContaining({ title: expect.not.stringContaining('越权'), lessons: [expect.objectContaining({ id: ids.lessonId, active: true })] })]);
  }

  test('when another province’s operator tries every content route, then each is refused 403 in Chinese and nothing changes', async () => {
    for (const res of await Promise.all(attempts(yunnan))) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: '只能管理本省的数据' });
    }
    await expectUnchanged();
  });

  test('when an enterprise, a learner or nobody tries them, then each is refused and nothing changes', async () => {
    const company = enterprise(701, 'SD');
    const worker = certificate(company, { idNumber: makeIdNumber(711), name: '赵磊' });
    await importRecords([worker], api.running.deps);
    const enterpriseToken = await enterpriseReady(api, 'SD', company.name, company.uscc);
    const learnerToken = (await learnerBinds(api, 'device-catalog-01', worker.idNumber, '12345678')).body.token;
    for (const token of [enterpriseToken, learnerToken]) {
      for (const res of await Promise.all(attempts(token))) expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    for (const res of await Promise.all(attempts(undefined))) expect([res.status, res.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    await expectUnchanged();
  });

  test('when an id is malformed or unknown, then it is answered 400 or 404, never 500', async () => {
    expect((await api.call('GET', '/api/admin/classes/not-an-id/content', { token: shandong })).status).toBe(400);
    expect((await api.call('GET', '/api/admin/classes/0123456789abcdef01234567/content', { token: shandong })).body.code).toBe('CLASS_NOT_FOUND');
    expect((await api.call('POST', '/api/admin/topics/0123456789abcdef01234567/courses', { token: shandong, body: { title: '无主课程', creditHours: 1 } })).body.code).toBe('CONTENT_NOT_FOUND');
    expect((await api.call('PUT', '/api/admin/lessons/0123456789abcdef01234567', { token: shandong, body: { active: false } })).body.code).toBe('CONTENT_NOT_FOUND');
  });
});
