import pino, { type DestinationStream, type Logger } from 'pino';
import { maskIdNumbersInText, redact } from './redact';

export type { Logger };

/** Structured JSON logs; every object and message passes through `redact`, so no ID number or secret is written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { log: (object) => redact(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const safe = args.map((a) => (typeof a === 'string' ? maskIdNumbersInText(a) : a));
          return method.apply(this, safe as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
