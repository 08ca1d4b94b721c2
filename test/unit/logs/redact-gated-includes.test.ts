/**
 * The redaction suites again, with `redactSecrets` replaced by the redactor the analyzer uses for its excerpts before
 * the process has read enough to build the gate's automaton (`redactorWith` a {@link LiteralPatternGate} that looks for
 * each line pattern's literals with `includes`: only the patterns whose literals a text holds are run). As with the
 * automaton (redact-gated.test.ts), every expectation those suites hold for `redactSecrets` must hold for it too.
 */
import { vi } from 'vitest';

vi.mock('../../../shared/logs/redact.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../shared/logs/redact.js')>();
  const { LiteralPatternGate } = await import('../../../shared/logs/redaction/pattern-gate.js');
  return { ...original, redactSecrets: original.redactorWith(new LiteralPatternGate(Number.POSITIVE_INFINITY)) };
});

await import('./redact-dsn-form.test.js');
await import('./redact-escaping.test.js');
await import('./redact-formats.test.js');
await import('./redact-jwt-runs.test.js');
await import('./redact-key-spellings.test.js');
await import('./redact-long-values.test.js');
await import('./redact-lookalikes.test.js');
await import('./redact-partial-tokens.test.js');
await import('./redact-spaced-hex.test.js');
await import('./redact-templates.test.js');
await import('./redact-unicode-escapes.test.js');
await import('./redact-yaml-values.test.js');
await import('./redact.test.js');
await import('../../attack/pass-8-redaction-encodings.test.js');
await import('../../attack/attack-49-redaction.test.js');
