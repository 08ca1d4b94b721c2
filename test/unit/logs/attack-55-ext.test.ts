import { describe, expect, it } from 'vitest';
import { analyzeLog, refineCategory } from '../../../shared/logs/index.js';

/** The rule, category, first and last line of the first failure found in `lines`, a GitHub Actions step's log. */
async function firstFailure(...lines: string[]): Promise<[string | undefined, string | undefined, number | undefined, number | undefined]> {
  const first = (await analyzeLog([...lines, '##[error]Process completed with exit code 1.', ''].join('\n'))).failures[0];
  return [first?.rule, first?.category, first?.startLine, first?.endLine];
}

/**
 * Ninja is told the directory it builds in (`ninja -C build/`): CMake's binary directory, named `build/` in most
 * projects. A step running it builds, whether the title writes the directory with its slash or not.
 */
describe('a step title running ninja in a build/ directory', () => {
  it('keeps the build hint for a failure that says nothing itself (ninja 1.11.1, a custom command failing)', async () => {
    // Prepare: CMake 3.25 -G Ninja, an add_custom_command whose script exits 1 with a message no rule knows.
    const step = (title: string): string[] => [
      `##[group]Run ${title}`,
      title,
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      "ninja: Entering directory `build/'",
      '[1/3] Generating schema.h',
      'FAILED: schema.h /home/runner/work/app/app/build/schema.h ',
      'cd /home/runner/work/app/app/build && sh /home/runner/work/app/app/gen.sh',
      'gen: cannot read schema.yaml',
      'ninja: build stopped: subcommand failed.',
    ];
    // Act
    const withSlash = await firstFailure(...step('ninja -C build/'));
    const withoutSlash = await firstFailure(...step('ninja -C build'));
    // Assert: the same run, the same category.
    expect(withoutSlash[1]).toBe('compilation');
    expect(withSlash).toEqual(withoutSlash);
  });

  it.each(['Run ninja -C build/', 'Run ninja -C build/release', 'Run cd build/ && ninja -j4'])('%s is a build step', (title) => {
    // Act / Assert
    expect(refineCategory('Process exited with 1', 'unknown', title)).toBe('compilation');
  });
});

/**
 * `ruby -e` code printing what it rescued, `"#{e.class}: #{e.message}"` and `e.backtrace` (ruby 3.1.2): the frames
 * stand at `-e:N`, as the change's ruby.exception reads them, and name the language as a file's `x.rb:N` frames do.
 */
describe("a rescued Ruby error printed over `ruby -e`'s backtrace", () => {
  it('takes its frames and is Ruby\'s, as over a file\'s frames', async () => {
    // Prepare
    const backtrace = ["-e:2:in `total'", "-e:4:in `<main>'"];
    // Act / Assert
    expect(await firstFailure('##[group]Run ruby -e "$SCRIPT"', '##[endgroup]', 'Billing::InvoiceError: total unreadable: [12, "7.50"]', ...backtrace))
      .toEqual(['ruby.bare-exception', 'unknown', 3, 5]);
  });
});

/**
 * Xdebug's display of an uncaught exception (php-cli 8.2, xdebug.mode=develop, display_errors=1) repeats the
 * exception's line under `Fatal error: Uncaught …` whatever its class is named: Flysystem's `UnableToReadFile`,
 * `UnableToWriteFile` are named like no Error or Exception.
 */
describe("Xdebug's display of an uncaught exception whose class is named like no Error or Exception", () => {
  it('takes the repeated exception line and the `Call Stack:` table, as for a RuntimeException', async () => {
    // Act
    const found = await firstFailure(
      '##[group]Run php bin/export.php',
      'php bin/export.php',
      '##[endgroup]',
      '',
      'Fatal error: Uncaught League\\Flysystem\\UnableToReadFile: Unable to read file from location: reports/2024.csv. in /app/bin/export.php on line 5',
      '',
      'League\\Flysystem\\UnableToReadFile: Unable to read file from location: reports/2024.csv. in /app/bin/export.php on line 5',
      '',
      'Call Stack:',
      '    0.0001     392344   1. {main}() /app/bin/export.php:0',
      "    0.0001     392344   2. League\\Flysystem\\read($path = 'reports/2024.csv') /app/bin/export.php:7",
      '',
    );
    // Assert
    expect(found).toEqual(['php.fatal', 'unknown', 5, 11]);
  });
});
