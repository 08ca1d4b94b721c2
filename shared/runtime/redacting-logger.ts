import { redactDeep, redactOrWithhold } from '../logs/redact.js';
import type { StepLogger } from '../ports.js';

/**
 * A logger that redacts secrets from the message and every string field before they are written: log lines
 * end up in CloudWatch Logs (or the terminal), readable by more people than the incidents table, and error
 * messages can quote a log line or a request.
 */
export function redactingLogger(inner: StepLogger): StepLogger {
  const wrap =
    (write: (message: string, ...extra: unknown[]) => void) =>
    (message: string, ...extra: unknown[]): void =>
      write(redactOrWithhold(message), ...extra.map((item) => redactDeep(item)));
  return { info: wrap(inner.info.bind(inner)), warn: wrap(inner.warn.bind(inner)), error: wrap(inner.error.bind(inner)) };
}
