import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../../shared/logs/index.js';
import { cleanGhCliLine, ghCliStepOf, timestampOf } from '../../../shared/logs/reader.js';

/**
 * `gh run view --log` and `--log-failed` (cli/cli, pkg/cmd/run/view): every line of a log file of the run's archive
 * is printed behind `job<TAB>step<TAB>`, the file's own bytes after it. The job log (and a step's file) opens with a
 * UTF-8 BOM, so the first line's timestamp comes after a U+FEFF; when the archive holds no per-step files, the step
 * column reads `UNKNOWN STEP` on every line (cli/cli#10740).
 */
function ghLog(job: string, lines: Array<[step: string, text: string]>): string {
  return lines.map(([step, text], i) => `${job}\t${step}\t${i === 0 ? '\uFEFF' : ''}2024-05-01T10:00:${String(i).padStart(2, '0')}.0000000Z ${text}`).join('\n');
}

const GO_TEST_STEP: Array<[string, string]> = [
  ['Run go test ./...', '##[group]Run go test ./...'],
  ['Run go test ./...', 'go test ./...'],
  ['Run go test ./...', 'shell: /usr/bin/bash -e {0}'],
  ['Run go test ./...', '##[endgroup]'],
  ['Run go test ./...', '--- FAIL: TestParse (0.00s)'],
  ['Run go test ./...', '    parse_test.go:14: got "a", want "b"'],
  ['Run go test ./...', 'FAIL'],
  ['Run go test ./...', '##[error]Process completed with exit code 1.'],
];

describe('`gh run view --log` output whose first line carries the log file\'s BOM', () => {
  const log = ghLog('build (ubuntu-latest, 22)', [['Set up job', "Current runner version: '2.319.1'"], ...GO_TEST_STEP, ['Post Run actions/checkout@v4', 'Post job cleanup.']]);

  it('reads the step column behind the BOM', () => {
    // Act
    const step = ghCliStepOf(log.split('\n')[0]!);
    // Assert
    expect(step).toBe('Set up job');
  });

  it('finds the timestamp and cleans the line behind the BOM', () => {
    // Prepare
    const first = log.split('\n')[0]!;
    // Act
    const cleaned = cleanGhCliLine(first);
    // Assert
    expect(cleaned).toBe("Current runner version: '2.319.1'");
    expect(timestampOf(first)).toBe('2024-05-01T10:00:00.0000000Z');
  });

  it('puts the failed test first, in the step the column names', async () => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('    parse_test.go:14: got "a", want "b"');
    expect(analysis.failures[0]?.step).toEqual({ number: null, name: 'Run go test ./...', startLine: 2 });
  });
});

/** A step whose only output is one line no tool rule knows: the step's output is the report. */
const PIP_CHECK_STEP: Array<[string, string]> = [
  ['Run pip check', '##[group]Run pip check'],
  ['Run pip check', 'pip check'],
  ['Run pip check', 'shell: /usr/bin/bash -e {0}'],
  ['Run pip check', '##[endgroup]'],
  ['Run pip check', 'tablekit 1.4.0 has requirement colorfmt>=2.0, but you have colorfmt 1.9.2.'],
  ['Run pip check', '##[error]Process completed with exit code 1.'],
];
const SET_UP: Array<[string, string]> = [
  ['Set up job', "Current runner version: '2.319.1'"],
  ['Run actions/setup-python@v5', '##[group]Run actions/setup-python@v5'],
  ['Run actions/setup-python@v5', 'with:'],
  ['Run actions/setup-python@v5', '  python-version: 3.11'],
  ['Run actions/setup-python@v5', '##[endgroup]'],
];

describe("`gh run view --log`: the step's output starts after the runner's echo of its script", () => {
  it('reports the output line alone when the column names the steps', async () => {
    // Prepare
    const log = ghLog('build', [...SET_UP, ...PIP_CHECK_STEP]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual([10]);
    expect(analysis.failures[0]?.step?.name).toBe('Run pip check');
  });

  it("reads gh's `UNKNOWN STEP` column as no step name: the runner's headers mark the steps, as in the job log", async () => {
    // Prepare: an archive without per-step files (cli/cli#10740).
    const log = ghLog('build', [...SET_UP, ...PIP_CHECK_STEP].map(([, text]): [string, string] => ['UNKNOWN STEP', text]));
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual([10]);
    expect(analysis.failures[0]?.step).toEqual({ number: null, name: 'Run pip check', startLine: 6 });
  });
});

describe('`gh run view <run> --log` over jobs with and without per-step files', () => {
  it("names a later job's steps by the column again after a job printed as `UNKNOWN STEP`", async () => {
    // Prepare: gh decides per job whether the archive holds its step files; the named step differs from its header.
    const lint: Array<[string, string]> = [...SET_UP, ['Complete job', 'Cleaning up orphan processes']];
    const passed = ghLog('lint', lint.map(([, text]): [string, string] => ['UNKNOWN STEP', text]));
    const failed = ghLog('test', [['Set up job', "Current runner version: '2.319.1'"], ...GO_TEST_STEP.map(([, text]): [string, string] => ['Unit tests', text])]);
    // Act
    const analysis = await analyzeLog(`${passed}\n${failed}`);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('    parse_test.go:14: got "a", want "b"');
    expect(analysis.failures[0]?.step).toEqual({ number: null, name: 'Unit tests', startLine: 8 });
  });
});
