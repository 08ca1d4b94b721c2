import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { cleanLine } from '../../shared/logs/reader.js';
import { taskPrefixLength } from '../../shared/logs/task-prefix.js';
import { failuresBothWays, restoreFastPaths } from '../support/fast-paths.js';
import { ghaStep } from '../support/gha-step.js';

// Session 59's sweep of the open gaps it closed (branch open59): output that each fix's new reading could take for
// what it is not. Laid out in the tools' documented formats unless a row says otherwise.

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: readonly string[], output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

describe("sweep 59: Playwright list reporter's `✘` lines taken with the reports", () => {
  it("leaves out an earlier step's `✘` line (a smoke run that was allowed to fail)", async () => {
    // Prepare: step one (lines 1-6) fails with continue-on-error; step two's `✘` line is 12, its report 14-18.
    const log = [
      ...stepWithoutExit(['npx playwright test --project=smoke'], ['  ✘  1 [smoke] › tests/home.spec.ts:3:1 › home loads (2.0s)', '  1 failed']),
      ...stepWithoutExit(['npx playwright test --project=chromium'], [
        '  ✓  1 [chromium] › tests/home.spec.ts:3:1 › home loads (1.1s)',
        '  ✘  2 [chromium] › tests/cart.spec.ts:4:5 › adds an item (1.2s)',
        '',
        '  1) [chromium] › tests/cart.spec.ts:4:5 › adds an item ─────────────────────────────',
        '',
        '    Error: expect(received).toBe(expected) // Object.is equality',
        '',
        '  1 failed',
        '##[error]Process completed with exit code 1.',
      ]),
    ].join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines[0]).toBe(16);
    expect(lines).toEqual(expect.arrayContaining([12, 14]));
    expect(lines).not.toContain(5);
  });

  it("leaves a `✘` line of another runner's shape to the cross-mark rule (Jest's has no file:line:col)", async () => {
    // Prepare
    const log = stepWithoutExit(['npx jest'], [' FAIL  src/cart.test.js', '  cart', '    ✕ adds an item (5 ms)', '', '  ● cart › adds an item', '', '    expect(received).toBe(expected) // Object.is equality'].join('\n').split('\n'));
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.some((f) => f.rule === 'playwright.list-failed')).toBe(false);
  });
});

describe('sweep 59: blocks the build printed again together', () => {
  it("keeps apart two Maven runs of one step, each with its own closing report (a script's `mvn -pl core` then `mvn -pl web`)", async () => {
    // Prepare: the first run's error at 7-9 and its closing report at 11-15; the second run's error at 29 and its
    // closing report at 31-33, the copy in it more than twelve lines from the first's copies.
    const log = stepWithoutExit(['mvn -B -pl core compile || true', 'mvn -B -pl web compile'], [
      '[ERROR] COMPILATION ERROR : ',
      '[ERROR] /home/runner/work/shop/shop/core/src/main/java/com/acme/Cart.java:[15,26] cannot find symbol',
      '  symbol:   method zero(java.lang.String)',
      '  location: class com.acme.Money',
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project core: Compilation failure',
      '[ERROR] /home/runner/work/shop/shop/core/src/main/java/com/acme/Cart.java:[15,26] cannot find symbol',
      '[ERROR]   symbol:   method zero(java.lang.String)',
      '[ERROR]   location: class com.acme.Money',
      '[ERROR] -> [Help 1]',
      ...Array.from({ length: 12 }, (_, i) => `[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/acme/lib${i}/1.0/lib${i}-1.0.pom`),
      '[ERROR] COMPILATION ERROR : ',
      '[ERROR] /home/runner/work/shop/shop/web/src/main/java/com/acme/Page.java:[9,17] cannot find symbol',
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project web: Compilation failure',
      '[ERROR] /home/runner/work/shop/shop/web/src/main/java/com/acme/Page.java:[9,17] cannot find symbol',
      '[ERROR] -> [Help 1]',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(7);
    expect(lines).not.toContain(29);
  });
});

describe('sweep 59: `ESC[G` and `ESC[0G` read as a carriage return', () => {
  afterEach(restoreFastPaths);

  it.each(['\x1b[10G', '\x1b[2G', '\x1b[02G'])('keeps the text before a move to another column (%j): a table lined up, not drawn over', async (move) => {
    // Prepare: a status table whose second column is placed with a column move (a shell script's `tput hpa`).
    const row = `src/app.py${move}FAILED: 2 errors`;
    const log = [...Array.from({ length: 100 }, (_, i) => `ok ${i}`), '$ ./check.sh', row].join('\n');
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    // Assert: the cleaned row keeps both columns, and the fast paths read it alike.
    expect(cleanLine(row)).toBe('src/app.pyFAILED: 2 errors');
    expect(fast).toEqual(everyLine);
  });

  it('reads a move to column one split across a chunk boundary as reading every line does', async () => {
    // Prepare: 512-byte chunks (the first is never filtered); the row's `ESC[0G` is at bytes 1533-1536, its `G`
    // the first byte of the fourth chunk.
    const log = `${'ok\n'.repeat(511)}\x1b[0Gsrc/app.py:3:1: E302 expected 2 blank lines, found 1\n`;
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    // Assert
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ startLine: number }>).map((f) => f.startLine)).toContain(512);
  });
});

