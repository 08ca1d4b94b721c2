/**
 * The redaction suites again, with `redactSecrets` replaced by the redactor the analyzer uses for its excerpts
 * (`redactorWith` a {@link LiteralPatternGate}: only the line patterns whose literals a text holds are run). The
 * gate must change nothing, so every expectation those suites hold for `redactSecrets` must hold for it too.
 */
import { vi } from 'vitest';
import { loadRedactionSuites } from '../../support/redaction-suites.js';

vi.mock('../../../shared/logs/redact.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../shared/logs/redact.js')>();
  const { LiteralPatternGate } = await import('../../../shared/logs/redaction/pattern-gate.js');
  return { ...original, redactSecrets: original.redactorWith(new LiteralPatternGate(0)) };
});

await loadRedactionSuites();
