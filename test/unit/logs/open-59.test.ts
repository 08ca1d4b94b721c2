import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { cleanLine } from '../../../shared/logs/reader.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';
import { ghaStep } from '../../support/gha-step.js';

// Session 59 (open59): the extractor's known open gaps, each closed per format. Real tools' output where a row says
// so; the rest laid out in the tools' documented formats.

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: readonly string[], output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

describe("Playwright Test's list reporter: the `✘` progress lines of the tests its reports are about", () => {
  /** Playwright 1.65's list reporter (real output): a line per test as it ends, then a report per failed test. */
  function run(passedBetween: number): string[] {
    return stepWithoutExit(['npx playwright test'], [
      'Running 5 tests using 1 worker',
      '',
      '  ✘  1 [chromium] › tests/cart.spec.ts:4:5 › cart › adds an item (1.2s)',
      ...Array.from({ length: passedBetween }, (_, i) => `  ✓  ${i + 2} [chromium] › tests/cart.spec.ts:${12 + i}:5 › cart › keeps item ${i} (310ms)`),
      `  ✘  ${passedBetween + 2} [chromium] › tests/login.spec.ts:9:3 › logs in (5.0s)`,
      '',
      '',
      '  1) [chromium] › tests/cart.spec.ts:4:5 › cart › adds an item ──────────────────────────────────',
      '',
      '    Error: expect(locator).toHaveText(expected) failed',
      '',
      '    Locator: getByTestId(\'count\')',
      '    Expected: "1"',
      '    Received: "0"',
      '',
      '        at /home/runner/work/shop/shop/tests/cart.spec.ts:8:40',
      '',
      '  2) [chromium] › tests/login.spec.ts:9:3 › logs in ────────────────────────────────────────────',
      '',
      '    Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/login',
      '',
      '        at /home/runner/work/shop/shop/tests/login.spec.ts:10:16',
      '',
      '  2 failed',
      '    [chromium] › tests/cart.spec.ts:4:5 › cart › adds an item ──────────────────────────────────',
      '    [chromium] › tests/login.spec.ts:9:3 › logs in ────────────────────────────────────────────',
      `  ${passedBetween} passed (9.8s)`,
      '##[error]Process completed with exit code 1.',
    ]);
  }

  it.each([0, 40])('lists them with the reports, the first report\'s error first (%i passed tests between them)', async (passedBetween) => {
    // Prepare: the `✘` lines at 7 and 8 + passedBetween, the first report's error 13 lines below the second.
    const log = run(passedBetween);
    const secondMark = 8 + passedBetween;
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(secondMark + 5);
    expect(lines).toEqual(expect.arrayContaining([7, secondMark, secondMark + 3, secondMark + 13, secondMark + 15]));
    // The passed tests' lines between them are not.
    for (let l = 8; l < secondMark; l++) expect(lines).not.toContain(l);
  });
});

