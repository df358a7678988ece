import { z } from 'zod';
import { ERROR_MESSAGES } from '../errors';

export const errorBody = z.object({
  code: z.enum(Object.keys(ERROR_MESSAGES) as [keyof typeof ERROR_MESSAGES, ...(keyof typeof ERROR_MESSAGES)[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

export const okResponse = z.object({ ok: z.literal(true) });
export const idParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{24}$/, '编号格式不正确') });
