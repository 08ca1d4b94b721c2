import { describe, expect, it } from 'vitest';
import { composeUpAsService } from '../../../shared/logs/categories.js';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';
import { PYTEST_TB_NO_FAILED, failedStepLog, topFailure } from '../../support/step-analysis.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../../support/growth.js';
import { seededRandom } from '../../support/random.js';

// Session 66: the known gaps session 65 left (its README sections, `test/attack/attack-65-*.test.ts`), each on real
// output of the tool where it runs here (paths the runner's).

describe("`docker compose up … --exit-code-from <service>` in a step's title is read in time linear in the title", () => {
  /** Session 65's expression, the reference the reading must answer as on a title of one line. */
  const SESSION_65_RE = /\bdocker(?:-compose|\s+compose)\s[^;&|\n]*?\bup\s[^;&|\n]*?--exit-code-from(?:=|\s+)([\w.-]+)[^;&|\n]*/gi;
  const TOKENS = ['docker', 'Docker', '-compose', 'compose', ' ', '  ', '\t', 'up', 'UP', 'setup', '--exit-code-from', '=', 'tests', 'app.1', '--build', ';', '&&', '|', 'x'];

  it('answers as the expression did on random titles of its words and separators', () => {
    // Prepare: 20,000 titles of 1 to 24 words, seeded
    const random = seededRandom(66);
    const titles = Array.from({ length: 20_000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 24) }, () => TOKENS[Math.floor(random() * TOKENS.length)]!).join(''));
    // Act
    const differing = titles.filter((title) => composeUpAsService(title) !== title.replace(SESSION_65_RE, ' $1 '));
    // Assert
    expect(differing).toEqual([]);
  });

  it("reads a title of `up` repeated after one call in linear time (each `up` was read again for each `up` before it)", () => {
    // Act
    const exponent = cpuGrowthExponent([1_000, 2_000, 4_000, 8_000], repeatedTo('docker compose up '), composeUpAsService);
    // Assert
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});

