import { createStaffAccount } from '../../backend/src/modules/accounts';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';
import { importRecords, learnerBinds, NEW_PASSWORD, wechatCode } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend({ env: { LOGIN_MAX_FAILURES: '5', LOGIN_RATE_PER_MINUTE: '1000' } });

const sd = enterprise(201, 'SD', '济南市');
const yn = enterprise(202, 'YN', '昆明市');
const learnerId = makeIdNumber(901, '19700315');
const learnerRecord = certificate(sd, { idNumber: learnerId, name: '张建国', expiryDate: '2027-03-01' });

beforeAll(async () => {
  await importRecords([learnerRecord, certificate(yn, { category: 'A', aKind: 'MAIN' })], api.running.deps);
});

describe('enterprise login', () => {
  test('when a Shandong enterprise logs in by its full name with its credit code, then it must change the password before anything else', async () => {
    const login = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: sd.name, password: sd.uscc } });
    expect(login.status).toBe(200);
    expect(login.body.principal).toMatchObject({ role: 'enterprise', displayName: sd.name, mustChangePassword: true });
    const blocked = await api.call('GET', '/api/enterprise/employees', { token: login.body.token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const sameAsInitial = await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: sd.uscc, newPassword: sd.uscc } });
    expect(sameAsInitial.status).toBe(400);
    const weak = await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: sd.uscc, newPassword: '12345678' } });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('VALIDATION_FAILED');

    const changed = await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: sd.uscc, newPassword: NEW_PASSWORD } });
    expect(changed.status).toBe(200);
    expect(changed.body.principal.mustChangePassword).toBe(false);
    expect((await api.call('GET', '/api/enterprise/employees', { token: login.body.token })).status).toBe(200);

    const oldPassword = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: sd.name, password: sd.uscc } });
    expect(oldPassword.body.code).toBe('INVALID_CREDENTIALS');
    const newLogin = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: sd.name, password: NEW_PASSWORD } });
    expect(newLogin.body.principal.mustChangePassword).toBe(false);
  });

  test('when a Yunnan enterprise logs in, then its account is the credit code and the initial password its last 6 characters', async () => {
    const byName = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'YN', account: yn.name, password: yn.uscc.slice(-6) } });
    expect(byName.body.code).toBe('VALIDATION_FAILED');
    expect(byName.body.details.issues[0]).toMatchObject({ path: 'account', message: expect.stringContaining('统一社会信用代码') });
    const byCode = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'YN', account: yn.uscc, password: yn.uscc.slice(-6) } });
    expect(byCode.status).toBe(200);
    expect(byCode.body.principal.mustChangePassword).toBe(true);
  });

  test('when a Yunnan clerk types the letters of the last 6 characters in lower case, then the initial password still works and no failure is counted', async () => {
    const lettered = { ...enterprise(204, 'YN'), uscc: '91530100MA6K2W8X3E' };
    await importRecords([certificate(lettered)], api.running.deps);
    const login = (password: string) => api.call('POST', '/api/auth/enterprise/login', { body: { province: 'YN', account: lettered.uscc, password } });

    const lower = await login('2w8x3e');
    expect(lower.status).toBe(200);
    expect(lower.body.principal.mustChangePassword).toBe(true);
    const wrong = await login('2w8x3f');
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS', details: { remainingAttempts: 4 } }); // the lower-case success did not count
  });

  test('when the password is wrong five times, then the account is locked even for the right password, and the lock says until when', async () => {
    const target = enterprise(203, 'SD');
    await importRecords([certificate(target)], api.running.deps);
    const attempt = (password: string) => api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: target.name, password } });
    for (let i = 1; i <= 4; i++) {
      const res = await attempt('wrong-password');
      expect(res.status).toBe(401);
      expect(res.body.details.remainingAttempts).toBe(5 - i);
    }
    const fifth = await attempt('wrong-password');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    const right = await attempt(target.uscc);
    expect(right.status).toBe(423);
    expect(new Date(right.body.details.lockedUntil).getTime()).toBeGreaterThan(Date.now());
  });

  test('when an unknown enterprise name is tried, then the answer is the same as a wrong password', async () => {
    const res = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: '不存在的公司', password: 'whatever1' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误', details: { remainingAttempts: 4 } });
  });
});

