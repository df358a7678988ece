import mongoose from 'mongoose';
import { accountsPerLegalEntity } from '../../backend/src/migrations/002-accounts-per-legal-entity';
import { EnterpriseAccountModel, syncEnterpriseAccounts } from '../../backend/src/modules/accounts';
import { useTestBackend } from '../helpers/backend';
import { makeUscc } from '../helpers/fixtures';
import { enterpriseReady, importRecords, NEW_PASSWORD } from '../helpers/journeys';
import { certificate, enterprise, type EnterpriseFixture } from '../helpers/records';

const api = useTestBackend({ env: { LOGIN_MAX_FAILURES: '5', LOGIN_RATE_PER_MINUTE: '1000' } });

function login(province: string, account: string, password: string, uscc?: string) {
  return api.call('POST', '/api/auth/enterprise/login', { body: { province, account, password, ...(uscc ? { uscc } : {}) } });
}

async function imported(owner: EnterpriseFixture): Promise<EnterpriseFixture> {
  await importRecords([certificate(owner)], api.running.deps);
  return owner;
}

/** The nightly import brings the enterprise under a new name (same credit code). */
async function renamed(owner: EnterpriseFixture, newName: string): Promise<EnterpriseFixture> {
  const after = { ...owner, name: newName };
  await importRecords([certificate(after)], api.running.deps);
  return after;
}

describe('a rename keeps the account of the legal entity', () => {
  test('when an enterprise that changed its password is renamed, then it logs in under the new name with that password and the public credit code does not work again', async () => {
    const before = await imported(enterprise(701, 'SD'));
    await enterpriseReady(api, 'SD', before.name, before.uscc);
    const after = await renamed(before, '济南新名称建设集团有限公司');

    const initialAgain = await login('SD', after.name, after.uscc);
    expect(initialAgain.body.code).toBe('INVALID_CREDENTIALS');
    const withOwnPassword = await login('SD', after.name, NEW_PASSWORD);
    expect(withOwnPassword.status).toBe(200);
    expect(withOwnPassword.body.principal).toMatchObject({ displayName: after.name, uscc: after.uscc, mustChangePassword: false });

    const formerName = await login('SD', before.name, NEW_PASSWORD);
    expect(formerName.status).toBe(401);
    expect(formerName.body).toMatchObject({ code: 'ACCOUNT_RENAMED', details: { newName: after.name } });
    expect(formerName.body.message).toContain(after.name);
    const formerNameWrongPassword = await login('SD', before.name, before.uscc);
    expect(formerNameWrongPassword.body.code).toBe('INVALID_CREDENTIALS');
  });

  test('when an enterprise that never changed its password is renamed, then its initial password still works under the new name and the change is still forced', async () => {
    const before = await imported(enterprise(702, 'SD'));
    const after = await renamed(before, '济南从未改密建筑有限公司');
    const res = await login('SD', after.name, after.uscc);
    expect(res.status).toBe(200);
    expect(res.body.principal).toMatchObject({ displayName: after.name, mustChangePassword: true });
  });

  test('when a Yunnan enterprise is renamed, then its credit-code login and its password are unchanged', async () => {
    const before = await imported(enterprise(703, 'YN'));
    await enterpriseReady(api, 'YN', before.uscc, before.uscc.slice(-6));
    const after = await renamed(before, '昆明更名后的工程有限公司');
    const res = await login('YN', after.uscc, NEW_PASSWORD);
    expect(res.body.principal).toMatchObject({ displayName: after.name, mustChangePassword: false });
  });
});

describe('a former name never leads into another enterprise', () => {
  test('when a new enterprise is imported under another one’s former name, then it gets its own account and the renamed one’s password opens nothing there', async () => {
    const original = await imported(enterprise(711, 'SD'));
    await enterpriseReady(api, 'SD', original.name, original.uscc);
    const moved = await renamed(original, '济南改名迁出工程有限公司');
    const newcomer = await imported({ ...enterprise(712, 'SD'), name: original.name });

    const oldPasswordUnderOldName = await login('SD', original.name, NEW_PASSWORD);
    expect(oldPasswordUnderOldName.body.code).toBe('INVALID_CREDENTIALS');
    const newcomerLogin = await login('SD', newcomer.name, newcomer.uscc);
    expect(newcomerLogin.status).toBe(200);
    expect(newcomerLogin.body.principal).toMatchObject({ uscc: newcomer.uscc, mustChangePassword: true });
    const originalUscc = await login('SD', newcomer.name, original.uscc);
    expect(originalUscc.body.code).toBe('INVALID_CREDENTIALS');
    expect((await login('SD', moved.name, NEW_PASSWORD)).body.principal.uscc).toBe(original.uscc);
  });
});

