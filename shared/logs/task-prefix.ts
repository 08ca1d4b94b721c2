/**
 * A monorepo task runner's prefix on each line of a task's output (Turborepo `web:lint: `, `@acme/ui:test:unit: `):
 * package, then a task that starts with a lower-case letter (so `ERROR:D8: ` and `file.ts:12: ` are not one).
 */
const TASK_PREFIX_RE = /^(?:@[\w.-]+\/)?[\w.-]+:[a-z][\w-]*(?::[\w-]+)*: (?=\s*\S)/;

/**
 * The length of a task runner's prefix on `text`, 0 without one. A package name holds no `:`, so the prefix's first
 * `:` is the line's first, and a lower-case letter follows it: checked before the expression, which every
 * candidate line would otherwise cost (8 % of a log of a million compiler errors, whose first `:` is `): `).
 */
export function taskPrefixLength(text: string): number {
  const colon = text.indexOf(':');
  if (colon <= 0) return 0;
  const next = text.charCodeAt(colon + 1);
  if (next < 0x61 || next > 0x7a) return 0;
  return TASK_PREFIX_RE.exec(text)?.[0].length ?? 0;
}
