import type * as z from './zod.js';
import { ValidationError } from './errors.js';

/** `path.to.field: message` of a validation failure's first issue, for one-line 4xx and CLI errors. */
export function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Parses and validates a JSON document an operator wrote (policy file, runbook mappings). Fails with a
 * {@link ValidationError} that names the document and the first problem's path.
 */
export function parseJsonDocument<S extends z.ZodMiniType>(schema: S, text: string, label: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError(`${label} is not valid JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new ValidationError(`${label}: ${firstIssue(result.error)}`);
  return result.data;
}

/** Deepest nesting an event body may have; real CloudWatch and GitHub events stay under 15. */
/** localhost, 127.0.0.0/8 and ::1 (bracketed or not), as `HOST` or a URL's host name gives them. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests deeper than `max` arrays/objects, counted on the raw text before parsing: a deeply
 * nested body (thousands of `[`) parses, then overflows the stack in whatever walks it (a validator, a logger,
 * JSON.stringify) and turned into a 500. Brackets inside strings do not count.
 */
export function jsonNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1;
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 93 || c === 125) {
      depth -= 1;
    }
  }
  return false;
}
