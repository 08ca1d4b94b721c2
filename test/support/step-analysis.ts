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

/** `python3 -m pytest -q --tb=no tests` (pytest 9, real output): a failed test, its summary's one line. */
export const PYTEST_TB_NO_FAILED = [
  'python3 -m pytest -q --tb=no tests',
  'F.                                                                       [100%]',
  '=========================== short test summary info ============================',
  'FAILED tests/test_model.py::test_wraps_at_sixteen - assert 0 == 16',
  '1 failed, 1 passed in 0.76s',
];

/** The failures of one analysis: each one's rule and first line. */
export async function failuresOf(log: string): Promise<Array<[string, string | undefined]>> {
  const analysis = await analyzeLog(log);
  return analysis.failures.map((failure) => [failure.rule, failure.lines[0]?.text]);
}

/**
 * The two ways a log is read, for `describe.each` with `setLineFilterUse` (shared/logs/dispatch.ts): every line, and
 * through the line filter from the first byte (the path a big log takes: a line none of its triggers names is never
 * scanned).
 */
export const LINE_FILTER_MODES = [
  ['every line read', null],
  ['the line filter from the first byte', true],
] as const;
