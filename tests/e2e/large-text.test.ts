import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, enlargeText, launchBrowser, openPage, phone, screenshotDir } from './browser';
import { chooseClass, enterpriseFirstLogin, learnerReachesBindForm } from './steps';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `150% text on a 375 px phone (Chromium) — skipped: ${skipReason}` : '150% text on a 375 px phone (Chromium)';

/** Placeholders wider than their input's text box (they would be cut off). */
async function cutPlaceholders(page: Page): Promise<string[]> {
  return page.$$eval('input[placeholder]', (inputs) => {
    const context = document.createElement('canvas').getContext('2d')!;
    return (inputs as HTMLInputElement[])
      .filter((input) => input.offsetParent !== null && input.placeholder)
      .filter((input) => {
        const style = getComputedStyle(input, '::placeholder');
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const box = getComputedStyle(input);
        const room = input.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight);
        return context.measureText(input.placeholder).width > room + 1;
      })
      .map((input) => input.placeholder);
  });
}

/** Texts of the matched elements that take more than one line. */
async function wrapped(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) =>
    elements
      .filter((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.5;
        return range.getBoundingClientRect().height > lineHeight * 1.5;
      })
      .map((el) => el.textContent ?? ''),
  );
}

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const shots = new Shots(screenshotDir('large-text'));

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const context = await phone(browser, SMALL_PHONE);
    await enlargeText(context, 1.5);
    page = await context.newPage();
    errors = collectPageErrors(page);
    console.log(`150% text screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('the text really is 150%', async () => {
    await openPage(page, stack.baseUrl, 'index');
    await page.locator('#entry-learner').waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('30px');
  }, 30_000);

  test('when the login and bind forms are shown, then no placeholder is cut off', async () => {
    await openPage(page, stack.baseUrl, 'enterprise-login');
    await page.click('#province-SD');
    await page.locator('#account input').waitFor();
    expect(await cutPlaceholders(page)).toEqual([]);
    await shots.take(page, 'enterprise-login');

    await learnerReachesBindForm(page, stack.baseUrl);
    expect(await cutPlaceholders(page)).toEqual([]);
    await shots.take(page, 'bind-form');
    await page.click('#proof-activationCode');
    expect(await cutPlaceholders(page)).toEqual([]);

    await openPage(page, stack.baseUrl, 'certificate-query');
    await page.locator('#name input').waitFor();
    expect(await cutPlaceholders(page)).toEqual([]);
  }, 60_000);

  test('when the clerk looks at the employee list, then certificate numbers stay whole, the 报名 button stays on one line and the toast grows with the text', async () => {
    // A fresh document: a hash-only navigation can leave the login page of the story before mounted but hidden.
    await page.goto('about:blank');
    await enterpriseFirstLogin(page, stack.baseUrl, stack.demo.enterprises[0], 'Qiye2026big');
    await chooseClass(page, '2026年度C类人员继续教育班');
    expect(await page.locator('.kv__v--code').count()).toBeGreaterThan(3);
    expect(await wrapped(page, '.kv__v--code')).toEqual([]);
    expect(await cutPlaceholders(page)).toEqual([]);

    await page.click('.employee--eligible .employee__head');
    await page.locator('.employee--selected').waitFor();
    expect(await page.locator('#enroll-submit').innerText()).toBe('报名 1 人');
    expect(await wrapped(page, '#enroll-submit')).toEqual([]);
    await shots.take(page, 'employees', { fullPage: false });
    await shots.take(page, 'employees-full');

    await page.click('#enroll-submit');
    const toast = page.locator('.taro__toast p').last();
    await toast.waitFor();
    const size = parseFloat(await toast.evaluate((el) => getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(16 * 1.5);
    await shots.take(page, 'enroll-result-and-toast', { fullPage: false });
    expect(errors).toEqual([]);
  }, 120_000);
});
