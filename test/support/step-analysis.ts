import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from './gha-step.js';

/** One GitHub Actions step running `script` that failed with `exitCode` (1 unless given), as one job-log string. */
export const failedStepLog = (script: string, output: readonly string[], exitCode = 1): string => ghaStep(script, output, { exitCode }).join('\n');

/** The analysis's top failure: its rule, its first line (trimmed) and the analysis's category. */
export async function topFailure(log: string): Promise<[string | undefined, string | undefined, string]> {
  const analysis = await analyzeLog(log);
  const first = analysis.failures[0];
  return [first?.rule, first?.lines[0]?.text.trim(), analysis.category];
}
