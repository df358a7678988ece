import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, fillField, launchBrowser, openPage, phone, screenshotDir } from './browser';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `public certificate query in the H5 build (Chromium) — skipped: ${skipReason}` : 'public certificate query in the H5 build (Chromium), 375 px phone';

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const shots = new Shots(screenshotDir('certificate-query'));

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await (await phone(browser, SMALL_PHONE)).newPage();
    errors = collectPageErrors(page);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  async function query(person: { name: string; idNumber: string }) {
    await fillField(page, 'name', person.name);
    await fillField(page, 'idNumber', person.idNumber);
    await page.click('#query-submit');
  }

  test('when someone queries a holder, then the result card says whose result it is', async () => {
    await openPage(page, stack.baseUrl, 'certificate-query');
    await page.click('#category-C');
    await query(stack.demo.learner);
    const card = page.locator('.query-result').first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain(`${stack.demo.learner.name}（${stack.demo.learner.idNumber.slice(0, 4)}`);
    expect(text).toContain('证书有效');
    await page.waitForTimeout(100); // brought onto the screen after it renders
    const verdict = await page.locator('.query-result__verdict').first().boundingBox();
    expect(verdict!.y).toBeGreaterThanOrEqual(0);
    expect(verdict!.y + verdict!.height).toBeLessThanOrEqual(SMALL_PHONE.height);
    await shots.take(page, 'query-first-holder', { fullPage: false });
  }, 60_000);

  test('when another holder is queried, then the first one’s card is gone while waiting and the new card names the new holder', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/public/certificate-query', async (route) => {
      await held; // the answer is slow to come
      await route.continue();
    });
    await query(stack.demo.codeLearner);
    await page.waitForFunction(() => document.querySelectorAll('.query-result').length === 0);
    expect(await page.locator('#query-submit').innerText()).toContain('请稍候');
    release();
    await page.waitForFunction((name) => document.querySelector('.query-result')?.textContent?.includes(name), stack.demo.codeLearner.name);
    expect(await page.locator('.query-result').first().innerText()).not.toContain(stack.demo.learner.name);
    await page.unroute('**/api/public/certificate-query');
    await page.waitForTimeout(100);
    await shots.take(page, 'query-second-holder', { fullPage: false });
  }, 60_000);

  test('when the ID number is left empty, then the field asks for it', async () => {
    await fillField(page, 'idNumber', '');
    await page.click('#query-submit');
    await page.locator('#error-idNumber').waitFor();
    expect(await page.locator('#error-idNumber').innerText()).toBe('请输入身份证号');
    expect(errors).toEqual([]);
  }, 30_000);
});
