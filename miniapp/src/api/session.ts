import type { SessionPrincipal } from '@ce/types';
import { platform } from '../platform';

const TOKEN_KEY = 'ce.token';
const PRINCIPAL_KEY = 'ce.principal';
const LAST_ROLE_KEY = 'ce.lastRole';
const NOTICE_KEY = 'ce.notice';

export function getToken(): string | undefined {
  return platform.storage.get(TOKEN_KEY);
}

export function getPrincipal(): SessionPrincipal | undefined {
  const raw = platform.storage.get(PRINCIPAL_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as SessionPrincipal;
  } catch {
    return undefined;
  }
}

export function saveSession(token: string, principal: SessionPrincipal): void {
  platform.storage.set(TOKEN_KEY, token);
  savePrincipal(principal);
}

export function savePrincipal(principal: SessionPrincipal): void {
  platform.storage.set(PRINCIPAL_KEY, JSON.stringify(principal));
  platform.storage.set(LAST_ROLE_KEY, principal.role);
}

/** Forgets the session but remembers which kind of user this was, so they land on the right login page. */
export function clearSession(): void {
  platform.storage.remove(TOKEN_KEY);
  platform.storage.remove(PRINCIPAL_KEY);
}

export function lastRole(): string | undefined {
  return platform.storage.get(LAST_ROLE_KEY);
}

/** A message for the next page to show (e.g. why the user was logged out). */
export function setNotice(message: string): void {
  platform.storage.set(NOTICE_KEY, message);
}

export function takeNotice(): string | undefined {
  const message = platform.storage.get(NOTICE_KEY);
  if (message) platform.storage.remove(NOTICE_KEY);
  return message;
}

/**
 * The password or activation code just used to log in, kept in memory only (never in storage), so the forced
 * password change right after does not ask for it again.
 */
let justUsedSecret: { value: string; kind: 'password' | 'activationCode' } | undefined;

export function rememberLoginSecret(value: string, kind: 'password' | 'activationCode'): void {
  justUsedSecret = { value, kind };
}

export function takeLoginSecret(): { value: string; kind: 'password' | 'activationCode' } | undefined {
  const secret = justUsedSecret;
  justUsedSecret = undefined;
  return secret;
}
