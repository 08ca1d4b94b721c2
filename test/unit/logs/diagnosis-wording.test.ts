import { describe, expect, it } from 'vitest';
import { analyzeLog, diagnose } from '../../../shared/logs/index.js';

/** The text between the first pair of backticks: what the sentence quotes from the log. */
function quoted(sentence: string): string {
  return /`([^`]*)`/.exec(sentence)?.[1] ?? '';
}

describe('diagnosis quotes of long lines', () => {
  it("keeps the end of a long line, where Maven writes the reason, and cuts between words", async () => {
    // Prepare: a Jenkins Maven build whose disk filled up while the compiler wrote its status file.
    const log = [
      '[INFO] Compiling 212 source files to /home/jenkins/workspace/billing/target/classes',
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project billing-service: ' +
        'Error while storing the mojo status: /home/jenkins/workspace/billing/target/maven-status/maven-compiler-plugin/compile/default-compile/createdFiles.list (No space left on device) -> [Help 1]',
      "Build step 'Invoke top-level Maven targets' marked build as failure",
      'Finished: FAILURE',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    const quote = quoted(diagnosis.rootCause);
    expect(diagnosis.rootCause).toMatch(/^The runner or CI platform failed: `\[ERROR\] Failed to execute goal /);
    expect(quote).toContain('(No space left on device) -> [Help 1]');
    expect(quote.length).toBeLessThanOrEqual(200);
    expect(quote).toMatch(/\S … \S/);
    // The end is cut after a word or a path's `/`, not inside a name.
    const [start = '', end = ''] = quote.split(' … ');
    expect([' ', '/']).toContain(log[log.indexOf(end) - 1]);
    expect([' ', '/']).toContain(log[log.indexOf(start) + start.length]);
  });

  it("takes the location off the whole line before cutting it, so a long path does not crowd out the message", async () => {
    // Prepare: MSBuild names the file by its absolute path, and the project after the message.
    const log = [
      '$ dotnet build --configuration Release',
      'Build FAILED.',
      "/home/travis/build/acme/shop/src/Billing.Service/Invoices/InvoiceTotals.cs(39,16): error CS0246: The type or namespace name 'TaxTable' could not be found " +
        '(are you missing a using directive or an assembly reference?) [/home/travis/build/acme/shop/src/Billing.Service/Billing.Service.csproj]',
      '    1 Error(s)',
      'The command "dotnet build --configuration Release" exited with 1.',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toMatch(/^The code does not compile in `\/home\/travis\/build\/acme\/shop\/src\/Billing\.Service\/Invoices\/InvoiceTotals\.cs:39`: `error CS0246: /);
    expect(quoted(diagnosis.rootCause.replace(/^[^`]*`[^`]*`/, ''))).toContain("name 'TaxTable' could not be found");
  });

  it("quotes a task runner's line without the runner's prefix, and names its location once", async () => {
    // Prepare: pnpm -r prefixes each line of a package's script with its directory and the script.
    const log = [
      '$ pnpm -r build',
      "packages/core build: src/domain/workflow.ts(22,5): error TS2322: Type 'string | undefined' is not assignable to type 'string'.",
      "packages/core build:   Type 'undefined' is not assignable to type 'string'.",
      'The command "pnpm -r build" exited with 2.',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toMatch(/^The code does not compile in `src\/domain\/workflow\.ts:22`: `error TS2322: Type /);
    expect(diagnosis.rootCause).not.toContain('packages/core build:');
  });

  it("keeps the start of a long step's command line, as GitHub shows its name", async () => {
    // Prepare
    const log = [
      '2026-11-20T09:15:00.0000000Z ##[group]Run dotnet build --configuration Release --no-restore /p:TreatWarningsAsErrors=true /p:ContinuousIntegrationBuild=true',
      '2026-11-20T09:15:00.1000000Z ##[endgroup]',
      "2026-11-20T09:15:04.0000000Z src/Invoices/InvoiceTotals.cs(39,16): error CS0246: The type or namespace name 'TaxTable' could not be found",
      '2026-11-20T09:15:04.1000000Z ##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toContain('(step "Run dotnet build --configuration Release --no-restore…")');
  });

  it('does not cut a number short: status code 128 is not "status code 1…"', async () => {
    // Prepare: Jenkins could not fetch the repository; the exception line is longer than a quote.
    const log = [
      'Cloning the remote Git repository',
      "ERROR: Error cloning remote repo 'origin'",
      'hudson.plugins.git.GitException: Command "git fetch --tags --progress https://github.com/acme-shop/checkout-service-payments-gateway.git +refs/heads/*:refs/remotes/origin/*" returned status code 128:',
      'stdout: ',
      'Finished: FAILURE',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toContain('returned status code 128:');
  });
});

