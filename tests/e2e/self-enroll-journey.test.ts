import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, fillField, launchBrowser, phone, screenshotDir, waitForRoute } from './browser';
import { learnerFirstBind } from './steps';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason
  ? `self-enrollment journey in the H5 build (Chromium) — skipped: ${skipReason}`
  : 'self-enrollment journey in the H5 build (Chromium): a Yunnan learner enrolls alone and pays in WeChat through the pay simulator';

const NEW_PASSWORD = 'Ziji2026baoming';
const A_CLASS = 'A证继续教育班';

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const shots = new Shots(screenshotDir('self-enroll'));

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    context = await phone(browser, SMALL_PHONE);
    page = await context.newPage();
    errors = collectPageErrors(page);
    console.log(`self-enrollment journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('when a Yunnan learner binds, then 我的报名 offers 自己报名缴费, which lists their own certificate as eligible and the 普票 in their own name', async () => {
    const learner = stack.demo.selfLearner;
    await learnerFirstBind(page, stack.baseUrl, learner, NEW_PASSWORD);

    await page.locator('#self-enroll-entry').waitFor();
    await page.click('#self-enroll-entry');
    await page.waitForURL((u) => u.hash.includes('/pay/pages/self-enroll/index'), { timeout: 20_000 });
    const mine = page.locator('.self-cert--eligible', { hasText: learner.certificateNo });
    await mine.waitFor();
    await mine.click();
    const klass = page.locator('.self-class', { hasText: A_CLASS });
    await klass.waitFor();
    expect(await klass.innerText()).toMatch(/\d+\.\d{2} 元/);
    await klass.click();
    await page.locator('#self-invoice').waitFor();
    const invoice = await page.locator('#self-invoice').innerText();
    expect(invoice).toContain('普票');
    expect(invoice).toContain(learner.name);
    await shots.take(page, 'self-enroll-confirm', { fullPage: false });
  }, 120_000);

  test('when the learner pays in WeChat (the simulator’s page), then the page says 已缴费 and 我的报名 shows the enrollment paid', async () => {
    await fillField(page, 'selfEmail', 'duan@example.com');
    const [sim] = await Promise.all([context.waitForEvent('page', { timeout: 30_000 }), page.click('#self-pay')]);
    await sim.waitForLoadState();
    expect(await sim.locator('body').innerText()).toContain('待支付');
    await sim.click('button.pay');
    await sim.locator('[data-state="SUCCESS"]').waitFor();
    await sim.close();

    await page.waitForFunction(() => document.querySelector('#self-status')?.textContent === '已缴费', undefined, { timeout: 30_000 });
    expect(await page.locator('#self-outcome').innerText()).toMatch(/已缴费 \d+\.\d{2} 元/);
    await shots.take(page, 'self-enroll-paid', { fullPage: false });

    await page.click('#self-back');
    await waitForRoute(page, 'learner-enrollments');
    const card = page.locator('[id^="enrollment-"]', { hasText: stack.demo.selfLearner.certificateNo });
    await card.waitFor();
    await page.waitForFunction(() => document.querySelector('[id^="payment-note-"]')?.textContent?.includes('已缴费'), undefined, { timeout: 20_000 });
    expect(await card.innerText()).toContain(A_CLASS);
    expect(errors).toEqual([]);
  }, 120_000);
});
