import mongoose from 'mongoose';
import { provincePolicy } from '@ce/types';
import { prepareDatabase } from '../../backend/src/app';
import { MIGRATIONS } from '../../backend/src/migrations';
import { BUILT_IN_PROFILES } from '../../backend/src/modules/policy';
import { runMigrations, type Migration } from '../../backend/src/platform/migrations';
import { createLogger } from '../../backend/src/platform/logger';
import { systemClock } from '../../backend/src/platform/clock';
import { useTestBackend } from '../helpers/backend';
import { migratedSettings, plantOldPolicies } from '../helpers/policy-migration';
import { testDeps } from '../helpers/db';
import { enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const db = () => mongoose.connection.db!;
const owner = enterprise(901, 'SD');

/** The policies as a database from before issue 5 holds them: no learner-binding settings, and an operator's edits. */
function policiesOfTheOldShape() {
  return BUILT_IN_PROFILES.map((profile) => {
    const { learnerBindProofs: _proofs, activationCodeValidHours: _hours, ...accounts } = profile.settings.accounts;
    const settings = { ...profile.settings, accounts };
    if (profile.province === 'SD') {
      settings.enrollment = { ...settings.enrollment, windowMonthsBeforeExpiry: 5 };
      return { ...profile, settings, cityOverrides: { ...profile.cityOverrides, 济南市: { enrollment: { leadTimeDays: { online: 10, offline: 30 } } } } };
    }
    return { ...profile, settings };
  });
}

const FIRST = '001-policy-learner-binding-settings';

const api = useTestBackend({
  beforeStart: async () => {
    await importRecords([certificate(owner)], testDeps());
    await plantOldPolicies(policiesOfTheOldShape(), FIRST);
  },
});

describe('a database from before the learner-binding settings', () => {
  test('when its old policies are read as they are, then they do not parse (so this test means something)', () => {
    for (const old of policiesOfTheOldShape()) expect(provincePolicy.safeParse(old).success).toBe(false);
  });

  test('when the backend starts on it, then the migration adds the settings, keeps the operator edits, and logins work', async () => {
    expect(api.running.migrationsApplied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(api.running.migrationsApplied[0]).toBe(FIRST);
    await migratedSettings();

    const token = await enterpriseReady(api, 'SD', owner.name, owner.uscc);
    expect((await api.call('GET', '/api/enterprise/employees', { token })).status).toBe(200);

    const policies = await api.call('GET', '/api/admin/policies', { token: await operatorReady(api, 'SD') });
    expect(policies.status).toBe(200);
    const sd = policies.body.items.find((p: { province: string }) => p.province === 'SD');
    expect(sd.settings.accounts).toMatchObject({ learnerBindProofs: ['INITIAL_PASSWORD', 'ACTIVATION_CODE'], activationCodeValidHours: 72 });
    expect(sd.settings.enrollment.windowMonthsBeforeExpiry).toBe(5);
    expect(sd.cityOverrides['济南市']).toEqual({ enrollment: { leadTimeDays: { online: 10, offline: 30 } } });
  });

  test('when it starts again, then nothing is applied twice', async () => {
    expect(await prepareDatabase(api.running.deps)).toEqual([]);
    expect(await db().collection('migrations').countDocuments({})).toBe(MIGRATIONS.length);
  });

  test('when an operator already set one of the settings, then the migration leaves it and adds only the other', async () => {
    await plantOldPolicies(policiesOfTheOldShape(), FIRST);
    await db().collection('policies').updateOne({ province: 'YN' }, { $set: { 'settings.accounts.activationCodeValidHours': 24 } });
    expect(await prepareDatabase(api.running.deps)).toEqual([FIRST]);
    const yn = await db().collection('policies').findOne({ province: 'YN' });
    expect(yn?.settings.accounts).toMatchObject({ activationCodeValidHours: 24, learnerBindProofs: ['INITIAL_PASSWORD', 'ACTIVATION_CODE'] });
  });
});

describe('one instance at a time', () => {
  const context = () => ({ db: db(), clock: systemClock, logger: createLogger('silent') });

  /** A migration that takes a while and notes how many copies of it run at once. */
  function slowMigration(name: string) {
    const seen = { runs: 0, running: 0, mostAtOnce: 0 };
    const migration: Migration = {
      name,
      async up() {
        seen.runs++;
        seen.running++;
        seen.mostAtOnce = Math.max(seen.mostAtOnce, seen.running);
        await new Promise((r) => setTimeout(r, 300));
        seen.running--;
      },
    };
    return { migration, seen };
  }

  test('when three instances start at once, then a pending migration runs exactly once and never concurrently', async () => {
    const { migration, seen } = slowMigration('900-test-slow');
    const results = await Promise.all([1, 2, 3].map(() => runMigrations([migration], context())));
    expect(results.flat()).toEqual(['900-test-slow']);
    expect(seen).toMatchObject({ runs: 1, mostAtOnce: 1 });
    expect(await db().collection('leases').countDocuments({ _id: 'migrations' as never })).toBe(0);
  });

  test('when an instance died holding the lease, then the next one waits for the lease to run out and proceeds', async () => {
    await db().collection('leases').insertOne({ _id: 'migrations' as never, holder: 'dead-host:4242:abc', expiresAt: new Date(Date.now() + 1500) });
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const started = Date.now();
    const { migration, seen } = slowMigration('901-test-after-dead-holder');
    expect(await runMigrations([migration], { ...context(), logger })).toEqual(['901-test-after-dead-holder']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1300);
    expect(seen.runs).toBe(1);
    expect(lines.some((l) => l.msg === 'waiting for another instance to finish' && l.heldBy === 'dead-host:4242:abc')).toBe(true);
  });

  test('when a migration fails, then it is not recorded, the lease is released, and the next start tries it again', async () => {
    let attempts = 0;
    const flaky: Migration = {
      name: '902-test-fails-once',
      async up() {
        if (++attempts === 1) throw new Error('disk full');
      },
    };
    await expect(runMigrations([flaky], context())).rejects.toThrow(/disk full/);
    expect(await db().collection('leases').countDocuments({})).toBe(0);
    expect(await runMigrations([flaky], context())).toEqual(['902-test-fails-once']);
  });
});
