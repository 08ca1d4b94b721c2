import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';
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

describe("concurrently's `[name] ` behind docker compose's `app-1  | `: one task's prefix behind another's", () => {
  afterEach(restoreFastPaths);

  // concurrently 9.2.5's real output over ESLint 9.39.5 (concurrently-eslint.log's run), each line behind docker
  // compose v2's prefix as `docker compose up` prints a container's output (the service's replica name padded, `| `).
  const concurrentlyLint = (compose: string): string[] =>
    [
      '',
      '> shop@1.0.0 check',
      '> concurrently -n lint,typecheck "npm:lint" "npm:typecheck"',
      '',
      '[lint] ',
      '[lint] > shop@1.0.0 lint',
      '[lint] > eslint src',
      '[lint] ',
      '[typecheck] ',
      '[typecheck] > shop@1.0.0 typecheck',
      '[typecheck] > tsc --noEmit',
      '[typecheck] ',
      '[lint] ',
      '[lint] /home/runner/work/shop/shop/src/tax.js',
      "[lint]   2:9  error  'unused' is assigned a value but never used  no-unused-vars",
      "[lint]   3:9  error  Expected '===' and instead saw '=='          eqeqeq",
      '[lint] ',
      '[lint] ✖ 2 problems (2 errors, 0 warnings)',
      '[lint] ',
      '[lint] npm run lint exited with code 1',
      '[typecheck] npm run typecheck exited with code 0',
    ].map((line) => `${compose}${line}`);

  it.each(['app-1  | ', 'shop-app-1  | '])("reads ESLint's report behind `%s[lint] ` as behind `[lint] ` alone", async (compose) => {
    // Prepare
    const alone = failedStep(['npm run check'], concurrentlyLint(''));
    const composed = failedStep(['docker compose up --exit-code-from app'], concurrentlyLint(compose));
    // Act
    const [a, c] = await Promise.all([analyzeLog(alone.join('\n')), analyzeLog(composed.join('\n'))]);
    // Assert: the same rule, first line and listed lines
    expect([c.failures[0]?.rule, c.failures[0]?.startLine, predictionLines(c)]).toEqual([a.failures[0]?.rule, a.failures[0]?.startLine, predictionLines(a)]);
    expect(c.failures[0]?.rule).toBe('eslint.error');
  });

  it("reads Turborepo's `web:lint: ` behind compose's prefix as alone", async () => {
    // Prepare: Turborepo's prefix on ESLint's stylish report (the task's lines, as `turbo run lint` prints them)
    const turbo = ['web:lint: ', 'web:lint: /home/runner/work/shop/shop/apps/web/src/tax.js', "web:lint:   2:9  error  'unused' is assigned a value but never used  no-unused-vars", 'web:lint: ', 'web:lint: ✖ 1 problem (1 error, 0 warnings)', 'web:lint: ERROR: command finished with error: command (/home/runner/work/shop/shop/apps/web) npm run lint exited (1)'];
    const alone = failedStep(['npx turbo run lint'], turbo);
    const composed = failedStep(['docker compose up --exit-code-from app'], turbo.map((line) => `app-1  | ${line}`));
    // Act
    const [a, c] = await Promise.all([analyzeLog(alone.join('\n')), analyzeLog(composed.join('\n'))]);
    // Assert
    expect([c.failures[0]?.rule, predictionLines(c)]).toEqual(['eslint.error', predictionLines(a)]);
  });

  it('finds the same failures with the line filter and the other fast paths forced on', async () => {
    // Prepare: npm's echo behind compose's prefix is the line the task's name is learnt from: the filter must name it
    const log = failedStep(['docker compose up --exit-code-from app'], [...Array.from({ length: 50 }, (_, i) => `app-1  | compiled module ${i}`), ...concurrentlyLint('app-1  | ')]);
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log.join('\n')));
    // Assert
    expect(fast).toEqual(everyLine);
  });

  it("does not read a bracket behind compose's prefix as a task's when the container did not run concurrently", async () => {
    // Prepare: the same lines without npm's echo of the concurrently command: `[lint] ` is no prefix known to be a task's
    const log = failedStep(['docker compose up --exit-code-from app'], concurrentlyLint('app-1  | ').filter((line) => !line.includes('> concurrently')));
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: ESLint's lines are read with the bracket in them, as no ESLint's
    expect(analysis.failures.map((f) => f.rule)).not.toContain('eslint.error');
  });
});

