import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';

// Review of session 63's merged changes (perf63's head facts built late, mem63, the hand merges, the lead's fix of the
// /guard answers). Each row failed before its fix, or runs as an expected failure with the reason.

/** `npm run build` as a GitHub Actions step whose output is `output`, failed with exit code 1. */
const buildStep = (output: readonly string[]): string => ghaStep('npm run build', output, { exitCode: 1 }).join('\n');

async function rulesOf(output: readonly string[]): Promise<string[]> {
  return (await analyzeLog(buildStep(output))).failures.map((f) => f.rule);
}

describe('review 63: a head read as a wrapper by its own text, whatever head of its shape came before', () => {
  // A head's facts (its template, and whether WRAPPER_RE reads it as a wrapper) are kept for the next head of its
  // digit shape. An annotation's copy of a report keeps them under its text past `##[error]`, while WRAPPER_RE read the
  // line with it (its alternatives are anchored): a plain `Error: Command failed: …` after the annotated one took the
  // annotation's answer, or its own, by whether the annotation came once or twice before it (perf63's late facts).
  const annotation = '##[error]Error: Command failed: npm run build';
  const plain = 'Error: Command failed: npm run build';

  it('reads the plain line alike after the annotation once or twice', async () => {
    // Act
    const once = await rulesOf([annotation, 'compiling', plain]);
    const twice = await rulesOf([annotation, 'compiling', annotation, 'linking', plain]);
    const alone = await rulesOf(['compiling', plain]);

    // Assert: the plain line is a wrapper (reported when nothing else is); the annotation is the failure either way.
    expect(alone).toContain('generic.error');
    expect(once).toEqual(['gha.error-annotation']);
    expect(twice).toEqual(once);
  });

  it('reads the annotation alike after the plain line once or twice', async () => {
    const once = await rulesOf([plain, 'compiling', annotation]);
    const twice = await rulesOf([plain, 'compiling', plain, 'linking', annotation]);

    expect(twice).toEqual(once);
  });
});

describe('review 63: the look-back options two branches added, merged by hand', () => {
  it('keeps both `heading` (gaps63, Octave) and `when` (langs63, cfn-lint) on a rule made uniform', async () => {
    // No rule has both yet; uniformRule copies each option by name, and each branch added its own to that copy.
    const { uniformRule } = await import('../../shared/logs/rules.js');
    const heading = { re: /^>{5} \S/, through: /^ / };
    const when = /^E\d{4} /;

    const rule = uniformRule({ id: 'x.both', category: 'lint', weight: 50, extend: 'line', re: /^x/, lookback: { re: /^y/, lines: 3, inclusive: true, heading, when } });

    expect(rule.lookback?.heading).toBe(heading);
    expect(rule.lookback?.when).toBe(when);
  });
});
