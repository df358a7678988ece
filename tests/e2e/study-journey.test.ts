import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { registerNationalPhoto } from '../helpers/face';
import { PHOTO_SOURCES, facePhotos } from '../helpers/face-photos';
import { operatorReady } from '../helpers/journeys';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, fakeCameraOf, fillField, launchBrowser, phone, screenshotDir, waitForRoute } from './browser';
import { addOneLessonCourse, apiCall, backendAt, enrollAndPayAlone, pageToken } from './api';
import { learnerFirstBind, learnerReachesBindForm } from './steps';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason
  ? `study journey in the H5 build (Chromium) — skipped: ${skipReason}`
  : 'study journey in the H5 build (Chromium, its fake camera showing Grace Hopper): consent, identity, avatar, face check, a lesson watched to 100% with a study photo, the hours on 我的学习';

const NEW_PASSWORD = 'Xuexi2026shipin';
const A_CLASS = 'A证继续教育班';
const LESSON_SECONDS = 16;
const COURSE_HOURS = 2;

/** The study pages' hash routes (subpackage `study/`). */
async function waitForStudyRoute(page: Page, name: string, timeout = 20_000): Promise<void> {
  await page.waitForURL((url) => url.hash.startsWith(`#/study/pages/${name}/index`), { timeout });
  await page.waitForTimeout(400); // Taro's page transition: what a screenshot shows is the page, not the slide
}

