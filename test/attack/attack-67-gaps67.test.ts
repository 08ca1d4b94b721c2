import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep, lineOf } from '../support/gha-step.js';

// Attack on session 67's changes (branch gaps67: mypy.error's `message.stop`, go.panic's `lookback.names`, agda.error's
// `runStart`/`passedUnder`, typedoc.found's `confirmedByExit`, BSD make's status line, ninja's `FAILED:` edge,
// puppet-lint 2.x): other runs of the same tools (real output where they run here, paths rewritten to the runner's).
// Each row failed before its fix, or runs as an expected failure with the reason; the rows named guards passed
// before and keep a fix from going too far.

describe("TypeDoc's closing line right above the step's exit line: only TypeDoc's own status for it confirms it", () => {
  /** TypeDoc 0.28 passing with a warning (`generated at`, then its closing line): the step's next command failed silently. */
  const PASSING_TYPEDOC = [
    '[warning] Unsupported highlight language promql will not be highlighted in comment for get',
    '[info] html generated at ./docs/api',
    '[warning] Found 0 errors and 1 warnings',
  ];

  it('does not report a passing TypeDoc run when the command after it fails without a word (`git diff --quiet`, exit 1)', async () => {
    // Prepare: the docs are regenerated and checked in; `git diff --quiet --exit-code` prints nothing and exits 1
    const log = ghaStep('npx typedoc --out docs/api src/index.ts && git diff --quiet --exit-code docs/api', PASSING_TYPEDOC, { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: nothing TypeDoc printed failed the step (exit 5, OutputError, is TypeDoc's status for it)
    expect(analysis.failures.map((f) => f.rule)).not.toContain('typedoc.found');
    expect(analysis.category).not.toBe('compilation');
  });

  it('still reads the closing line as the report under TypeDoc\'s own exit 5 (guard)', async () => {
    // Prepare
    const log = ghaStep('npx typedoc --treatWarningsAsErrors --out docs/api src/index.ts', PASSING_TYPEDOC, { exitCode: 5 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('typedoc.found');
  });
});
