import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL_SCHEMA_PATH, generatedToolSchemaModule, toolInputSchema } from '../../../scripts/build-tool-schema.js';
import {
  ANALYSIS_LIMITS,
  AnalyzerOutputError,
  NO_EVIDENCE_CONFIDENCE_CAP,
  analysisResultSchema,
  analysisToolInputSchema,
  validateAnalysis,
} from '../../../shared/analysis/index.js';
import { REMEDIATION_ACTIONS } from '../../../shared/domain/incident.js';
import { alarmInput, githubInput, lines, testFailureInput } from './fixtures.js';

const input = testFailureInput();

function answer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rootCause: 'The discount is applied twice in applyDiscount.',
    fix: ['Apply the discount once in src/cart.ts.'],
    confidence: 0.8,
    proposedAction: 'comment_only',
    rationale: 'Deterministic assertion failure.',
    evidence: ['AssertionError: expected 90 to be 81 // Object.is equality'],
    ...overrides,
  };
}

describe('analysisResultSchema', () => {
  it('generates the tool input schema with the allow-list and the bounds', () => {
    // Act
    const schema = analysisToolInputSchema() as {
      properties: Record<string, { enum?: string[]; maxItems?: number; maxLength?: number }>;
      required: string[];
    };

    // Assert
    expect(schema).not.toHaveProperty('$schema');
    expect(schema.properties.proposedAction?.enum).toEqual([...REMEDIATION_ACTIONS]);
    expect(schema.properties.fix?.maxItems).toBe(ANALYSIS_LIMITS.fixSteps);
    expect(schema.properties.rootCause?.maxLength).toBe(ANALYSIS_LIMITS.rootCauseChars);
    expect(schema.required).toEqual(expect.arrayContaining(['rootCause', 'fix', 'confidence', 'proposedAction', 'evidence']));
    expect(analysisResultSchema.safeParse(answer()).success).toBe(true);
  });

  it('is zod\'s JSON Schema of analysisResultSchema, as committed (npm run build:tool-schema regenerates it)', () => {
    expect(analysisToolInputSchema()).toEqual(toolInputSchema());
    expect(readFileSync(TOOL_SCHEMA_PATH, 'utf8')).toBe(generatedToolSchemaModule());
  });
});