describe('province list', () => {
  test('when the login page asks for provinces, then each says where initial passwords come from, derived from its policy', async () => {
    const res = await api.call('GET', '/api/public/provinces');
    const byCode = Object.fromEntries(res.body.items.map((p: { code: string }) => [p.code, p]));
    expect(byCode.SD.enterpriseInitialPasswordHint).toBe('初始密码为统一社会信用代码（18位）');
    expect(byCode.YN.enterpriseInitialPasswordHint).toBe('初始密码为账号（统一社会信用代码）后6位，字母不区分大小写');
    expect(byCode.SD.learnerInitialPasswordHint).toBe('初始密码为 12345678；首次绑定后须修改密码。用初始密码绑定为“未核验”状态，可向所在企业申请激活码完成核验');
  });
});

describe('learner login inside WeChat', () => {
  test('when a learner logs in, binds with name, ID number and the initial password and changes it, then the next WeChat login goes straight in', async () => {
    const code = await wechatCode('device-learner-a1');
    const wx = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code } });
    expect(wx.body.principal.role).toBe('wechat');
    const notYet = await api.call('GET', '/api/learner/enrollments', { token: wx.body.token });
    expect(notYet.status).toBe(403);

    const wrong = await api.call('POST', '/api/auth/learner/bind', { token: wx.body.token, body: { name: '张建国', idNumber: learnerId, password: 'nope12345' } });
    expect(wrong.body.code).toBe('LEARNER_BIND_FAILED');
    const bound = await api.call('POST', '/api/auth/learner/bind', { token: wx.body.token, body: { name: '张建国', idNumber: learnerId, password: '12345678' } });
    expect(bound.status).toBe(200);
    expect(bound.body.principal).toMatchObject({ role: 'learner', displayName: '张建国', mustChangePassword: true, binding: { state: 'PROVISIONAL', stateLabel: '已绑定（未核验）' } });
    expect(bound.body.principal.idNumberMasked).toBe(learnerId.slice(0, 4) + '**********' + learnerId.slice(-4));

    const changed = await api.call('POST', '/api/auth/password', { token: bound.body.token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
    expect(changed.status).toBe(200);
    const again = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode('device-learner-a1') } });
    expect(again.body.principal).toMatchObject({ role: 'learner', mustChangePassword: false });
  });

  test('when the learner logs in on a second device, then the first device is told it was replaced', async () => {
    const first = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode('device-learner-a1') } });
    expect((await api.call('GET', '/api/learner/enrollments', { token: first.body.token })).status).toBe(200);
    const second = await learnerBinds(api, 'device-learner-b2', learnerId, NEW_PASSWORD, '张建国');
    expect(second.status).toBe(200);
    const stale = await api.call('GET', '/api/learner/enrollments', { token: first.body.token });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ code: 'SESSION_REPLACED', message: '您的账号已在其他设备登录，本设备已退出' });
    expect((await api.call('GET', '/api/learner/enrollments', { token: second.body.token })).status).toBe(200);
  });

  test('when a WeChat code is reused or made up, then login fails with a clear error', async () => {
    const code = await wechatCode('device-learner-c3');
    expect((await api.call('POST', '/api/auth/learner/wechat-login', { body: { code } })).status).toBe(200);
    const reused = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code } });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: 'WECHAT_CODE_INVALID', details: { errcode: 40163 } });
    const madeUp = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: 'made-up-code' } });
    expect(madeUp.body.details.errcode).toBe(40029);
  });
});

describe('staff accounts', () => {
  test('when a reviewer created by the command logs in, then it must change its one-time password and is scoped to its city', async () => {
    const { initialPassword } = await createStaffAccount({ username: 'reviewer-jinan', role: 'reviewer', province: 'SD', city: '济南市' });
    const login = await api.call('POST', '/api/auth/staff/login', { body: { username: 'reviewer-jinan', password: initialPassword } });
    expect(login.body.principal).toMatchObject({ role: 'reviewer', city: '济南市', mustChangePassword: true });
    const admin = await api.call('GET', '/api/admin/policies', { token: login.body.token });
    expect(admin.status).toBe(403);
  });
});

test('when a learner logs out, then the token no longer works', async () => {
  const wx = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode('device-learner-e5') } });
  expect((await api.call('POST', '/api/auth/logout', { token: wx.body.token })).status).toBe(200);
  const after = await api.call('GET', '/api/auth/me', { token: wx.body.token });
  expect(after.body.code).toBe('SESSION_EXPIRED');
});
