import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 62's final attack on perf62b (gh's layout on the line filter) and gaps62b (infra.killed's bare-pid line,
// exit.timeout-kill), merged on attack62c.

const lines = (...l: string[]): string => l.join('\n');

describe("infra.killed's bare-pid line: only bash's pipeline report, `<pid> Killed   | command`", () => {
  it('does not read a status tally (`sort | uniq -c` of mutation results) as a SIGKILL', async () => {
    // Prepare: a count per status, uniq's `%7d %s`, above an ordinary score check failing
    const log = lines(
      '##[group]Run jq -r \'.files[].mutants[].status\' reports/mutation/mutation.json | sort | uniq -c',
      "jq -r '.files[].mutants[].status' reports/mutation/mutation.json | sort | uniq -c",
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '    412 Killed',
      '     37 NoCoverage',
      '     58 Survived',
      '      9 Timeout',
      'Mutation score 78.12 is below the break threshold 80',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('infra.killed');
    expect(analysis.category).not.toBe('out_of_memory');
  });

  it('does not read a count table row with a word after `Killed` as a SIGKILL', async () => {
    const log = lines(
      'Mutant summary',
      '   120 Killed mutants',
      '    12 Survived mutants',
      'Error: mutation score below threshold',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('infra.killed');
  });
});

describe("`timeout`'s KILL options are timeout's own, before its duration, not the command's (`pytest -k`, `make -k`)", () => {
  // GNU timeout's usage is `timeout [OPTION] DURATION COMMAND [ARG]...`: a `-k` after the duration is the command's
  // (pytest's keyword filter, make's keep-going). A command the kernel SIGKILLs under a TERM-only timeout makes
  // timeout raise the same SIGKILL on itself, so bash names timeout killed, and exit 137.
  const step = (script: readonly string[], report: readonly string[]): string =>
    [
      `##[group]Run ${script[0]}`,
      ...script,
      'shell: /usr/bin/bash --noprofile --norc -eo pipefail {0}',
      '##[endgroup]',
      'start',
      ...report,
      '##[error]Process completed with exit code 137.',
    ].join('\n');

  it.each([
    ['timeout 20m pytest -k "not slow" tests/', '/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  timeout 20m pytest -k "not slow" tests/'],
    ['timeout 3600 make -k check', '/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  timeout 3600 make -k check'],
  ])('reads `%s` killed as out of memory', async (command, report) => {
    // Act
    const analysis = await analyzeLog(step(['echo start', command], [report]));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['infra.killed', 'out_of_memory']);
  });

  it('reads exit 137 with no report in a step running `timeout 20m pytest -k …` as out of memory', async () => {
    // Act
    const analysis = await analyzeLog(step(['echo start', 'out=$(timeout 20m pytest -k "not slow" tests/)', 'echo "$out"'], []));
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });

  it('still reads timeout options before the duration, with other options among them, as a timeout', async () => {
    // Act
    const killed = await analyzeLog(step(['echo start', 'timeout --preserve-status -v -k 10 60 pytest -k slow'], ['/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  timeout --preserve-status -v -k 10 60 pytest -k slow']));
    const silent = await analyzeLog(step(['echo start', 'out=$(timeout --foreground -s KILL 60 ./slow)'], []));
    // Assert
    expect([killed.category, silent.category]).toEqual(['timeout', 'timeout']);
  });
});