describe('enterprises that share a name', () => {
  test('when two enterprises in one province share a name, then both get working accounts: the name alone asks for the credit code, the name with it logs each in', async () => {
    const shared = '济南同名建筑工程有限公司';
    const first = await imported({ ...enterprise(721, 'SD'), name: shared });
    const second = await imported({ ...enterprise(722, 'SD'), name: shared });

    const ambiguous = await login('SD', shared, first.uscc);
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body).toMatchObject({ code: 'ACCOUNT_AMBIGUOUS', message: expect.stringContaining('统一社会信用代码') });
    for (const owner of [first, second]) {
      const res = await login('SD', shared, owner.uscc, owner.uscc);
      expect(res.status).toBe(200);
      expect(res.body.principal.uscc).toBe(owner.uscc);
    }
    const crossed = await login('SD', shared, first.uscc, second.uscc);
    expect(crossed.body.code).toBe('INVALID_CREDENTIALS');
  });

  test('when a name is typed with half-width brackets or spaces, then it finds the enterprise registered with full-width ones', async () => {
    const owner = await imported({ ...enterprise(731, 'SD'), name: '山东鲁建（济南）工程有限公司' });
    const res = await login('SD', ' 山东鲁建(济南)工程 有限公司 ', owner.uscc);
    expect(res.status).toBe(200);
  });
});

describe('the registry listener', () => {
  test('when one batch names an enterprise twice, then it keeps one account with the last name, and seeing it again changes nothing', async () => {
    const uscc = makeUscc(741);
    const seen = (name: string) => ({ uscc, name, province: 'SD', city: '济南市' });
    await syncEnterpriseAccounts([seen('济南先名公司'), seen('济南后名公司')]);
    await syncEnterpriseAccounts([seen('济南后名公司')]);
    const accounts = await EnterpriseAccountModel.find({ enterpriseUscc: uscc }).lean();
    expect(accounts.map((a) => a.enterpriseName)).toEqual(['济南后名公司']);
  });
});

describe('migrating accounts stored one per login name', () => {
  test('when an old database holds a renamed enterprise as two accounts and lacks a same-name one, then the migration leaves one account per credit code with the password that was set', async () => {
    // A database of its own: the old shape had no unique credit-code index, this file's database has it.
    const db = mongoose.connection.getClient().db(`${mongoose.connection.db!.databaseName}_old_shape`);
    const renamedOne = { ...enterprise(751, 'SD'), name: '济南迁移后名称有限公司' };
    const sameName = { ...enterprise(752, 'SD'), name: renamedOne.name };
    await db.collection('enterprises').insertMany(
      [renamedOne, sameName].map((e) => ({ uscc: e.uscc, name: e.name, formerNames: [], province: 'SD', city: e.city, syncedAt: new Date() })),
    );
    await db.collection('enterpriseaccounts').insertMany([
      { province: 'SD', loginId: '济南迁移前名称有限公司', enterpriseUscc: renamedOne.uscc, enterpriseName: '济南迁移前名称有限公司', passwordHash: 'hash-set-before-rename', status: 'RENAMED', renamedTo: renamedOne.name, createdAt: new Date('2025-01-01') },
      { province: 'SD', loginId: renamedOne.name, enterpriseUscc: renamedOne.uscc, enterpriseName: renamedOne.name, status: 'ACTIVE', createdAt: new Date('2026-01-01') },
    ]);
    await db.collection('learneraccounts').insertOne({ personId: new mongoose.Types.ObjectId(), openid: 'o-migrated-learner', createdAt: new Date('2025-06-01') });

    await accountsPerLegalEntity.up({ db, clock: api.running.deps.clock, logger: api.running.deps.logger });

    const accounts = await db.collection('enterpriseaccounts').find({}).sort({ enterpriseUscc: 1 }).toArray();
    expect(accounts.map((a) => [a.enterpriseUscc, a.enterpriseName])).toEqual([renamedOne, sameName].map((e) => [e.uscc, e.name]).sort());
    const merged = accounts.find((a) => a.enterpriseUscc === renamedOne.uscc)!;
    expect(merged).toMatchObject({ passwordHash: 'hash-set-before-rename', formerNameKeys: ['济南迁移前名称有限公司'], city: renamedOne.city });
    expect(merged).not.toHaveProperty('loginId');
    expect(merged).not.toHaveProperty('status');
    for (const doc of accounts) await expect(new EnterpriseAccountModel(doc).validate()).resolves.toBeUndefined();
    const learner = await db.collection('learneraccounts').findOne({ openid: 'o-migrated-learner' });
    expect(learner!.binding).toMatchObject({ state: 'PROVISIONAL', proof: 'INITIAL_PASSWORD', since: new Date('2025-06-01') });

    await accountsPerLegalEntity.up({ db, clock: api.running.deps.clock, logger: api.running.deps.logger }); // running twice changes nothing
    expect(await db.collection('enterpriseaccounts').countDocuments()).toBe(2);
    for (const name of ['enterprises', 'enterpriseaccounts', 'learneraccounts']) await db.collection(name).deleteMany({});
  });
});
