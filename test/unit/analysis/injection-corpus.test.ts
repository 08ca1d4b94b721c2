import { describe, expect, it } from 'vitest';
import { instructionSignals, looksLikeInstruction } from '../../../shared/analysis/injection.js';
import { BENIGN_CI_LINES, INJECTION_CORPUS, REWORDED_INJECTIONS } from '../../fixtures/injection/corpus.js';

/**
 * Detection measured on the adversarial corpus: the original samples, their rewordings, and ordinary CI output
 * that shares their words. The rates are printed so a change to the detector shows its effect.
 */
describe('injection detector on the adversarial corpus', () => {
  const attacks = [...INJECTION_CORPUS.map((sample) => sample.text), ...REWORDED_INJECTIONS];
  const missed = attacks.filter((text) => !looksLikeInstruction(text));
  const falsePositives = BENIGN_CI_LINES.filter((text) => looksLikeInstruction(text));

  it('reports its rates', () => {
    console.info(
      `injection detector: ${attacks.length - missed.length}/${attacks.length} attacks detected ` +
        `(${INJECTION_CORPUS.length} originals, ${REWORDED_INJECTIONS.length} reworded); ` +
        `${falsePositives.length}/${BENIGN_CI_LINES.length} ordinary CI lines flagged`,
    );
    expect(attacks.length).toBeGreaterThanOrEqual(60);
  });

  it('detects every original sample and every reworded variant', () => {
    expect(missed.map((text) => `${text} [${instructionSignals(text).join(',')}]`)).toEqual([]);
  });

  it('flags no ordinary CI line', () => {
    expect(falsePositives.map((text) => `${text} [${instructionSignals(text).join(',')}]`)).toEqual([]);
  });
});
