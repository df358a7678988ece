import { ERROR_MESSAGES } from '@ce/types';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, fillField, isInViewport, launchBrowser, openPage, phone, screenshotDir, waitForRoute } from './browser';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `learner journey in the H5 build (Chromium) — skipped: ${skipReason}` : 'learner journey in the H5 build (Chromium), 375 px phone';

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
    page = await (await phone(browser, SMALL_PHONE)).newPage();
    errors = collectPageErrors(page);
    console.log(`learner journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('when a learner logs in with WeChat for the first time, then the form asks for name, ID number and a password or an activation code, and says where the password comes from', async () => {
    await openPage(page, stack.baseUrl, 'index');
    await page.click('#entry-learner');
    await waitForRoute(page, 'learner-login');
    await page.click('#wechat-login');
    await page.locator('#bind-form').waitFor();
    for (const field of ['name', 'idNumber', 'password']) await page.locator(`#${field} input`).waitFor();
    expect(await page.locator('#password-help').innerText()).toContain(stack.demo.learner.password);
    await shots.take(page, 'bind-form-password', { fullPage: false });

    await page.click('#proof-activationCode');
    await page.locator('#activationCode input').waitFor();
    expect(await page.locator('#password').count()).toBe(0);
    expect(await page.locator('#activation-code-help').innerText()).toContain('企业');
    await shots.take(page, 'bind-form-activation-code', { fullPage: false });
    await page.click('#proof-password');
  }, 60_000);

  test('when the ID number is left empty or mistyped, then the field asks for it or says it is wrong, before anything is sent', async () => {
    await fillField(page, 'name', stack.demo.learner.name);
    await fillField(page, 'password', stack.demo.learner.password);
    await page.click('#bind-submit');
    await page.locator('#error-idNumber').waitFor();
    expect(await page.locator('#error-idNumber').innerText()).toBe('请输入身份证号');

    const id = stack.demo.learner.idNumber;
    await fillField(page, 'idNumber', id.slice(0, 17) + (id[17] === '0' ? '1' : '0'));
    await page.click('#bind-submit');
    await page.waitForFunction(() => document.querySelector('#error-idNumber')?.textContent?.includes('不正确'));
    await shots.take(page, 'bind-id-error', { fullPage: false });
  }, 30_000);

  test('when the name does not match, then the whole explanation is shown, with the tries left', async () => {
    await fillField(page, 'idNumber', stack.demo.learner.idNumber);
    await fillField(page, 'name', '王某某');
    await page.click('#bind-submit');
    await page.locator('#error-banner').waitFor();
    const message = await page.locator('#error-banner').innerText();
    expect(message).toContain(ERROR_MESSAGES.LEARNER_BIND_FAILED.replace(/。$/, ''));
    expect(message).toMatch(/还可尝试 \d 次/);
    await page.waitForTimeout(100); // the message is scrolled into view after it renders
    expect(await isInViewport(page, '#error-banner')).toBe(true); // by the button just tapped, on screen
    await shots.take(page, 'bind-failed-message', { fullPage: false });
  }, 30_000);

  test('when the learner binds with name + ID number + initial password, then after the password change 我的报名 says 未核验, who pays, and Back does not return to the form', async () => {
    await fillField(page, 'name', stack.demo.learner.name);
    await page.click('#bind-submit');
    await waitForRoute(page, 'change-password');
    // what was just typed to log in is not asked again
    await page.locator('#current-prefilled').waitFor();
    await fillField(page, 'newPassword', NEW_PASSWORD);
    await fillField(page, 'confirmPassword', NEW_PASSWORD + 'x');
    await page.click('#change-password-submit');
    await page.locator('#error-confirmPassword').waitFor();
    await fillField(page, 'confirmPassword', NEW_PASSWORD);
    await page.click('#change-password-submit');
    await waitForRoute(page, 'learner-enrollments');

    const banner = await page.locator('#binding-banner').innerText();
    expect(banner).toMatch(/^未核验/);
    expect(banner).toContain('激活码');
    const card = page.locator('[id^="enrollment-"]').first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('待缴费');
    expect(text).toMatch(/由.+缴费，您本人不用付款/);
    expect(text).toMatch(/\d+\.\d{2} 元/);
    await shots.take(page, 'learner-enrollments-provisional', { fullPage: false });

    await page.goBack();
    await page.waitForTimeout(500);
    await waitForRoute(page, 'learner-enrollments');
    expect(await page.locator('#change-password-submit').count()).toBe(0);
  }, 60_000);

  test('when the service cannot be reached, then 我的报名 says so and offers 重试', async () => {
    await page.route('**/api/learner/enrollments', (route) => route.abort('connectionrefused'));
    await page.reload();
    await page.locator('#enrollments-failed').waitFor();
    expect(await page.locator('#enrollments-failed').innerText()).toContain('暂时连不上服务');
    await shots.take(page, 'learner-enrollments-unreachable', { fullPage: false });
    await page.unroute('**/api/learner/enrollments');
    await page.click('#enrollments-retry');
    await page.locator('[id^="enrollment-"]').first().waitFor();
  }, 30_000);

  test('when the learner comes back on the same browser, then WeChat login goes straight to 我的报名', async () => {
    await page.click('#logout');
    await waitForRoute(page, 'learner-login');
    await page.click('#wechat-login');
    await waitForRoute(page, 'learner-enrollments');
    await page.locator('[id^="enrollment-"]').first().waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
