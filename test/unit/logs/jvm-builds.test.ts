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
