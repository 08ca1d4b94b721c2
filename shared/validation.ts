import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** `path.to.field: message` of a validation failure's first issue, for one-line 4xx and CLI errors. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Parses and validates a JSON document an operator wrote (policy file, runbook mappings). Fails with a
 * {@link ValidationError} that names the document and the first problem's path.
 */
export function parseJsonDocument<S extends z.ZodType>(schema: S, text: string, label: string): z.infer<S> {
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
