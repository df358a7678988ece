import { createHash } from 'node:crypto';
import { learnerReadyForStudy } from '../helpers/face';
import { LessonModel } from '../../backend/src/modules/catalog';
import { classWithContent, enrolledLearner, Player, useStudyStack } from './helpers';

/** Production delivery: with MEDIA_DRIVER=cdn the player gets the CDN's own signed URL (type-A), never our route. */
const CDN = { MEDIA_DRIVER: 'cdn', MEDIA_CDN_BASE_URL: 'https://media.example.com/ce', MEDIA_CDN_SIGNING_KEY: 'cdn-signing-key-0123456789' };
const stack = useStudyStack(CDN);

test('when media is on the CDN, then the playback answer carries a CDN URL signed for MEDIA_URL_TTL_SECONDS', async () => {
  const { classId, lessons } = await classWithContent(stack.api, 'YN', { GENERAL: [{ creditHours: 24, lessons: [60] }] });
  const learner = await enrolledLearner(stack, 'YN', classId);
  await learnerReadyForStudy(stack.api, learner.token);
  const started = await new Player(stack, learner).start(lessons[0].id);
  expect(started.status).toBe(201);

  const { videoKey } = (await LessonModel.findById(lessons[0].id).lean())!;
  const url = new URL(started.body.videoUrl);
  expect(`${url.origin}${url.pathname}`).toBe(`https://media.example.com/ce/${videoKey}`);
  const [timestamp, rand, uid, hash] = url.searchParams.get('auth_key')!.split('-');
  expect(hash).toBe(createHash('md5').update(`/ce/${videoKey}-${timestamp}-${rand}-${uid}-${CDN.MEDIA_CDN_SIGNING_KEY}`).digest('hex'));
  expect(new Date(started.body.videoUrlExpiresAt).getTime()).toBe((Number(timestamp) + 600) * 1000);
  expect(Number(timestamp) * 1000).toBe(Math.floor(stack.clock.now().getTime() / 1000) * 1000);
});
