import { randomBytes } from 'node:crypto';
import type { StaffRole } from '@ce/types';
import type { Deps } from '../../platform/http/route';
import { StaffAccountModel } from './data';
import { dummyVerify, hashPassword, verifyPassword } from './passwords';
import { openSession, type OpenedSession } from './sessions';
import { guardedCheck, identifiers, limitRate } from './throttle';

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

export async function staffLogin(input: { username: string; password: string }, ip: string, deps: Deps): Promise<OpenedSession> {
  await limitRate('login', ip, deps);
  const account = await StaffAccountModel.findOne({ username: input.username }).lean();
  await guardedCheck(
    {
      identifier: identifiers.staff(input.username),
      during: 'login',
      ip,
      failure: { code: 'INVALID_CREDENTIALS' },
      check: () => (account ? verifyPassword(account.passwordHash, input.password) : dummyVerify(input.password)),
    },
    deps,
  );
  const staff = account!;
  return openSession(
    { role: staff.role, subjectId: String(staff._id), accountId: String(staff._id), province: staff.province, city: staff.city, mustChangePassword: staff.mustChangePassword },
    deps,
  );
}
