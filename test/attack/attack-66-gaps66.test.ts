import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { lineOf } from '../support/gha-step.js';
import { failedStepLog, topFailure } from '../support/step-analysis.js';

// Attack on session 66's changes (branch gaps66: cascade.make's `endsRun`, a warning make says failed its target,
// puppet-lint's warnings, typedoc's `generated at`, agda's `lastStops`, gitlint's user rules, composeUpAsService):
// other runs of the same tools (real output where they run here, paths rewritten to the runner's). Each row failed
// before its fix, or runs as an expected failure with the reason; the rows named guards passed before and keep a fix
// from going too far.

describe("make's own lines are no target's report: endsRun lists only what a target's command printed", () => {
  /** GNU make 4.3 `make -k` over a sub-make (`$(MAKE) -C sub`) whose a.o fails (gcc 12, real output, exit 2). */
  const RECURSIVE_MAKE_K = [
    'make -C sub',
    "make[1]: Entering directory '/home/runner/work/app/app/sub'",
    'gcc -Wall -c a.c -o a.o',
    'a.c: In function ‘f’:',
    'a.c:1:22: error: ‘undefined_var’ undeclared (first use in this function)',
    '    1 | int f(void) { return undefined_var; }',
    '      |                      ^~~~~~~~~~~~~',
    'a.c:1:22: note: each undeclared identifier is reported only once for each function it appears in',
    'a.c:1:37: warning: control reaches end of non-void function [-Wreturn-type]',
    '    1 | int f(void) { return undefined_var; }',
    '      |                                     ^',
    'make[1]: *** [Makefile:3: a.o] Error 1',
    'gcc -Wall -c b.c -o b.o',
    'b.c: In function ‘g’:',
    'b.c:1:19: warning: unused variable ‘x’ [-Wunused-variable]',
    '    1 | int g(void) { int x; return 0; }',
    '      |                   ^',
    "make[1]: Target 'all' not remade because of errors.",
    "make[1]: Leaving directory '/home/runner/work/app/app/sub'",
    'make: *** [Makefile:2: all] Error 2',
  ];

  it("does not list the sub-make's `Target 'all' not remade because of errors.` as the outer target's report", async () => {
    // Prepare
    const log = failedStepLog('make -k', RECURSIVE_MAKE_K, 2);
    const lines = log.split('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(predictionLines(analysis)).not.toContain(lineOf(lines, "make[1]: Target 'all' not remade because of errors."));
  });
});

describe("Agda's last report is the error only in a run that failed: a passing run prints its warnings again", () => {
  it("puts one file's type error above the next file's warning, which Agda printed again under `———— All done; warnings encountered`", async () => {
    // Prepare: Agda 2.6.2 over two files in a shell loop (the step fails at its end): Vec.agda stops on its type error
    // (the fixture agda-warnings-then-error.log's), List.agda passes with a warning, printed again after `All done`
    const log = failedStepLog('for f in src/Vec.agda src/List.agda; do agda -i src "$f" || rc=1; done; exit $rc', [
      'Checking Vec (/home/runner/work/agda-lists/agda-lists/src/Vec.agda).',
      '/home/runner/work/agda-lists/agda-lists/src/Vec.agda:17,7-10',
      'Nat → Nat !=< Nat',
      'when checking that the expression suc has type Nat',
      'Checking List (/home/runner/work/agda-lists/agda-lists/src/List.agda).',
      '/home/runner/work/agda-lists/agda-lists/src/List.agda:10,1-19',
      'Unreachable clause',
      'when checking the definition of _++_',
      '———— All done; warnings encountered —————————————————————————',
      '/home/runner/work/agda-lists/agda-lists/src/List.agda:10,1-19',
      'Unreachable clause',
      'when checking the definition of _++_',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[1]?.text).toBe('Nat → Nat !=< Nat');
  });
});

describe("Agda 2.6.4's reports that say `error:` are errors wherever they stand: lastStops reads only the older unmarked ones", () => {
  it('keeps the first file\'s `error: [UnequalTerms]` first when a loop over files fails a second one after it', async () => {
    // Prepare: Agda 2.6.4 over two files in a shell loop, each stopping on an error (its place line says `error:`)
    const log = failedStepLog('for f in src/Vec.agda src/List.agda; do agda -i src "$f" || rc=1; done; exit $rc', [
      'Checking Vec (/home/runner/work/agda-lists/agda-lists/src/Vec.agda).',
      '/home/runner/work/agda-lists/agda-lists/src/Vec.agda:17.7-10: error: [UnequalTerms]',
      'Nat → Nat !=< Nat',
      'when checking that the expression suc has type Nat',
      'Checking List (/home/runner/work/agda-lists/agda-lists/src/List.agda).',
      '/home/runner/work/agda-lists/agda-lists/src/List.agda:12.3-8: error: [NotInScope]',
      'Not in scope:',
      '  lenght at /home/runner/work/agda-lists/agda-lists/src/List.agda:12.3-8',
      'when scope checking lenght',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: as before session 66, the step's first error first
    expect(analysis.failures[0]?.lines[0]?.text).toBe('/home/runner/work/agda-lists/agda-lists/src/Vec.agda:17.7-10: error: [UnequalTerms]');
  });

  // Agda 2.6.2 prints a warning as it prints its error, and stops at its first error: the step's last report is taken
  // for the error and those before it for warnings. Over two files that both fail, the first file's error was taken
  // for a warning too and ranked below the second's. Fixed in session 67: a run's `Checking` line is flush left, an
  // import's indented (Agda's import chase, run here), so the next run's line ends the report that stopped its run.
  it("keeps the first file's type error first when Agda 2.6.2 over two files in a loop fails on both", async () => {
    const log = failedStepLog('for f in src/Vec.agda src/List.agda; do agda -i src "$f" || rc=1; done; exit $rc', [
      'Checking Vec (/home/runner/work/agda-lists/agda-lists/src/Vec.agda).',
      '/home/runner/work/agda-lists/agda-lists/src/Vec.agda:17,7-10',
      'Nat → Nat !=< Nat',
      'when checking that the expression suc has type Nat',
      'Checking List (/home/runner/work/agda-lists/agda-lists/src/List.agda).',
      '/home/runner/work/agda-lists/agda-lists/src/List.agda:12,3-8',
      'Not in scope:',
      '  lenght at /home/runner/work/agda-lists/agda-lists/src/List.agda:12,3-8',
      'when scope checking lenght',
    ]);
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.lines[1]?.text).toBe('Nat → Nat !=< Nat');
  });
});

describe("TypeDoc's `[info] html generated at` says the docs were written, not that the run passed", () => {
  // TypeDoc 0.28.20's cli: under --treatWarningsAsErrors a warning raised while the output is written (an unsupported
  // highlight language, a link to a missing anchor) fails the run after the docs are generated (OutputError, exit 5).
  // Its output is the passing run's line for line: only the step's status and its command's option tell them apart,
  // and the look-back stops at `generated at` whatever the status, so the run's report was typedoc.found no more (the
  // step's lines were still listed by generic.step-output when nothing else failed). Fixed in session 67: the step's
  // exit status right under the closing line confirms it (typedoc.found's `confirmedByExit`).
  it('reads the warning that failed a --treatWarningsAsErrors run after the docs were generated (exit 5)', async () => {
    // Prepare: TypeDoc 0.28.20 over a comment with a ```promql block (real output, colour cut, exit 5)
    const log = failedStepLog('npx typedoc --treatWarningsAsErrors --out docs/api src/index.ts', [
      '[warning] Unsupported highlight language promql will not be highlighted in comment for get',
      '[info] html generated at ./docs/api',
      '[warning] Found 0 errors and 1 warnings',
    ], 5);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('typedoc.found');
  });
});
