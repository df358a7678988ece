import type { FieldErrors } from '../api/client';

/**
 * Field errors under one part of a request (`invoice.title` → `title`), from zod issues or the server's
 * validation details, so nested forms show each message under its own field.
 */
export function nestedFieldErrors(details: unknown, prefix: string): FieldErrors {
  const issues: unknown = Array.isArray(details) ? details : details && typeof details === 'object' ? (details as { issues?: unknown }).issues : undefined;
  const out: FieldErrors = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    if (!issue || typeof issue.message !== 'string') continue;
    const parts = Array.isArray(issue.path) ? issue.path.map(String) : typeof issue.path === 'string' ? issue.path.split('.') : [];
    const rest = prefix ? (parts[0] === prefix ? parts.slice(1) : undefined) : parts;
    if (!rest || !rest.length) continue;
    if (!(rest[0] in out)) out[rest[0]] = issue.message;
  }
  return out;
}
