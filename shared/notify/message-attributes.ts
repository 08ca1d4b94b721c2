/**
 * Message attribute values subscribers' filter policies match, made so SNS takes them whatever text they come from.
 * A branch is named by whoever pushed it (a fork's pull request names its own), an alarm by whoever created it, and
 * SNS refuses the whole Publish for one bad String attribute: a value that is empty, or that holds a character
 * outside the Basic Multilingual Plane (an emoji: "Invalid attribute value was passed in for message attribute").
 */

/**
 * At most this many characters are kept. SNS sets no limit of its own below the message's 256 KB; this keeps a
 * value an outsider chose small, and `shared/ingest` already takes no branch or alarm name longer than 255.
 */
export const ATTRIBUTE_VALUE_MAX_CHARS = 256;

/**
 * Characters replaced with `?`: outside the Basic Multilingual Plane (SNS refuses them) and lone surrogates; control
 * characters (the value must be a valid JSON string for filtering; git refuses them in branch names); and `"` and
 * `\`, which a filter policy matches only when written double-escaped. `?` itself cannot be in a git branch name,
 * so it marks a replaced character there unambiguously. Everything else (`main`, `release/1.2`, `caf\u00e9`) stays.
 */
const REPLACED = /[^\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD]|["\\]/gu;

/** `value` as SNS takes it in a String attribute; null when nothing is left to send (SNS refuses an empty value). */
export function filterAttributeValue(value: string): string | null {
  // Replaced before the cut, so every character left is one UTF-16 unit and the cut never splits a pair.
  const safe = value.replace(REPLACED, '?').slice(0, ATTRIBUTE_VALUE_MAX_CHARS);
  return safe === '' ? null : safe;
}

/**
 * `attributes` as SNS takes them: each value made safe by {@link filterAttributeValue}, an empty one left out; a
 * list's values each made safe, empty ones and repeats left out, and an empty list left out (a String.Array of no
 * value matches no filter policy).
 */
export function filterAttributes(attributes: Record<string, string | string[]>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const safe = Array.isArray(value) ? [...new Set(value.map(filterAttributeValue).filter((v) => v !== null))] : filterAttributeValue(value);
    if (safe !== null && safe.length > 0) kept[name] = safe;
  }
  return kept;
}