describe("a Raku warning's frame is no uncaught exception: the frame takes the kind of the message above it", () => {
  it("puts the script's `die` first, not the uninitialized-value warning (numeric context: no `Methods` line) printed before it", async () => {
    // Prepare: Rakudo 2022.12 `raku t/stock.rakutest` (real output, exit 1): a warning, then the die
    const output = [
      'Use of uninitialized value of type Any in numeric context',
      '  in block <unit> at t/stock.rakutest line 2',
      'unknown sku zz',
      '  in sub price at t/stock.rakutest line 3',
      '  in block <unit> at t/stock.rakutest line 4',
    ];
    const log = failedStepLog('raku t/stock.rakutest', output);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(await topFailure(log)).toEqual(['raku.exception', 'unknown sku zz', 'unknown']);
    expect(predictionLines(analysis)).not.toContain(lineOf(log.split('\n'), 'at t/stock.rakutest line 2'));
  });

  it("reports nothing of a passing step's warnings (`Use of Nil in string context`, `Use of uninitialized value $x of type Int …`)", async () => {
    // Prepare: Rakudo 2022.12 (real output, exit 0) in a step that passed, then a step failing without a report
    const log = [
      ...failedStepLog('raku bin/report.raku', [
        'Use of Nil in string context',
        '  in block <unit> at bin/report.raku line 1',
        'Use of uninitialized value $x of type Int in string context.',
        'Methods .^name, .raku, .gist, or .say can be used to stringify it to something meaningful.',
        '  in sub show at bin/report.raku line 4',
        '  in block <unit> at bin/report.raku line 6',
      ], 0).split('\n').filter((line) => !line.startsWith('##[error]')),
      ...failedStepLog('./deploy.sh', ['deploying']).split('\n'),
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('raku.exception');
  });
});

describe("a warning make says failed its target keeps its rank under `make -k`, and each failed target's report is listed", () => {
  /** Asciidoctor 2.0.18 `--failure-level=WARN` then pytest 9 `--tb=no` under `make -k html test` (real output, exit 2). */
  const ASCIIDOCTOR_THEN_PYTEST = [
    'asciidoctor --failure-level=WARN -o build/index.html docs/index.adoc',
    'asciidoctor: WARNING: index.adoc: line 3: section title out of sequence: expected level 1, got level 2',
    'make: *** [Makefile:2: html] Error 1',
    ...PYTEST_TB_NO_FAILED,
    'make: *** [Makefile:5: test] Error 1',
  ];

  it("lists the failed test of make's next target after the warning that failed the first", async () => {
    // Prepare
    const log = failedStepLog('make -k html test', ASCIIDOCTOR_THEN_PYTEST, 2);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('asciidoctor.warning');
    expect(predictionLines(analysis)).toContain(lineOf(log.split('\n'), 'FAILED tests/test_model.py::test_wraps_at_sixteen'));
  });

  it("(guard) still puts a failed test first when the warning's command went on (no make status under it)", async () => {
    // Prepare: the same warning without --failure-level (asciidoctor exits 0: make runs the next command)
    const log = failedStepLog('make -k html test', ASCIIDOCTOR_THEN_PYTEST.filter((line) => !line.includes('html] Error 1')).map((line) => line.replace('--failure-level=WARN ', '')), 2);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('pytest.summary');
  });
});

describe("puppet-lint's warnings rank as its exit says: below a later failure when they failed nothing", () => {
  /** puppet-lint 3.0.1 over one module's manifests (real output): exit 0, or 1 under --fail-on-warnings. */
  const PUPPET_LINT_WARNING = 'WARNING: double quoted string containing no variables on line 6 (check: double_quoted_strings)';

  it('reads them over one file (no path: `WARNING: … on line N (check: …)`) in a --fail-on-warnings run they failed', async () => {
    // Prepare
    const log = failedStepLog('puppet-lint --fail-on-warnings ntp/manifests', [PUPPET_LINT_WARNING]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['puppet-lint.finding', PUPPET_LINT_WARNING, 'lint']);
  });

  it('(guard) puts a failed test the step ran after them first', async () => {
    // Prepare: puppet-lint without --fail-on-warnings (exit 0), then pytest --tb=no in the same step
    const log = failedStepLog('puppet-lint ntp/manifests', ['puppet-lint ntp/manifests', PUPPET_LINT_WARNING, ...PYTEST_TB_NO_FAILED]);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('pytest.summary');
  });

  it("(guard) keeps an ERROR finding, which fails every run (exit 1), above a failed test make -k ran after it", async () => {
    // Prepare: puppet-lint 3.0.1 over a manifest outside a module's layout (real output, exit 1), then make -k's next target
    const log = failedStepLog('make -k lint test', [
      'puppet-lint manifests/init.pp',
      'ERROR: ntp not in autoload module layout on line 1 (check: autoloader_layout)',
      'WARNING: class not documented on line 1 (check: documentation)',
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
    ], 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['puppet-lint.finding', 'ERROR: ntp not in autoload module layout on line 1 (check: autoloader_layout)', 'lint']);
  });

  it('keeps warnings that failed the lint target under --fail-on-warnings (make says so) above the next target\'s failed test', async () => {
    // Prepare: `puppet-lint --fail-on-warnings` (real output, exit 1) under make -k, then pytest --tb=no
    const log = failedStepLog('make -k lint test', [
      'puppet-lint --fail-on-warnings ntp/manifests',
      PUPPET_LINT_WARNING,
      'make: *** [Makefile:3: lint] Error 1',
      ...PYTEST_TB_NO_FAILED,
      'make: *** [Makefile:9: test] Error 1',
    ], 2);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('puppet-lint.finding');
  });
});

describe("TypeDoc's warnings in a run that passed (it generated the docs) are no failure", () => {
  /** TypeDoc 0.28.20 `npx typedoc --out docs/api src/index.ts` (real output, colour cut, exit 0). */
  const TYPEDOC_PASSED = [
    '[warning] The signature OrdersClient.get has an @param with name "orderId", which was not used',
    '[info] html generated at ./docs/api',
    '[warning] Found 0 errors and 1 warnings',
  ];

  it('reports nothing of them when the next step fails without a word', async () => {
    // Prepare: the docs step passed; the deploy step fails with no output
    const log = [...ghaStep('npx typedoc --out docs/api src/index.ts', TYPEDOC_PASSED, { exitCode: null }), ...ghaStep('./deploy.sh', [], { exitCode: 1 })];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('typedoc.found');
  });

  it('(guard) still reads the same warning under --treatWarningsAsErrors (no docs generated, exit 3)', async () => {
    // Prepare
    const log = failedStepLog('npx typedoc --treatWarningsAsErrors --out docs/api src/index.ts', TYPEDOC_PASSED.filter((line) => !line.startsWith('[info]')), 3);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['typedoc.found', TYPEDOC_PASSED[0], 'compilation']);
  });
});

