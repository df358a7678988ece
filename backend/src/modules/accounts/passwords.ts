import { timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { InitialPasswordRule } from '@ce/types';
import { randomToken } from '../../platform/crypto';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

let dummyHash: Promise<string> | undefined;

/**
 * Costs what checking a real password costs and always fails. Every check that has no stored hash to verify
 * (unknown account, wrong name, initial password, activation code) runs it, so the answer's timing does not
 * tell whether an account exists or has changed its password.
 */
export async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomToken());
  await verifyPassword(await dummyHash, password);
  return false;
}

/** The account data an initial password may be derived from. */
export interface InitialPasswordSource {
  /** What the account logs in with: credit code, enterprise name or ID number. */
  loginId: string;
  uscc?: string;
}

/** The initial password an account has before its first change, derived from the policy's rule. */
export function initialPassword(rule: InitialPasswordRule, account: InitialPasswordSource): string | undefined {
  switch (rule.rule) {
    case 'uscc':
      return account.uscc;
    case 'accountSuffix':
      return account.loginId.slice(-rule.length);
    case 'fixed':
      return rule.value;
  }
}

/**
 * Whether a typed password is the initial one. A suffix of the account (e.g. the last 6 characters of a
 * credit code) is compared without regard to letter case: people read it off a certificate and type it.
 */
export function isInitialPassword(rule: InitialPasswordRule, account: InitialPasswordSource, typed: string): boolean {
  const initial = initialPassword(rule, account);
  if (initial === undefined) return false;
  return rule.rule === 'accountSuffix' ? sameSecret(initial.toUpperCase(), typed.toUpperCase()) : sameSecret(initial, typed);
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
