import type { ParameterizedContext } from 'koa';
import { AppError } from '../errors';

/** Reads a JSON body with a hard size limit; malformed, oversize or non-JSON bodies become clear 4xx errors. */
export async function readJsonBody(ctx: ParameterizedContext, limitBytes: number): Promise<unknown> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes });
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  if (!ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
}
