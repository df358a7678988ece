import type { Page } from 'playwright-core';
import { fillField, openPage, waitForRoute } from './browser';

/** Steps several journeys share, done through the page as a person would. */

export interface EnterpriseLogin {
  province: string;
  account: string;
  password: string;
}

/** First login with the initial password, then the forced change (the old password is filled in already). */
export async function enterpriseFirstLogin(page: Page, baseUrl: string, enterprise: EnterpriseLogin, newPassword: string): Promise<void> {
  await openPage(page, baseUrl, 'enterprise-login');
  await page.click(`#province-${enterprise.province}`);
  await fillField(page, 'account', enterprise.account);
  await fillField(page, 'password', enterprise.password);
  await page.click('#enterprise-login-submit');
  await waitForRoute(page, 'change-password');
  await setNewPassword(page, newPassword);
  await waitForRoute(page, 'enterprise-employees');
}

export async function setNewPassword(page: Page, newPassword: string): Promise<void> {
  await page.locator('#current-prefilled').waitFor();
  await fillField(page, 'newPassword', newPassword);
  await fillField(page, 'confirmPassword', newPassword);
  await page.click('#change-password-submit');
}

/** Picks a class by its name and waits for its employee list; returns the class id. */
export async function chooseClass(page: Page, name: string): Promise<string> {
  if (await page.locator('#class-change').isVisible()) await page.click('#class-change'); // a class remembered from before
  const chip = page.locator('#class .chip', { hasText: name });
  await chip.waitFor();
  const id = (await chip.getAttribute('id'))!.replace(/^class-/, '');
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/enterprise/employees') && r.url().includes(`classId=${id}`)), chip.click()]);
  await page.locator('.employee').first().waitFor();
  return id;
}

/** The certificate id of the card showing this certificate number. */
export async function cardIdOf(page: Page, certificateNo: string): Promise<string> {
  const card = page.locator('.employee', { hasText: certificateNo });
  await card.waitFor();
  return (await card.getAttribute('id'))!.replace(/^employee-/, '');
}

/** A learner opens the mini-program, logs in with WeChat and reaches the bind form. */
export async function learnerReachesBindForm(page: Page, baseUrl: string): Promise<void> {
  await openPage(page, baseUrl, 'learner-login');
  await page.click('#wechat-login');
  await page.locator('#bind-form').waitFor();
}

export interface LearnerLogin {
  name: string;
  idNumber: string;
  password: string;
}

/** A learner binds with WeChat for the first time, sets a new password and lands on 我的报名. */
export async function learnerFirstBind(page: Page, baseUrl: string, learner: LearnerLogin, newPassword: string): Promise<void> {
  await learnerReachesBindForm(page, baseUrl);
  await fillField(page, 'name', learner.name);
  await fillField(page, 'idNumber', learner.idNumber);
  await fillField(page, 'password', learner.password);
  await page.click('#bind-submit');
  await waitForRoute(page, 'change-password');
  await setNewPassword(page, newPassword);
  await waitForRoute(page, 'learner-enrollments');
}
