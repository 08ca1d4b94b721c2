import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from './gha-step.js';

/** A tool's run that passes, as a GitHub Actions step: the step's script and what the tool printed. */
export interface PassingRun {
  name: string;
  script: string[];
  output: string[];
}

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: readonly string[], output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

/**
 * The sweeps' one check (test/attack/sweep-*.test.ts): a run that passes reports no failure, whatever progress,
 * warnings, skipped tests or test names it prints.
 */
export function describePassingRuns(title: string, runs: readonly PassingRun[]): void {
  describe(title, () => {
    for (const run of runs) {
      it(`reports nothing in ${run.name}`, async () => {
        // Prepare
        const log = stepWithoutExit(run.script, run.output).join('\n');
        // Act
        const analysis = await analyzeLog(log);
        // Assert
        expect(analysis.failures.map((f) => `${f.rule}: ${f.lines[0]?.text}`)).toEqual([]);
      });
    }
  });
}
