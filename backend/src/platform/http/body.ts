import type { ParameterizedContext } from 'koa';
import { AppError } from '../errors';

/** The body's bytes exactly as sent, under a hard size limit (declared or actual). */
export async function readRawBody(ctx: ParameterizedContext, limitBytes: number): Promise<Buffer> {
  if (Number(ctx.get('content-length') || 0) > limitBytes) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body with a hard size limit; malformed, oversize or non-JSON bodies become clear 4xx errors. */
export async function readJsonBody(ctx: ParameterizedContext, limitBytes: number): Promise<unknown> {
  const bytes = await readRawBody(ctx, limitBytes);
  if (bytes.length === 0) return undefined;
  if (!ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
}
