import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { failedStepLog } from '../support/step-analysis.js';

// Attack on session 64's rules (branch gaps64: Rule.beside for ct_run's `Error detected: `, timeout behind bash -c and
// docker exec, task prefixes behind docker compose's, Rule.joinsInStep, cfn-lint's E0000, groovy.caught's frames, the
// step's title past a container runner): other tools' lines in the new formats and other wrappers of the same ones.
// Each row failed before its fix, or runs as an expected failure with the reason.

/** A step that failed with `exitCode`, as one string. */

describe("attack 64 (gaps64): ct_run's `Error detected: ` is ct_run's term, not any script's sentence", () => {
  it("does not read a docs checker's `Error detected: <prose>` as a failed Common Test case", async () => {
    // Prepare: a link checker under make (the script's own wording); before session 64 the make step's compile
    // reading held, now ct_run's rule took it as a test failure
    const log = failedStepLog('make docs', [
      'Checking links in docs/ ...',
      'Error detected: docs/index.md links to missing page guide.md',
      'make: *** [Makefile:12: docs] Error 1',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('erlang.ct-failed');
    expect(analysis.category).not.toBe('test_failure');
  });

  it.each([
    "Error detected: 'nope_SUITE cannot be compiled or loaded'",
    'Error detected: {badmatch,{error,enoent}}',
    'Error detected: make_failed',
  ])("still reads ct_run's `%s` (an Erlang term, as ct_run prints it with ~tp)", async (line) => {
    // Prepare: ct_run's layout around it (real ct_run 1.23.3 for the first: a suite that does not exist)
    const log = failedStepLog('ct_run -noshell -suite nope_SUITE -logdir logs', [
      'Testing q.nope_SUITE: Starting test, 0 test cases',
      '',
      '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
      line,
      '- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
      '',
      'Testing q.nope_SUITE: *** FAILED {ct_framework,error_in_suite} ***',
      'Testing q.nope_SUITE: TEST COMPLETE, 0 ok, 0 failed of 0 test cases',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.some((f) => f.rule === 'erlang.ct-failed' && f.lines[0]?.text === line)).toBe(true);
  });
});

describe('attack 64 (gaps64): timeout -s KILL behind the other container runners that hand back its status', () => {
  it.each([
    // compose v1's own binary
    'docker-compose exec -T app timeout -s KILL 300 ./run-tests.sh',
    // compose's options before its command
    'docker compose -f ci.yml exec -T app timeout -s KILL 300 ./run-tests.sh',
    // `run` hands back the container's status as `exec` does (docker's own errors are 125-127)
    'docker compose run --rm app timeout -s KILL 300 ./run-tests.sh',
    'docker run --rm -v "$PWD:/src" -w /src ghcr.io/acme/ci:3 timeout -s KILL 300 ./run-tests.sh',
  ])('reads `%s` that exited 137 with nothing printed as the timeout', async (script) => {
    // Prepare
    const log = failedStepLog(script, [], 137);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['exit.timeout-kill', 'timeout']);
  });

  it('still reads a container killed by the kernel (exit 137, no timeout in the command) as out of memory', async () => {
    // Prepare
    const log = failedStepLog('docker run --rm -v "$PWD:/src" ghcr.io/acme/ci:3 ./run-tests.sh', [], 137);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });
});

describe("attack 64 (gaps64): the script reader's cost on script lines that read two ways at every option", () => {
  it.each([
    // Each `-x exec` is an option with its value or an option and a container named `exec`: an expression that tried
    // both backtracked exponentially (9.5 s for 400 characters); read word by word, every word is a command's start once.
    ['docker exec options whose values name the verb', `docker exec ${'-x exec '.repeat(20_000)}./x`],
    ['wrapper options whose values name the wrapper', `sudo ${'-u sudo '.repeat(20_000)}./x`],
    ['a chain of wrappers', `${'nice '.repeat(50_000)}./x`],
    ['shells inside shells', `${'bash -c "'.repeat(20_000)}./x`],
  ])('reads exit 137 under a long script line of %s as out of memory, without timeout on it', async (_, line) => {
    // Prepare
    const log = failedStepLog(line, [], 137);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });

  it.each([
    `docker exec ${'-x exec '.repeat(150)}app timeout -s KILL 5 ./x`,
    `${'nice '.repeat(150)}timeout -s KILL 5 ./x`,
  ])('still finds the timeout at the end of such a line', async (line) => {
    // Prepare
    const log = failedStepLog(line, [], 137);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['exit.timeout-kill', 'timeout']);
  });
});