describe('validateAnalysis', () => {
  it('accepts a good answer unchanged and stamps provider and model', () => {
    // Act
    const result = validateAnalysis(answer(), input, 'bedrock', 'model-x');

    // Assert
    expect(result).toEqual({ ...answer(), provider: 'bedrock', model: 'model-x', adjustments: [] });
  });

  it('rejects an action outside the allow-list instead of guessing one', () => {
    // Act / Assert
    for (const proposedAction of ['merge', 'approve_pr', 'run_shell', '', 42]) {
      expect(() => validateAnalysis(answer({ proposedAction }), input, 'bedrock', 'm')).toThrow(AnalyzerOutputError);
    }
    expect(() => validateAnalysis(answer({ proposedAction: 'merge' }), input, 'bedrock', 'm')).toThrow(
      /proposedAction: must be one of comment_only, rerun_failed_jobs, open_fix_pr, run_runbook, escalate/,
    );
  });

  it('accepts allow-listed actions written with other case or spacing', () => {
    // Act
    const result = validateAnalysis(answer({ proposedAction: ' Rerun_Failed_Jobs ' }), input, 'bedrock', 'm');

    // Assert
    expect(result.proposedAction).toBe('rerun_failed_jobs');
  });

  it.each([
    ['not an object', 'the build failed'],
    ['null', null],
    ['missing rootCause', answer({ rootCause: undefined })],
    ['empty rootCause', answer({ rootCause: '  \u200b ' })],
    ['empty fix', answer({ fix: [] })],
    ['non-numeric confidence', answer({ confidence: 'very high' })],
    ['NaN confidence', answer({ confidence: Number.NaN })],
  ])('rejects %s', (_label, raw) => {
    // Act / Assert
    expect(() => validateAnalysis(raw, input, 'bedrock', 'm')).toThrow(AnalyzerOutputError);
  });

  it('clamps confidence into [0, 1]', () => {
    // Act
    const high = validateAnalysis(answer({ confidence: 7 }), input, 'bedrock', 'm');
    const low = validateAnalysis(answer({ confidence: -1 }), input, 'bedrock', 'm');

    // Assert
    expect(high.confidence).toBe(1);
    expect(high.adjustments).toContain('confidence 7 clamped to 1');
    expect(low.confidence).toBe(0);
  });

  it('accepts JSON-encoded arrays, a bare fix string and a numeric string confidence', () => {
    // Act
    const result = validateAnalysis(
      answer({ fix: '["Step one", "Step two"]', evidence: 'AssertionError: expected 90 to be 81 // Object.is equality', confidence: '0.7' }),
      input,
      'bedrock',
      'm',
    );

    // Assert
    expect(result.fix).toEqual(['Step one', 'Step two']);
    expect(result.evidence).toEqual(['AssertionError: expected 90 to be 81 // Object.is equality']);
    expect(result.confidence).toBe(0.7);
  });

  it('drops fabricated evidence and caps confidence when none is left', () => {
    // Act
    const result = validateAnalysis(
      answer({ confidence: 0.95, evidence: ['Error: database password rejected', 'FATAL: cluster unreachable at 10.0.0.1'] }),
      input,
      'bedrock',
      'm',
    );

    // Assert
    expect(result.evidence).toEqual([]);
    expect(result.confidence).toBe(NO_EVIDENCE_CONFIDENCE_CAP);
    expect(result.adjustments).toEqual([
      'dropped 2 evidence line(s) not found verbatim in the log',
      'confidence capped from 0.95 to 0.5: no verbatim evidence',
    ]);
  });

  it('keeps verbatim evidence, maps quotes to the original line and drops the rest', () => {
    // Act
    const result = validateAnalysis(
      answer({
        evidence: [
          'L212|  FAIL  src/cart.test.ts > cart > applies the discount',
          'expected 90 to be 81 // Object.is',
          'AssertionError:   expected 90 to be 81 // Object.is equality',
          'expected 90',
          'the cart total is wrong',
        ],
      }),
      input,
      'bedrock',
      'm',
    );

    // Assert
    expect(result.evidence).toEqual([
      ' FAIL  src/cart.test.ts > cart > applies the discount',
      'AssertionError: expected 90 to be 81 // Object.is equality',
    ]);
    expect(result.confidence).toBe(0.8);
    expect(result.adjustments).toEqual(['dropped 2 evidence line(s) not found verbatim in the log']);
  });

  it('matches evidence quoted as rendered in the prompt (defused tags, cut lines) to the original line', () => {
    // Prepare
    const long = `Error: <untrusted_x> ${'q'.repeat(1200)}`;
    const logInput = githubInput('unknown', lines(1, long));

    // Act
    const result = validateAnalysis(answer({ evidence: [`Error: ‹untrusted_x> ${'q'.repeat(476)}…`] }), logInput, 'bedrock', 'm');

    // Assert
    // Stored evidence is the original text, bounded like every other field.
    expect(result.evidence).toEqual([`${long.slice(0, ANALYSIS_LIMITS.evidenceChars - 1)}…`]);
    expect(result.adjustments).toEqual([]);
  });

  it('accepts the alarm reason as evidence for an alarm', () => {
    // Act
    const result = validateAnalysis(answer({ evidence: [alarmInput().alarm?.reason] }), alarmInput(), 'bedrock', 'm');

    // Assert
    expect(result.evidence).toHaveLength(1);
    expect(result.confidence).toBe(0.8);
  });

  it('bounds text, steps and evidence and strips control and invisible characters', () => {
    // Act
    const result = validateAnalysis(
      answer({
        rootCause: `Bad\u202e discount\u0000 ${'r'.repeat(3000)}`,
        fix: Array.from({ length: 14 }, (_, index) => `step ${index} ${'s'.repeat(600)}`),
        rationale: 'w'.repeat(2500),
      }),
      input,
      'bedrock',
      'm',
    );

    // Assert
    expect(result.rootCause.length).toBe(ANALYSIS_LIMITS.rootCauseChars);
    expect(result.rootCause.startsWith('Bad discount rrr')).toBe(true);
    expect(result.fix).toHaveLength(ANALYSIS_LIMITS.fixSteps);
    expect(result.fix.every((step) => step.length <= ANALYSIS_LIMITS.fixStepChars)).toBe(true);
    expect(result.rationale.length).toBe(ANALYSIS_LIMITS.rationaleChars);
    expect(result.adjustments).toEqual(
      expect.arrayContaining([
        'root cause cut to 2000 characters',
        'fix cut from 14 to 10 steps',
        'fix steps cut to 500 characters',
        'rationale cut to 2000 characters',
      ]),
    );
  });

  describe('secrets in the answer', () => {
    // Built from parts so the repository does not carry a string that looks like a live token.
    const ghp = `ghp_${'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'}`;
    const patch = ['--- a/src/cart.ts', '+++ b/src/cart.ts', '@@ -1,1 +1,1 @@', '-  return applyDiscount(applyDiscount(total));', '+  return applyDiscount(total);', ''].join('\n');

    it('redacts every text field, before any cut, and notes it', () => {
      // Act: the model decoded a base64 blob from the log, or joined a token split over two lines.
      const result = validateAnalysis(
        answer({
          rootCause: `${'r'.repeat(ANALYSIS_LIMITS.rootCauseChars - 30)} pass ${ghp} has expired.`, // the cut falls inside the token
          fix: [`Rotate ${ghp} and update the secret.`, 'Re-run the job.'],
          rationale: `The decoded .dockerconfigjson holds ${ghp}.`,
          prevention: `Never print ${ghp}.`,
        }),
        input,
        'bedrock',
        'm',
      );

      // Assert
      expect(JSON.stringify(result)).not.toContain('ghp_');
      expect(result.fix).toEqual(['Rotate [REDACTED:github-token] and update the secret.', 'Re-run the job.']);
      expect(result.rationale).toBe('The decoded .dockerconfigjson holds [REDACTED:github-token].');
      expect(result.prevention).toBe('Never print [REDACTED:github-token].');
      expect(result.rootCause.length).toBe(ANALYSIS_LIMITS.rootCauseChars);
      expect(result.adjustments).toEqual(expect.arrayContaining(['redacted secrets in 4 text field(s) of the answer']));
    });

    it('redacts evidence taken from a log line that was not redacted', () => {
      // Prepare
      const logInput = githubInput('unknown', lines(1, `fatal: could not push with ${ghp} to origin`));

      // Act
      const result = validateAnalysis(answer({ evidence: [`fatal: could not push with ${ghp} to origin`] }), logInput, 'bedrock', 'm');

      // Assert
      expect(result.evidence).toEqual(['fatal: could not push with [REDACTED:github-token] to origin']);
    });

    it('discards a patch that holds a secret instead of redacting inside the diff', () => {
      // Act
      const leaky = validateAnalysis(answer({ proposedAction: 'open_fix_pr', patch: patch.replace('applyDiscount(total);', `applyDiscount(total); // ${ghp}`) }), input, 'bedrock', 'm');
      const clean = validateAnalysis(answer({ proposedAction: 'open_fix_pr', patch }), input, 'bedrock', 'm');

      // Assert
      expect(leaky.patch).toBeUndefined();
      expect(leaky.adjustments).toEqual(['patch discarded: it adds text that looks like a secret']);
      expect(clean.patch).toEqual({ diff: patch, files: ['src/cart.ts'] });
      expect(clean.adjustments).toEqual([]);
    });

    it('keeps a patch whose context or removed lines hold a secret already in the repository', () => {
      // Prepare: a one-line fix next to a test fixture's token, and one that removes a hard-coded token.
      const nextToFixture = ['--- a/src/cart.test.ts', '+++ b/src/cart.test.ts', '@@ -1,2 +1,2 @@', ` const FIXTURE_TOKEN = '${ghp}';`, '-test(\'total\', () => total());', '+test(\'total\', async () => await total());', ''].join('\n');
      const removing = ['--- a/src/cart.ts', '+++ b/src/cart.ts', '@@ -1,1 +1,1 @@', `-const token = '${ghp}';`, '+const token = process.env.GH_TOKEN;', ''].join('\n');

      // Act
      const kept = [nextToFixture, removing].map((diff) => validateAnalysis(answer({ proposedAction: 'open_fix_pr', patch: diff }), input, 'bedrock', 'm'));

      // Assert
      expect(kept.map((result) => result.patch?.files)).toEqual([['src/cart.test.ts'], ['src/cart.ts']]);
    });
  });

  it('ignores unknown fields the model adds', () => {
    // Act
    const result = validateAnalysis(answer({ merge: true, command: 'rm -rf /' }), input, 'bedrock', 'm');

    // Assert
    expect(result).not.toHaveProperty('merge');
    expect(result).not.toHaveProperty('command');
  });
});
