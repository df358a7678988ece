import { fixedClock } from '../../backend/src/platform/clock';
import { useTestBackend } from '../helpers/backend';
import { createClass, enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

/**
 * Every eligibility rule at its boundary dates, for each built-in profile, on a fixed day.
 * Today is 2026-11-20 (China time). Shandong 济南 (online exam): window 6 months, 24 h at 8 h/day = 3 days,
 * upload delay 3 days, lead time 7 days → last day = expiry − 13. Shandong 淄博 (offline exam override):
 * window 9 months, lead 30 days → last day = expiry − 36. Yunnan 昆明: window 6 months, lead 7 days, and B
 * certificates need no constructor registration.
 */
const clock = fixedClock('2026-11-20T04:00:00Z');
const api = useTestBackend({ clock });

const jinan = enterprise(101, 'SD', '济南市');
const zibo = enterprise(102, 'SD', '淄博市');
const kunming = enterprise(103, 'YN', '昆明市');
const other = enterprise(104, 'SD', '济南市');

interface Case {
  story: string;
  owner: typeof jinan;
  record: Record<string, unknown>;
  classKey: string;
  expected: string[];
  eligibleFrom?: string;
}

const sdB = (overrides: Record<string, unknown>) => ({ category: 'B', constructorEnterpriseUscc: jinan.uscc, constructorValidUntil: '2028-01-01', ...overrides });

const cases: Case[] = [
  { story: 'SD: expiry exactly 6 months away opens today', owner: jinan, record: { expiryDate: '2027-05-20' }, classKey: 'SD-C', expected: [] },
  { story: 'SD: expiry 6 months and a day away is too early, eligible from tomorrow', owner: jinan, record: { expiryDate: '2027-05-21' }, classKey: 'SD-C', expected: ['TOO_EARLY'], eligibleFrom: '2026-11-21' },
  { story: 'SD: expiry 13 days away still leaves enough time', owner: jinan, record: { expiryDate: '2026-12-03' }, classKey: 'SD-C', expected: [] },
  { story: 'SD: expiry 12 days away leaves too little time', owner: jinan, record: { expiryDate: '2026-12-02' }, classKey: 'SD-C', expected: ['NOT_ENOUGH_TIME'] },
  { story: 'SD: a certificate expiring today is not yet expired but too late', owner: jinan, record: { expiryDate: '2026-11-20' }, classKey: 'SD-C', expected: ['NOT_ENOUGH_TIME'] },
  { story: 'SD: a certificate that expired yesterday is locked', owner: jinan, record: { expiryDate: '2026-11-19' }, classKey: 'SD-C', expected: ['EXPIRED'] },
  { story: 'SD 淄博 (offline exam): expiry exactly 9 months away opens today', owner: zibo, record: { expiryDate: '2027-08-20' }, classKey: 'SD-C', expected: [] },
  { story: 'SD 淄博: 9 months and a day is too early', owner: zibo, record: { expiryDate: '2027-08-21' }, classKey: 'SD-C', expected: ['TOO_EARLY'], eligibleFrom: '2026-11-21' },
  { story: 'SD 淄博: expiry 36 days away is the last chance', owner: zibo, record: { expiryDate: '2026-12-26' }, classKey: 'SD-C', expected: [] },
  { story: 'SD 淄博: expiry 35 days away is too late for an offline exam', owner: zibo, record: { expiryDate: '2026-12-25' }, classKey: 'SD-C', expected: ['NOT_ENOUGH_TIME'] },
  { story: 'SD: a main A certificate may enroll', owner: jinan, record: { category: 'A', aKind: 'MAIN' }, classKey: 'SD-A', expected: [] },
  { story: 'SD: an additional A certificate follows the main one', owner: jinan, record: { category: 'A', aKind: 'ADDITIONAL' }, classKey: 'SD-A', expected: ['ADDITIONAL_A_CERTIFICATE'] },
  { story: 'SD: a class for another category does not fit', owner: jinan, record: { category: 'A', aKind: 'MAIN' }, classKey: 'SD-C', expected: ['CLASS_MISMATCH'] },
  { story: 'SD: a suspended certificate cannot enroll', owner: jinan, record: { status: 'SUSPENDED' }, classKey: 'SD-C', expected: ['CERTIFICATE_NOT_VALID'] },
  { story: 'SD: a certificate busy with another business waits', owner: jinan, record: { busy: true }, classKey: 'SD-C', expected: ['BUSY_WITH_OTHER_BUSINESS'] },
  { story: 'SD: B with a constructor registration valid through today may enroll', owner: jinan, record: sdB({ constructorValidUntil: '2026-11-20' }), classKey: 'SD-B', expected: [] },
  { story: 'SD: B whose constructor registration lapsed yesterday may not', owner: jinan, record: sdB({ constructorValidUntil: '2026-11-19' }), classKey: 'SD-B', expected: ['CONSTRUCTOR_REGISTRATION_MISSING'] },
  { story: 'SD: B without any constructor registration may not', owner: jinan, record: sdB({ constructorEnterpriseUscc: undefined, constructorValidUntil: undefined }), classKey: 'SD-B', expected: ['CONSTRUCTOR_REGISTRATION_MISSING'] },
  { story: 'SD: B registered as constructor in another enterprise may not', owner: jinan, record: sdB({ constructorEnterpriseUscc: other.uscc }), classKey: 'SD-B', expected: ['CONSTRUCTOR_REGISTRATION_OTHER_ENTERPRISE'] },
  { story: 'YN: expiry exactly 6 months away opens today', owner: kunming, record: { category: 'A', aKind: 'MAIN', expiryDate: '2027-05-20' }, classKey: 'YN-A', expected: [] },
  { story: 'YN: 6 months and a day is too early', owner: kunming, record: { category: 'A', aKind: 'MAIN', expiryDate: '2027-05-21' }, classKey: 'YN-A', expected: ['TOO_EARLY'], eligibleFrom: '2026-11-21' },
  { story: 'YN: expiry 12 days away leaves too little time', owner: kunming, record: { category: 'A', aKind: 'MAIN', expiryDate: '2026-12-02' }, classKey: 'YN-A', expected: ['NOT_ENOUGH_TIME'] },
  { story: 'YN: B needs no constructor registration under its policy', owner: kunming, record: { category: 'B' }, classKey: 'YN-B', expected: [] },
  { story: 'YN: 施工员(土建) fits the 施工员(土建) class', owner: kunming, record: { category: 'SITE_PRO', jobType: '施工员', subCategory: '土建' }, classKey: 'YN-SITE-土建', expected: [] },
  { story: 'YN: 施工员(装饰) does not fit the 施工员(土建) class', owner: kunming, record: { category: 'SITE_PRO', jobType: '施工员', subCategory: '装饰' }, classKey: 'YN-SITE-土建', expected: ['CLASS_MISMATCH'] },
];

const records = cases.map((c) => certificate(c.owner, c.record));
const tokens: Record<string, string> = {};
const classes: Record<string, string> = {};

beforeAll(async () => {
  const summary = await importRecords(records, api.running.deps);
  expect(summary.rejected).toBe(0);
  const operator = await operatorReady(api, 'SD');
  const ynOperator = await operatorReady(api, 'YN');
  classes['SD-C'] = await createClass(api, operator, { province: 'SD', name: 'C类继续教育班', category: 'C' });
  classes['SD-A'] = await createClass(api, operator, { province: 'SD', name: 'A类继续教育班', category: 'A' });
  classes['SD-B'] = await createClass(api, operator, { province: 'SD', name: 'B类继续教育班', category: 'B' });
  classes['YN-A'] = await createClass(api, ynOperator, { province: 'YN', name: 'A证继续教育班', category: 'A' });
  classes['YN-B'] = await createClass(api, ynOperator, { province: 'YN', name: 'B证继续教育班', category: 'B' });
  classes['YN-SITE-土建'] = await createClass(api, ynOperator, { province: 'YN', name: '施工员（土建）继续教育班', category: 'SITE_PRO', jobType: '施工员', subCategory: '土建' });
  tokens[jinan.uscc] = await enterpriseReady(api, 'SD', jinan.name, jinan.uscc);
  tokens[zibo.uscc] = await enterpriseReady(api, 'SD', zibo.name, zibo.uscc);
  tokens[kunming.uscc] = await enterpriseReady(api, 'YN', kunming.uscc, kunming.uscc.slice(-6));
});

async function reasonsFor(owner: typeof jinan, certificateNo: unknown, classKey: string) {
  const res = await api.call('GET', `/api/enterprise/employees?classId=${classes[classKey]}`, { token: tokens[owner.uscc] });
  expect(res.status).toBe(200);
  const item = res.body.items.find((i: { certificateNo: string }) => i.certificateNo === certificateNo);
  expect(item).toBeDefined();
  return item;
}

describe('eligibility with reasons', () => {
  test.each(cases.map((c, i) => [c.story, i] as const))('when %s, then the enterprise sees exactly that', async (_story, index) => {
    const c = cases[index];
    const item = await reasonsFor(c.owner, records[index].certificateNo, c.classKey);
    expect(item.reasons.map((r: { code: string }) => r.code)).toEqual(c.expected);
    expect(item.eligible).toBe(c.expected.length === 0);
    for (const r of item.reasons) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    if (c.eligibleFrom) expect(item.reasons[0].eligibleFrom).toBe(c.eligibleFrom);
  });

  test('when a certificate moves to another enterprise, then the old enterprise sees it with NOT_CURRENT_ENTERPRISE and the new one can enroll it', async () => {
    const moving = certificate(jinan, { expiryDate: '2027-03-01' });
    await importRecords([moving], api.running.deps);
    await importRecords([{ ...moving, enterpriseName: other.name, enterpriseUscc: other.uscc }], api.running.deps);
    const old = await reasonsFor(jinan, moving.certificateNo, 'SD-C');
    expect(old.reasons.map((r: { code: string }) => r.code)).toEqual(['NOT_CURRENT_ENTERPRISE']);
    const otherToken = await enterpriseReady(api, 'SD', other.name, other.uscc);
    const res = await api.call('GET', `/api/enterprise/employees?classId=${classes['SD-C']}`, { token: otherToken });
    const item = res.body.items.find((i: { certificateNo: string }) => i.certificateNo === moving.certificateNo);
    expect(item.eligible).toBe(true);
  });

  test('when a certificate is enrolled, then it shows ALREADY_ENROLLED and its enrollment status', async () => {
    const fresh = certificate(jinan, { expiryDate: '2027-02-01' });
    await importRecords([fresh], api.running.deps);
    const before = await reasonsFor(jinan, fresh.certificateNo, 'SD-C');
    const enrolled = await api.call('POST', '/api/enterprise/enrollments', { token: tokens[jinan.uscc], body: { classId: classes['SD-C'], certificateIds: [before.certificateId] } });
    expect(enrolled.status).toBe(201);
    const after = await reasonsFor(jinan, fresh.certificateNo, 'SD-C');
    expect(after.reasons.map((r: { code: string }) => r.code)).toEqual(['ALREADY_ENROLLED']);
    expect(after.enrollment.statusLabel).toBe('待缴费');
  });

  test('when no class is chosen, then the category rule is not judged and counts add up by reason', async () => {
    const res = await api.call('GET', '/api/enterprise/employees', { token: tokens[jinan.uscc] });
    expect(res.body.items.some((i: { reasons: { code: string }[] }) => i.reasons.some((r) => r.code === 'CLASS_MISMATCH'))).toBe(false);
    expect(res.body.counts.total).toBe(res.body.counts.eligible + res.body.counts.blocked);
    expect(res.body.today).toBe('2026-11-20');
    const blocked = await api.call('GET', '/api/enterprise/employees?filter=blocked&reason=EXPIRED', { token: tokens[jinan.uscc] });
    expect(blocked.body.items.length).toBe(res.body.counts.byReason.EXPIRED);
    expect(blocked.body.items.every((i: { eligible: boolean }) => !i.eligible)).toBe(true);
  });
});
