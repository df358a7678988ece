import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';
import { importRecords, learnerBinds } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend({ env: { LOGIN_MAX_FAILURES: '5', LOGIN_RATE_PER_MINUTE: '1000' } });

const owner = enterprise(811, 'SD');
const yunnan = enterprise(812, 'YN');
const learnerId = makeIdNumber(813, '19860214');
const learner = certificate(owner, { idNumber: learnerId, name: '赵桂兰' });

beforeAll(async () => {
  await importRecords([learner, certificate(yunnan)], api.running.deps);
});

async function enterpriseSession(province: string, account: string, initial: string): Promise<string> {
  const login = await api.call('POST', '/api/auth/enterprise/login', { body: { province, account, password: initial } });
  return login.body.token;
}

function change(token: string, currentPassword: string, newPassword: string) {
  return api.call('POST', '/api/auth/password', { token, body: { currentPassword, newPassword } });
}

test('when an enterprise picks a password built from its credit code or its name, in any letter case, then it is refused and told why', async () => {
  const token = await enterpriseSession('SD', owner.name, owner.uscc);
  const attempts: [string, string][] = [
    [`x${owner.uscc.toLowerCase()}`, '不能包含统一社会信用代码'],
    [`Pw${owner.uscc.slice(-6).toLowerCase()}9`, '不能包含统一社会信用代码后6位'],
    [`${owner.name}2026a`, '不能包含企业名称'],
  ];
  for (const [newPassword, reason] of attempts) {
    const res = await change(token, owner.uscc, newPassword);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PASSWORD_GUESSABLE');
    expect(res.body.details.reasons).toContain(reason);
    expect(res.body.message).toContain(reason);
  }
  // Refusals are not failed guesses: the current password was right every time.
  expect((await change(token, owner.uscc, 'Quiet7harbour')).status).toBe(200);
});

test('when a Yunnan enterprise picks its initial password (the last 6 characters) inside the new one, then it is refused', async () => {
  const token = await enterpriseSession('YN', yunnan.uscc, yunnan.uscc.slice(-6));
  const res = await change(token, yunnan.uscc.slice(-6), `abc${yunnan.uscc.slice(-6)}`);
  expect(res.body).toMatchObject({ code: 'PASSWORD_GUESSABLE', details: { reasons: expect.arrayContaining(['不能包含初始密码']) } });
});

test('when a learner picks a password built from the ID number, the birth date in it, or the name, then it is refused and told why', async () => {
  const bound = await learnerBinds(api, 'device-passwords-01', learnerId, '12345678', learner.name);
  const token = bound.body.token;
  const attempts: [string, string][] = [
    [`a${learnerId}`, '不能包含身份证号'],
    ['Zz19860214', '不能包含身份证号中的出生日期'],
    [`Pw${learnerId.slice(-6)}`, '不能包含身份证号后6位'],
    ['赵桂兰abc123', '不能包含姓名'],
    ['a12345678', '不能包含初始密码'],
  ];
  for (const [newPassword, reason] of attempts) {
    const res = await change(token, '12345678', newPassword);
    expect(res.body.code).toBe('PASSWORD_GUESSABLE');
    expect(res.body.details.reasons).toContain(reason);
  }
});

test('when anyone picks a common password, then it is refused as too simple', async () => {
  const bound = await learnerBinds(api, 'device-passwords-01', learnerId, '12345678', learner.name);
  for (const common of ['password1', 'Qwerty123', 'abc12345', '12345678a', 'a1234567', 'woaini1314', 'zz1111111']) {
    const res = await change(bound.body.token, '12345678', common);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PASSWORD_GUESSABLE');
    expect(res.body.details.reasons).toContain('是常见的简单密码');
  }
  expect((await change(bound.body.token, '12345678', 'Lantern42river')).status).toBe(200);
});
