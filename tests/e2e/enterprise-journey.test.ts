import { ELIGIBILITY_REASONS } from '@ce/types';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ENTERPRISES, SHARED_NAME } from '../../backend/src/demo/dataset';
import { startStack, type Stack } from '../helpers/stack';
import { enrollBehindThePage, enterpriseToken } from './api';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, fillField, isInViewport, launchBrowser, openPage, phone, screenshotDir, waitForRoute } from './browser';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `enterprise journey in the H5 build (Chromium) — skipped: ${skipReason}` : 'enterprise journey in the H5 build (Chromium), 375 px phone';

const NEW_PASSWORD = 'Qiye2026go';
const REASON_TEXTS = Object.values(ELIGIBILITY_REASONS);
const C_CLASS = '2026年度C类人员继续教育班';

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let clerk2: string; // a second session of the same enterprise, acting behind the page
  let classId: string;
  const shots = new Shots(screenshotDir('enterprise'));

  beforeAll(async () => {
    stack = await startStack(); // builds the H5 once per run (ensureH5Build) and serves it
    browser = await launchBrowser();
    page = await (await phone(browser, SMALL_PHONE)).newPage();
    errors = collectPageErrors(page);
    console.log(`enterprise journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  const luan = () => stack.demo.enterprises[0];

  async function openLogin(p: Page, province: string) {
    await openPage(p, stack.baseUrl, 'index');
    await p.click('#entry-enterprise');
    await waitForRoute(p, 'enterprise-login');
    await p.click(`#province-${province}`);
  }

  async function loginAttempt(p: Page, account: string, password: string) {
    await fillField(p, 'account', account);
    await fillField(p, 'password', password);
    await p.click('#enterprise-login-submit');
  }

  /** Ids of the eligible, not yet ticked cards, in page order. */
  async function eligibleIds(): Promise<string[]> {
    return page.$$eval('.employee--eligible:not(.employee--selected)', (cards) => cards.map((c) => c.id.replace(/^employee-/, '')));
  }

  async function tick(ids: string[]) {
    for (const id of ids) {
      await page.locator(`#employee-${id}`).scrollIntoViewIfNeeded();
      await page.click(`#employee-${id} .employee__head`);
      await page.locator(`#employee-${id}.employee--selected`).waitFor();
    }
  }

  async function eligibleCount(): Promise<number> {
    return Number(await page.locator('#filter-eligible .chip__count').innerText());
  }

  /** Scrolls to the very bottom, ticks the last `n` eligible people there and taps 报名. */
  async function enrollAtBottom(n: number, beforeTap: (ids: string[]) => Promise<void> = async () => undefined): Promise<string[]> {
    const ids = (await eligibleIds()).slice(-n);
    expect(ids).toHaveLength(n);
    await tick(ids);
    await page.locator('#logout').scrollIntoViewIfNeeded(); // the clerk is at the end of a long list
    await beforeTap(ids);
    await page.click('#enroll-submit');
    await page.locator('#enroll-result').waitFor();
    return ids;
  }

  test('when the clerk types a wrong password, then the page says how many tries are left; a locked account says when it opens again', async () => {
    await openLogin(page, 'SD');
    expect(await page.locator('#initial-password-hint').innerText()).toContain('统一社会信用代码');
    await loginAttempt(page, luan().account, 'wrong-password-1');
    await page.locator('#error-banner').waitFor();
    const message = await page.locator('#error-banner').innerText();
    expect(message).toContain('账号或密码错误');
    expect(message).toContain('还可尝试 4 次');
    await page.waitForTimeout(100); // the message is scrolled into view after it renders
    expect(await isInViewport(page, '#error-banner')).toBe(true); // by the button just tapped, on screen
    expect(await page.locator('#account input').inputValue()).toBe(luan().account); // what was typed stays
    await shots.take(page, 'login-remaining-attempts', { fullPage: false });

    // another enterprise, five wrong passwords in a row: locked, and told until when
    const qitai = DEMO_ENTERPRISES.qitai.name;
    for (let i = 0; i < 5; i++) {
      await loginAttempt(page, qitai, `wrong-${i}`);
      await page.waitForResponse((r) => r.url().includes('/api/auth/enterprise/login'));
    }
    await page.waitForFunction(() => document.querySelector('#error-banner')?.textContent?.includes('锁定'));
    expect(await page.locator('#error-banner').innerText()).toMatch(/请于 (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} 后再试（约 1[45] 分钟）/);
    await shots.take(page, 'login-locked-until', { fullPage: false });
  }, 120_000);

  test('when it logs in with its initial password, then it must change it first, and Back afterwards does not bring the form back', async () => {
    await loginAttempt(page, luan().account, luan().password);
    await waitForRoute(page, 'change-password');
    await page.locator('#notice-banner').waitFor();

    // what was just typed to log in is not asked again
    await page.locator('#current-prefilled').waitFor();
    await fillField(page, 'newPassword', 'short');
    await fillField(page, 'confirmPassword', 'short');
    await page.click('#change-password-submit');
    await page.locator('#error-newPassword').waitFor();

    await fillField(page, 'newPassword', NEW_PASSWORD);
    await fillField(page, 'confirmPassword', NEW_PASSWORD);
    await page.click('#change-password-submit');
    await waitForRoute(page, 'enterprise-employees');

    await page.goBack();
    await page.waitForTimeout(500);
    await waitForRoute(page, 'enterprise-employees');
    expect(await page.locator('#change-password-submit').count()).toBe(0);
    clerk2 = await enterpriseToken(stack.baseUrl, 'SD', luan().account, NEW_PASSWORD);
  }, 120_000);

  test('when it picks a class, then only that class’s certificates are listed and counted, and each blocked one says why', async () => {
    const chip = page.locator('#class .chip', { hasText: C_CLASS });
    await chip.waitFor();
    classId = (await chip.getAttribute('id'))!.replace(/^class-/, '');
    await chip.click();
    await page.locator('.employee').first().waitFor();

    // other categories (A, B) are set apart, not counted, not mixed in
    const listed = await page.locator('#employees-section > .employee').count();
    expect(Number(await page.locator('#filter-all .chip__count').innerText())).toBe(listed);
    expect(await page.locator('#employees-section').innerText()).not.toContain(ELIGIBILITY_REASONS.CLASS_MISMATCH);
    expect(await page.locator('#other-category').innerText()).toMatch(/另有 \d+ 张其他类别的证书/);

    // the reason filter is one line until opened, so the first employee is near the top
    expect(await page.locator('#reason .chip').count()).toBe(0);
    const firstCard = await page.locator('.employee').first().boundingBox();
    expect(firstCard!.y).toBeLessThan(SMALL_PHONE.height * 1.6);
    expect(await page.locator('#select-all').innerText()).not.toContain('本页');
    await shots.take(page, 'employees-class-c');

    await page.click('#filter-blocked');
    await page.waitForFunction(() => document.querySelectorAll('.employee--eligible').length === 0);
    const blocked = page.locator('#employees-section > .employee--blocked');
    expect(await blocked.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await blocked.count()); i++) {
      const text = await blocked.nth(i).innerText();
      if (!text.includes('已报名')) expect(REASON_TEXTS.some((r) => text.includes(r))).toBe(true);
    }
    // the date a too-early certificate opens appears once on its card
    const tooEarly = page.locator('.employee', { has: page.locator('[id$="-TOO_EARLY"]') }).first();
    const dates = (await tooEarly.innerText()).match(/可于 \d{4}-\d{2}-\d{2} 起报名/g) ?? [];
    expect(dates).toHaveLength(1);

    await page.click('#reason-toggle');
    await page.locator('#reason-EXPIRED').click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#employees-section > .employee')).every((c) => c.textContent?.includes('证书已过期')));
    await shots.take(page, 'employees-reason-expired');
    await page.click('#filter-all');
    await page.locator('#reason-toggle').click();
    await page.locator('#reason-none').click();
    await page.locator('.employee--eligible').first().waitFor();
  }, 60_000);

  test('when it ticks two people at the bottom of the list and taps 报名, then the result shows where the eye is and the list and counts update', async () => {
    const before = await eligibleCount();
    const ids = await enrollAtBottom(2);
    expect(await isInViewport(page, '#enroll-result')).toBe(true);
    expect(await page.locator('#enroll-result').innerText()).toContain('报名成功：已为 2 人报名');
    await page.waitForFunction((n) => document.querySelector('#filter-eligible .chip__count')?.textContent === String(n), before - 2);
    for (const id of ids) await page.locator(`#employee-${id} .employee__state--enrolled`).waitFor();
    expect(await page.locator('#enroll-submit').innerText()).toBe('报名');
    await shots.take(page, 'enroll-success-in-view', { fullPage: false });
  }, 60_000);

  test('when everyone ticked was enrolled meanwhile by someone else, then it says all were refused, unticks them and shows the first one', async () => {
    const before = await eligibleCount();
    const ids = await enrollAtBottom(2, (ticked) => enrollBehindThePage(stack.baseUrl, clerk2, classId, ticked));
    expect(await isInViewport(page, '#enroll-result')).toBe(true);
    const text = await page.locator('#enroll-result').innerText();
    expect(text).toContain('所选 2 人都不符合报名条件');
    expect(text).not.toContain('中有');
    await page.waitForFunction((n) => document.querySelector('#filter-eligible .chip__count')?.textContent === String(n), before - 2);
    expect(await page.locator('#enroll-submit').innerText()).toBe('报名'); // nobody still ticked
    await page.locator(`#refusal-${ids[0]}`).waitFor();
    await page.waitForTimeout(400); // the scroll to the first refused person
    const card = await page.locator(`#employee-${ids[0]}`).boundingBox();
    expect(card!.y).toBeGreaterThanOrEqual(0);
    expect(card!.y).toBeLessThan(SMALL_PHONE.height / 2);
    expect(await page.locator(`#refusal-${ids[0]}`).innerText()).toContain(ELIGIBILITY_REASONS.ALREADY_ENROLLED);
    await shots.take(page, 'enroll-all-refused-in-view', { fullPage: false });
  }, 60_000);

  test('when one of two ticked was enrolled meanwhile, then it says one of two was refused and keeps the other ticked for another try', async () => {
    await page.click('#enroll-result-close');
    const ids = await enrollAtBottom(2, (ticked) => enrollBehindThePage(stack.baseUrl, clerk2, classId, [ticked[1]]));
    expect(await isInViewport(page, '#enroll-result')).toBe(true);
    const text = await page.locator('#enroll-result').innerText();
    expect(text).toContain('所选 2 人中有 1 人不符合报名条件');
    expect(text).toContain('其余 1 人仍勾选着');
    expect(await page.locator('#enroll-submit').innerText()).toBe('报名 1 人');
    await page.locator(`#employee-${ids[0]}.employee--selected`).waitFor();
    await shots.take(page, 'enroll-some-refused', { fullPage: false });

    await page.click('#enroll-submit');
    await page.waitForFunction(() => document.querySelector('#enroll-result')?.textContent?.includes('报名成功：已为 1 人报名'));
    await page.locator(`#employee-${ids[0]} .employee__state--enrolled`).waitFor();
  }, 60_000);

  test('when the service cannot be reached as it taps 报名, then it says so next to the button and 重试 sends it again', async () => {
    await page.route('**/api/enterprise/enrollments', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await enrollAtBottom(1);
    expect(await isInViewport(page, '#enroll-result')).toBe(true);
    const text = await page.locator('#enroll-result').innerText();
    expect(text).toContain('暂时连不上服务');
    expect(text).not.toContain('检查网络');
    await shots.take(page, 'enroll-service-unreachable', { fullPage: false });

    await page.unroute('**/api/enterprise/enrollments');
    await page.click('#enroll-retry');
    await page.waitForFunction(() => document.querySelector('#enroll-result')?.textContent?.includes('报名成功'));
  }, 60_000);

  test('when the enrollments tab cannot reach the service, then it offers 重试 instead of loading forever', async () => {
    await page.route('**/api/enterprise/enrollments', (route) => route.abort('connectionrefused'));
    await page.click('#tab-enrollments');
    await page.locator('#enterprise-enrollments-failed').waitFor();
    expect(await page.locator('#enterprise-enrollments-failed').innerText()).toContain('暂时连不上服务');
    expect(await page.locator('#enrollments-section').innerText()).not.toContain('正在加载');
    await shots.take(page, 'enrollments-tab-unreachable', { fullPage: false });

    await page.unroute('**/api/enterprise/enrollments');
    await page.click('#enterprise-enrollments-retry');
    await page.locator('[id^="enterprise-enrollment-"]').first().waitFor();
    expect(await page.locator('#enrollments-section').innerText()).toContain('待缴费');
    await page.click('#tab-employees');
  }, 60_000);

  test('when a name is shared by two enterprises, then the login asks for the credit code as well and then lets it in', async () => {
    const other = await (await phone(browser, SMALL_PHONE)).newPage();
    const otherErrors = collectPageErrors(other);
    const yantai = DEMO_ENTERPRISES.luxinYantai;
    await openLogin(other, 'SD');
    await loginAttempt(other, SHARED_NAME, yantai.uscc);
    await other.locator('#uscc').waitFor();
    expect(await other.locator('#error-banner').innerText()).toContain('统一社会信用代码');
    await shots.take(other, 'login-ambiguous-name', { fullPage: false });
    await fillField(other, 'uscc', yantai.uscc);
    await other.click('#enterprise-login-submit');
    await waitForRoute(other, 'change-password');
    expect(await other.locator('.change-password .page__subtitle').innerText()).toContain(SHARED_NAME);
    await other.context().close();
    expect(otherErrors).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
