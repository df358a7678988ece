import { randomBytes } from 'node:crypto';
import { startWechatPaySimulator, type WechatPaySimulator } from '../../backend/simulators/wechatpay';
import { useTestBackend, type TestBackend } from '../helpers/backend';
import { TEST_WECHAT } from '../helpers/constants';
import { createClass, enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise, monthsFromToday, type EnterpriseFixture } from '../helpers/records';
import { NOTIFY_PATH, wechatPayEnv } from '../payments/helpers';
import { freePort } from '../../backend/src/platform/database/mongod';
import type { Clock } from '../../backend/src/platform/clock';

export interface OrdersStack {
  sim: WechatPaySimulator;
  api: TestBackend;
  /**
   * Runs the jobs due `aheadMs` from now. The backend keeps the real clock: WeChat Pay refuses (and we refuse)
   * signatures more than 5 minutes off, so time is moved for the job runner only.
   */
  runJobs(aheadMs?: number): Promise<unknown>;
}

/**
 * A WeChat Pay simulator and a backend whose jobs run only when a test says so. With
 * `notificationsLost`, WeChat Pay cannot reach the backend: payments are found by asking, or delivered by the test.
 * A `clock` must stand near real time while paying (WeChat Pay signatures are checked ±5 minutes).
 */
export function useOrdersStack(options: { notificationsLost?: boolean; clock?: Clock; env?: Record<string, string> } = {}): OrdersStack {
  const env: Record<string, string> = { JOBS_POLL_INTERVAL_MS: '0', ...options.env };
  const stack = {} as OrdersStack;
  beforeAll(async () => {
    stack.sim = await startWechatPaySimulator({ appid: TEST_WECHAT.appid, timeScale: 0.001, refundDelayMs: 50_000 });
    const port = await freePort();
    const notifyUrl = options.notificationsLost ? `http://127.0.0.1:9${NOTIFY_PATH}` : `http://127.0.0.1:${port}${NOTIFY_PATH}`;
    Object.assign(env, { PORT: String(port) }, wechatPayEnv(stack.sim, notifyUrl));
  });
  stack.api = useTestBackend({ env, clock: options.clock });
  stack.runJobs = (aheadMs = 0) => stack.api.running.jobRunner.runDueJobs(new Date(Date.now() + aheadMs));
  afterAll(async () => {
    await stack.sim?.stop();
  });
  return stack;
}

export interface Payer {
  owner: EnterpriseFixture;
  token: string;
  /** Enrolls the next `count` of its imported people; answers their enrollment ids. */
  enroll(count: number): Promise<string[]>;
  invoice: { kind: 'NORMAL'; buyerType: 'ENTERPRISE'; title: string; taxId: string; email: string };
}

/** An enterprise with `people` certificates to enroll, logged in, and a class at `feeFen`. */
export async function enterpriseWithPeople(api: TestBackend, seed: number, people: number, feeFen: number, province: 'SD' | 'YN' = 'SD'): Promise<Payer> {
  const owner = enterprise(seed, province);
  // Yunnan does not serve category C.
  const category = province === 'SD' ? 'C' : 'A';
  const records = Array.from({ length: people }, () => certificate(owner, { category, ...(category === 'A' ? { aKind: 'MAIN' } : {}), expiryDate: monthsFromToday(3) }));
  await importRecords(records, api.running.deps);
  const classId = await createClass(api, await operatorReady(api, province), { province, name: `订单${category}类班${seed}`, category, feeFen });
  // Shandong logs in by name with the credit code as password; Yunnan by credit code with its last six characters.
  const token = province === 'SD' ? await enterpriseReady(api, 'SD', owner.name, owner.uscc) : await enterpriseReady(api, 'YN', owner.uscc, owner.uscc.slice(-6));
  let next = 0;
  return {
    owner,
    token,
    invoice: { kind: 'NORMAL', buyerType: 'ENTERPRISE', title: owner.name, taxId: owner.uscc, email: `caiwu-${randomBytes(4).toString('hex')}@example.com` },
    async enroll(count) {
      const chosen = records.slice(next, next + count);
      next += count;
      const certificateIds: string[] = [];
      for (const record of chosen) {
        const employees = await api.call('GET', `/api/enterprise/employees?q=${encodeURIComponent(record.name)}`, { token });
        certificateIds.push(employees.body.items.find((i: { certificateNo: string }) => i.certificateNo === record.certificateNo).certificateId);
      }
      const enrolled = await api.call('POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds } });
      if (enrolled.status !== 201) throw new Error(`enrollment failed: ${JSON.stringify(enrolled.body)}`);
      return enrolled.body.items.map((i: { id: string }) => i.id);
    },
  };
}

/** The invoice mail(s) the run's inbox received for an address. */
export async function inboxFor(to: string): Promise<{ id: string; subject: string; attachments: { filename: string }[] }[]> {
  const res = await fetch(`${process.env.TEST_MAIL_INBOX_URL}/api/messages?to=${encodeURIComponent(to)}`);
  return res.json() as never;
}

export async function attachment(messageId: string, index = 0): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${process.env.TEST_MAIL_INBOX_URL}/api/messages/${messageId}/attachments/${index}`)).arrayBuffer());
}
