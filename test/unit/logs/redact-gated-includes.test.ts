/**
 * The redaction suites again, with `redactSecrets` replaced by the redactor the analyzer uses for its excerpts before
 * the process has read enough to build the gate's automaton (`redactorWith` a {@link LiteralPatternGate} that looks for
 * each line pattern's literals with `includes`: only the patterns whose literals a text holds are run). As with the
 * automaton (redact-gated.test.ts), every expectation those suites hold for `redactSecrets` must hold for it too.
 */
import { vi } from 'vitest';
import { loadRedactionSuites } from '../../support/redaction-suites.js';

vi.mock('../../../shared/logs/redact.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../shared/logs/redact.js')>();
  const { LiteralPatternGate } = await import('../../../shared/logs/redaction/pattern-gate.js');
  return { ...original, redactSecrets: original.redactorWith(new LiteralPatternGate(Number.POSITIVE_INFINITY)) };
});

await loadRedactionSuites();
