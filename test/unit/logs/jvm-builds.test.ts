import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/** JVM builds' failures in the shapes OpenJDK 17's javac and Maven 3.8.7 print them (see test/fixtures/*-real-tools). */
describe('javac under -Werror', () => {
  it("reports Maven's `warnings found and -Werror specified` with the warnings that made it fail", async () => {
    // Prepare: maven-compiler-plugin 3.13.0 with `-Xlint:all -Werror`: its warning list, then the one error.
    const log = [
      '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ billing ---',
      '[INFO] Compiling 2 source files with javac [debug release 17] to target/classes',
      '[INFO] -------------------------------------------------------------',
      '[WARNING] COMPILATION WARNING : ',
      '[INFO] -------------------------------------------------------------',
      '[WARNING] /w/billing/src/main/java/com/acme/billing/Ledger.java:[8,19] found raw type: java.util.List',
      '  missing type arguments for generic class java.util.List<E>',
      '[WARNING] /w/billing/src/main/java/com/acme/billing/Ledger.java:[16,20] getYear() in java.util.Date has been deprecated',
      '[INFO] 2 warnings ',
      '[INFO] -------------------------------------------------------------',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] COMPILATION ERROR : ',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] /w/billing/src/main/java/com/acme/billing/Ledger.java: warnings found and -Werror specified',
      '[INFO] 1 error',
      '[INFO] -------------------------------------------------------------',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(14);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 8, 14]));
    expect(predictionLines(analysis)).not.toContain(2);
  });

  it("reports javac's own `error: warnings found and -Werror specified` with the warnings above it", async () => {
    // Prepare: `javac -Xlint:all -Werror` run directly.
    const log = [
      '+ javac -Xlint:all -Werror -d build src/main/java/com/acme/billing/Ledger.java',
      'src/main/java/com/acme/billing/Ledger.java:8: warning: [rawtypes] found raw type: List',
      '    private final List entries = new ArrayList();',
      '                  ^',
      '  missing type arguments for generic class List<E>',
      'src/main/java/com/acme/billing/Ledger.java:16: warning: [deprecation] getYear() in Date has been deprecated',
      '        return when.getYear() + 1900;',
      '                   ^',
      'error: warnings found and -Werror specified',
      '1 error',
      '2 warnings',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(9);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 6, 9]));
    expect(predictionLines(analysis)).not.toContain(1);
  });
});

describe("Surefire's report of a JUnit 5 test", () => {
  it("keeps assertAll's MultipleFailuresError whole, its heading on the line under the exception's name", async () => {
    // Prepare: Surefire 3.2.5, JUnit 5.10.2: MultipleFailuresError's message opens on a line of its own, then the
    // failures tab-indented, the frames, a `Suppressed:` trace per failure; the next test's report follows.
    const log = [
      '[ERROR] com.acme.billing.InvoiceTest.numbersAndTotals -- Time elapsed: 0.080 s <<< FAILURE!',
      'org.opentest4j.MultipleFailuresError: ',
      'invoice (2 failures)',
      '\torg.opentest4j.AssertionFailedError: subtotal ==> expected: <350> but was: <250>',
      '\torg.opentest4j.AssertionFailedError: French tax ==> expected: <70> but was: <50>',
      '\tat org.junit.jupiter.api.AssertAll.assertAll(AssertAll.java:80)',
      '\tat com.acme.billing.InvoiceTest.numbersAndTotals(InvoiceTest.java:21)',
      ...Array.from({ length: 14 }, (_, i) => `\t\tat java.base/java.util.stream.AbstractPipeline.copyInto(AbstractPipeline.java:${500 + i})`),
      '',
      '[ERROR] com.acme.billing.InvoiceTest.unknownCountryIsRejected -- Time elapsed: 0.002 s <<< FAILURE!',
      'org.opentest4j.AssertionFailedError: Unexpected exception type thrown, expected: <java.lang.IllegalArgumentException> but was: <java.lang.NullPointerException>',
      '\tat com.acme.billing.InvoiceTest.unknownCountryIsRejected(InvoiceTest.java:37)',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect(top?.rule).toBe('surefire.failed');
    expect(top?.endLine).toBe(21);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 7, 23, 24, 25]));
  });
});

describe("Surefire's forked JVM out of heap", () => {
  it('reports the JVM\'s message, `[ERROR] Java heap space`, as running out of memory, with the fork\'s error under the goal', async () => {
    // Prepare: Surefire 3.2.5 with `-Xmx64m`: the provider's error while the tests run, no results, then the goal's
    // report with the fork's error and its message (then SurefireBooterForkException's trace).
    const log = [
      '[INFO] Running com.acme.billing.InvoiceTest',
      '[ERROR] Java heap space',
      '[INFO] ',
      '[INFO] Results:',
      '[INFO] ',
      '[INFO] Tests run: 0, Failures: 0, Errors: 0, Skipped: 0',
      '[INFO] ',
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project billing: ',
      '[ERROR] ',
      '[ERROR] Please refer to /w/billing/target/surefire-reports for the individual test results.',
      '[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.',
      '[ERROR] There was an error in the forked process',
      '[ERROR] Java heap space',
      '[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: There was an error in the forked process',
      '[ERROR] Java heap space',
      '[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.fork(ForkStarter.java:628)',
      '[ERROR] -> [Help 1]',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('out_of_memory');
    expect([2, 13, 14]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 13, 14]));
  });
});

describe("Surefire's forked VM crash", () => {
  it("takes SurefireBooterForkException's trace behind `[ERROR] ` into the crash's report, not a failure a line", async () => {
    // Prepare: Surefire 3.2.5 after a test called System.exit(3): the goal's report, the crash, then the exception's
    // trace, each line behind `[ERROR] `.
    const log = [
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project billing: ',
      '[ERROR] ',
      '[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?',
      "[ERROR] Command was /bin/sh -c cd '/w/billing' && '/opt/java/openjdk/bin/java' '-jar' '/w/billing/target/surefire/surefirebooter.jar'",
      '[ERROR] Error occurred in starting fork, check output in log',
      '[ERROR] Process Exit Code: 3',
      '[ERROR] Crashed tests:',
      '[ERROR] com.acme.billing.InvoiceTest',
      '[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: The forked VM terminated without properly saying goodbye. VM crash or System.exit called?',
      ...Array.from({ length: 30 }, (_, i) => `[ERROR] \tat org.apache.maven.lifecycle.internal.MojoExecutor.execute(MojoExecutor.java:${100 + i})`),
      '[ERROR] -> [Help 1]',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('surefire.fork-crash');
    expect(analysis.failures[0]?.endLine).toBe(39);
    expect(analysis.failures.filter((f) => f.startLine > 9 && f.startLine <= 39)).toEqual([]);
  });
});
