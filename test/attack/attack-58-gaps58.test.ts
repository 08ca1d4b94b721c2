import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';

// Session 58's attack on branch gaps58 (the gap fixes): output the new readings could take for what it is not, and
// variants of the new formats. Laid out in the tools' documented formats where the row does not say otherwise.

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: readonly string[], output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

/** git's `git diff` of one changed line (the layout git 2.39 prints). */
const TYPES_DIFF = [
  'diff --git a/api/types.go b/api/types.go',
  'index ac3d20e..1f534d6 100644',
  '--- a/api/types.go',
  '+++ b/api/types.go',
  '@@ -1,2 +1,2 @@',
  '-type ID int',
  '+type ID int64',
];

describe("attack 58 (gaps58): a step script's echo over a diff", () => {
  it('is not a spacer the script echoes (`echo " "`): a blank line above the diff does not open its report', async () => {
    // Prepare: the script prints a spacer line before its check; the line above the diff is blank.
    const log = stepWithoutExit(['make generate', 'echo " "', 'git diff --exit-code'], ['gen: wrote api/types.go', ' ', ...TYPES_DIFF, '##[error]Process completed with exit code 1.']).join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the diff's report starts at its own first line (9), not at the blank line over it.
    const diff = analysis.failures.find((f) => f.rule === 'diff.unified');
    expect(diff?.startLine).toBe(9);
    expect(predictionLines(analysis)).not.toContain(8);
  });

  it('still opens the report with a message the script echoes (gofmt-diff.log in CRLF)', async () => {
    // Prepare
    const log = stepWithoutExit(['if [ -n "$(gofmt -l .)" ]; then', '  echo "Go code is not formatted:"', '  gofmt -d .', '  exit 1', 'fi'], ['Go code is not formatted:', ...TYPES_DIFF, '##[error]Process completed with exit code 1.']).join('\r\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.find((f) => f.rule === 'diff.unified')?.startLine).toBe(9);
  });
});

/** Sphinx 9's `-W --keep-going` build (sphinx9-warnings.log's layout): its banner, progress, a warning and its verdict. */
function sphinxBuild(afterBanner: readonly string[]): string {
  return [
    'Running Sphinx v9.0.4',
    'loading translations [en]... done',
    ...afterBanner,
    'making output directory... done',
    'building [html]: targets for 3 source files that are out of date',
    'reading sources... [100%] rates',
    '',
    "/home/runner/work/shipping/shipping/docs/index.rst:9: WARNING: undefined label: 'zones' [ref.ref]",
    'writing output... [100%] rates',
    'dumping object inventory... done',
    'build finished with problems, 1 warning (with warnings treated as errors).',
  ].join('\n');
}

describe('attack 58 (gaps58): the Sphinx report starting at its first warning', () => {
  it("keeps what Sphinx's run printed before that warning inside its report, not candidates of their own (a cached environment's `failed`)", async () => {
    // Prepare: a `_build` restored from a cache Sphinx cannot reuse (Sphinx's own words), and conf.py's
    // `git describe` failing on a shallow clone (setuptools-scm's version lookup), both before the first warning.
    const log = sphinxBuild(['loading pickled environment... failed: build environment version not current', 'fatal: No names found, cannot describe anything.']);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the report starts at the warning (line 9), and nothing Sphinx's run printed is another failure.
    expect(analysis.failures[0]?.rule).toBe('sphinx.warnings-as-errors');
    expect(analysis.failures[0]?.startLine).toBe(9);
    expect(analysis.failures.map((f) => f.rule)).toEqual(['sphinx.warnings-as-errors']);
  });
});

describe("attack 58 (gaps58): webpack's loader error past a blank line", () => {
  /** webpack 5.113's report of a CSS syntax error (real output, css-loader 6 and postcss-loader 7 alike): the
   * loader's error is `SyntaxError`, a blank line, `(line:col) path reason`, a blank line, the code frame. */
  function cssError(loader: string): string[] {
    return [
      'ERROR in ./src/styles.css (./node_modules/css-loader/dist/cjs.js!./src/styles.css)',
      `Module build failed (from ./node_modules/${loader}/dist/cjs.js):`,
      '',
      'SyntaxError',
      '',
      '(3:3) /home/runner/work/shop/shop/src/styles.css Unknown word padding',
      '',
      '  1 | .card {',
      '  2 |   color: red;',
      '> 3 |   padding 4px;',
      '    |   ^',
      '  4 | }',
      '  5 | ',
      ' @ ./src/styles.css 8:6-100 22:17-24 27:22-29 27:33-47 27:50-64 26:0-70 26:0-70',
      ' @ ./src/index.js 1:0-22',
      '',
      'webpack 5.113.0 compiled with 1 error in 1541 ms',
    ];
  }

  it.each(['css-loader', 'postcss-loader'])("lists %s's reason and code frame with webpack's headline", async (loader) => {
    // Prepare
    const log = stepWithoutExit(['npx webpack'], [...cssError(loader), '##[error]Process completed with exit code 1.']).join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert: the headline (line 5) first; the reason (10) and the frame's marked line (14) in its report.
    expect(lines[0]).toBe(5);
    expect(lines).toEqual(expect.arrayContaining([5, 6, 10, 14]));
  });
});

describe("attack 58 (gaps58): less-loader's error under webpack's `ERROR in`", () => {
  // webpack 5.113 with less-loader 11 (real output): `Module build failed (from …less-loader…):`, two blank lines,
  // the source lines round the error as they stand (`  @x;`, `}}`), a caret, less's message and `Error in <path>
  // (line 5, column 1)`. Past two blank lines the first line is the user's source, which nothing tells from the next
  // paragraph: closed in session 59 (open59) from the other end, less-loader's position line, read up to the blank
  // line above the source (less-loader.error), which the prediction lists right under webpack's report.
  it("lists less's message and its position with webpack's headline", async () => {
    // Prepare
    const log = stepWithoutExit(['npx webpack'], [
      'ERROR in ./src/b.less (./node_modules/css-loader/dist/cjs.js!./node_modules/less-loader/dist/cjs.js!./src/b.less)',
      'Module build failed (from ./node_modules/less-loader/dist/cjs.js):',
      '',
      '',
      '  @x;',
      '}}',
      '^',
      "Unrecognised input. Possibly missing opening '{'",
      '      Error in /home/runner/work/shop/shop/src/b.less (line 5, column 1)',
      ' @ ./src/b.less 8:6-136 22:17-24 27:22-29 27:33-47 27:50-64 26:0-106 26:0-106',
      ' @ ./src/index.js 2:0-18',
      '',
      'webpack 5.113.0 compiled with 1 error in 572 ms',
      '##[error]Process completed with exit code 1.',
    ]).join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert: the headline first, less's message (12) and position (13) in its report.
    expect(lines[0]).toBe(5);
    expect(lines).toEqual(expect.arrayContaining([12, 13]));
  });
});

describe("attack 58 (gaps58): go vet's type checker errors on a Windows runner", () => {
  // cmd/go prints a file relative to the working directory in the system's form: `status\weight.go:11:3: …` on
  // Windows (`.\main.go:9:2: …` for the current directory's package).
  it.each([
    ['vet: status\\weight.go:11:3: declared and not used: ttl', 'go.build-error', 'compilation'],
    ['vet: .\\main.go:9:2: undefined: shipping', 'go.build-error', 'compilation'],
    ['status\\weight.go:11:3: declared and not used: ttl', 'go.build-error', 'compilation'],
    ['status\\weight.go:14:2: fmt.Sprintf format %d has arg p.ID of wrong type string', 'go.vet-finding', 'lint'],
  ])('reads `%s` as on Linux', async (text, rule, category) => {
    // Prepare
    const log = ['##[group]Run go vet ./...', 'go vet ./...', 'shell: C:\\Program Files\\Git\\bin\\bash.EXE --noprofile --norc -e -o pipefail {0}', '##[endgroup]', '# example.com/shipping/status', text, '##[error]Process completed with exit code 1.'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe(rule);
    expect(analysis.failures[0]?.category).toBe(category);
    expect(predictionLines(analysis)).toContain(6);
  });
});

describe('attack 58 (gaps58): a redraw to column one in the other spellings of the sequence', () => {
  // `ESC[G` and `ESC[0G` send the cursor to the first column as `ESC[1G` does (CHA's parameter defaults to 1;
  // ansi-escapes' `cursorLeft`, which log-update ends its erase with, is `ESC[G`). cleanLine read only `ESC[1G` as a
  // carriage return: the line kept both drawings, `   name ✗ name`. Closed in session 59 (open59): cleanLine, the
  // cleaning hazards and the line filter's JavaScript and WebAssembly passes read all three spellings.
  it.each(['\x1b[G', '\x1b[0G'])('reads %j as a carriage return', async (seq) => {
    // Prepare: Bats' pretty redraw of a failed test, with the other spelling.
    const log = ['1..1', `   returns the cached value${seq} ✗ returns the cached value`, '   (in test file test/cache.bats, line 7)', "     `[ \"$output\" = 42 ]' failed"].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.some((f) => f.lines.some((l) => l.text === ' ✗ returns the cached value'))).toBe(true);
  });
});

describe("attack 58 (gaps58): a C test's own failure in a linter's shape, Unity's", () => {
  // Unity (ThrowTheSwitch, the C unit test framework of embedded projects) prints a line a test:
  // `test/test_ringbuf.c:23:test_push_wraps:FAIL: Expected 3 Was 2`, `…:PASS` for the others, then its tally. The
  // branch reads a harness's `file:line: check failed:` as a failed test; Unity's FAIL is one too, and its PASS no
  // finding at all.
  const unity = [
    'cc -Iunity/src -o build/test_ringbuf test/test_ringbuf.c src/ringbuf.c unity/src/unity.c',
    './build/test_ringbuf',
    'test/test_ringbuf.c:41:test_push_then_pop:PASS',
    'test/test_ringbuf.c:23:test_push_wraps:FAIL: Expected 3 Was 2',
    'test/test_ringbuf.c:55:test_empty_after_clear:PASS',
    'test/test_ringbuf.c:60:test_resize:IGNORE: not on this target',
    '',
    '-----------------------',
    '4 Tests 1 Failures 1 Ignored',
    'FAIL',
    'make: *** [Makefile:12: test] Error 1',
    '##[error]Process completed with exit code 2.',
  ];

  it('puts the FAIL line first, a failed test, without the passing tests around it', async () => {
    // Prepare
    const log = stepWithoutExit(['make test'], unity).join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert: line 8 is the failed test.
    expect(lines[0]).toBe(8);
    expect(analysis.failures[0]?.category).toBe('test_failure');
    expect(lines).not.toContain(7);
    expect(lines).not.toContain(9);
  });
});
