import mongoose from 'mongoose';
import { identityHistoryOf, verifyLearnerIdentity } from '../../backend/src/modules/accounts';
import { PersonModel } from '../../backend/src/modules/registry';
import type { Clock } from '../../backend/src/platform/clock';
import { keyedHash } from '../../backend/src/platform/crypto';
import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';
import { enterpriseReady, importRecords, NEW_PASSWORD, wechatCode } from '../helpers/journeys';
import { certificate, enterprise, type RecordFixture } from '../helpers/records';

/** System time plus an offset a test moves forward (activation codes expire). */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

const api = useTestBackend({ clock, env: { LOGIN_MAX_FAILURES: '5', LOGIN_RATE_PER_MINUTE: '1000' } });

const employer = enterprise(301, 'SD');
const otherEnterprise = enterprise(302, 'SD');
const codeOnlyCity = enterprise(303, 'YN', '曲靖市');
let seq = 0;

/** A certificate holder of `owner`, imported, with a unique ID number. */
async function holder(owner = employer, name = '王建军'): Promise<RecordFixture> {
  const record = certificate(owner, { idNumber: makeIdNumber(600 + ++seq, '19720518'), name });
  await importRecords([record], api.running.deps);
  return record;
}

async function wechatUser(device: string): Promise<string> {
  const res = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code: await wechatCode(device) } });
  if (!res.body.token) throw new Error(`WeChat login failed: ${JSON.stringify(res.body)}`);
  return res.body.token;
}

function bind(token: string, body: object) {
  return api.call('POST', '/api/auth/learner/bind', { token, body });
}

let employerToken: string;
let otherToken: string;

async function certificateIdOf(record: RecordFixture, token = employerToken): Promise<string> {
  const list = await api.call('GET', `/api/enterprise/employees?q=${encodeURIComponent(record.name)}`, { token });
  return list.body.items.find((i: { certificateNo: string }) => i.certificateNo === record.certificateNo).certificateId;
}

async function employeeRow(record: RecordFixture) {
  const list = await api.call('GET', '/api/enterprise/employees', { token: employerToken });
  return list.body.items.find((i: { certificateNo: string }) => i.certificateNo === record.certificateNo);
}

async function issueCode(record: RecordFixture, token = employerToken) {
  return api.call('POST', `/api/enterprise/certificates/${await certificateIdOf(record, token)}/activation-code`, { token });
}

