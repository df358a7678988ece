import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ENTERPRISES } from '../../backend/src/demo/dataset';
import { startStack, type Stack } from '../helpers/stack';
import { Shots, chromiumMissing, collectPageErrors, fillField, isInViewport, launchBrowser, openPage, phone, screenshotDir, waitForRoute } from './browser';
import { chooseClass, enterpriseFirstLogin } from './steps';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason
  ? `payment journey in the H5 build (Chromium) — skipped: ${skipReason}`
  : 'payment journey in the H5 build (Chromium): an enterprise on a PC pays for two employees by QR through the pay simulator';

const NEW_PASSWORD = 'Jiaofei2026ok';
const LEARNER_PASSWORD = 'Xuexi2026ok';
const C_CLASS = '2026年度C类人员继续教育班';
const PC = { width: 1024, height: 800 };
const yuanText = /\d+\.\d{2} 元/;

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let enrolledNames: string[] = [];
  let orderId: string;
  const shots = new Shots(screenshotDir('pay'));
  const luan = DEMO_ENTERPRISES.luan;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    context = await phone(browser, PC);
    page = await context.newPage();
    errors = collectPageErrors(page);
    console.log(`payment journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('when the enterprise enrolls two employees, then the answer offers 去缴费, which lists exactly them with the amounts in yuan', async () => {
    const demo = stack.demo.enterprises[0];
    await enterpriseFirstLogin(page, stack.baseUrl, demo, NEW_PASSWORD);
    await chooseClass(page, C_CLASS);

    // 李秀英 (a learner who will look at her enrollment later) and the next person who can be enrolled
    const codeLearner = stack.demo.codeLearner;
    const her = page.locator('.employee--eligible', { hasText: codeLearner.certificateNo });
    await her.waitFor();
    const herId = (await her.getAttribute('id'))!.replace(/^employee-/, '');
    const otherId = (await page.$$eval('.employee--eligible', (cards) => cards.map((c) => c.id.replace(/^employee-/, '')))).find((id) => id !== herId)!;
    for (const id of [herId, otherId]) {
      await page.locator(`#employee-${id}`).scrollIntoViewIfNeeded();
      await page.click(`#employee-${id} .employee__head`);
      await page.locator(`#employee-${id}.employee--selected`).waitFor();
    }
    enrolledNames = [codeLearner.name, (await page.locator(`#employee-${otherId} .employee__name`).innerText()).trim()];
    await page.click('#enroll-submit');
    await page.locator('#enroll-pay').waitFor();
    expect(await page.locator('#enroll-result').innerText()).toContain('报名成功：已为 2 人报名');
    expect(await page.locator('#enroll-pay').innerText()).toMatch(/去缴费（\d+\.\d{2} 元）/);
    await shots.take(page, 'enrolled-offers-pay', { fullPage: false });

    await page.click('#enroll-pay');
    await page.waitForURL((u) => u.hash.includes('/pay/pages/confirm/index'), { timeout: 20_000 });
    await page.locator('#confirm-people').waitFor();
    const people = await page.locator('#confirm-people').innerText();
    for (const name of enrolledNames) expect(people).toContain(name);
    expect(await page.locator('#confirm-people .pay-person').count()).toBe(2);
    expect(await page.locator('#confirm-total').innerText()).toMatch(/合计 2 人[\s\S]*\d+\.\d{2} 元/);
    expect(await page.locator('#reentry-explain').innerText()).toContain('再输入一次单位名称和纳税人识别号');
    await shots.take(page, 'confirm-order');
  }, 180_000);

  test('when the re-entered company name does not match the invoice title, then the page says so by the field and nothing is ordered', async () => {
    expect(await page.locator('#invoiceTitle input').inputValue()).toBe(luan.name); // prefilled with the enterprise's name
    await fillField(page, 'invoiceTaxId', luan.uscc);
    await fillField(page, 'invoiceEmail', `pay-journey-${Date.now()}@example.com`);
    await fillField(page, 'reentryCompanyName', '济南鲁安建筑有限公司');
    await fillField(page, 'reentryTaxId', luan.uscc);
    await page.click('#confirm-submit');
    await page.locator('#error-reentryCompanyName').waitFor();
    expect(await page.locator('#error-reentryCompanyName').innerText()).toContain('不一致');
    await page.waitForTimeout(100);
    expect(await isInViewport(page, '#confirm-error')).toBe(true);
    expect(page.url()).toContain('/pay/pages/confirm/index');
  }, 60_000);

  test('when the details match, then the order is placed and the pay page shows the amount, a live countdown and, on asking, a QR code and the simulator link', async () => {
    await fillField(page, 'reentryCompanyName', luan.name);
    await page.click('#confirm-submit');
    await page.waitForURL((u) => u.hash.includes('/pay/pages/pay/index'), { timeout: 20_000 });
    orderId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? '';
    await page.locator('#pay-amount').waitFor();
    expect(await page.locator('#pay-amount').innerText()).toMatch(yuanText);
    expect(await page.locator('#pay-state').innerText()).toBe('待支付');
    const first = await page.locator('#pay-countdown').innerText();
    expect(first).toMatch(/剩余支付时间 \d{2} 分 \d{2} 秒/);
    await page.waitForTimeout(1300);
    expect(await page.locator('#pay-countdown').innerText()).not.toBe(first); // it ticks

    await page.click('#pay-native-start');
    await page.locator('#pay-qr img').waitFor();
    await page.locator('#pay-sim-link').waitFor();
    await shots.take(page, 'pay-native-qr');

    // the clerk reloads the page: asking for the code again gives the same payment, not an error or a second one
    const qr = await page.locator('#pay-qr img').getAttribute('src');
    await page.reload();
    await page.locator('#pay-native-start').waitFor();
    await page.click('#pay-native-start');
    await page.locator('#pay-qr img').waitFor();
    expect(await page.locator('#pay-qr img').getAttribute('src')).toBe(qr);
    expect(await page.locator('#pay-outcome').count()).toBe(0);

    // 支付遇到问题? before paying: the backend says nothing is paid and never tells to pay twice blindly
    await page.click('#pay-problem-check');
    await page.locator('#pay-problem-answer').waitFor();
    expect(await page.locator('#pay-problem-answer').innerText()).not.toMatch(/已支付/);
  }, 90_000);

  test('when the payer confirms on the simulator’s page, then the pay page shows 已支付 by itself (from the backend), and the order explains each step', async () => {
    const [sim] = await Promise.all([context.waitForEvent('page'), page.click('#pay-sim-link')]);
    await sim.waitForLoadState();
    expect(await sim.locator('body').innerText()).toContain('待支付');
    await sim.click('button.pay');
    await sim.locator('[data-state="SUCCESS"]').waitFor();
    await sim.close();

    await page.waitForFunction(() => document.querySelector('#pay-state')?.textContent === '已支付', undefined, { timeout: 30_000 });
    await page.locator('#pay-outcome').waitFor();
    expect(await page.locator('#pay-outcome').innerText()).toMatch(/已支付 \d+\.\d{2} 元/);
    await shots.take(page, 'paid', { fullPage: false });

    await page.click('#pay-to-order');
    await page.locator('#order-history').waitFor();
    const history = await page.locator('#order-history').innerText();
    expect(history).toContain('提交订单');
    expect(history).toContain('微信支付成功');
    expect(await page.locator('#order-state').innerText()).toBe('已支付');
    await shots.take(page, 'order-detail');

    await openPage(page, stack.baseUrl, 'enterprise-employees');
    await page.click('#tab-enrollments');
    await page.locator('[id^="enterprise-enrollment-"]').first().waitFor();
    for (const name of enrolledNames) {
      expect(await page.locator('[id^="enterprise-enrollment-"]', { hasText: name }).first().innerText()).toContain('已缴费');
    }
    expect(orderId).not.toBe('');
  }, 90_000);

  test('when the order list is opened, then the paid order says 已支付 with its amount', async () => {
    await page.click('#to-orders');
    await page.locator(`#order-${orderId}`).waitFor();
    expect(await page.locator(`#order-state-${orderId}`).innerText()).toBe('已支付');
    expect(await page.locator(`#order-${orderId}`).innerText()).toMatch(/2 人/);
    await shots.take(page, 'orders');
  }, 60_000);

  test('when the invoice is issued, then 发票 lists it with the amount, its PDF downloads, and it can be resent to a corrected address', async () => {
    await page.click('#orders-to-invoices');
    await page.waitForURL((u) => u.hash.includes('/pay/pages/invoices/index'));
    // issued by a job once the payment is confirmed: look again until it is there
    for (let i = 0; i < 30 && (await page.locator('.pay-invoice').count()) === 0; i++) {
      await page.waitForTimeout(1000);
      await page.reload();
      await page.locator('#invoices-page').waitFor();
      await page.waitForLoadState('networkidle');
    }
    const card = page.locator('.pay-invoice').first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('480.00 元');
    expect(text).toContain('普票');
    expect(text).toContain(luan.name);
    const invoiceId = (await card.getAttribute('id'))!.replace(/^invoice-/, '');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#invoice-pdf-${invoiceId}`)]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await download.path();
    expect(file).toBeTruthy();

    await page.click(`#invoice-change-email-${invoiceId}`);
    await fillField(page, `invoice-email-${invoiceId}`, 'not-an-email');
    await page.click(`#invoice-resend-${invoiceId}`);
    await page.locator(`#error-invoice-email-${invoiceId}`).waitFor();
    await fillField(page, `invoice-email-${invoiceId}`, 'caiwu@example.com');
    await page.click(`#invoice-resend-${invoiceId}`);
    await page.locator(`#invoice-answer-${invoiceId}`).waitFor();
    expect(await page.locator(`#invoice-answer-${invoiceId}`).innerText()).toContain('已重新发送到 caiwu@example.com');
    await page.waitForFunction((id) => document.querySelector(`#invoice-${id}`)?.textContent?.includes('caiwu@example.com'), invoiceId);
    await shots.take(page, 'invoices');
  }, 90_000);

  test('when one of the paid-for learners opens 我的报名, then it shows 已缴费 and until when to study', async () => {
    const learnerPage = await (await phone(browser)).newPage();
    const learnerErrors = collectPageErrors(learnerPage);
    await openPage(learnerPage, stack.baseUrl, 'learner-login');
    await learnerPage.click('#wechat-login');
    await learnerPage.locator('#bind-form').waitFor();
    await fillField(learnerPage, 'name', stack.demo.codeLearner.name);
    await fillField(learnerPage, 'idNumber', stack.demo.codeLearner.idNumber);
    await fillField(learnerPage, 'password', stack.demo.learner.password);
    await learnerPage.click('#bind-submit');
    await waitForRoute(learnerPage, 'change-password');
    await learnerPage.locator('#current-prefilled').waitFor();
    await fillField(learnerPage, 'newPassword', LEARNER_PASSWORD);
    await fillField(learnerPage, 'confirmPassword', LEARNER_PASSWORD);
    await learnerPage.click('#change-password-submit');
    await waitForRoute(learnerPage, 'learner-enrollments');
    const card = learnerPage.locator('[id^="enrollment-"]', { hasText: stack.demo.codeLearner.certificateNo }).first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('已缴费');
    expect(text).toContain('可以开始学习');
    expect(text).not.toContain('您本人不用付款');
    await shots.take(learnerPage, 'learner-paid', { fullPage: false });
    expect(learnerErrors).toEqual([]);
  }, 90_000);

  test('the pages threw no errors', () => {
    expect(errors).toEqual([]);
  });
});