describe("SBCL's compile-file: the conditions that failed one compile, however far apart", () => {
  // Real output of SBCL 2.2.9's compile-file from a build script (`sbcl --non-interactive --no-userinit --load
  // build.lisp`), run here (paths renamed to the runner's): a malformed LET binding (`; caught ERROR:`) and, 40 lines
  // on, an undefined variable (`; caught WARNING:`), five STYLE-WARNINGs and a note between them.
  const output = [
    '; compiling file "/home/runner/work/parse/parse/src/parse.lisp" (written 29 NOV 2026 05:13:35 AM):',
    '',
    '; file: /home/runner/work/parse/parse/src/parse.lisp',
    '; in: DEFUN FIELD',
    ';     (PARSE::X 1 2)',
    '; ',
    '; caught ERROR:',
    ';   The LET binding spec (X 1 2) is malformed.',
    '',
    ';     (DEFUN PARSE::FIELD (PARSE::LINE)',
    ';       (LET ((PARSE::X 1 2))',
    ';         (SUBSEQ PARSE::LINE 0 PARSE::X)))',
    '; --> SB-IMPL::%DEFUN SB-IMPL::%DEFUN SB-INT:NAMED-LAMBDA ',
    '; ==>',
    ';   #\'(SB-INT:NAMED-LAMBDA PARSE::FIELD',
    ';         (PARSE::LINE)',
    ';       (BLOCK PARSE::FIELD',
    ';         (LET ((PARSE::X 1 2))',
    ';           (SUBSEQ PARSE::LINE 0 PARSE::X))))',
    '; ',
    '; caught STYLE-WARNING:',
    ';   The variable LINE is defined but never used.',
    '',
    '; in: DEFUN FIELDS',
    ';     (LET (PARSE::A PARSE::B PARSE::C PARSE::D)',
    ';       (LIST (PARSE::FIELD PARSE::LINE)))',
    '; ',
    '; caught STYLE-WARNING:',
    ';   The variable A is defined but never used.',
    '; ',
    '; caught STYLE-WARNING:',
    ';   The variable B is defined but never used.',
    '; ',
    '; caught STYLE-WARNING:',
    ';   The variable C is defined but never used.',
    '; ',
    '; caught STYLE-WARNING:',
    ';   The variable D is defined but never used.',
    '',
    ';     (LIST (PARSE::FIELD PARSE::LINE))',
    '; ',
    '; note: deleting unreachable code',
    '',
    '; file: /home/runner/work/parse/parse/src/parse.lisp',
    '; in: DEFUN TOTAL',
    ';     (REDUCE #\'+ PARSE::ROWS :KEY #\'CAR :INITIAL-VALUE PARSE::ZERO)',
    '; ',
    '; caught WARNING:',
    ';   undefined variable: PARSE::ZERO',
    '; ',
    '; compilation unit finished',
    ';   Undefined variable:',
    ';     ZERO',
    ';   caught 1 ERROR condition',
    ';   caught 1 WARNING condition',
    ';   caught 5 STYLE-WARNING conditions',
    ';   printed 1 note',
    '',
    '',
    '; wrote /home/runner/work/parse/parse/src/parse.fasl',
    '; compilation finished in 0:00:00.004',
    'build failed: compile-file reported warnings and failure',
  ];

  it('lists the ERROR and the WARNING with their places as one report', async () => {
    // Prepare
    const log = failedStep(['sbcl --non-interactive --no-userinit --load build.lisp'], output);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    const error = lineOf(log, '; caught ERROR:');
    const warning = lineOf(log, '; caught WARNING:');
    expect(warning - error).toBeGreaterThan(12);
    expect(lines).toEqual(expect.arrayContaining([error, error + 1, warning, warning + 1, lineOf(log, '; in: DEFUN TOTAL')]));
  });

  it("does not join the WARNING when another tool's failure was printed between them", async () => {
    // Prepare: a build script that printed an error of its own in between (ranked below SBCL's conditions)
    const at = output.indexOf('; in: DEFUN TOTAL');
    const between = [...output.slice(0, at), 'ERROR: could not open fixtures/rates.csv', '', ...output.slice(at)];
    const log = failedStep(['sbcl --non-interactive --no-userinit --load build.lisp'], between);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert: the ERROR's report is listed, the WARNING's (past the script's error) is not
    expect(lines).toContain(lineOf(log, '; caught ERROR:'));
    expect(lines).not.toContain(lineOf(log, '; caught WARNING:'));
  });

  it("does not join another step's compile (a second step compiling again)", async () => {
    // Prepare: a failing step with the ERROR's report only, then the whole compile in another failing step (the
    // WARNING there a repeat of nothing in the first, the ERROR a repeat of the first step's)
    const step = failedStep(['sbcl --non-interactive --no-userinit --load build.lisp'], output.slice(0, output.indexOf('; caught ERROR:') + 2));
    const log = [...step, ...failedStep(['sbcl --non-interactive --no-userinit --load build.lisp'], output)];
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert: the lines of one step only
    expect(new Set(lines.map((l) => l > step.length)).size).toBe(1);
  });
});

describe("cfn-lint's E0000: a template it could not parse is a broken configuration document, not a lint finding", () => {
  // Real output of cfn-lint 1.51.0 run here (exit 2): an unclosed flow sequence in YAML, an unclosed object in JSON,
  // a key given twice. A template that does not parse is the taxonomy's bad YAML (as Psych's and PyYAML's syntax
  // errors are, see categories.ts), whatever reads it.
  it.each([
    ['an unclosed YAML sequence', 'cfn-lint templates/queue.yaml', ["E0000 did not find expected ',' or ']'", 'templates/queue.yaml:7:1', '']],
    ['an unclosed JSON object', 'cfn-lint templates/topic.json', ["E0000 did not find expected ',' or '}'", 'templates/topic.json:7:1', '']],
    ['a key given twice', 'cfn-lint templates/dup.yaml', ["E0000 Duplicate found 'Queue' (line 3)", 'templates/dup.yaml:3:3', '', "E0000 Duplicate found 'Queue' (line 5)", 'templates/dup.yaml:5:3', '']],
  ])('reads %s as configuration', async (_, script, output) => {
    // Act
    const analysis = await analyzeLog(failedStep([script], output, 2).join('\n'));
    // Assert
    expect([analysis.failures[0]?.startLine, analysis.category]).toEqual([5, 'configuration']);
  });

  it("keeps cfn-lint's rule findings (E3012) lint", async () => {
    // Prepare: cfn-lint 1.51.0, a string where an integer goes (cfn-lint-rules.log's kind)
    const log = failedStep(['cfn-lint templates/api.yaml'], ["E3012 'thirty' is not of type 'integer'", 'templates/api.yaml:12:7', ''], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.category).toBe('lint');
  });
});

describe("groovy.caught: Groovy's own report of a script's uncaught exception, not any `Caught: a.b.C` line", () => {
  // Groovy's GroovyMain prints `Caught: ` and the exception, then its frames (`\tat `: the script's own ones, or the
  // whole trace again with -d and in 2.4). Real output of Groovy 2.4.21 on OpenJDK 17 and of Python 3.11 with requests 2.34.2, run here.
  it("reads Groovy's `Caught: groovy.lang.MissingPropertyException: …` over its frames as groovy.caught", async () => {
    // Prepare
    const log = failedStep(['groovy deploy.groovy'], [
      'SVC',
      'Caught: groovy.lang.MissingPropertyException: No such property: undefinedThing for class: deploy',
      'groovy.lang.MissingPropertyException: No such property: undefinedThing for class: deploy',
      '\tat deploy.run(deploy.groovy:3)',
      '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['groovy.caught', lineOf(log, 'Caught: ')]);
  });

  it.each([
    ['a network error', `Caught: requests.exceptions.ConnectionError: HTTPSConnectionPool(host='registry.invalid', port=443): Max retries exceeded with url: /health (Caused by NameResolutionError("HTTPSConnection(host='registry.invalid', port=443): Failed to resolve 'registry.invalid' ([Errno -2] Name or service not known)"))`],
    ['a JSON error', 'Caught: json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)'],
  ])("does not read a Python script's own `Caught: module.Class: …` line (%s) as Groovy's", async (_, caught) => {
    // Prepare: the script prints the exception's module and class itself, then exits 1 (requests 2.34.2, json)
    const log = failedStep(['python3 scripts/check.py'], ['Checking build/manifest.json', caught, 'Giving up']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('groovy.caught');
  });
});

describe("a step that runs a program in a container: the step's title is the program's, not docker's", () => {
  // A failure whose own text names no category takes the failing step's title's (categories.ts, SECTION_HINTS): a
  // title that runs the program through `docker compose run`/`exec` or `docker run` read `docker` there, so a
  // script's error in a container was the runner's (infrastructure). Real output of Guile 3.0.8, Python 3.11 and Ruby
  // 3.1, run here (paths renamed to the container's).
  const GUILE = ['Backtrace:', '           1 (primitive-load "/app/scripts/report.scm")', 'In ice-9/boot-9.scm:', '   2007:7  0 (error _ . _)', '', 'ice-9/boot-9.scm:2007:7: In procedure error:', 'config missing: db'];
  const PYTHON = ['Traceback (most recent call last):', '  File "/app/scripts/report.py", line 3, in <module>', '    print(rates["eur"])', '          ~~~~~^^^^^^^', "KeyError: 'eur'"];
  const RUBY = ["scripts/report.rb:1:in `fetch': key not found: :b (KeyError)", "\tfrom scripts/report.rb:1:in `<main>'"];

  it.each([
    ['Guile', 'guile -L . scripts/report.scm', GUILE],
    ['Python', 'python3 scripts/report.py', PYTHON],
    ['Ruby', 'ruby scripts/report.rb', RUBY],
  ])("categorises %s's error under `docker compose run --rm app …` and `docker run … image …` as without docker", async (_, command, output) => {
    // Act
    const categories = await Promise.all(
      [command, `docker compose run --rm app ${command}`, `docker compose -f ci.yml exec -T app ${command}`, `docker run --rm -v "$PWD:/app" -w /app ghcr.io/acme/tools:3 ${command}`].map(
        async (script) => (await analyzeLog(failedStep([script], output).join('\n'))).category,
      ),
    );
    // Assert: the plain step's category each time, which is no infrastructure
    const plain = categories[0];
    expect(categories).toEqual([plain, plain, plain, plain]);
    expect(plain).not.toBe('infrastructure');
  });

  it("still reads what the program in the container does from its name (`docker compose run app pytest`) and docker's own step as docker's", async () => {
    // Prepare: output that names no category
    const output = ['Starting app ... done', 'something went wrong'];
    // Act
    const categories = await Promise.all(
      ['docker compose run --rm app pytest -q', 'docker compose up --abort-on-container-exit'].map(async (script) => (await analyzeLog(failedStep([script], output).join('\n'))).category),
    );
    // Assert
    expect(categories).toEqual(['test_failure', 'infrastructure']);
  });
});

describe("a look-back limited to some headlines (`lookback.when`) reads an annotated headline as the tool's line", () => {
  // A step that turns each of cfn-lint's errors into an annotation (`echo "::error::$line"`): the runner writes the
  // workflow command as `##[error]` and its message, the tool's line (cfn-lint 1.51.0's real findings, an unused
  // parameter's warning above a string where a boolean goes).
  it("lists the warning cfn-lint printed above an error written as `##[error]E3012 …`, as above the plain error", async () => {
    // Prepare
    const output = (error: string): string[] => ['W2001 Parameter Env not used.', 'topic.yaml:3:3', '', error, 'topic.yaml:10:7'];
    const plain = failedStep(['cfn-lint topic.yaml | ./annotate-errors.sh'], output("E3012 'maybe' is not of type 'boolean'"), 6);
    const annotated = failedStep(['cfn-lint topic.yaml | ./annotate-errors.sh'], output("##[error]E3012 'maybe' is not of type 'boolean'"), 6);
    // Act
    const [p, a] = await Promise.all([analyzeLog(plain.join('\n')), analyzeLog(annotated.join('\n'))]);
    // Assert
    expect(predictionLines(p)).toContain(lineOf(plain, 'W2001 '));
    expect(predictionLines(a)).toEqual(predictionLines(p));
  });
});
