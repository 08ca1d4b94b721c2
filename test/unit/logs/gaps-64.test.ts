import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { BASH_PIPEFAIL_SHELL, ghaStep, lineOf } from '../../support/gha-step.js';

// Session 64: the known gaps session 63 left, each on real output of the tool where it runs here.

/** A `shell: bash` step that failed with `exitCode` (1 unless given), its lines. */
const failedStep = (script: readonly string[], output: readonly string[], exitCode = 1): string[] =>
  ghaStep(script, output, { exitCode, shell: BASH_PIPEFAIL_SHELL });

describe("ct_run: a suite that does not compile beside another suite's failed cases", () => {
  // Real output of Erlang/OTP 25's ct_run (common_test 1.23.3), run here over two suites: codec_SUITE calls a function
  // that does not exist, queue_SUITE's push_pop fails a match. ct_run compiles each suite, reports the one that does
  // not compile as an error in the run (`Error detected: '… cannot be compiled or loaded'`) and runs the others.
  const output = [
    'Common Test v1.23.3 starting (cwd is /home/runner/work/q/q)',
    '',
    'Common Test: Running make in test directories...',
    'Recompile: queue_SUITE',
    'Recompile: codec_SUITE',
    'codec_SUITE.erl:4:28: function undefined_fun/1 undefined',
    '%    4| round_trip(_Config) -> X = undefined_fun(3), X.',
    '%     |                            ^',
    '',
    '{error,make_failed}',
    '',
    '',
    'CWD set to: "/home/runner/work/q/q/logs/ct_run.ct@fv-az1.2026-11-29_05.07.00"',
    '',
    'TEST INFO: 1 test(s), 2 case(s) in 1 suite(s)',
    '',
    'Testing q.q: Starting test, 2 test cases',
    '',
    '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
    "Error detected: 'codec_SUITE cannot be compiled or loaded'",
    '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
    '',
    'Testing q.q: *** FAILED {ct_framework,error_in_suite} ***',
    '',
    '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
    'queue_SUITE:push_pop failed on line 4',
    'Reason: {badmatch,[b,a]}',
    '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
    '',
    'Testing q.q: *** FAILED test case 1 of 2 ***',
    'Testing q.q: TEST COMPLETE, 1 ok, 1 failed of 2 test cases',
  ];

  it("lists the compile error first, then ct_run's error for that suite and the other suite's failed case", async () => {
    // Prepare
    const log = failedStep(['ct_run -noshell -dir test -logdir logs'], output);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    const lines = predictionLines(analysis);
    // Assert
    const compile = lineOf(log, 'codec_SUITE.erl:4:28');
    expect(lines[0]).toBe(compile);
    expect(lines).toEqual(expect.arrayContaining([lineOf(log, 'Error detected:'), lineOf(log, 'push_pop failed on line 4'), lineOf(log, 'Reason: {badmatch')]));
  });

  it('lists only the compile errors when no suite ran (make failed, nothing after it)', async () => {
    // Prepare: the run cut where ct_run stops compiling
    const log = failedStep(['ct_run -noshell -dir test -logdir logs'], output.slice(0, 10));
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert: the compile error and make's verdict under it, as before the suites' reports were joined (a guard)
    expect(lines).toEqual([lineOf(log, 'codec_SUITE.erl:4:28'), lineOf(log, '%    4|'), lineOf(log, '%     |'), lineOf(log, '{error,make_failed}')]);
  });
});
