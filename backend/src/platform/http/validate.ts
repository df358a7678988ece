import type { ZodType } from 'zod';
import { AppError } from '../errors';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Parses input against a shared schema; failures list each field with a Chinese message. */
export function validate<T>(schema: ZodType<T> | undefined, input: unknown, where: 'body' | 'query' | 'params'): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.join('.') || where,
    message: chineseMessage(issue),
  }));
  throw new AppError('VALIDATION_FAILED', { where, issues });
}

function chineseMessage(issue: { code: string; message: string; keys?: string[] }): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `不支持的字段：${(issue.keys ?? []).join('、')}`;
    case 'invalid_type':
      return /received undefined/.test(issue.message) ? '此项必填' : '类型不正确';
    case 'invalid_value':
    case 'invalid_union':
      return '取值不在允许范围内';
    default:
      return /[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : '格式不正确';
  }
}