describe('diagnosis of a failed test named by its title line', () => {
  it("does not quote the title line as the reason: Gradle's `Test > name() FAILED` and TAP's `not ok`", async () => {
    // Prepare: runners that print a line naming the failed test and nothing the rules read as an assertion.
    const gradle = [
      '> Task :app:test FAILED',
      '',
      'InvoiceTest > roundsTaxBeforeDiscount() FAILED',
      '',
      'FAILURE: Build failed with an exception.',
      '* What went wrong:',
      "Execution failed for task ':app:test'.",
    ].join('\n');
    const tap = ['ok 1 invoice - total', 'not ok 2 invoice - rounds tax before discount', '1..2', '# fail 1'].join('\n');
    // Act
    const [fromGradle, fromTap] = await Promise.all([gradle, tap].map(async (log) => diagnose(await analyzeLog(log), { job: 'test' })));
    // Assert
    expect(fromGradle?.rootCause).toBe('Test `InvoiceTest > roundsTaxBeforeDiscount()` failed (job "test").');
    expect(fromTap?.rootCause).toBe('Test `invoice - rounds tax before discount` failed (job "test").');
  });

  it("quotes the line below the title instead, when the block has one (PHPUnit's failed assertion)", async () => {
    // Prepare
    const log = [
      'There was 1 failure:',
      '',
      '1) App\\Tests\\InvoiceTest::testRoundsTaxBeforeDiscount',
      'Failed asserting that 108 matches expected 107.',
      '',
      'tests/InvoiceTest.php:43',
      '',
      'FAILURES!',
      'Tests: 12, Assertions: 30, Failures: 1.',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toBe(
      'Test `App\\Tests\\InvoiceTest::testRoundsTaxBeforeDiscount` failed in `tests/InvoiceTest.php:43`: `Failed asserting that 108 matches expected 107.`.',
    );
  });

  it("passes over ExUnit's location line under the title to the assertion below it", async () => {
    // Prepare
    const log = [
      'Finished in 4.2 seconds',
      '',
      '  1) test rounds tax before the discount (Shop.InvoiceTest)',
      '     test/shop/invoice_test.exs:39',
      '     Assertion with == failed',
      '     code:  assert Invoice.total(invoice) == 107',
      '     left:  108',
      '     right: 107',
      '     stacktrace:',
      '       test/shop/invoice_test.exs:41: (test)',
      '',
      '12 tests, 1 failure',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toBe('Test `test rounds tax before the discount (Shop.InvoiceTest)` failed in `test/shop/invoice_test.exs:39`: `Assertion with == failed`.');
  });

  it("keeps a title line that says more than the name (pytest's summary line with its assertion)", async () => {
    // Prepare
    const log = ['============ short test summary info ============', 'FAILED tests/test_invoice.py::test_total - assert 107 == 108', '======= 1 failed, 12 passed in 0.41s ======='].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toContain('failed: `FAILED tests/test_invoice.py::test_total - assert 107 == 108`');
  });
});

describe('diagnosis of where it failed', () => {
  it("names a file under the runner's workspace relative to the repository, not as `home/runner/work/…`", async () => {
    // Prepare: tsc on GitHub Actions prints the absolute path of the file in the runner's workspace.
    const log = [
      '2026-11-20T09:15:00.0000000Z ##[group]Run npx tsc --noEmit',
      '2026-11-20T09:15:00.1000000Z npx tsc --noEmit',
      '2026-11-20T09:15:00.2000000Z ##[endgroup]',
      "2026-11-20T09:15:04.0000000Z /home/runner/work/shop/shop/src/invoice.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
      '2026-11-20T09:15:04.1000000Z ##[error]Process completed with exit code 2.',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toMatch(/^The code does not compile in `src\/invoice\.ts:12`: `error TS2322: Type 'string' is not assignable to type 'number'\.`/);
  });

  it('keeps the first slash of a path outside that workspace: an absolute path is not shown as a relative one', async () => {
    // Prepare
    const log = ['There was 1 failure:', '', '1) App\\Tests\\InvoiceTest::testTotal', 'Failed asserting that 108 matches expected 107.', '', '/srv/ci/shop/tests/InvoiceTest.php:43', '', 'FAILURES!'].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toContain('failed in `/srv/ci/shop/tests/InvoiceTest.php:43`');
  });

  it("says the location once when a log level comes before it (sbt's `[error] /path:78: …`)", async () => {
    // Prepare
    const log = [
      '[info] compiling 42 Scala sources to /home/runner/work/shop/shop/target/scala-2.13/classes ...',
      '[error] /home/runner/work/shop/shop/src/main/scala/shop/Invoice.scala:78: type mismatch;',
      '[error]  found   : String',
      '[error]  required: Int',
      '[error] one error found',
      '[error] (Compile / compileIncremental) Compilation failed',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toBe('The code does not compile in `src/main/scala/shop/Invoice.scala:78`: `type mismatch;`.');
  });
});

describe('diagnosis of a task runner\'s output', () => {
  it('quotes the tool as it printed its line, without a prefix the log named a task (lerna --stream\'s `cart: `)', async () => {
    // Prepare: npm's echo of the script names `cart` a task; its jest output is read past `cart: `.
    const log = [
      '$ npx lerna run test --stream',
      'cart: > cart@1.0.0 test',
      'cart: > jest',
      'cart: FAIL src/cart.test.js',
      'cart:   ● Cart › adds tax',
      'cart:',
      'cart:     expect(received).toBe(expected) // Object.is equality',
      'cart:',
      'cart:     Expected: 107',
      'cart:     Received: 100',
      'cart:',
      'cart:       at Object.<anonymous> (src/cart.test.js:14:26)',
      "lerna ERR! npm run test exited 1 in 'cart'",
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const diagnosis = diagnose(analysis);
    // Assert: the failure's lines keep the prefix, the sentence names the test and its assertion without it.
    expect(analysis.failures[0]?.lines[0]?.text).toBe('cart:   ● Cart › adds tax');
    expect(diagnosis.summary).toBe('Test `Cart › adds tax` failed in `src/cart.test.js:14`');
    expect(diagnosis.rootCause).toContain('`Expected: 107 Received: 100`');
    expect(diagnosis.rootCause).not.toContain('cart:');
  });
});

describe('diagnosis locations', () => {
  it("quotes a traceback's file name without its backticks, as a quoted line is, so the sentence keeps its spans", async () => {
    // Prepare: a frame whose file name holds backticks (a fork controls the paths its tests print).
    const log = [
      '2026-11-20T10:00:00.0000000Z ##[group]Run python -m app',
      '2026-11-20T10:00:01.0000000Z Traceback (most recent call last):',
      '2026-11-20T10:00:01.0000000Z   File "app/`odd`/pool.py", line 3, in <module>',
      '2026-11-20T10:00:01.0000000Z     main()',
      '2026-11-20T10:00:01.0000000Z RuntimeError: connection pool exhausted',
      '2026-11-20T10:00:02.0000000Z ##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert: the location is one span, and every backtick in the sentences pairs up.
    expect(diagnosis.summary).not.toBeNull();
    for (const sentence of [diagnosis.rootCause, diagnosis.summary ?? '']) {
      expect(sentence).toContain("app/'odd'/pool.py:3");
      expect((sentence.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });
});

describe('diagnosis of a log no rule reads', () => {
  it.each([
    ['an empty log', ''],
    ['a log of progress only', 'Resolving dependencies...\nDownloading 12 packages\nDone in 3.1s'],
  ])('of %s points at no candidate lines, since there are none', async (_name, log) => {
    const diagnosis = diagnose(await analyzeLog(log));
    expect(diagnosis.determined).toBe(false);
    expect(diagnosis.candidates).toEqual([]);
    expect(diagnosis.fix.join(' ')).not.toMatch(/candidate lines/);
    expect(diagnosis.fix.join(' ')).toMatch(/end of the failed step's log/);
  });
});
