import type { CertificateCategory } from '@ce/types';
import { createStaffAccount } from '../../backend/src/modules/accounts';
import { registryListener } from '../../backend/src/composition';
import { PersonModel } from '../../backend/src/modules/registry';
import { keyedHash } from '../../backend/src/platform/crypto';
import { importCertificates } from '../../backend/src/modules/registry/import';
import type { Deps } from '../../backend/src/platform/http/route';
import type { TestBackend } from './backend';

export const NEW_PASSWORD = 'Safe2026pass';

/** Imports registry records through the real import, as the nightly sync would. */
export async function importRecords(records: object[], deps: Deps) {
  async function* lines() {
    for (const record of records) yield JSON.stringify(record);
  }
  return importCertificates({ lines: lines(), format: 'jsonl' }, { deps, listener: registryListener, trigger: 'cli' });
}

/** Logs an enterprise in with its initial password and makes the forced change; returns a usable token. */
export async function enterpriseReady(api: TestBackend, province: string, account: string, initialPassword: string): Promise<string> {
  const login = await api.call('POST', '/api/auth/enterprise/login', { body: { province, account, password: initialPassword } });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const changed = await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: NEW_PASSWORD } });
  if (changed.status !== 200) throw new Error(`password change failed: ${JSON.stringify(changed.body)}`);
  return login.body.token;
}

let operatorCount = 0;

/** An operator created as the `staff:create` command does, logged in and past the forced change. */
export async function operatorReady(api: TestBackend, province = 'SD'): Promise<string> {
  const username = `operator${++operatorCount}`;
  const { initialPassword } = await createStaffAccount({ username, role: 'operator', province });
  const login = await api.call('POST', '/api/auth/staff/login', { body: { username, password: initialPassword } });
  await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: NEW_PASSWORD } });
  return login.body.token;
}

export async function createClass(api: TestBackend, operatorToken: string, body: { province: string; name: string; category: CertificateCategory; jobType?: string; subCategory?: string; feeFen?: number }): Promise<string> {
  const res = await api.call('POST', '/api/admin/classes', { token: operatorToken, body: { feeFen: 20000, ...body } });
  if (res.status !== 201) throw new Error(`class creation failed: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/**
 * A learner logs in inside "WeChat" on a device, binds with name + ID number + password; returns the bind
 * answer. Without `name`, the holder's own name from the registry is used (a real learner knows it).
 */
export async function learnerBinds(api: TestBackend, deviceId: string, idNumber: string, password: string, name?: string) {
  const code = await wechatCode(deviceId);
  const login = await api.call('POST', '/api/auth/learner/wechat-login', { body: { code } });
  if (login.body.principal?.role !== 'wechat') return login;
  const holderName = name ?? (await PersonModel.findOne({ idHash: keyedHash(api.running.deps.config.idHashKey, idNumber) }).lean())?.name;
  return api.call('POST', '/api/auth/learner/bind', { token: login.body.token, body: { name: holderName, idNumber, password } });
}

/** What `wx.login` gives the mini-program on this device (from the WeChat simulator). */
export async function wechatCode(deviceId: string): Promise<string> {
  const res = await fetch(`${process.env.TEST_WECHAT_API_BASE}/sim/wx/login`, { method: 'POST', body: JSON.stringify({ deviceId }) });
  return ((await res.json()) as { code: string }).code;
}
