import { redactOrWithhold } from '../logs/redact.js';
import { pairSafeEnd } from '../utf16.js';

/**
 * `text` redacted, then cut to at most `max` characters (its start kept). A marker such as
 * `[REDACTED:key-value-secret]` can be three times as long as what it replaces, so a field within its bound when it
 * arrived may not be after redaction; the stages validate the execution input against the same bounds, and would
 * refuse it from the first step on (the incident then ends in the fallback page instead of its own notification).
 */
export function redactWithin(text: string, max: number): string {
  const redacted = redactOrWithhold(text);
  if (redacted.length <= max) return redacted;
  return `${redacted.slice(0, pairSafeEnd(redacted, max - 1))}…`;
}
