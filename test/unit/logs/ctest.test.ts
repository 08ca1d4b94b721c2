import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/ctest');

const lines = (...l: string[]): string => l.join('\n');

describe('CTest', () => {
  it('reads a Windows exception CTest cannot name, its code after the dots and `***Exception:` on the next line, as the failure', async () => {
    // Prepare: CTest's cmCTestRunTest::EndTest prints the name and its dots, then for an exception other than a
    // segfault, illegal instruction, interrupt or numerical one cmProcess's string for it (on Windows `Exit code 0x…`
    // and a newline), then `***Exception: ` and the time.
    const log = lines(
      '$ ctest --test-dir build -C Release --output-on-failure',
      'Test project D:/a/app/app/build',
      '    Start 1: area_test',
      '1/3 Test #1: area_test ........................   Passed    0.02 sec',
      '    Start 2: parser_test',
      '2/3 Test #2: parser_test ......................Exit code 0xc0000409',
      '***Exception:   0.25 sec',
      '[==========] Running 3 tests from 1 test suite.',
      '[ RUN      ] Parser.ReadsEmptyInput',
      '[       OK ] Parser.ReadsEmptyInput (0 ms)',
      '[ RUN      ] Parser.ReadsQuotedStrings',
      '[       OK ] Parser.ReadsQuotedStrings (0 ms)',
      '[ RUN      ] Parser.ReadsNestedLists',
      '',
      '    Start 3: io_test',
      '3/3 Test #3: io_test ..........................   Passed    0.03 sec',
      '',
      '67% tests passed, 1 tests failed out of 3',
      '',
      'Total Test time (real) =   0.31 sec',
      '',
      'The following tests FAILED:',
      '\t  2 - parser_test (Exception)',
      'Errors while running CTest',
      'The command "ctest --test-dir build -C Release --output-on-failure" exited with 8.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect(top?.rule).toBe('ctest.failed');
    expect(top?.startLine).toBe(6);
    // `***Exception:` is above the output's last five lines (its tail) and listed nonetheless.
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7]));
  });

  it("lists the last lines of a failed test's output when no GoogleTest or Catch2 failure in it says why, bounded", async () => {
    // Prepare: on Linux a signal CTest has no name for (SIGABRT) is printed before `***Exception:` on the test's line;
    // the output (--output-on-failure) is the test's own, here an uncaught C++ exception after 300 lines.
    const chatter = Array.from({ length: 300 }, (_, i) => `loaded fixture ${i}`);
    const log = lines(
      '$ ctest --test-dir build --output-on-failure',
      'Test project /home/runner/work/app/app/build',
      '    Start 1: config_test',
      '1/2 Test #1: config_test ......................Child aborted***Exception:   0.01 sec',
      ...chatter,
      "terminate called after throwing an instance of 'std::runtime_error'",
      '  what():  config file missing: app.toml',
      '',
      '    Start 2: io_test',
      '2/2 Test #2: io_test ..........................   Passed    0.03 sec',
      '',
      '50% tests passed, 1 tests failed out of 2',
      'The command "ctest --test-dir build --output-on-failure" exited with 8.',
    );
    const terminate = 4 + chatter.length + 1;
    // Act
    const analysis = await analyzeLog(log);
    const predicted = predictionLines(analysis);
    // Assert: the test's line, then its output's last lines: the exception and what it said.
    expect(analysis.failures[0]?.rule).toBe('ctest.failed');
    expect(predicted[0]).toBe(4);
    expect(predicted).toEqual(expect.arrayContaining([terminate, terminate + 1]));
    expect(predicted.length).toBeLessThanOrEqual(8);
  });

  it("lists the real last lines of a failed test's output longer than the block's limit (1,000 lines)", async () => {
    // Prepare: a real run of ctest 3.25.1 --output-on-failure, between the command and the runner's exit line: the
    // test prints 1,500 lines, then throws a std::runtime_error nobody catches (`Subprocess aborted`).
    const log = readFileSync(resolve(FIXTURES, 'output-past-limit.log'), 'utf8');
    const text = log.split('\n');
    const terminate = text.findIndex((l) => l.startsWith('terminate called after throwing')) + 1;
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the output's last five lines, the exception and its message the last two.
    const top = analysis.failures[0];
    expect(top?.rule).toBe('ctest.failed');
    expect(text[terminate]).toBe('  what():  config file missing: app.toml');
    expect(top?.keyLines).toEqual([terminate - 3, terminate - 2, terminate - 1, terminate, terminate + 1]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, terminate, terminate + 1]));
  });

  it("lists the real last lines of a task's quoted output past the limit across a blank line of the task (turbo's `app:test:`)", async () => {
    // Prepare: the run above behind turbo's `app:test: ` prefix, a blank line of the task after the 1,500 lines.
    const log = readFileSync(resolve(FIXTURES, 'task-blank-past-limit.log'), 'utf8');
    const text = log.split('\n');
    const terminate = text.findIndex((l) => l.startsWith('app:test: terminate called after throwing')) + 1;
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the output's last five lines (the task's blank line not one of them), the exception and its message last.
    expect(text[terminate - 3]).toBe('app:test:');
    expect(text[terminate]).toBe('app:test:   what():  config file missing: app.toml');
    const top = analysis.failures[0];
    expect(top?.rule).toBe('ctest.failed');
    expect(top?.keyLines).toEqual([terminate - 4, terminate - 3, terminate - 1, terminate, terminate + 1]);
  });

  it('lists its closing list of the failed tests after the report, not the summary between', async () => {
    // Prepare: ctest 3.25.1 --output-on-failure (test/fixtures/gha-real-tools/ctest-failed.log, its runner's lines cut).
    const log = lines(
      '2/3 Test #2: wraparound .......................***Failed    0.00 sec',
      'tests/test_wraparound.c:13: pop 1: expected 10, got 0',
      '',
      '33% tests passed, 1 tests failed out of 3',
      '',
      'Total Test time (real) =   0.00 sec',
      '',
      'The following tests FAILED:',
      '\t  2 - wraparound (Failed)',
      'Errors while running CTest',
    );
    // Act
    const predicted = predictionLines(await analyzeLog(log));
    // Assert
    expect(predicted).toEqual([1, 2, 8, 9]);
  });
});
