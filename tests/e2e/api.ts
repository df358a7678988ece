/**
 * Calls to the running backend made "behind the page's back" in end-to-end journeys: another clerk of the
 * same enterprise acting at the same time, so the page's data goes stale as it would in real use.
 */
export async function apiCall<T = any>(baseUrl: string, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(baseUrl + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T };
}

/** A second session of an enterprise whose password is already changed. */
export async function enterpriseToken(baseUrl: string, province: string, account: string, password: string): Promise<string> {
  const res = await apiCall(baseUrl, 'POST', '/api/auth/enterprise/login', { body: { province, account, password } });
  if (res.status !== 200) throw new Error(`enterprise login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** Enrolls certificates as that other clerk would, so the page's ticked people become 已报名 underneath it. */
export async function enrollBehindThePage(baseUrl: string, token: string, classId: string, certificateIds: string[]): Promise<void> {
  const res = await apiCall(baseUrl, 'POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds } });
  if (res.status !== 201) throw new Error(`enrollment failed: ${res.status} ${JSON.stringify(res.body)}`);
}
