import { addDays } from '@ce/types';
import { createContent } from '../helpers/content';
import { sendPhoto } from '../helpers/face';
import { facePhotos } from '../helpers/face-photos';
import { createClass, operatorReady } from '../helpers/journeys';
import { enrolledLearner, learnerStudying, Player, useStudyStack, type Learner } from './helpers';

/** The lesson video: served in byte ranges, only through a fresh signed link, only while the enrollment may study. */
const stack = useStudyStack();
let classId: string;
let lessonId: string;

beforeAll(async () => {
  const operator = await operatorReady(stack.api, 'YN');
  classId = await createClass(stack.api, operator, { province: 'YN', name: '视频A类班', category: 'A' });
  const content = await createContent(stack.api, operator, classId, [{ code: 'GENERAL', courses: [{ creditHours: 24, lessons: [{ seconds: 6 }] }] }]);
  lessonId = content.lessons[0].id;
});

async function watcher(): Promise<{ learner: Learner; player: Player; videoUrl: string }> {
  const { learner, player, started } = await learnerStudying(stack, classId, lessonId);
  return { learner, player, videoUrl: started.body.videoUrl };
}

const fetchVideo = (url: string, headers: Record<string, string> = {}) => fetch(stack.api.url + url, { headers });

test('when the player asks for a byte range with its signed link, then it gets 206 with exactly those bytes, and the whole file without a range', async () => {
  const { videoUrl } = await watcher();
  expect(videoUrl).toMatch(new RegExp(`^/api/media/videos/${lessonId}/[0-9a-f]{24}\\?exp=\\d+&sig=`));
  const part = await fetchVideo(videoUrl, { range: 'bytes=0-99' });
  expect(part.status).toBe(206);
  expect(part.headers.get('content-type')).toBe('video/mp4');
  expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
  const bytes = Buffer.from(await part.arrayBuffer());
  expect(bytes.length).toBe(100);
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');

  const whole = await fetchVideo(videoUrl);
  expect(whole.status).toBe(200);
  expect(Number(whole.headers.get('content-length'))).toBe(Number(part.headers.get('content-range')!.split('/')[1]));
});

test('when a link is forged, used for another enrollment, or expired, then it is refused with 403', async () => {
  const { learner, videoUrl } = await watcher();
  const forged = videoUrl.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
  expect((await fetchVideo(forged, { range: 'bytes=0-9' })).status).toBe(403);
  const other = await enrolledLearner(stack, 'YN', classId);
  expect((await fetchVideo(videoUrl.replace(learner.enrollmentId, other.enrollmentId))).status).toBe(403);
  expect((await fetchVideo(videoUrl.replace(/exp=\d+/, (e) => `exp=${Number(e.slice(4)) + 3600}`))).status).toBe(403);
  stack.clock.advance(600_000); // MEDIA_URL_TTL_SECONDS
  const expired = await fetchVideo(videoUrl, { range: 'bytes=0-9' });
  expect(expired.status).toBe(403);
  expect(await expired.json()).toMatchObject({ code: 'FILE_LINK_INVALID' });
});

test('when a link is about to run out, then the heartbeat answer brings a fresh one that works', async () => {
  const { player, videoUrl } = await watcher();
  stack.clock.advance(10_000);
  expect((await player.beat({ position: 6 })).body.videoUrl).toBeUndefined();
  stack.clock.advance(545_000);
  const renewed = await player.beat({ position: 6, state: 'paused' });
  expect(renewed.body.videoUrl).toMatch(/^\/api\/media\/videos\//);
  expect(renewed.body.videoUrl).not.toBe(videoUrl);
  stack.clock.advance(120_000); // the first link has run out, the renewed one has not
  expect((await fetchVideo(videoUrl, { range: 'bytes=0-9' })).status).toBe(403);
  expect((await fetchVideo(renewed.body.videoUrl, { range: 'bytes=0-9' })).status).toBe(206);
});

test('when the study window has ended, then even a link signed before the end is refused with 403', async () => {
  const { learner } = await watcher();
  const lastDay: string = (await stack.api.call('GET', '/api/learner/study', { token: learner.token })).body.items[0].studyUntil;
  stack.clock.set(`${lastDay}T23:57:00+08:00`);
  expect((await sendPhoto(stack.api, 'POST', '/api/learner/face/verifications', learner.token, (await facePhotos()).hopperAgain)).body.passed).toBe(true);
  const late = await new Player(stack, learner).start(lessonId);
  expect((await fetchVideo(late.body.videoUrl, { range: 'bytes=0-9' })).status).toBe(206);
  stack.clock.set(`${addDays(lastDay, 1)}T00:00:30+08:00`);
  const closed = await fetchVideo(late.body.videoUrl, { range: 'bytes=0-9' });
  expect(closed.status).toBe(403);
  expect(await closed.json()).toMatchObject({ code: 'STUDY_WINDOW_CLOSED' });
});
