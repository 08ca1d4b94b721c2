import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

/** A tool's run that passes, as a GitHub Actions step: the step's script and what the tool printed. */
export interface PassingRun {
  name: string;
  script: string[];
  output: string[];
}

/** The step as the runner logs it: its header listing the script, then the output. */
function ghaStep(script: readonly string[], output: readonly string[]): string[] {
  return [`##[group]Run ${script[0]}`, ...script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output];
}

/**
 * The sweeps' one check (test/attack/sweep-*.test.ts): a run that passes reports no failure, whatever progress,
 * warnings, skipped tests or test names it prints.
 */
export function describePassingRuns(title: string, runs: readonly PassingRun[]): void {
  describe(title, () => {
    for (const run of runs) {
      it(`reports nothing in ${run.name}`, async () => {
        // Prepare
        const log = ghaStep(run.script, run.output).join('\n');
        // Act
        const analysis = await analyzeLog(log);
        // Assert
        expect(analysis.failures.map((f) => `${f.rule}: ${f.lines[0]?.text}`)).toEqual([]);
      });
    }
  });
}