describe("gitlint's user-defined rules and its commit-level violations (`-: …`)", () => {
  it("reads `N: UC1 …`, `N: UL1 …` and `-: UC2 …` (ids a user's rule takes: gitlint reserves R, T, B, M and I) and `-: M1 …`", async () => {
    // Prepare: gitlint 0.18.0 `--extra-path rules` over a commit (real output, exit 6)
    const output = [
      '-: M1 Author email for commit is invalid: "a@b"',
      '-: UC2 Body does not reference a ticket',
      '1: T5 Title contains the word \'WIP\' (case-insensitive): "WIP: parse the header in one pass"',
      "1: UC1 Body does not contain a 'Signed-off-by' line",
      '1: UL1 Title contains WIP: "WIP: parse the header in one pass"',
      '3: B5 Body message is too short (14<20): "Reads it once."',
    ];
    const log = failedStepLog('gitlint --extra-path rules', output, 6);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(await topFailure(log)).toEqual(['gitlint.violation', output[0], 'lint']);
    const lines = log.split('\n');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining(output.map((line) => lineOf(lines, line))));
  });

  it('reads a run whose violations are all of user-defined rules', async () => {
    // Prepare: the same rules over a commit that breaks only them (real output, exit 2)
    const output = ['-: UC2 Body does not reference a ticket', "1: UC1 Body does not contain a 'Signed-off-by' line"];
    // Act, Assert
    expect(await topFailure(failedStepLog('gitlint --extra-path rules', output, 2))).toEqual(['gitlint.violation', output[0], 'lint']);
  });
});

describe('HTML Tidy over several files without --show-filename', () => {
  it("(guard) lists each file's findings, though no line names the file (Tidy 5.6 prints no header)", async () => {
    // Prepare: `tidy -q -e public/index.html public/contact.html` (Tidy 5.6.0, real output, exit 2)
    const output = [
      'line 3 column 1 - Error: <pricing-table> is not recognized! Did you mean to enable the custom-tags option?',
      'line 3 column 1 - Warning: discarding unexpected <pricing-table>',
      'line 3 column 16 - Warning: discarding unexpected </pricing-table>',
      'line 4 column 1 - Warning: <img> lacks "alt" attribute',
      'This document has errors that must be fixed before',
      'using HTML Tidy to generate a tidied up version.',
      '',
      'line 4 column 1 - Warning: <img> lacks "alt" attribute',
      'This document has errors that must be fixed before',
      'using HTML Tidy to generate a tidied up version.',
      '',
    ];
    const log = failedStepLog('tidy -q -e public/index.html public/contact.html', output, 2);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(await topFailure(log)).toEqual(['tidy.finding', output[0], 'lint']);
    expect(predictionLines(analysis)).toContain(lineOf(log.split('\n'), output[7]!, lineOf(log.split('\n'), output[4]!)));
  });
});

describe("Agda 2.6's warnings, printed as its errors are, rank below the error that stopped it", () => {
  it('puts the last report of a failed run first: Agda stops at its first error, the reports before it are warnings', async () => {
    // Prepare: Agda 2.6.2.2 `agda -i src src/Vec.agda` (real output, exit 42): an empty where block and an unreachable
    // clause (warnings), then a type error
    const output = [
      'Checking Vec (/home/runner/work/vec/vec/src/Vec.agda).',
      '/home/runner/work/vec/vec/src/Vec.agda:14,3-8',
      "Empty `where' block (ignored)",
      'when scope checking the declaration',
      '  double n = n + n',
      '    where',
      '/home/runner/work/vec/vec/src/Vec.agda:10,1-19',
      'Unreachable clause',
      'when checking the definition of _+_',
      '/home/runner/work/vec/vec/src/Vec.agda:17,7-10',
      'Nat → Nat !=< Nat',
      'when checking that the expression suc has type Nat',
    ];
    const log = failedStepLog('agda -i src src/Vec.agda', output, 42);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['agda.error', lineOf(log.split('\n'), 'Vec.agda:17,7-10')]);
    expect(predictionLines(analysis)).not.toContain(lineOf(log.split('\n'), 'Unreachable clause'));
  });
});
