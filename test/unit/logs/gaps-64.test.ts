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

describe('exit 137 and `timeout -s KILL` run through another command: a shell string, docker exec', () => {
  // Real behaviour of GNU coreutils 9.1 timeout under bash 5.2.15 here: `out=$(bash -c "timeout -s KILL 1 sleep 5")`
  // and `out=$(sh -c '…')` exit 137 and print nothing (bash -c runs its one command in place of itself; timeout,
  // its command killed, kills itself with the same signal). `docker exec` exits with the status of the command it
  // ran in the container (Docker's reference for `docker exec`), 137 for one killed by KILL. xargs is no such wrapper:
  // it says `xargs: timeout: terminated by signal 9` and exits 125 (run here), so it is not asked about here.
  const killed = (script: readonly string[]): string => failedStep(script, ['start'], 137).join('\n');

  it.each([
    ['a string bash runs', ['out=$(bash -c "timeout -s KILL 5m ./warm-cache")']],
    ['a string `sh -ec` runs', ["out=$(sh -ec 'timeout --signal=KILL 60 ./slow')"]],
    ['docker exec in a container', ['out=$(docker exec -u runner ci-db timeout -s KILL 5m ./migrate)']],
    ["docker compose exec with -T", ['docker compose exec -T app timeout -k 10 5m npm test > out.log']],
  ])('reads exit 137 as the time limit with `timeout` in %s', async (_, script) => {
    // Act
    const analysis = await analyzeLog(killed(script));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['exit.timeout-kill', 'timeout']);
  });

  it.each([
    ['an echo of a shell string', ['echo \'bash -c "timeout -s KILL 5m ./x"\'', 'out=$(python3 train.py)']],
    ['a comment', ['# docker exec ci-db timeout -s KILL 5m ./migrate', 'out=$(python3 train.py)']],
    ['a heredoc', ['cat > run.sh <<EOF', 'bash -c "timeout -s KILL 5m ./x"', 'EOF', 'out=$(python3 train.py)']],
    ['a docker exec running something else', ['out=$(docker exec ci-db psql -c "select timeout -s KILL")']],
  ])('still reads a silent exit 137 as out of memory when the wrapped KILL timeout is only %s', async (_, script) => {
    // Act
    const analysis = await analyzeLog(killed(script));
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });
});
