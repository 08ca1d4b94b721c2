/**
 * The redaction suites, loaded into the test file that calls this: a file that replaced `redactSecrets` with another
 * redactor (its `vi.mock` of shared/logs/redact.js holds for every module the file loads after it) runs every
 * expectation those suites hold for `redactSecrets` against that redactor (redact-gated*.test.ts).
 */
export async function loadRedactionSuites(): Promise<void> {
  await import('../unit/logs/redact-dsn-form.test.js');
  await import('../unit/logs/redact-escaping.test.js');
  await import('../unit/logs/redact-formats.test.js');
  await import('../unit/logs/redact-jwt-runs.test.js');
  await import('../unit/logs/redact-key-spellings.test.js');
  await import('../unit/logs/redact-long-values.test.js');
  await import('../unit/logs/redact-lookalikes.test.js');
  await import('../unit/logs/redact-partial-tokens.test.js');
  await import('../unit/logs/redact-spaced-hex.test.js');
  await import('../unit/logs/redact-templates.test.js');
  await import('../unit/logs/redact-unicode-escapes.test.js');
  await import('../unit/logs/redact-yaml-values.test.js');
  await import('../unit/logs/redact.test.js');
  await import('../attack/pass-8-redaction-encodings.test.js');
  await import('../attack/attack-49-redaction.test.js');
}
