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
