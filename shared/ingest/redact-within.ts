import { cutToJsonBytes } from '../domain/trigger.js';
import { redactOrWithhold } from '../logs/redact.js';
import { pairSafeEnd } from '../utf16.js';

/**
 * `text` redacted, then cut to at most `max` characters and, given `maxJsonBytes`, at most that many bytes as JSON
 * (its start kept). A marker such as `[REDACTED:key-value-secret]` can be three times as long as what it replaces,
 * so a field within its bound when it arrived may not be after redaction; the stages validate the execution input
 * against the same bounds, and would refuse it from the first step on (the incident then ends in the fallback page
 * instead of its own notification). A control character takes 6 bytes as JSON (`\u0001`), so the characters alone
 * do not bound what the field adds to the execution input.
 */
export function redactWithin(text: string, max: number, maxJsonBytes = Number.POSITIVE_INFINITY): string {
  return cutToJsonBytes(redactOrWithhold(text), max, maxJsonBytes, startOf);
}

function startOf(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, pairSafeEnd(text, max - 1))}…`;
}