describe('Maven --fail-at-end: the javac errors of every module its closing reports list', () => {
  it("lists the second failing module's errors, past its build header, with the first's (Maven 3.8, javac 17)", async () => {
    // Prepare: Maven 3.8.7's `mvn -B -ntp -fae compile` of a reactor whose two modules fail (real output, trimmed to
    // the compiler's lines): core's errors at 9-11, web's at 26-28, both again under the goals' reports at 34-41.
    const log = stepWithoutExit(['mvn -B -ntp -fae compile'], [
      '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ core ---',
      '[INFO] Compiling 1 source file with javac [debug release 17] to target/classes',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] COMPILATION ERROR : ',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] /home/runner/work/shop/shop/core/src/main/java/com/acme/shop/core/Cart.java:[15,26] cannot find symbol',
      '  symbol:   method zero(java.lang.String)',
      '  location: class com.acme.shop.api.Money',
      '[INFO] 1 error',
      '[INFO] -------------------------------------------------------------',
      '[INFO] ',
      '[INFO] -------------------------< com.acme.shop:web >--------------------------',
      '[INFO] Building shop-web 2.3.0-SNAPSHOT                                   [3/3]',
      '[INFO] --------------------------------[ jar ]---------------------------------',
      '[INFO] ',
      '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ web ---',
      '[INFO] Compiling 1 source file with javac [debug release 17] to target/classes',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] COMPILATION ERROR : ',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] /home/runner/work/shop/shop/web/src/main/java/com/acme/shop/web/Page.java:[9,17] cannot find symbol',
      '  symbol:   method amount()',
      '  location: variable m of type com.acme.shop.api.Money',
      '[INFO] 1 error',
      '[INFO] -------------------------------------------------------------',
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project core: Compilation failure',
      '[ERROR] /home/runner/work/shop/shop/core/src/main/java/com/acme/shop/core/Cart.java:[15,26] cannot find symbol',
      '[ERROR]   symbol:   method zero(java.lang.String)',
      '[ERROR]   location: class com.acme.shop.api.Money',
      '[ERROR] -> [Help 1]',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project web: Compilation failure',
      '[ERROR] /home/runner/work/shop/shop/web/src/main/java/com/acme/shop/web/Page.java:[9,17] cannot find symbol',
      '[ERROR]   symbol:   method amount()',
      '[ERROR]   location: variable m of type com.acme.shop.api.Money',
      '[ERROR] -> [Help 1]',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(10);
    expect(lines).toEqual(expect.arrayContaining([10, 11, 12, 25, 26, 27]));
    // Maven's build header between them is not part of the report.
    for (let l = 15; l <= 22; l++) expect(lines).not.toContain(l);
  });
});

describe('the cursor sent to the first column as `ESC[G` or `ESC[0G` (CHA with its parameter left out or 0)', () => {
  afterEach(restoreFastPaths);

  it.each(['\x1b[G', '\x1b[0G'])('reads %j as `ESC[1G`, a carriage return: the line is its last drawing', (seq) => {
    // ansi-escapes' `cursorLeft` (log-update's erase ends with it) is `ESC[G`; ECMA-48 reads a 0 as the default, 1.
    expect(cleanLine(`\x1b[2K${seq}\u280b building${seq}\x1b[31m✗ returns the cached value\x1b[0m`)).toBe('✗ returns the cached value');
  });

  it('leaves another column (`ESC[5G`) to the escape stripping: the drawings stay side by side', () => {
    expect(cleanLine('name\x1b[5G ✗ x')).toBe('name ✗ x');
  });

  it.each(['\x1b[G', '\x1b[0G'])('finds with the fast paths forced on what reading every line finds (%j)', async (seq) => {
    // Prepare: a spinner drawn over, then a finding whose shape (`file:line:col:`) counts only at the line's start.
    const spinner = (frame: string, text: string): string => `${seq}${frame} flake8\x1b[K${seq}${text}\x1b[K`;
    const log = [
      ...Array.from({ length: 100 }, (_, i) => `ok ${i}`),
      '$ make lint',
      spinner('\u280b', 'src/app.py:12:80: E501 line too long (88 > 79 characters)'),
      spinner('\u2819', 'src/app.py:31:1: E302 expected 2 blank lines, found 1'),
    ].join('\n');
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    // Assert
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ startLine: number }>).map((f) => f.startLine)).toContain(102);
  });
});

