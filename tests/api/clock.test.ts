import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { fixedClock } from '../../backend/src/platform/clock';
import { useTestBackend } from '../helpers/backend';
import { REPO_ROOT } from '../helpers/h5-build';
import { enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const DAY = '2031-03-04T02:00:00.000Z';
const api = useTestBackend({ clock: fixedClock(DAY) });
const owner = enterprise(971, 'SD');

test('when the backend runs on a chosen day, then the accounts and sessions it creates carry that day, not the real one', async () => {
  await importRecords([certificate(owner, { expiryDate: '2031-06-30' })], api.running.deps);
  await enterpriseReady(api, 'SD', owner.name, owner.uscc);
  await operatorReady(api, 'SD');
  for (const name of ['EnterpriseAccount', 'StaffAccount', 'Session']) {
    const docs = await mongoose.model(name).find({}).lean<{ createdAt: Date }[]>();
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) expect(doc.createdAt.toISOString()).toBe(DAY);
  }
});

/** Files whose `new Date()` is wall-clock on purpose: the clock itself, leases and claims (they must expire in real time). */
const WALL_CLOCK = ['platform/clock.ts', 'platform/lease.ts', 'platform/exclusive.ts', 'modules/registry/lease.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

test('when backend code needs "now", then it asks the injected clock: no bare new Date() outside the clock and leases', () => {
  const root = path.join(REPO_ROOT, 'backend/src');
  const offenders = sources(root)
    .filter((file) => !WALL_CLOCK.includes(path.relative(root, file)))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(root, file)}:${i + 1}` }))
        .filter(({ line }) => /new Date\(\)/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
  expect(offenders).toEqual([]);
});
