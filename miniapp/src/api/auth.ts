import { api } from './client';
import { clearSession, getPrincipal, getToken, lastRole } from './session';
import { loginPageFor, relaunch } from './routes';

/** Ends the session on the server (best effort: a dead network must not trap the user) and locally. */
export async function logout(): Promise<void> {
  const role = getPrincipal()?.role ?? lastRole();
  if (getToken()) await api.post('/api/auth/logout', undefined, { noRedirect: true }).catch(() => undefined);
  clearSession();
  relaunch(loginPageFor(role));
}