/** A learner who bound with the initial password and then set their own password: provisional, on 我的报名. */
async function provisionalLearner(device: string, person: RecordFixture): Promise<string> {
  const bound = await bind(await wechatUser(device), { name: person.name, idNumber: person.idNumber, password: '12345678' });
  expect(bound.body.principal.binding.state).toBe('PROVISIONAL');
  const changed = await api.call('POST', '/api/auth/password', { token: bound.body.token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
  expect(changed.status).toBe(200);
  return bound.body.token;
}

function verifyWithCode(token: string, activationCode: string) {
  return api.call('POST', '/api/auth/learner/verify-with-code', { token, body: { activationCode } });
}

async function historyOf(record: RecordFixture) {
  const personDoc = await PersonModel.findOne({ idHash: keyedHash(api.running.deps.config.idHashKey, record.idNumber) }).lean();
  return identityHistoryOf(String(personDoc!._id));
}

beforeAll(async () => {
  await importRecords([certificate(employer), certificate(otherEnterprise), certificate(codeOnlyCity)], api.running.deps);
  employerToken = await enterpriseReady(api, 'SD', employer.name, employer.uscc);
  otherToken = await enterpriseReady(api, 'SD', otherEnterprise.name, otherEnterprise.uscc);
});

describe('binding asks for name + ID number + proof, and says nothing about who exists', () => {
  test('when a stranger tries an unknown person, a wrong name or a wrong password, then all three get the same status, code and message', async () => {
    const person = await holder();
    const token = await wechatUser('stranger-01');
    const unknown = await bind(token, { name: '王建军', idNumber: makeIdNumber(699), password: '12345678' });
    const wrongName = await bind(token, { name: '王建民', idNumber: person.idNumber, password: '12345678' });
    const wrongPassword = await bind(token, { name: person.name, idNumber: person.idNumber, password: '87654321' });
    for (const answer of [unknown, wrongName, wrongPassword]) {
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('LEARNER_BIND_FAILED');
      expect(answer.body.message).toContain('请向所在企业申请激活码');
    }
    expect(unknown.body.message).toBe(wrongName.body.message);
    expect(wrongName.body.message).toBe(wrongPassword.body.message);
  });

  test('when an unknown person is tried, then the answer takes about as long as a wrong password for a real one', async () => {
    const person = await holder();
    const bound = await bind(await wechatUser('timing-owner'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    await api.call('POST', '/api/auth/password', { token: bound.body.token, body: { currentPassword: '12345678', newPassword: NEW_PASSWORD } });
    const token = await wechatUser('stranger-timing');
    const timed = async (body: object) => {
      const started = performance.now();
      await bind(token, body);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) { // fewer than the 5 that lock the known account
      known.push(await timed({ name: person.name, idNumber: person.idNumber, password: `wrong-${i}-pass` }));
      unknown.push(await timed({ name: person.name, idNumber: makeIdNumber(680 + i), password: `wrong-${i}-pass` }));
    }
    // Both run one password-hash check; skipping it for unknown people answered them ~30x faster. The bound is
    // loose because a busy machine stretches the known path's database work most.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.25);
  });

  test('when the wrong name, wrong password and wrong code are tried on one person, then they all count toward that person’s lock', async () => {
    const person = await holder();
    const token = await wechatUser('stranger-02');
    const answers = [
      await bind(token, { name: '李四', idNumber: person.idNumber, password: '12345678' }),
      await bind(token, { name: person.name, idNumber: person.idNumber, password: 'guess-one1' }),
      await bind(token, { name: person.name, idNumber: person.idNumber, activationCode: 'ABCDE-FGHJK' }),
      await bind(token, { name: '李四', idNumber: person.idNumber, activationCode: '23456-789AB' }),
    ];
    expect(answers.map((a) => a.body.details.remainingAttempts)).toEqual([4, 3, 2, 1]);
    const fifth = await bind(token, { name: person.name, idNumber: person.idNumber, password: 'guess-two2' });
    expect(fifth.status).toBe(423);
    const right = await bind(token, { name: person.name, idNumber: person.idNumber, password: '12345678' });
    expect(right.body.code).toBe('ACCOUNT_LOCKED');
    expect(right.body.details.lockedUntil).toEqual(expect.any(String));
  });
});

describe('a binding made with the initial password is provisional', () => {
  test('when a third party binds someone else’s record with the initial password, then the learner and the enterprise both see it as unverified', async () => {
    const person = await holder();
    expect((await employeeRow(person)).learnerAccount).toMatchObject({ state: 'UNBOUND', stateLabel: '未绑定', hint: expect.stringContaining('激活码') });

    const bound = await bind(await wechatUser('third-party-01'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    expect(bound.status).toBe(200);
    expect(bound.body.principal.binding).toMatchObject({ state: 'PROVISIONAL', stateLabel: '已绑定（未核验）', hint: expect.stringContaining('申请激活码') });
    const me = await api.call('GET', '/api/auth/me', { token: bound.body.token });
    expect(me.body.principal.binding.state).toBe('PROVISIONAL');

    const row = (await employeeRow(person)).learnerAccount;
    expect(row).toMatchObject({ state: 'PROVISIONAL', stateLabel: '已绑定（未核验）', hint: expect.stringContaining('激活码') });
    expect(new Date(row.since).getTime()).toBeLessThanOrEqual(clock.now().getTime());
  });
});

describe('activation codes', () => {
  test('when a third party took a record with the initial password, then the real person reclaims it with the enterprise’s code and the third party is out for good', async () => {
    const person = await holder();
    const thief = await bind(await wechatUser('thief-01'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    const thiefPassword = 'Th1efPassw0rd';
    expect((await api.call('POST', '/api/auth/password', { token: thief.body.token, body: { currentPassword: '12345678', newPassword: thiefPassword } })).status).toBe(200);

    const realDevice = await wechatUser('real-person-01');
    const lockedOut = await bind(realDevice, { name: person.name, idNumber: person.idNumber, password: '12345678' });
    expect(lockedOut.body).toMatchObject({ code: 'LEARNER_BIND_FAILED', message: expect.stringContaining('请向所在企业申请激活码') });

    const issued = await issueCode(person);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ code: expect.stringMatching(/^[2-9A-HJKMNP-Z]{10}$/), holderName: person.name });
    expect(issued.body.idNumberMasked).toBe(person.idNumber.slice(0, 4) + '**********' + person.idNumber.slice(-4));

    const typed = `${issued.body.code.slice(0, 5).toLowerCase()}-${issued.body.code.slice(5)}`; // as a person types it
    const reclaimed = await bind(realDevice, { name: person.name, idNumber: person.idNumber, activationCode: typed });
    expect(reclaimed.status).toBe(200);
    expect(reclaimed.body.principal).toMatchObject({ mustChangePassword: true, binding: { state: 'VERIFIED', stateLabel: '已核验' } });

    const thiefNext = await api.call('GET', '/api/learner/enrollments', { token: thief.body.token });
    expect(thiefNext.status).toBe(401);
    expect(thiefNext.body).toMatchObject({ code: 'BINDING_REPLACED', message: expect.stringContaining('激活码') });
    const thiefAgain = await wechatUser('thief-01');
    for (const password of [thiefPassword, '12345678']) {
      expect((await bind(thiefAgain, { name: person.name, idNumber: person.idNumber, password })).body.code).toBe('LEARNER_BIND_FAILED');
    }
    expect((await employeeRow(person)).learnerAccount).toMatchObject({ state: 'VERIFIED', hint: '已通过企业激活码核验为本人' });

    // The real person sets a password with the code as the current one, and it binds a new phone, still verified.
    const own = await api.call('POST', '/api/auth/password', { token: reclaimed.body.token, body: { currentPassword: issued.body.code, newPassword: NEW_PASSWORD } });
    expect(own.status).toBe(200);
    const newPhone = await bind(await wechatUser('real-person-02'), { name: person.name, idNumber: person.idNumber, password: NEW_PASSWORD });
    expect(newPhone.body.principal).toMatchObject({ mustChangePassword: false, binding: { state: 'VERIFIED' } });
  });

  test('when a code has been used, superseded by a newer one, or expired, then it binds nobody', async () => {
    const person = await holder();
    const first = (await issueCode(person)).body.code;
    const second = (await issueCode(person)).body.code;
    const device = await wechatUser('code-user-01');
    const superseded = await bind(device, { name: person.name, idNumber: person.idNumber, activationCode: first });
    expect(superseded.body.code).toBe('LEARNER_BIND_FAILED');
    expect((await bind(device, { name: person.name, idNumber: person.idNumber, activationCode: second })).status).toBe(200);
    const reused = await bind(await wechatUser('code-user-02'), { name: person.name, idNumber: person.idNumber, activationCode: second });
    expect(reused.body.code).toBe('LEARNER_BIND_FAILED');

    const later = await holder();
    const expiring = (await issueCode(later)).body;
    expect(new Date(expiring.expiresAt).getTime() - clock.now().getTime()).toBeGreaterThan(71 * 3600_000); // policy: 72 hours
    offsetMs = 73 * 3600_000;
    try {
      const expired = await bind(await wechatUser('code-user-03'), { name: later.name, idNumber: later.idNumber, activationCode: expiring.code });
      expect(expired.body.code).toBe('LEARNER_BIND_FAILED');
    } finally {
      offsetMs = 0;
    }
  });

  test('when the same code is tried from two phones at once, then exactly one binds', async () => {
    const person = await holder();
    const { code } = (await issueCode(person)).body;
    const devices = [await wechatUser('race-phone-01'), await wechatUser('race-phone-02'), await wechatUser('race-phone-03')];
    const answers = await Promise.all(devices.map((d) => bind(d, { name: person.name, idNumber: person.idNumber, activationCode: code })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
  });

  test('when an enterprise asks for a code for a certificate that is not, or no longer, in it, then it is refused and nothing is issued', async () => {
    const person = await holder();
    const certificateId = await certificateIdOf(person);
    const foreign = await api.call('POST', `/api/enterprise/certificates/${certificateId}/activation-code`, { token: otherToken });
    expect(foreign.status).toBe(404);
    const badId = await api.call('POST', '/api/enterprise/certificates/not-an-id/activation-code', { token: employerToken });
    expect(badId.status).toBe(400);

    await importRecords([{ ...person, enterpriseName: otherEnterprise.name, enterpriseUscc: otherEnterprise.uscc }], api.running.deps); // transferred
    const movedAway = await api.call('POST', `/api/enterprise/certificates/${certificateId}/activation-code`, { token: employerToken });
    expect(movedAway.status).toBe(403);
    expect(movedAway.body.message).toContain('其他企业');
    const personDoc = await PersonModel.findOne({ idHash: keyedHash(api.running.deps.config.idHashKey, person.idNumber) }).lean();
    expect(await identityHistoryOf(String(personDoc!._id))).toEqual([]);
    expect((await api.call('POST', `/api/enterprise/certificates/${certificateId}/activation-code`, { token: otherToken })).status).toBe(201);
  });

  test('when codes are issued and used, then the audit says who, when and what, without raw ID numbers or codes', async () => {
    const person = await holder();
    const first = (await issueCode(person)).body.code;
    const { code } = (await issueCode(person)).body;
    await bind(await wechatUser('audited-01'), { name: person.name, idNumber: person.idNumber, activationCode: code });
    const personDoc = await PersonModel.findOne({ idHash: keyedHash(api.running.deps.config.idHashKey, person.idNumber) }).lean();
    const history = await identityHistoryOf(String(personDoc!._id));
    expect(history.map((e) => e.action).reverse()).toEqual(['ACTIVATION_CODE_ISSUED', 'ACTIVATION_CODE_SUPERSEDED', 'ACTIVATION_CODE_ISSUED', 'ACTIVATION_CODE_USED', 'LEARNER_BOUND']);
    const issued = history.find((e) => e.action === 'ACTIVATION_CODE_ISSUED')!;
    expect(issued.actor).toMatchObject({ role: 'enterprise', enterpriseUscc: employer.uscc, accountId: expect.any(String) });
    expect(issued.at).toBeInstanceOf(Date);
    const used = history.find((e) => e.action === 'ACTIVATION_CODE_USED')!;
    expect(used.actor).toMatchObject({ role: 'wechat', openidDigest: expect.any(String) });
    const stored = JSON.stringify(await mongoose.connection.db!.collection('accountaudit').find().toArray());
    for (const secret of [person.idNumber, code, first]) expect(stored).not.toContain(secret);
  });
});

describe('a provisional learner enters the enterprise’s activation code', () => {
  test('when a learner bound with the initial password enters the code their enterprise issued, then this session shows 已核验, the code is spent and the initial password binds nobody any more', async () => {
    const person = await holder();
    const token = await provisionalLearner('upgrade-01', person);
    const { code } = (await issueCode(person)).body;

    const verified = await verifyWithCode(token, `${code.slice(0, 5).toLowerCase()} - ${code.slice(5)}`); // as a person types it
    expect(verified.status).toBe(200);
    expect(verified.body.principal).toMatchObject({ role: 'learner', binding: { state: 'VERIFIED', stateLabel: '已核验', hint: '已通过企业激活码核验为本人' } });
    const me = await api.call('GET', '/api/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.principal.binding.state).toBe('VERIFIED');
    expect((await employeeRow(person)).learnerAccount).toMatchObject({ state: 'VERIFIED', stateLabel: '已核验' });

    const reused = await bind(await wechatUser('upgrade-02'), { name: person.name, idNumber: person.idNumber, activationCode: code });
    expect(reused.body.code).toBe('LEARNER_BIND_FAILED');
    const initial = await bind(await wechatUser('upgrade-03'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    expect(initial.body.code).toBe('LEARNER_BIND_FAILED');
    expect((await api.call('GET', '/api/learner/enrollments', { token })).status).toBe(200);

    const history = await historyOf(person);
    expect(history.slice(0, 2).map((e) => e.action)).toEqual(['LEARNER_VERIFIED', 'ACTIVATION_CODE_USED']);
    expect(history[0].actor).toMatchObject({ role: 'learner', openidDigest: expect.any(String) });
  });

  test('when a verified learner enters a code, then they are told they are verified already and nothing changes', async () => {
    const person = await holder();
    const token = await provisionalLearner('verified-01', person);
    expect((await verifyWithCode(token, (await issueCode(person)).body.code)).status).toBe(200);
    const { code } = (await issueCode(person)).body;
    const before = await historyOf(person);

    const again = await verifyWithCode(token, code);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', details: { reason: 'ALREADY_VERIFIED' }, message: expect.stringContaining('已核验') });
    expect(await historyOf(person)).toEqual(before);
    expect((await api.call('GET', '/api/auth/me', { token })).body.principal.binding.state).toBe('VERIFIED');
  });

  test('when wrong codes are entered, then they count toward the person’s lock together with wrong binding attempts, and a locked person cannot verify even with the right code', async () => {
    const person = await holder();
    const token = await provisionalLearner('wrong-code-01', person);
    const { code } = (await issueCode(person)).body;

    const wrong = await verifyWithCode(token, 'ABCDE-FGHJK');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'LEARNER_BIND_FAILED', details: { remainingAttempts: 4 }, message: expect.stringContaining('激活码') });
    const stranger = await bind(await wechatUser('wrong-code-02'), { name: person.name, idNumber: person.idNumber, password: 'guess-one1' });
    expect(stranger.body.details.remainingAttempts).toBe(3);
    const more = [await verifyWithCode(token, '23456-789AB'), await verifyWithCode(token, '98765-43ZYX')];
    expect(more.map((a) => a.body.details.remainingAttempts)).toEqual([2, 1]);
    expect((await verifyWithCode(token, 'QWERT-YUPAS')).status).toBe(423);

    const right = await verifyWithCode(token, code);
    expect(right.body).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedUntil: expect.any(String) } });
    const me = await api.call('GET', '/api/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.principal.binding.state).toBe('PROVISIONAL');
  });

  test('when a learner enters a code issued for another employee, then it does not verify them and stays good for its holder', async () => {
    const person = await holder();
    const colleague = await holder(employer, '刘春梅');
    const token = await provisionalLearner('colleague-code-01', person);
    const { code } = (await issueCode(colleague)).body;

    const refused = await verifyWithCode(token, code);
    expect(refused.body).toMatchObject({ code: 'LEARNER_BIND_FAILED', details: { remainingAttempts: 4 } });
    expect((await api.call('GET', '/api/auth/me', { token })).body.principal.binding.state).toBe('PROVISIONAL');
    expect((await employeeRow(person)).learnerAccount.state).toBe('PROVISIONAL');

    const own = await bind(await wechatUser('colleague-code-02'), { name: colleague.name, idNumber: colleague.idNumber, activationCode: code });
    expect(own.status).toBe(200);
    expect(own.body.principal.binding.state).toBe('VERIFIED');
  });

  test('when someone who has only logged in with WeChat, without binding, calls it, then it is refused', async () => {
    const answer = await verifyWithCode(await wechatUser('not-bound-01'), '23456-789AB');
    expect(answer.status).toBe(403);
  });
});

describe('policy decides the proofs', () => {
  test('when a city allows only activation codes, then the initial password binds nobody there', async () => {
    await mongoose.model('Policy').updateOne({ province: 'YN' }, { $set: { 'cityOverrides.曲靖市': { accounts: { learnerBindProofs: ['ACTIVATION_CODE'] } } } });
    const person = await holder(codeOnlyCity, '段志华');
    const refused = await bind(await wechatUser('qujing-01'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    expect(refused.body.code).toBe('LEARNER_BIND_FAILED');
  });
});

describe('identity verification (实名核身) hook', () => {
  test('when the holder of a provisional binding passes identity verification, then the binding becomes verified in their session and the initial password no longer binds', async () => {
    const person = await holder();
    const holderSession = await bind(await wechatUser('face-phone-01'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    const personDoc = await PersonModel.findOne({ idHash: keyedHash(api.running.deps.config.idHashKey, person.idNumber) }).lean();

    await verifyLearnerIdentity(String(personDoc!._id), api.running.deps);

    const me = await api.call('GET', '/api/auth/me', { token: holderSession.body.token });
    expect(me.body.principal.binding).toMatchObject({ state: 'VERIFIED', hint: '已通过实名核身核验为本人' });
    const initialAgain = await bind(await wechatUser('face-phone-02'), { name: person.name, idNumber: person.idNumber, password: '12345678' });
    expect(initialAgain.body.code).toBe('LEARNER_BIND_FAILED');
    expect((await api.call('GET', '/api/auth/me', { token: holderSession.body.token })).status).toBe(200);
  });
});