describe('JVM diagnostics on a path with spaces (a checkout under `my app/`)', () => {
  it.each([
    ['Kotlin 2 through Gradle', 'e: file:///home/runner/work/my app/my app/src/main/kotlin/shop/Cart.kt:3:5 Unresolved reference \'zero\'.', 'javac.error', 'compilation'],
    ['Kotlin 1.9 without the scheme', 'e: /home/runner/work/my app/my app/src/main/kotlin/shop/Cart.kt: (3, 5): Unresolved reference: zero', 'javac.error', 'compilation'],
    ['Checkstyle\'s plain format', '[ERROR] /home/runner/work/my app/my app/src/main/java/shop/Cart.java:14:17: Member name \'Total\' must match pattern \'^[a-z][a-zA-Z0-9]*$\'. [MemberName]', 'checkstyle.violation', 'lint'],
    ['Checkstyle through Maven', '[ERROR] /home/runner/work/my app/my app/src/main/java/shop/Cart.java:[14,17] (naming) MemberName: Member name \'Total\' must match pattern \'^[a-z][a-zA-Z0-9]*$\'.', 'checkstyle.violation', 'lint'],
  ])('reads %s as on a path without', async (_, text, rule, category) => {
    // Prepare: the diagnostic is line 6.
    const log = stepWithoutExit(['./gradlew build'], ['> Task :app:compileKotlin FAILED', text, '', 'FAILURE: Build failed with an exception.', '##[error]Process completed with exit code 1.']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe(rule);
    expect(analysis.category).toBe(category);
    expect(predictionLines(analysis)[0]).toBe(6);
  });
});

describe("pytest's `INTERNALERROR>` report behind docker compose's prefix", () => {
  /** pytest 9.0's report of a conftest hook that raised (real output, the middle frames left out). */
  const INTERNAL = [
    'INTERNALERROR> Traceback (most recent call last):',
    'INTERNALERROR>   File "/usr/local/lib/python3.12/site-packages/_pytest/main.py", line 318, in wrap_session',
    'INTERNALERROR>     session.exitstatus = doit(config, session) or 0',
    'INTERNALERROR>                          ^^^^^^^^^^^^^^^^^^^^^',
    'INTERNALERROR>   File "/usr/local/lib/python3.12/site-packages/pluggy/_callers.py", line 167, in _multicall',
    'INTERNALERROR>     raise exception',
    'INTERNALERROR>   File "/usr/local/lib/python3.12/site-packages/pluggy/_callers.py", line 139, in _multicall',
    'INTERNALERROR>     teardown.throw(exception)',
    'INTERNALERROR>   File "/app/conftest.py", line 2, in pytest_collection_modifyitems',
    'INTERNALERROR>     raise ValueError("unknown marker expression: slow and")',
    'INTERNALERROR> ValueError: unknown marker expression: slow and',
  ];

  it.each([
    ['alone', ''],
    ["behind compose v2's prefix", 'tests-1  | '],
    ["behind compose v1's prefix", 'shop_tests_1  | '],
  ])('reads the traceback %s, its exception first', async (_, prefix) => {
    // Prepare: the traceback at lines 8-18, its exception last.
    const log = stepWithoutExit(['docker compose up --exit-code-from tests'], [
      'Attaching to db-1, tests-1',
      `${prefix}============================= test session starts ==============================`,
      `${prefix}collected 1 item`,
      ...INTERNAL.map((line) => `${prefix}${line}`),
      `${prefix}`,
      `${prefix}============================ no tests ran in 0.01s =============================`,
      '##[error]Process completed with exit code 3.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('python.traceback');
    expect(lines[0]).toBe(18);
    expect(lines).toEqual(expect.arrayContaining([8, 16, 17]));
  });
});

describe('javac under -Werror after more warnings than the look-back reaches', () => {
  it("lists the warnings nearest the error, from a warning's first line (javac 17, -Xlint:all -Werror)", async () => {
    // Prepare: 100 raw-type warnings of three lines each (the warning, the code, the caret) at lines 5-304.
    const warnings = Array.from({ length: 100 }, (_, i) => [
      `src/main/java/com/acme/legacy/Ledger${i}.java:8: warning: [rawtypes] found raw type: List`,
      '    private final List entries = new ArrayList();',
      '                  ^',
    ]).flat();
    const log = stepWithoutExit(['javac -Xlint:all -Werror -d build $(find src -name "*.java")'], [...warnings, 'error: warnings found and -Werror specified', '1 error', '100 warnings']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    const lines = predictionLines(analysis);
    // Assert: the error first, the warnings above it from the first whole one within reach.
    expect(lines[0]).toBe(305);
    expect(lines).toEqual(expect.arrayContaining([302, 303, 304]));
    const from = Math.min(...lines);
    expect(log[from - 1]).toMatch(/: warning: /);
  });

  it("does the same with Maven's `[WARNING]` list (maven-compiler-plugin 3.13, <failOnWarning>)", async () => {
    // Prepare: 250 warnings at lines 6-255, then the error at 256.
    const warnings = Array.from({ length: 250 }, (_, i) => `[WARNING] /home/runner/work/shop/shop/src/main/java/com/acme/Ledger${i}.java:[8,19] found raw type: java.util.List`);
    const log = stepWithoutExit(['mvn -B compile'], ['[WARNING] COMPILATION WARNING : ', ...warnings, '[ERROR] warnings found and -Werror specified', '[INFO] 1 error']);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(256);
    expect(lines).toEqual(expect.arrayContaining([254, 255]));
  });
});

describe("less-loader's error under webpack's `ERROR in`, past two blank lines", () => {
  it('lists the source lines, the caret, less\'s message and its position with the headline (webpack 5.113, less-loader 11)', async () => {
    // Prepare: webpack's report at 5-6, two blank lines, less's part at 9-13 (the source, the caret, the message,
    // the position), webpack's module trace at 14-15.
    const log = stepWithoutExit(['npx webpack --mode production'], [
      'ERROR in ./src/theme.less (./node_modules/css-loader/dist/cjs.js!./node_modules/less-loader/dist/cjs.js!./src/theme.less)',
      'Module build failed (from ./node_modules/less-loader/dist/cjs.js):',
      '',
      '',
      '.button {',
      '  color: @brand',
      '^',
      'Unrecognised input. Possibly missing something',
      '      Error in /home/runner/work/shop/shop/src/theme.less (line 11, column 0)',
      ' @ ./src/theme.less 8:6-136 22:17-24 27:22-29 27:33-47 27:50-64 26:0-106 26:0-106',
      ' @ ./src/index.js 2:0-22',
      '',
      'webpack 5.113.0 compiled with 1 error in 612 ms',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('webpack.error-in');
    expect(lines[0]).toBe(5);
    expect(lines).toEqual(expect.arrayContaining([6, 9, 10, 11, 12, 13]));
    expect(lines).not.toContain(17);
  });
});

describe("Playwright Test's `--reporter=github`: a report per failed test, each an `::error` annotation", () => {
  it('reads each report as its own failure, the annotation on its first line ending the one above', async () => {
    // Prepare: Playwright's GitHub reporter prints each failure's report as one workflow command, its newlines as
    // `%0A`; the runner writes it as `##[error]` and the report's lines (the first report at 5-12, the second at 14-18).
    const log = stepWithoutExit(['npx playwright test --reporter=github'], [
      '##[error]  1) [chromium] › tests/cart.spec.ts:4:5 › cart › adds an item ─────────────────────────────',
      '',
      '    Error: expect(received).toBe(expected) // Object.is equality',
      '',
      '    Expected: 1',
      '    Received: 0',
      '',
      '        at /home/runner/work/shop/shop/tests/cart.spec.ts:8:40',
      '',
      '##[error]  2) [chromium] › tests/login.spec.ts:9:3 › logs in ────────────────────────────────────────',
      '',
      '    Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/login',
      '',
      '        at /home/runner/work/shop/shop/tests/login.spec.ts:10:16',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const reports = analysis.failures.filter((f) => f.rule === 'playwright.failed').map((f) => [f.startLine, f.lines[0]?.line]);
    expect(reports).toEqual([[5, 7], [14, 16]]);
    expect(predictionLines(analysis)[0]).toBe(7);
  });
});
