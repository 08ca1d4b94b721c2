import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/make');

/**
 * GNU Make stopping on its own (real runs, see test/fixtures/make/README.md): its `*** No rule to make target` and
 * `*** No targets specified` lines carry none of the words an error line usually does (no `error`, no `fail`), and
 * the compile line above them is the step's only other output; nor do most of its stops on a makefile's line
 * (`Makefile:1: *** recipe commences before first target.  Stop.`, a makefile's own `$(error …)`).
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('make stops without a compiler error', () => {
  afterEach(restoreFastPaths);

  it.each([
    ['no-rule.log', 3, 'make: *** No rule to make target \'util.o\', needed by \'app\'.  Stop.'],
    ['no-makefile.log', 2, 'make: *** No targets specified and no makefile found.  Stop.'],
    ['no-rule-sub-make.log', 5, 'make[1]: *** No rule to make target \'y.o\', needed by \'libx.a\'.  Stop.'],
    // On a makefile's line, whatever its words.
    ['recipe-commences.log', 2, 'Makefile:1: *** recipe commences before first target.  Stop.'],
    ['target-pattern.log', 2, "Makefile:2: *** target pattern contains no '%'.  Stop."],
    ['missing-separator-sub-make.log', 4, 'Makefile:2: *** missing separator.  Stop.'],
    ['included-makefile.log', 2, 'rules.mk:4: *** missing separator.  Stop.'],
    ['error-function.log', 2, 'Makefile:2: *** GOPATH_X is not set.  Stop.'],
    // A makefile named by a Windows path, as make on a Windows runner prints it (`make -f`, `include $(CURDIR)/…`).
    ['missing-separator-drive-path.log', 2, 'C:/a/shop/shop/Makefile:2: *** missing separator.  Stop.'],
    ['error-function-drive-path.log', 2, 'C:/a/shop/shop/rules.mk:3: *** GOPATH_X is not set.  Stop.'],
  ])('%s: the line make stopped on is the failure, first', async (file, stopLine, text) => {
    // Prepare
    const log = read(file);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, stopLine)).toBe(text);
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])[0]).toEqual(['make.no-rule', stopLine, stopLine]);
    expect(predictionLines(analysis)[0]).toBe(stopLine);
  });

  it('takes make\'s `*** mixed implicit and normal rules: deprecated syntax`, which does not stop it, for no failure', async () => {
    // Prepare
    const log = read('mixed-rules-then-no-rule.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: make goes on, and stops on the rule the deprecated line left it without.
    expect(line(log, 2)).toBe('Makefile:2: *** mixed implicit and normal rules: deprecated syntax');
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([['make.no-rule', 3]]);
  });

  it.each([
    // A build script that indents what it runs, and Docker Compose's service prefix (`docker compose run`, `up`).
    ['indented by a script', '==> building native\n    Makefile:3: *** missing separator.  Stop.'],
    ['behind a Compose service', 'builder-1  | Makefile:3: *** missing separator.  Stop.'],
    ['behind a Compose service, no keyword', 'builder-1  | Makefile:1: *** recipe commences before first target.  Stop.'],
  ])('finds make\'s stop %s', async (_, output) => {
    // Prepare
    const log = `Run ./build.sh\n${output}\nError: Process completed with exit code 2.\n`;
    const stopLine = log.split('\n').findIndex((l) => l.endsWith('.  Stop.')) + 1;
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])[0]).toEqual(['make.no-rule', stopLine, stopLine]);
    expect(analysis.category).toBe('configuration');
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    for (const file of ['no-rule.log', 'no-makefile.log', 'no-rule-sub-make.log', 'recipe-commences.log', 'target-pattern.log', 'missing-separator-sub-make.log', 'included-makefile.log', 'error-function.log', 'missing-separator-drive-path.log', 'error-function-drive-path.log']) {
      // Act
      const { everyLine, fast } = await failuresBothWays(readFileSync(resolve(FIXTURES, file)));
      // Assert
      expect(fast, file).toEqual(everyLine);
      expect(everyLine.length, file).toBeGreaterThan(0);
    }
  });
});
