import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../helpers/stack';
import { SMALL_PHONE, Shots, chromiumMissing, collectPageErrors, fillField, isInViewport, launchBrowser, phone, screenshotDir, waitForRoute } from './browser';
import { cardIdOf, chooseClass, enterpriseFirstLogin, learnerReachesBindForm, setNewPassword } from './steps';

const skipReason = chromiumMissing();
const suite = skipReason ? describe.skip : describe;
const title = skipReason ? `activation code journey in the H5 build (Chromium) — skipped: ${skipReason}` : 'activation code journey in the H5 build (Chromium), 375 px phone';

suite(title, () => {
  let stack: Stack;
  let browser: Browser;
  let clerk: Page;
  let learner: Page;
  let provisional: Page; // a learner who bound with the initial password
  let errors: string[];
  let certificateId: string;
  let code: string;
  const shots = new Shots(screenshotDir('activation-code'));

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    clerk = await (await phone(browser, SMALL_PHONE)).newPage();
    learner = await (await phone(browser, SMALL_PHONE)).newPage(); // another phone, another WeChat user
    errors = collectPageErrors(clerk);
    learner.on('pageerror', (e) => errors.push(e.message));
    provisional = await (await phone(browser, SMALL_PHONE)).newPage(); // a third phone
    provisional.on('pageerror', (e) => errors.push(e.message));
    console.log(`activation code journey screenshots: ${shots.dir}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  test('when the clerk generates an activation code for an employee, then it is shown once, large, with whom it is for and until when', async () => {
    await enterpriseFirstLogin(clerk, stack.baseUrl, stack.demo.enterprises[0], 'Qiye2026code');
    await chooseClass(clerk, '2026年度C类人员继续教育班');
    certificateId = await cardIdOf(clerk, stack.demo.codeLearner.certificateNo);
    expect(await clerk.locator(`#account-${certificateId}`).innerText()).toContain('未绑定');

    await clerk.locator(`#issue-code-${certificateId}`).scrollIntoViewIfNeeded();
    await clerk.click(`#issue-code-${certificateId}`);
    const shown = clerk.locator(`#activation-code-${certificateId}`);
    await shown.waitFor();
    code = (await shown.innerText()).replace(/\s/g, '');
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    const panel = await clerk.locator(`#activation-${certificateId}`).innerText();
    expect(panel).toContain(stack.demo.codeLearner.name);
    expect(panel).toMatch(/有效期至：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await clerk.locator(`#activation-${certificateId}`).scrollIntoViewIfNeeded();
    expect(await isInViewport(clerk, `#activation-code-${certificateId}`)).toBe(true);
    // ticking is not what a tap inside the panel does
    expect(await clerk.locator(`#employee-${certificateId}.employee--selected`).count()).toBe(0);
    await shots.take(clerk, 'activation-code-shown', { fullPage: false });

    await clerk.click(`#copy-code-${certificateId}`);
    await clerk.waitForFunction(() => Array.from(document.querySelectorAll('.taro__toast')).some((t) => t.textContent?.includes('激活码已复制')));
    expect(await clerk.locator(`#employee-${certificateId}.employee--selected`).count()).toBe(0);

    await clerk.click(`#close-code-${certificateId}`);
    expect(await clerk.locator(`#activation-code-${certificateId}`).count()).toBe(0); // shown once: gone when closed
  }, 120_000);

  test('when the employee binds with name, ID number and that code, then the password is set and 我的报名 says 已核验', async () => {
    const { name, idNumber } = stack.demo.codeLearner;
    await learnerReachesBindForm(learner, stack.baseUrl);
    await learner.click('#proof-activationCode');
    await fillField(learner, 'name', name);
    await fillField(learner, 'idNumber', idNumber);
    await fillField(learner, 'activationCode', `${code.slice(0, 5)} ${code.slice(5).toLowerCase()}`); // as a person types it
    await shots.take(learner, 'bind-with-activation-code', { fullPage: false });
    await learner.click('#bind-submit');
    await waitForRoute(learner, 'change-password');
    expect(await learner.locator('#current-prefilled').innerText()).toContain('激活码');
    await setNewPassword(learner, 'Xueyuan2026code');
    await waitForRoute(learner, 'learner-enrollments');
    await learner.locator('#binding-banner').waitFor();
    expect(await learner.locator('#binding-banner').innerText()).toContain('已核验');
    await shots.take(learner, 'learner-verified', { fullPage: false });
  }, 120_000);

  test('when the clerk looks again, then the employee’s learner account shows 已核验 and since when', async () => {
    await clerk.click('#search-submit'); // reloads the list
    await clerk.waitForFunction((id) => document.querySelector(`#account-${id}`)?.textContent?.includes('已核验'), certificateId);
    expect(await clerk.locator(`#account-${certificateId}`).innerText()).toMatch(/已核验 · \d{4}-\d{2}-\d{2} 起/);
    await clerk.locator(`#employee-${certificateId}`).scrollIntoViewIfNeeded();
    await shots.take(clerk, 'employee-verified', { fullPage: false });
    expect(errors).toEqual([]);
  }, 60_000);

  test('when a learner bound with the initial password opens 我的报名, then the 未核验 banner offers 输入激活码, and a wrong code is answered by the button', async () => {
    const { name, idNumber, password } = stack.demo.learner;
    await learnerReachesBindForm(provisional, stack.baseUrl);
    await fillField(provisional, 'name', name);
    await fillField(provisional, 'idNumber', idNumber);
    await fillField(provisional, 'password', password);
    await provisional.click('#bind-submit');
    await waitForRoute(provisional, 'change-password');
    await setNewPassword(provisional, 'Xueyuan2026temp');
    await waitForRoute(provisional, 'learner-enrollments');
    expect(await provisional.locator('#binding-banner').innerText()).toMatch(/^未核验/);
    await shots.take(provisional, 'provisional-offers-code', { fullPage: false });

    await provisional.click('#verify-open');
    await provisional.locator('#verify-form').waitFor();
    await provisional.click('#verify-submit');
    expect(await provisional.locator('#error-activationCode').innerText()).toContain('请输入激活码');
    await fillField(provisional, 'activationCode', 'ABCDE-FGHJK');
    await provisional.click('#verify-submit');
    const answer = provisional.locator('#verify-error');
    await answer.waitFor();
    expect(await answer.innerText()).toMatch(/激活码不正确[\s\S]*还可尝试 4 次/);
    expect(await isInViewport(provisional, '#verify-error')).toBe(true);
    expect(await isInViewport(provisional, '#verify-submit')).toBe(true);
    await shots.take(provisional, 'verify-with-code-wrong', { fullPage: false });
  }, 120_000);

  test('when the clerk generates a code for that learner and they type it in on 我的报名, then the banner says 已核验 and the clerk sees it too', async () => {
    const { name, idNumber } = stack.demo.learner;
    await fillField(clerk, 'search', name);
    await clerk.click('#search-submit');
    const masked = `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`;
    const card = clerk.locator('.employee', { hasText: masked });
    await card.waitFor();
    const id = (await card.getAttribute('id'))!.replace(/^employee-/, '');
    // The search reloads the list; wait for the fresh card rather than read the one shown before the reload.
    await clerk.locator(`#account-${id}`, { hasText: '未核验' }).waitFor({ timeout: 15_000 });
    await clerk.locator(`#issue-code-${id}`).scrollIntoViewIfNeeded();
    await clerk.click(`#issue-code-${id}`);
    await clerk.locator(`#activation-code-${id}`).waitFor();
    const issued = (await clerk.locator(`#activation-code-${id}`).innerText()).replace(/\s/g, '');

    await fillField(provisional, 'activationCode', `${issued.slice(0, 5).toLowerCase()}-${issued.slice(5)}`); // as a person types it
    await shots.take(provisional, 'verify-with-code-typed', { fullPage: false });
    await provisional.click('#verify-submit');
    await provisional.waitForFunction(() => document.querySelector('#binding-banner')?.textContent?.includes('已核验'));
    expect(await provisional.locator('#verify-form').count()).toBe(0);
    await shots.take(provisional, 'verify-with-code-verified', { fullPage: false });
    await provisional.reload(); // still 已核验, and still logged in
    await provisional.waitForFunction(() => document.querySelector('#binding-banner')?.textContent?.includes('已核验'));
    await provisional.locator('[id^="enrollment-"]').first().waitFor();

    await clerk.click(`#close-code-${id}`);
    await clerk.click('#search-submit');
    await clerk.waitForFunction((cardId) => document.querySelector(`#account-${cardId}`)?.textContent?.includes('已核验'), id);
    expect(errors).toEqual([]);
  }, 120_000);
});
