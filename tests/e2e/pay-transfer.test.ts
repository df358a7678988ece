import type { Browser, Page } from 'playwright-core';
import { DEMO_ENTERPRISES } from '../../backend/src/demo/dataset';
import { startStack, type Stack } from '../helpers/stack';
import { apiCall } from './api';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, enlargeText, fillField, launchBrowser, phone, screenshotDir } from './browser';
import { enterpriseFirstLogin } from './steps';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason
  ? `offline transfer journey in the H5 build (Chromium) — skipped: ${skipReason}`
  : 'offline transfer journey in the H5 build (Chromium): 订单待审核, a rejection with its reason, then approval';

const NEW_PASSWORD = 'Zhuanzhang2026ok';
const STAFF_PASSWORD = 'Shenhe2026safe';
const REASON = '未查到该笔到账，请核对转账日期和金额';

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let orderId: string;
  let reviewer: string;
  const shots = new Shots(screenshotDir('pay-transfer'));
  const luan = DEMO_ENTERPRISES.luan;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await (await phone(browser)).newPage();
    errors = collectPageErrors(page);
    console.log(`offline transfer journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  async function reviewerToken(): Promise<string> {
    const staff = stack.demo.staff.find((s) => s.role === 'reviewer')!;
    const login = await apiCall(stack.baseUrl, 'POST', '/api/auth/staff/login', { body: { username: staff.username, password: staff.password } });
    expect(login.status).toBe(200);
    const changed = await apiCall(stack.baseUrl, 'POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: staff.password, newPassword: STAFF_PASSWORD } });
    expect(changed.status).toBe(200);
    return login.body.token;
  }

  async function pendingTransferId(): Promise<string> {
    const list = await apiCall(stack.baseUrl, 'GET', '/api/admin/offline-transfers', { token: reviewer });
    expect(list.status).toBe(200);
    const mine = list.body.items.find((t: { orderId: string }) => t.orderId === orderId);
    expect(mine).toBeDefined();
    return mine.id;
  }

  async function submitTransfer(bank: string) {
    await page.locator('#transfer-form').waitFor();
    expect(await page.locator('#payerAccountName input').inputValue()).toBe(luan.name);
    expect(await page.locator('#transferAmount input').inputValue()).toMatch(/^\d+\.\d{2}$/);
    await fillField(page, 'transferBankName', bank);
    await page.click('#transfer-submit');
    await page.locator('#transfer-done').waitFor();
    await page.waitForFunction(() => document.querySelector('#transfer-order-state')?.textContent === '订单待审核');
  }

  test('when the enterprise pays its waiting enrollments by bank transfer, then the order shows 订单待审核', async () => {
    await enterpriseFirstLogin(page, stack.baseUrl, stack.demo.enterprises[0], NEW_PASSWORD);
    await page.click('#tab-enrollments');
    await page.locator('#pay-unpaid').waitFor();
    expect(await page.locator('#pay-unpaid').innerText()).toMatch(/为待缴费的 2 人缴费（\d+\.\d{2} 元）/);
    await page.click('#pay-unpaid');
    await page.locator('#confirm-people').waitFor();
    await fillField(page, 'invoiceTaxId', luan.uscc);
    await fillField(page, 'invoiceEmail', 'caiwu@example.com');
    await fillField(page, 'reentryCompanyName', luan.name);
    await fillField(page, 'reentryTaxId', luan.uscc);
    await page.click('#confirm-submit');
    await page.waitForURL((u) => u.hash.includes('/pay/pages/pay/index'), { timeout: 20_000 });
    orderId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? '';
    await page.click('#pay-transfer');
    await page.waitForURL((u) => u.hash.includes('/pay/pages/transfer/index'));

    // a wrong amount is refused by the field, before anything is sent
    await page.locator('#transfer-form').waitFor();
    const amount = await page.locator('#transferAmount input').inputValue();
    await fillField(page, 'transferAmount', '1.00');
    await page.click('#transfer-submit');
    await page.locator('#error-transferAmount').waitFor();
    expect(await page.locator('#error-transferAmount').innerText()).toContain('须与订单金额一致');
    await fillField(page, 'transferAmount', amount);

    await submitTransfer('中国建设银行济南分行');
    await shots.take(page, 'transfer-awaiting-review', { fullPage: false });
  }, 180_000);

  test('when a reviewer rejects it, then the page shows the reason and the form again; a second transfer, approved, makes the order 已支付', async () => {
    reviewer = await reviewerToken();
    const rejected = await apiCall(stack.baseUrl, 'POST', `/api/admin/offline-transfers/${await pendingTransferId()}/reject`, { token: reviewer, body: { reason: REASON } });
    expect(rejected.status).toBe(200);

    await page.reload();
    await page.locator('[id^="transfer-reason-"]').waitFor();
    expect(await page.locator('[id^="transfer-reason-"]').innerText()).toContain(REASON);
    expect(await page.locator('#transfer-order-state').innerText()).toBe('待支付');
    await shots.take(page, 'transfer-rejected');

    await submitTransfer('中国工商银行济南分行');
    const approved = await apiCall(stack.baseUrl, 'POST', `/api/admin/offline-transfers/${await pendingTransferId()}/approve`, { token: reviewer });
    expect(approved.status).toBe(200);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#transfer-order-state')?.textContent === '已支付');
    await page.click('#transfer-to-order');
    await page.locator('#order-history').waitFor();
    const history = await page.locator('#order-history').innerText();
    expect(history).toContain('等待审核');
    expect(history).toContain('转账审核未通过');
    expect(history).toContain(REASON);
    expect(history).toContain('审核通过，确认已收款');
    await shots.take(page, 'transfer-order-history');
  }, 120_000);

  test('with 150% text on a 375 px phone, the order pages fit the screen: nothing sideways, amounts and certificate numbers on one line', async () => {
    await enlargeText(page.context(), 1.5);
    await page.setViewportSize(SMALL_PHONE);
    for (const hash of [`/pay/pages/order/index?id=${orderId}`, `/pay/pages/transfer/index?id=${orderId}`, '/pay/pages/orders/index']) {
      await page.goto(`${stack.baseUrl}/#${hash}`);
      await page.reload(); // a fresh document: only this page, with the enlarged text
      await page.locator('.pay-order__amount:visible').first().waitFor();
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('30px');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      const wrapped = await page.$$eval('.pay-order__amount, .pay-person__fee, .pay-code', (elements) =>
        elements
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .filter((el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.5;
            return range.getBoundingClientRect().height > lineHeight * 1.5;
          })
          .map((el) => el.textContent ?? ''),
      );
      expect({ hash, wrapped }).toEqual({ hash, wrapped: [] });
    }
    await shots.take(page, 'orders-150-percent', { fullPage: false });
  }, 60_000);

  test('the pages threw no errors', () => {
    expect(errors).toEqual([]);
  });
});
