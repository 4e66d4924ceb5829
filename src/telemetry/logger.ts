/** The process logger: pino JSON lines on stderr, every line passed through the redactor. */
import { type DestinationStream, type Logger, pino } from 'pino';
import { redactor } from '../guardrails/redaction.js';

export type { Logger };

/** `destination` defaults to stderr (stdout is the commands' output); tests pass a stream they read. */
export function createLogger(
  level = process.env.AWS_COPILOT_LOG_LEVEL ?? 'warn',
  destination: DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { service: 'aws-copilot' },
      formatters: { log: (object) => redactor.value(object) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactor.text(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export const logger = createLogger();
