import { timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { InitialPasswordRule } from '@ce/types';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

/** The initial password an account has before its first change, derived from the policy's rule. */
export function initialPassword(rule: InitialPasswordRule, account: { loginId: string; uscc?: string }): string | undefined {
  switch (rule.rule) {
    case 'uscc':
      return account.uscc;
    case 'accountSuffix':
      return account.loginId.slice(-rule.length);
    case 'fixed':
      return rule.value;
  }
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