describe('sweep 59: JVM paths with spaces', () => {
  it.each([
    ["Kotlin's warning (`w: `)", 'w: file:///home/runner/work/my app/my app/src/main/kotlin/shop/Cart.kt:3:5 Parameter \'x\' is never used'],
    ["Checkstyle's warning (`[WARN]`)", '[WARN] /home/runner/work/my app/my app/src/main/java/shop/Cart.java:14:17: Line is longer than 100 characters (found 112). [LineLength]'],
    ['a sentence that starts like a diagnostic', 'e: see /home/runner/work/my app/notes about Cart.kt for details'],
  ])('finds no failure in %s', async (_, text) => {
    // Prepare
    const log = stepWithoutExit(['./gradlew build'], ['> Task :app:compileKotlin', text, 'BUILD SUCCESSFUL in 9s']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).toEqual([]);
  });

  it("leaves javac's error on a path with spaces (`[ERROR] /my app/…/Cart.java:[14,17] cannot find symbol`) to javac's rule", async () => {
    // Prepare
    const log = stepWithoutExit(['mvn -B compile'], ['[ERROR] COMPILATION ERROR : ', "[ERROR] /home/runner/work/my app/my app/src/main/java/shop/Cart.java:[14,17] cannot find symbol", '  symbol:   method zero()', '[ERROR] -> [Help 1]', '##[error]Process completed with exit code 1.']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('javac.error');
    expect(analysis.category).toBe('compilation');
  });
});

describe("sweep 59: pytest's `INTERNALERROR>` behind docker compose's prefix", () => {
  afterEach(restoreFastPaths);

  it('finds with the fast paths forced on what reading every line finds (the line filter has no start shape for the pair)', async () => {
    // Prepare: a database's log lines, then the report, each line behind compose's prefix; one INTERNALERROR line
    // holds a start shape only (`E   `), which the keyword `err` in the prefix lets through.
    const log = [
      ...Array.from({ length: 100 }, (_, i) => `db-1     | 2026-11-28 15:00:${String(i % 60).padStart(2, '0')}.123 UTC [1] LOG:  checkpoint complete`),
      'tests-1  | INTERNALERROR> Traceback (most recent call last):',
      'tests-1  | INTERNALERROR>   File "/app/conftest.py", line 2, in pytest_collection_modifyitems',
      'tests-1  | INTERNALERROR> E   raise ValueError("unknown marker expression: slow and")',
      'tests-1  | INTERNALERROR> ValueError: unknown marker expression: slow and',
      'tests-1 exited with code 3',
    ].join('\n');
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    // Assert
    expect(fast).toEqual(everyLine);
    expect(everyLine.length).toBeGreaterThan(0);
  });

  it('keeps a bare `INTERNALERROR> ` behind the prefix as the line it is (nothing follows it)', () => {
    // Act + Assert: only compose's prefix is measured.
    expect(taskPrefixLength('tests-1  | INTERNALERROR> ')).toBe('tests-1  | '.length);
    expect(taskPrefixLength('tests-1  | INTERNALERROR> x')).toBe('tests-1  | INTERNALERROR> '.length);
  });
});

describe("sweep 59: javac's -Werror error after a look-back's reach of lines", () => {
  it('takes no indented output that holds no warning (a test run printing 250 indented lines before the error)', async () => {
    // Prepare: 250 indented lines (lines 5-254), which the look-back reads past as a warning's code, then the error.
    const log = stepWithoutExit(['./build.sh'], [...Array.from({ length: 250 }, (_, i) => `    at com.acme.Step${i}.run(Step${i}.java:12)`), 'error: warnings found and -Werror specified', '1 error']);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(255);
    expect(Math.min(...lines)).toBeGreaterThan(250);
  });
});

describe("sweep 59: Django's test runner (Django 3.2, real output)", () => {
  it("leaves a view's 500 logged mid-run (`.Internal Server Error: /total/`, its traceback on lines of its own) below the tests' failures", async () => {
    // Prepare: the logger's message after the progress dot (line 7), its traceback (8-13), then the failures.
    const log = stepWithoutExit(['python manage.py test'], [
      "Creating test database for alias 'default'...",
      'System check identified no issues (0 silenced).',
      '.Internal Server Error: /total/',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/django/core/handlers/exception.py", line 47, in inner',
      '    response = get_response(request)',
      '  File "/home/runner/work/shop/shop/cart/views.py", line 5, in total',
      "    return JsonResponse({'total': sum(int(i) for i in items.split(','))})",
      "AttributeError: 'NoneType' object has no attribute 'split'",
      'FF.',
      '======================================================================',
      'FAIL: test_b_total_without_items (cart.tests.CartTests.test_b_total_without_items)',
      '----------------------------------------------------------------------',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/shop/shop/cart/tests.py", line 10, in test_b_total_without_items',
      '    self.assertEqual(response.status_code, 400)',
      'AssertionError: 500 != 400',
      '',
      '----------------------------------------------------------------------',
      'Ran 4 tests in 0.020s',
      '',
      'FAILED (failures=1)',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('unittest.failed');
    expect(predictionLines(analysis)[0]).toBe(21);
  });
});

describe('sweep 59: a diff in a log without GitHub Actions steps', () => {
  const diff = ['diff --git a/src/a.c b/src/a.c', 'index 3b18e51..a0b2c3d 100644', '--- a/src/a.c', '+++ b/src/a.c', '@@ -1,2 +1,2 @@', '-int x=1;', '+int x = 1;', ' int y;'];

  it('ranks the compiler error that failed a Jenkins Pipeline below the diff a check printed first', async () => {
    // Prepare: the diff at 5-12, gcc's error at 15.
    const log = ['Started by user admin', '[Pipeline] sh', '+ ./scripts/check-format.sh', '[Pipeline] sh', ...diff, '+ make', 'cc -c src/b.c -o b.o', "src/b.c:3:5: error: unknown type name 'foo'", '    3 |     foo y;', '      |     ^~~', 'make: *** [Makefile:2: b.o] Error 1', 'ERROR: script returned exit code 2', 'Finished: FAILURE'];
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(15);
    expect(lines).not.toContain(5);
  });

  it("ranks the diff first when the check failed the freestyle job after gcc's warning", async () => {
    // Prepare: the warning at 4, the diff at 8-15.
    const log = ['Started by user admin', '+ make', 'cc -Wall -c src/b.c -o b.o', "src/b.c:3:7: warning: unused variable 'y' [-Wunused-variable]", '    3 |   int y;', '      |       ^', '+ git diff --exit-code', ...diff, "Build step 'Execute shell' marked build as failure", 'Finished: FAILURE'];
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(8);
  });
});

describe("sweep 59: Playwright's GitHub reporter's annotations", () => {
  it('reads the annotations as copies of the list reporter\'s reports, one each, when both print them (`--reporter=list,github`)', async () => {
    // Prepare: the list reporter's two reports (lines 7-13 and 14-17), its summary, then the GitHub reporter's
    // annotations of the same failures (20-26 and 27-30).
    const report = (n: number, title: string, error: string, at: string): string[] => [`  ${n}) [chromium] › ${title} ────────────────────────────`, '', `    Error: ${error}`, '', `        at /home/runner/work/shop/shop/${at}`, ''];
    const first = report(1, 'tests/cart.spec.ts:4:5 › cart › adds an item', 'expect(received).toBe(expected) // Object.is equality', 'tests/cart.spec.ts:8:40');
    const second = report(2, 'tests/login.spec.ts:9:3 › logs in', 'page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/login', 'tests/login.spec.ts:10:16');
    const log = stepWithoutExit(['npx playwright test --reporter=list,github'], [
      '  ✘  1 [chromium] › tests/cart.spec.ts:4:5 › cart › adds an item (1.2s)',
      '  ✘  2 [chromium] › tests/login.spec.ts:9:3 › logs in (5.0s)',
      ...first,
      ...second,
      '  2 failed',
      '',
      `##[error]${first[0]}`, ...first.slice(1),
      `##[error]${second[0]}`, ...second.slice(1),
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: four reports, each ending where the next begins (the second annotation is not the first one's tail);
    // since session 60 each annotation is a repeat of the list's report of the same test (gaps-60.test.ts), so two
    // failures hold the four ranges.
    const failures = analysis.failures.filter((f) => f.rule === 'playwright.failed');
    const reports = failures.flatMap((f) => [[f.startLine, f.endLine], ...(f.repeats ?? []).map((r) => [r.startLine, r.endLine])]);
    expect(failures).toHaveLength(2);
    expect(reports.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([[7, 11], [13, 17], [21, 25], [27, 31]]);
  });
});
