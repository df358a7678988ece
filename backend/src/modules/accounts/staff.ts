import { randomBytes } from 'node:crypto';
import type { StaffRole } from '@ce/types';
import type { Deps } from '../../platform/http/route';
import { StaffAccountModel } from './data';
import { hashPassword, verifyPassword } from './passwords';
import { openSession } from './sessions';
import { assertNotLocked, checkRate, clearFailures, recordFailure } from './throttle';

/** Creates a reviewer (scoped to a city) or an operator (province); returns a one-time initial password. */
export async function createStaffAccount(input: { username: string; role: StaffRole; province: string; city?: string; password?: string }) {
  const password = input.password ?? randomBytes(9).toString('base64url');
  await StaffAccountModel.create({
    username: input.username,
    role: input.role,
    province: input.province,
    city: input.role === 'reviewer' ? input.city : undefined,
    passwordHash: await hashPassword(password),
    mustChangePassword: true,
  });
  return { username: input.username, initialPassword: password };
}

export async function staffLogin(input: { username: string; password: string }, ip: string, deps: Deps) {
  checkRate('login', ip, deps);
  const throttleKey = `staff:${input.username.toLowerCase()}`;
  await assertNotLocked(throttleKey, deps);
  const account = await StaffAccountModel.findOne({ username: input.username }).lean();
  if (!account || !(await verifyPassword(account.passwordHash, input.password))) return recordFailure(throttleKey, deps);
  await clearFailures(throttleKey);
  return openSession(
    { role: account.role, subjectId: String(account._id), accountId: String(account._id), province: account.province, city: account.city, mustChangePassword: account.mustChangePassword },
    deps,
  );
}
