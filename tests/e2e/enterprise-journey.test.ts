import { ELIGIBILITY_REASONS } from '@ce/types';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { Shots, chromiumMissing, collectPageErrors, fillField, launchBrowser, openPage, phone, screenshotDir, waitForRoute } from './browser';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `enterprise journey in the H5 build (Chromium) — skipped: ${skipReason}` : 'enterprise journey in the H5 build (Chromium)';

const NEW_PASSWORD = 'Qiye2026go';
const REASON_TEXTS = Object.values(ELIGIBILITY_REASONS);

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const shots = new Shots(screenshotDir('enterprise'));

  beforeAll(async () => {
    stack = await startStack(); // builds the H5 once per run (ensureH5Build) and serves it
    browser = await launchBrowser();
    page = await (await phone(browser)).newPage();
    errors = collectPageErrors(page);
    console.log(`enterprise journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('when an enterprise logs in with its initial password, then it must change the password first', async () => {
    // the Shandong enterprise that logs in by its full Chinese name (initial password: its USCC)
    const { province, account, password } = stack.demo.enterprises[0];
    await openPage(page, stack.baseUrl, 'index');
    await page.click('#entry-enterprise');
    await waitForRoute(page, 'enterprise-login');
    await page.click(`#province-${province}`);
    await fillField(page, 'account', account);
    await fillField(page, 'password', 'wrong-password-1');
    await page.click('#enterprise-login-submit');
    await page.locator('#error-banner').waitFor();
    expect(await page.locator('#error-banner').innerText()).toContain('账号或密码错误');
    // what was typed is still there
    expect(await page.locator('#account input').inputValue()).toBe(account);
    await shots.take(page, 'enterprise-login-wrong-password');

    await fillField(page, 'password', password);
    await page.click('#enterprise-login-submit');
    await waitForRoute(page, 'change-password');
    await page.locator('#notice-banner').waitFor();
    await shots.take(page, 'change-password-required');

    await fillField(page, 'currentPassword', password);
    await fillField(page, 'newPassword', 'short');
    await fillField(page, 'confirmPassword', 'short');
    await page.click('#change-password-submit');
    await page.locator('#error-newPassword').waitFor();
    await shots.take(page, 'change-password-field-error');

    await fillField(page, 'newPassword', NEW_PASSWORD);
    await fillField(page, 'confirmPassword', NEW_PASSWORD);
    await page.click('#change-password-submit');
    await waitForRoute(page, 'enterprise-employees');
  }, 120_000);

  test('when it picks a class, then every employee who cannot be enrolled shows why in plain Chinese', async () => {
    // the class where at least two employees can be enrolled (others show CLASS_MISMATCH for most people)
    const chips = page.locator('#class .chip');
    await chips.first().waitFor();
    let found = false;
    for (let i = 0; i < (await chips.count()) && !found; i++) {
      const classId = await chips.nth(i).getAttribute('id');
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/enterprise/employees') && r.url().includes(`classId=${classId?.replace(/^class-/, '')}`)),
        chips.nth(i).click(),
      ]);
      await page.waitForFunction(() => document.querySelectorAll('.employee').length > 0);
      found = Number(await page.locator('#filter-eligible .chip__count').innerText()) >= 2;
    }
    expect(found).toBe(true);
    await shots.take(page, 'employees-all');

    await page.click('#filter-blocked');
    await page.waitForFunction(() => document.querySelectorAll('.employee--eligible').length === 0);
    const blocked = page.locator('.employee--blocked');
    expect(await blocked.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await blocked.count()); i++) {
      const text = await blocked.nth(i).innerText();
      const enrolled = text.includes('已报名');
      if (!enrolled) expect(REASON_TEXTS.some((r) => text.includes(r))).toBe(true);
    }
    await shots.take(page, 'employees-blocked-with-reasons');

    await page.click('#filter-all');
    await page.locator('.employee--eligible').first().waitFor();
  }, 60_000);

  test('when it ticks two eligible employees and enrolls them, then both show as 待缴费', async () => {
    await page.click('#filter-eligible');
    await page.waitForFunction(() => document.querySelectorAll('.employee--blocked').length === 0 && document.querySelectorAll('.employee--eligible').length > 0);
    const eligible = page.locator('.employee--eligible');
    expect(await eligible.count()).toBeGreaterThanOrEqual(2);
    const ids = [await eligible.nth(0).getAttribute('id'), await eligible.nth(1).getAttribute('id')];
    await eligible.nth(0).click();
    await eligible.nth(1).click();
    expect(await page.locator('#enroll-submit').innerText()).toContain('已选 2 人');
    await shots.take(page, 'employees-two-selected');

    await page.click('#enroll-submit');
    await page.locator('#success-banner').waitFor();
    expect(await page.locator('#success-banner').innerText()).toContain('2 人');

    await page.click('#filter-all');
    for (const id of ids) await page.locator(`#${id} .employee__state--enrolled`).waitFor();
    await shots.take(page, 'employees-enrolled');

    await page.click('#tab-enrollments');
    await page.locator('[id^="enterprise-enrollment-"]').first().waitFor();
    expect(await page.locator('[id^="enterprise-enrollment-"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#enrollments-section').innerText()).toContain('待缴费');
    await shots.take(page, 'enterprise-enrollments');
    expect(errors).toEqual([]);
  }, 60_000);
});
