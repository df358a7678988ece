import automator from 'miniprogram-automator';

/**
 * Smoke journeys inside real WeChat DevTools, driven by miniprogram-automator. DevTools runs only on
 * Windows/macOS, so this suite connects to one running elsewhere:
 *
 *   WECHAT_DEVTOOLS_WS      ws endpoint of DevTools' automation port, with this repository opened as the project
 *                           (project.config.json → miniapp/dist/weapp), e.g. ws://192.168.1.20:9420
 *   The weapp must be built with TARO_APP_API_BASE pointing at a backend DevTools can reach.
 *   AUTOMATOR_WECHAT_SIM    the WeChat simulator that backend uses (wx.login is mocked with a code from it)
 *   AUTOMATOR_LEARNER_ID, AUTOMATOR_LEARNER_PASSWORD                       a seeded learner
 *   AUTOMATOR_ENTERPRISE_PROVINCE, AUTOMATOR_ENTERPRISE_ACCOUNT, AUTOMATOR_ENTERPRISE_PASSWORD   a seeded enterprise
 *
 * Without WECHAT_DEVTOOLS_WS the suite is reported as skipped, with the reason in its title: it never passes
 * without having run.
 */
type MiniProgram = Awaited<ReturnType<typeof automator.connect>>;
type Page = NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>;

const WS = process.env.WECHAT_DEVTOOLS_WS;
const env = (name: string) => process.env[name] || undefined;

const learner = { sim: env('AUTOMATOR_WECHAT_SIM'), id: env('AUTOMATOR_LEARNER_ID'), password: env('AUTOMATOR_LEARNER_PASSWORD') };
const enterprise = {
  province: env('AUTOMATOR_ENTERPRISE_PROVINCE'),
  account: env('AUTOMATOR_ENTERPRISE_ACCOUNT'),
  password: env('AUTOMATOR_ENTERPRISE_PASSWORD'),
};

const suite = WS ? describe : describe.skip;
const title = WS
  ? `miniprogram-automator smoke (WeChat DevTools at ${WS})`
  : 'miniprogram-automator smoke — skipped: WECHAT_DEVTOOLS_WS not set (WeChat DevTools runs only on Windows/macOS)';

async function waitForSelector(page: Page, selector: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const el = await page.$(selector);
    if (el) return el;
    if (Date.now() > until) throw new Error(`${selector} did not appear on ${page.path}`);
    await page.waitFor(300);
  }
}

async function currentPath(mp: MiniProgram): Promise<string> {
  return (await mp.currentPage())?.path ?? '';
}

async function waitForPath(mp: MiniProgram, path: string, timeoutMs = 15_000): Promise<Page> {
  const until = Date.now() + timeoutMs;
  while ((await currentPath(mp)) !== path) {
    if (Date.now() > until) throw new Error(`expected ${path}, still on ${await currentPath(mp)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return (await mp.currentPage())!;
}

async function fill(page: Page, selector: string, value: string) {
  const el = await waitForSelector(page, selector);
  await (el as unknown as { input(v: string): Promise<void> }).input(value);
}

suite(title, () => {
  let mp: MiniProgram;

  beforeAll(async () => {
    mp = await automator.connect({ wsEndpoint: WS! });
  }, 60_000);

  afterAll(() => {
    mp?.disconnect();
  });

  test('when the mini-program opens, then the entry page offers 我是学员 / 我是企业 / 证书查询', async () => {
    await mp.callWxMethod('clearStorageSync');
    const page = (await mp.reLaunch('/pages/index/index'))!;
    for (const id of ['#entry-learner', '#entry-enterprise', '#entry-certificate-query']) await waitForSelector(page, id);
    expect(await (await page.$('#entry-learner'))!.text()).toContain('我是学员');
  }, 60_000);

  (learner.sim && learner.id && learner.password ? test : test.skip)(
    'when a learner logs in with WeChat and binds the ID number, then 我的报名 or 修改密码 opens',
    async () => {
      await mp.callWxMethod('clearStorageSync');
      const res = await fetch(`${learner.sim}/sim/wx/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: `automator-${Date.now()}` }),
      });
      const { code } = (await res.json()) as { code: string };
      await mp.mockWxMethod('login', { code, errMsg: 'login:ok' });
      try {
        const page = (await mp.reLaunch('/pages/learner-login/index'))!;
        await (await waitForSelector(page, '#wechat-login')).tap();
        await waitForSelector(page, '#bind-form');
        await fill(page, '#idNumber', learner.id!);
        await fill(page, '#password', learner.password!);
        await (await waitForSelector(page, '#bind-submit')).tap();
        const until = Date.now() + 15_000;
        let path = await currentPath(mp);
        while (!['pages/change-password/index', 'pages/learner-enrollments/index'].includes(path) && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 300));
          path = await currentPath(mp);
        }
        expect(['pages/change-password/index', 'pages/learner-enrollments/index']).toContain(path);
      } finally {
        await mp.restoreWxMethod('login');
      }
    },
    90_000,
  );

  (enterprise.province && enterprise.account && enterprise.password ? test : test.skip)(
    'when an enterprise logs in, then it is asked to change the password or sees its employees',
    async () => {
      await mp.callWxMethod('clearStorageSync');
      const page = (await mp.reLaunch('/pages/enterprise-login/index'))!;
      await (await waitForSelector(page, `#province-${enterprise.province}`)).tap();
      await fill(page, '#account', enterprise.account!);
      await fill(page, '#password', enterprise.password!);
      await (await waitForSelector(page, '#enterprise-login-submit')).tap();
      const until = Date.now() + 15_000;
      let path = await currentPath(mp);
      while (!['pages/change-password/index', 'pages/enterprise-employees/index'].includes(path) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 300));
        path = await currentPath(mp);
      }
      expect(['pages/change-password/index', 'pages/enterprise-employees/index']).toContain(path);
      if (path === 'pages/enterprise-employees/index') await waitForSelector((await waitForPath(mp, path))!, '#enroll-bar, #class');
    },
    90_000,
  );
});
