import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const lines = (...l: string[]): string => l.join('\n');

/**
 * pip 22+ quoting a build backend's output (its `_internal/exceptions.py`, `DiagnosticPipError`), then its verdict:
 * `error: metadata-generation-failed` and its `× Encountered error …` explanation, which only say so again.
 */
function pipQuoting(summary: string, output: string[]): string {
  return lines(
    '$ pip install -r requirements.txt',
    'Collecting psycopg2==2.9.9',
    '  Downloading psycopg2-2.9.9.tar.gz (384 kB)',
    '  Preparing metadata (setup.py): started',
    "  Preparing metadata (setup.py): finished with status 'error'",
    '  error: subprocess-exited-with-error',
    '  ',
    `  × ${summary} did not run successfully.`,
    '  │ exit code: 1',
    `  ╰─> [${output.length} lines of output]`,
    ...output.map((l) => (l === '' ? '      ' : `      ${l}`)),
    '      [end of output]',
    '  ',
    '  note: This error originates from a subprocess, and is likely not a problem with pip.',
    'error: metadata-generation-failed',
    '',
    '× Encountered error while generating package metadata.',
    '╰─> See above for output.',
    '',
    'note: This is an issue with the package mentioned above, not pip.',
    'hint: See above for details.',
    'The command "pip install -r requirements.txt" exited with 1.',
  );
}

describe("pip's quoted subprocess output", () => {
  it("names a build script's own `Error:` line (psycopg2's setup.py without pg_config)", async () => {
    // Prepare
    const log = pipQuoting('python setup.py egg_info', [
      'running egg_info',
      'writing /tmp/pip-pip-egg-info-lz5yq0ds/psycopg2.egg-info/PKG-INFO',
      '',
      'Error: pg_config executable not found.',
      '',
      'pg_config is required to build psycopg2 from source.  Please add the directory',
      'containing pg_config to the $PATH or specify the full executable path with the',
      'option:',
      '',
      '    python setup.py build_ext --pg-config /path/to/pg_config build ...',
      '',
      "or with the pg_config option in 'setup.cfg'.",
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(analysis.failures[0]?.lines[0]?.text).toBe('      Error: pg_config executable not found.');
  });

  it('lists the last lines of the quoted output when no line in it is a recognised error, bounded', async () => {
    // Prepare: maturin's build backend without a Rust toolchain, a long preamble before it.
    const preamble = Array.from({ length: 60 }, (_, i) => `copying src/pkg/module_${i}.py -> build/lib/pkg`);
    const log = pipQuoting('Preparing metadata (pyproject.toml)', [
      ...preamble,
      'Checking for Rust toolchain....',
      '',
      'Cargo, the Rust package manager, is not installed or is not on PATH.',
      'This package requires Rust and Cargo to compile extensions. Install it through',
      "the system's package manager or via https://rustup.rs/",
      '',
    ]);
    const cargo = 10 + preamble.length + 3;
    // Act
    const analysis = await analyzeLog(log);
    const predicted = predictionLines(analysis);
    // Assert: the headline, then the output's last lines (blank ones aside), not the preamble.
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(predicted[0]).toBe(8);
    expect(predicted).toEqual(expect.arrayContaining([cargo, cargo + 1, cargo + 2]));
    expect(predicted.filter((l) => l > 10 && l < 10 + preamble.length - 1)).toEqual([]);
    expect(predicted.length).toBeLessThanOrEqual(8);
  });

  it("reads pip's closing verdict (`error: metadata-generation-failed`, `× Encountered error …`) as cascade, not a failure", async () => {
    // Prepare
    const log = pipQuoting('Preparing metadata (pyproject.toml)', ['Checking for Rust toolchain....', 'Cargo, the Rust package manager, is not installed or is not on PATH.']);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const verdict = analysis.failures.filter((f) => f.startLine > 14);
    expect(verdict.map((f) => f.rule)).toEqual([]);
  });

  it("lists a short quote's output without pip's frame around it (`│ exit code: 1`, `╰─> [2 lines of output]`)", async () => {
    for (const output of [['Checking for Rust toolchain....', 'Cargo, the Rust package manager, is not installed or is not on PATH.'], []]) {
      // Prepare: line 8 is pip's `× … did not run successfully.`, 9 and 10 its frame, the output from 11 on.
      const log = pipQuoting('Preparing metadata (pyproject.toml)', output);
      // Act
      const analysis = await analyzeLog(log);
      const predicted = predictionLines(analysis);
      // Assert
      expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
      expect(predicted).toEqual(expect.arrayContaining([8, ...output.map((_, i) => 11 + i)]));
      expect(predicted.filter((l) => l === 9 || l === 10)).toEqual([]);
    }
  });
});
