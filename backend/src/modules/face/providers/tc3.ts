/**
 * Tencent Cloud API 3.0: POST JSON to the service's endpoint, signed with TC3-HMAC-SHA256 over the method, path,
 * the content-type and host headers and the body's SHA-256; answers `{ Response: { ..., RequestId } }` or
 * `{ Response: { Error: { Code, Message }, RequestId } }`. The simulator verifies with the same functions.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';
const SIGNED_HEADERS = 'content-type;host';

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
}

export interface Tc3Request {
  host: string;
  service: string;
  timestamp: number;
  body: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The UTC day of the signing time, as the credential scope names it. */
function dayOf(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3Signature(secretKey: string, request: Tc3Request): string {
  const canonical = ['POST', '/', '', `content-type:${TC3_CONTENT_TYPE}\nhost:${request.host}\n`, SIGNED_HEADERS, sha256(request.body)].join('\n');
  const scope = `${dayOf(request.timestamp)}/${request.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(request.timestamp), scope, sha256(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, dayOf(request.timestamp)), request.service), 'tc3_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

export function tc3Authorization(credentials: Tc3Credentials, request: Tc3Request): string {
  const scope = `${dayOf(request.timestamp)}/${request.service}/tc3_request`;
  return `${TC3_ALGORITHM} Credential=${credentials.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${tc3Signature(credentials.secretKey, request)}`;
}

export interface ParsedAuthorization {
  secretId: string;
  day: string;
  service: string;
  signedHeaders: string;
  signature: string;
}

export function parseTc3Authorization(header: string | undefined): ParsedAuthorization | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(header ?? '');
  return m ? { secretId: m[1], day: m[2], service: m[3], signedHeaders: m[4], signature: m[5] } : undefined;
}

/** True when `signature` is the one `secretKey` makes over the request (compared in constant time). */
export function tc3SignatureMatches(secretKey: string, request: Tc3Request, signature: string): boolean {
  const expected = Buffer.from(tc3Signature(secretKey, request));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** An answer `{ Response: { Error } }`: the provider refused the call (`code` as Tencent Cloud names it). */
export class Tc3ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface Tc3Call {
  endpoint: string;
  service: string;
  version: string;
  action: string;
  region: string;
  credentials: Tc3Credentials;
  payload: object;
  timeoutMs?: number;
}

/** One signed call; resolves with `Response` (less `RequestId`), rejects with Tc3ApiError or a network error. */
export async function tc3Call<T>(call: Tc3Call): Promise<T> {
  const url = new URL(call.endpoint);
  const body = JSON.stringify(call.payload);
  // Signed with the real time: the provider refuses signatures more than 5 minutes off its own clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const authorization = tc3Authorization(call.credentials, { host: url.host, service: call.service, timestamp, body });
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': TC3_CONTENT_TYPE,
      'x-tc-action': call.action,
      'x-tc-version': call.version,
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': call.region,
    },
    body,
    signal: AbortSignal.timeout(call.timeoutMs ?? 15_000),
  });
  const answer = (await res.json()) as { Response?: T & { Error?: { Code: string; Message: string } } };
  const response = answer.Response;
  if (!response) throw new Tc3ApiError('InternalError.NoResponse', `HTTP ${res.status} without a Response`);
  if (response.Error) throw new Tc3ApiError(response.Error.Code, response.Error.Message);
  return response;
}
