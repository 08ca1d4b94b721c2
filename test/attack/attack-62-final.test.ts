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
