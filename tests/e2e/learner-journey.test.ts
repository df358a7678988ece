import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { Shots, chromiumMissing, collectPageErrors, fillField, launchBrowser, openPage, phone, screenshotDir, waitForRoute } from './browser';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `learner journey in the H5 build (Chromium) — skipped: ${skipReason}` : 'learner journey in the H5 build (Chromium)';

const NEW_PASSWORD = 'Xueyuan2026ok';

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const shots = new Shots(screenshotDir('learner'));

  beforeAll(async () => {
    stack = await startStack(); // builds the H5 once per run (ensureH5Build) and serves it
    browser = await launchBrowser();
    page = await (await phone(browser)).newPage();
    errors = collectPageErrors(page);
    console.log(`learner journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('when a learner logs in with WeChat for the first time, then the bind form asks for the ID number and password', async () => {
    await openPage(page, stack.baseUrl, 'index');
    await page.click('#entry-learner');
    await waitForRoute(page, 'learner-login');
    await shots.take(page, 'learner-login');
    await page.click('#wechat-login');
    await page.locator('#bind-form').waitFor();
    expect(await page.locator('#bind-form').innerText()).toContain('初始密码见说明');
    await shots.take(page, 'bind-form');
  }, 60_000);

  test('when the ID number is mistyped, then the field says so before anything is sent', async () => {
    const id = stack.demo.learner.idNumber;
    const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    await fillField(page, 'idNumber', wrongCheck);
    await fillField(page, 'password', stack.demo.learner.password);
    await page.click('#bind-submit');
    await page.locator('#error-idNumber').waitFor();
    await shots.take(page, 'bind-id-error');
  }, 30_000);

  test('when the learner binds with ID number + initial password, then the password must be changed, and then 我的报名 shows the enrollment the demo enterprise made', async () => {
    await fillField(page, 'idNumber', stack.demo.learner.idNumber);
    await page.click('#bind-submit');
    await waitForRoute(page, 'change-password');
    await fillField(page, 'currentPassword', stack.demo.learner.password);
    await fillField(page, 'newPassword', NEW_PASSWORD);
    await fillField(page, 'confirmPassword', NEW_PASSWORD + 'x');
    await page.click('#change-password-submit');
    await page.locator('#error-confirmPassword').waitFor();
    await fillField(page, 'confirmPassword', NEW_PASSWORD);
    await shots.take(page, 'learner-change-password');
    await page.click('#change-password-submit');
    await waitForRoute(page, 'learner-enrollments');

    const card = page.locator('[id^="enrollment-"]').first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('待缴费');
    expect(text).toMatch(/\d+\.\d{2} 元/);
    await shots.take(page, 'learner-enrollments');
  }, 60_000);

  test('when the learner comes back on the same browser, then WeChat login goes straight to 我的报名', async () => {
    await page.click('#logout');
    await waitForRoute(page, 'learner-login');
    await page.click('#wechat-login');
    await waitForRoute(page, 'learner-enrollments');
    await page.locator('[id^="enrollment-"]').first().waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