/** The <video> inside Taro's <Video id="player-video">. */
const PLAYER = '#player-video video';
const currentTime = (page: Page) => page.$eval(PLAYER, (v) => (v as HTMLVideoElement).currentTime);

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let enrollmentId: string;
  let lessonId: string;
  const shots = new Shots(screenshotDir('study'));
  const cameraDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-fake-camera-'));

  beforeAll(async () => {
    stack = await startStack();
    // Yunnan's policy, as an operator would set it for a quick demonstration: a heartbeat every 5 s and a study
    // photo after 10 s of credited watching (the built-in profile says 10 s and 10-20 minutes).
    await mongoose.model('Policy').updateOne({ province: 'YN' }, { $set: { 'settings.study.heartbeatSeconds': 5, 'settings.photos.captureEverySeconds': { min: 10, max: 10 } } });
    // the identity provider's "national record" holds Grace Hopper's portrait for these two demo people
    await registerNationalPhoto(stack.demo.selfLearner, (await facePhotos()).hopper);
    await registerNationalPhoto(stack.demo.codeLearner, (await facePhotos()).hopper);
    browser = await launchBrowser({ fakeCamera: fakeCameraOf(PHOTO_SOURCES.hopper, cameraDir) });
    context = await phone(browser, SMALL_PHONE);
    page = await context.newPage();
    errors = collectPageErrors(page);
    console.log(`study journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    fs.rmSync(cameraDir, { recursive: true, force: true });
  }, 60_000);

  test('when a Yunnan learner has paid a class that has a lesson, then 我的报名 offers 去学习 and the class lists what to do first: consent, identity, avatar, face check', async () => {
    const learner = stack.demo.selfLearner;
    await learnerFirstBind(page, stack.baseUrl, learner, NEW_PASSWORD);

    const token = await pageToken(page);
    const options = (await apiCall(stack.baseUrl, 'GET', '/api/learner/self-enrollment', { token })).body;
    const certificate = options.certificates.find((c: { certificateNo: string }) => c.certificateNo === learner.certificateNo);
    const klass = options.classes.find((c: { name: string }) => c.name === A_CLASS);
    const operator = await operatorReady(backendAt(stack.baseUrl), 'YN');
    lessonId = await addOneLessonCourse(stack.baseUrl, operator, klass.id, { title: '安全帽的正确佩戴（快速演示）', creditHours: COURSE_HOURS, lessonTitle: '第一课 安全帽的正确佩戴', lessonSeconds: LESSON_SECONDS });
    enrollmentId = await enrollAndPayAlone(stack.baseUrl, token, { classId: klass.id, certificateId: certificate.certificateId, name: learner.name });

    await page.reload();
    await page.locator(`#study-${enrollmentId}`).click();
    await waitForStudyRoute(page, 'course');
    await page.locator('#prep-steps').waitFor();
    expect(await page.locator('#prep-steps').innerText()).toMatch(/同意人脸信息授权[\s\S]*实名核身[\s\S]*上传头像（白底一寸照）[\s\S]*人脸核验/);
    expect(await page.locator('#prep-consent').getAttribute('class')).toContain('prep__step--next');
    expect(await page.locator(`#lesson-${lessonId}`).innerText()).toContain('第一课 安全帽的正确佩戴');

    // a lesson before the steps are done says which step comes first, and stays on this page
    await page.click(`#lesson-open-${lessonId}`);
    await page.locator('#course-blocked').waitFor();
    expect(await page.locator('#course-blocked').innerText()).toContain('请先完成“同意人脸信息授权”');
    await shots.take(page, 'course-before-steps', { fullPage: false });
  }, 180_000);

  test('when the learner reads the consent text and taps 同意, then the consent is recorded and the next step is identity', async () => {
    await page.click('#prep-next');
    await waitForStudyRoute(page, 'consent');
    await page.locator('#consent-text').waitFor();
    expect(await page.locator('#consent-text').innerText()).toContain('人脸');
    await shots.take(page, 'consent', { fullPage: false });
    await page.click('#consent-agree');
    await page.locator('#consent-given').waitFor();
    await page.click('#consent-back');
    await waitForStudyRoute(page, 'course');
    await page.waitForFunction(() => document.querySelector('#prep-identity')?.className.includes('prep__step--next'), undefined, { polling: 250 });
  }, 60_000);

  test('when the learner takes a live photo for 实名核身, then the provider confirms them and the binding is verified', async () => {
    await page.click('#prep-identity');
    await waitForStudyRoute(page, 'identity');
    await page.locator('#identity-camera-take').click();
    await page.locator('#identity-message').waitFor({ timeout: 60_000 });
    expect(await page.locator('#identity-result').innerText()).not.toContain('未通过');
    await shots.take(page, 'identity-verified', { fullPage: false });
    await page.click('#identity-next');
    await waitForStudyRoute(page, 'course');
    await page.waitForFunction(() => document.querySelector('#prep-avatar')?.className.includes('prep__step--next'), undefined, { polling: 250 });
  }, 90_000);

  test('when the learner photographs themself for the avatar, then it is checked at once and saved', async () => {
    await page.click('#prep-avatar');
    await waitForStudyRoute(page, 'avatar');
    expect(await page.locator('#avatar-page').innerText()).toContain('白底一寸照');
    await page.click('#avatar-camera-start');
    await page.locator('#avatar-camera-take').click();
    await page.locator('#avatar-result-title').waitFor({ timeout: 60_000 });
    expect(await page.locator('#avatar-result-title').innerText()).toBe('头像已保存');
    await shots.take(page, 'avatar-saved', { fullPage: false });
    await page.click('#avatar-done');
    await waitForStudyRoute(page, 'course');
    await shots.take(page, 'course-after-avatar', { fullPage: false });
    await page.waitForFunction(() => document.querySelector('#prep-face')?.className.includes('prep__step--next'), undefined, { polling: 250 });
  }, 90_000);

  test('when the learner passes the face check, then every step is done', async () => {
    await page.click('#prep-face');
    await waitForStudyRoute(page, 'face');
    await page.locator('#face-camera-take').click();
    await page.locator('#face-check-title').waitFor({ timeout: 60_000 });
    expect(await page.locator('#face-check-title').innerText()).toBe('人脸核验通过');
    await shots.take(page, 'face-passed', { fullPage: false });
    await page.click('#face-done');
    await waitForStudyRoute(page, 'course');
    await page.waitForFunction(() => document.querySelector('#prep-steps')?.textContent?.includes('学习前准备已完成'), undefined, { polling: 250 });
    expect(await page.locator('#prep-next').count()).toBe(0);
  }, 90_000);

  test('when the learner watches the lesson, then a seek ahead is undone, a study photo is asked for, taken from the camera and accepted, and the lesson reaches 100%', async () => {
    await page.click(`#lesson-open-${lessonId}`);
    await waitForStudyRoute(page, 'player');
    await page.locator(PLAYER).waitFor({ state: 'attached' });
    await page.locator('#player-video .taro-video-cover-play-button').click();
    await page.waitForFunction((sel) => ((document.querySelector(sel) as HTMLVideoElement | null)?.currentTime ?? 0) > 2, PLAYER, { timeout: 20_000, polling: 100 });

    // a seek ahead, as a script or a dragged bar would do it: the player goes back to the furthest watched point
    await page.$eval(PLAYER, (v) => ((v as HTMLVideoElement).currentTime = 13));
    await page.waitForFunction((sel) => ((document.querySelector(sel) as HTMLVideoElement | null)?.currentTime ?? 99) < 8, PLAYER, { timeout: 5_000, polling: 100 });
    expect(await currentTime(page)).toBeLessThan(8);
    await page.locator('#player-notice').waitFor();
    expect(await page.locator('#player-notice').innerText()).toContain('首次学习不能快进');
    await shots.take(page, 'seek-undone', { fullPage: false });

    // after 10 s of credited watching the server asks for a photo: the player pauses and opens the camera
    await waitForStudyRoute(page, 'capture', 30_000);
    expect(await page.$eval(PLAYER, (v) => (v as HTMLVideoElement).paused)).toBe(true);
    await page.locator('#capture-camera-take').click();
    await page.locator('#capture-result-title').waitFor({ timeout: 60_000 });
    expect(await page.locator('#capture-result-title').innerText()).toBe('拍照核验通过');
    expect(await page.locator('#capture-topic-photos').innerText()).toMatch(/已留存学习照片 1 \/ \d+ 张/);
    await shots.take(page, 'capture-accepted', { fullPage: false });
    await page.click('#capture-continue');
    await waitForStudyRoute(page, 'player');

    // playback goes on by itself and the server says the lesson is complete
    await page.waitForFunction(() => document.querySelector('#player-progress')?.textContent?.includes('本课时已学完'), undefined, { timeout: 30_000, polling: 250 });
    await shots.take(page, 'lesson-complete', { fullPage: false });
    const study = await apiCall(stack.baseUrl, 'GET', `/api/learner/study/${enrollmentId}`, { token: await pageToken(page) });
    const lessons = study.body.topics.flatMap((t: any) => t.courses.flatMap((c: any) => c.lessons));
    const lesson = lessons.find((l: { id: string }) => l.id === lessonId);
    expect(lesson).toMatchObject({ completed: true, percent: 100 });
    expect(lesson.creditedSeconds).toBeLessThanOrEqual(LESSON_SECONDS);
  }, 120_000);

  test('when the learner opens 我的学习, then the course’s hours are earned and the exam says what is still missing', async () => {
    await page.click('#player-back');
    await waitForStudyRoute(page, 'course');
    await page.click('#course-to-home');
    await waitForStudyRoute(page, 'home');
    const hours = page.locator(`#hours-${enrollmentId}`);
    await hours.waitFor();
    expect(await hours.innerText()).toContain(`已获 ${COURSE_HOURS} / 需 24 学时`);
    expect(await page.locator(`#exam-state-${enrollmentId}`).innerText()).toContain('暂不能参加考试');
    await shots.take(page, 'study-home', { fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  test('when the same lesson is opened on a second page, then the first stops at its next heartbeat and says another device or page took over', async () => {
    const playerUrl = `${stack.baseUrl}/#/study/pages/player/index?enrollmentId=${enrollmentId}&lessonId=${lessonId}`;
    await page.goto(playerUrl);
    await page.locator('#player-video .taro-video-cover-play-button').click();
    await page.waitForFunction((sel) => !((document.querySelector(sel) as HTMLVideoElement | null)?.paused ?? true), PLAYER, { timeout: 20_000, polling: 100 });

    const second = await context.newPage();
    await Promise.all([second.waitForResponse((r) => r.url().endsWith('/api/learner/playback-sessions') && r.status() === 201), second.goto(playerUrl)]);
    await page.locator('#player-stopped-message').waitFor({ timeout: 20_000 });
    expect(await page.locator('#player-stopped-message').innerText()).toContain('您已在其他设备或页面开始学习');
    expect(await page.locator('#player-restart').innerText()).toBe('在本设备继续学习');
    await shots.take(page, 'replaced-by-another-page', { fullPage: false });
    await second.close();
  }, 60_000);

  test('when a WeChat user has neither the initial password nor an activation code, then 刷脸核身绑定 (name, ID number, consent, a live photo) binds them verified', async () => {
    const person = stack.demo.codeLearner;
    const other = await phone(browser, SMALL_PHONE);
    const second = await other.newPage();
    const secondErrors = collectPageErrors(second);
    await learnerReachesBindForm(second, stack.baseUrl);
    await second.click('#bind-with-face');
    await second.waitForURL((url) => url.hash.startsWith('#/study/pages/bind/index'));
    await fillField(second, 'bindName', person.name);
    await fillField(second, 'bindIdNumber', person.idNumber);
    await second.click('#bind-identity-next');
    await second.locator('#bind-identity-consent').waitFor();
    expect(await second.locator('#bind-identity-consent').innerText()).toContain('人脸');
    await second.click('#bind-identity-agree');
    await second.locator('#bind-identity-camera-take').click();
    await waitForRoute(second, 'learner-enrollments', 60_000);
    await second.locator('#binding-banner').waitFor();
    expect(await second.locator('#binding-banner').innerText()).toContain('已确认为证书持有人本人');
    await shots.take(second, 'bound-by-face', { fullPage: false });
    expect(secondErrors).toEqual([]);
    await other.close();
  }, 120_000);
});
