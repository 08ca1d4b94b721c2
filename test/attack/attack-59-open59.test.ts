import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';

// Attack on branch open59 (session 59): variants of the formats its fixes read, and other tools' output those
// readings could take for what it is not. Laid out in the tools' documented formats.

/** A GitHub Actions step as the runner logs it: its script echoed in the header group, then what it printed. */
function ghaStep(script: readonly string[], output: readonly string[]): string[] {
  return [`##[group]Run ${script[0]}`, ...script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output];
}

describe('attack 59: JVM diagnostics on a path with spaces, other spellings', () => {
  it.each([
    // Kotlin 2 on a Windows runner: the file URL's path starts with the drive (`file:///C:/…`).
    ['Kotlin 2 on Windows', "e: file:///C:/Users/runneradmin/My Projects/shop/src/main/kotlin/shop/Cart.kt:3:5 Unresolved reference 'zero'.", 'javac.error'],
    ['Kotlin 1.9 on Windows', 'e: C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\kotlin\\shop\\Cart.kt: (3, 5): Unresolved reference: zero', 'javac.error'],
    ["Checkstyle's plain format on Windows", "[ERROR] C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\java\\shop\\Cart.java:14:17: Member name 'Total' must match pattern '^[a-z][a-zA-Z0-9]*$'. [MemberName]", 'checkstyle.violation'],
    ['javac on Windows', '[ERROR] C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\java\\shop\\Cart.java:[14,17] cannot find symbol', 'javac.error'],
  ])('reads %s as on a path without', async (_, text, rule) => {
    // Prepare: the diagnostic is line 6, in a CRLF log with the runner's timestamps.
    const log = ghaStep(['./gradlew build'], ['> Task :app:compileKotlin FAILED', text, '', 'FAILURE: Build failed with an exception.', '##[error]Process completed with exit code 1.'])
      .map((line) => `2026-11-28T17:00:00.1234567Z ${line}\r`);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe(rule);
    expect(predictionLines(analysis)[0]).toBe(6);
  });
});
