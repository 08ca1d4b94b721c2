import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../support/fast-paths.js';

// Session 61's attack on branch gaps61: other tools' output in the shapes of the branch's new rules and code paths
// (gh's layout decided on any of the first four lines, testng.failed's bare Errors, the unconfirmed block's end
// before the ring, minitest 4's test names, …) and variants of the same formats the branch was not written from.

const lines = (...l: string[]): string => l.join('\n');

describe("gh's layout decided on lines 2 to 4: a tab-separated table with an API's `…Z` time in its third column", () => {
  // A deploy script that lists the environment's deployments (`gh api repos/o/r/deployments --jq '.[] | [.id,
  // .environment, .created_at] | @tsv'`; `gh variable list` prints NAME, VALUE, UPDATED the same way off a terminal)
  // under the command's echo. The GitHub API's times have no fraction (`2024-05-01T10:00:00Z`); the runner's, which
  // gh prints after its two columns, always have seven digits (`2024-05-01T10:00:00.0000000Z`).
  const log = lines(
    '$ ./scripts/deploy.sh staging',
    '4121\tstaging\t2024-05-01T10:00:00Z',
    '4120\tproduction\t2024-04-30T09:00:00Z',
    'Running database migrations',
    'Traceback (most recent call last):',
    '  File "/app/manage.py", line 22, in <module>',
    '    main()',
    '  File "/app/migrate.py", line 8, in main',
    '    conn = psycopg2.connect(DSN)',
    'psycopg2.OperationalError: could not connect to server: Connection refused',
    'Rolling back; deployments now:',
    '4122\tstaging\t2024-05-01T10:05:00Z',
    'exit status 1',
  );

  it("names no step after a cell of the table and keeps the table's rows whole", async () => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const failure = analysis.failures[0];
    expect(failure?.rule).toBe('python.traceback');
    expect(failure?.step?.name ?? '').toBe('');
    const texts = analysis.failures.flatMap((f) => [...f.lines, ...(f.context ?? [])].map((l) => l.text));
    expect(texts.filter((t) => /^\d{4}-\d\d-\d\dT/.test(t))).toEqual([]);
  });
});

describe('testng.failed over the other Errors Java prints without a message', () => {
  // Real TestNG 6.9.12 `-verbose 2` output on OpenJDK 17: a test reading a class whose static initializer throws
  // (`static final int RATE = Integer.parseInt(System.getenv("NOPE_RATE"));`). The JVM wraps the cause in an
  // ExceptionInInitializerError whose message is null: its class alone, the cause under `Caused by:`.
  it('reads `FAILED: test` over a bare `java.lang.ExceptionInInitializerError` as the test\'s failure', async () => {
    // Prepare
    const log = lines(
      'PASSED: emptyCartTotalsZero',
      'FAILED: appliesRate',
      'java.lang.ExceptionInInitializerError',
      '\tat com.acme.CartTest.appliesRate(CartTest.java:6)',
      '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      '\tat org.testng.internal.Invoker.invokeMethod(Invoker.java:646)',
      '\tat org.testng.TestNG.main(TestNG.java:1374)',
      'Caused by: java.lang.NumberFormatException: Cannot parse null string',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:630)',
      '\tat java.base/java.lang.Integer.parseInt(Integer.java:786)',
      '\tat com.acme.CartTest$Config.<clinit>(CartTest.java:4)',
      '\t... 25 more',
      '',
      '',
      '===============================================',
      '    Command line test',
      '    Tests run: 2, Failures: 1, Skips: 0',
      '===============================================',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('testng.failed');
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([2, 3]));
    expect(analysis.category).toBe('test_failure');
  });
});

describe("nox's passed sessions (Rule.runStart) under a task runner's prefix", () => {
  // The lines of gaps-61.test.ts's real nox 2026.8.17 run, as `docker compose up` prints a service's (`app-1  | `):
  // the docs session passes with pip's `ERROR:` complaint, the lint session fails on a module that is not installed.
  const run = [
    'nox > Running session docs',
    "nox > python3 -c 'import sys'",
    "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed.",
    'nox > Session docs was successful.',
    'nox > Running session lint',
    'nox > python3 -m flake9 src',
    '/opt/hostedtoolcache/Python/3.11.7/x64/bin/python3: No module named flake9',
    'nox > Command python3 -m flake9 src failed with exit code 1',
    'nox > Session lint failed.',
    'nox > Ran 2 sessions:',
  ];

  it("ranks the failed session's missing module above the passed session's complaint, as without the prefix", async () => {
    // Act
    const analysis = await analyzeLog(run.map((l) => `app-1  | ${l}`).join('\n'));
    // Assert: line 7 is the lint session's `No module named flake9`, line 3 the docs session's `ERROR:` line.
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
  });

  it("leaves another service's failure printed in between as it was", async () => {
    // Prepare: the database service fails between the two sessions; it is no session of nox's.
    const log = [...run.slice(0, 4).map((l) => `app-1  | ${l}`), 'db-1   | FATAL:  could not write lock file "postmaster.pid": No space left on device', ...run.slice(4).map((l) => `app-1  | ${l}`)];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toContain('No space left on device');
  });
});

describe("ansible-lint's report confirmed more than the ring's 256 lines below its heading", () => {
  afterEach(restoreFastPaths);
  // Built in ansible-lint 6's format (the rule's comment; ansible-lint is not installed here): a project whose
  // warn_list holds `yaml`, 90 long lines listed first (ansible-lint sorts its matches by file and line), then the
  // one fatal violation, of a rule without a tag (`no-changed-when`, which the one-violation rule does not read).
  const log = [
    '$ ansible-lint',
    'WARNING  Listing 91 violation(s) that are fatal',
    ...Array.from({ length: 90 }, (_, i) => ['yaml[line-length]: Line too long (170 > 160 characters) (warning)', `roles/base/tasks/main.yml:${i + 10}`, '']).flat(),
    'no-changed-when: Commands should not change things if nothing needs doing.',
    'roles/web/tasks/main.yml:8 Task/Handler: restart app',
    '',
    'Read documentation for instructions on how to ignore specific rule violations.',
    '',
    '                  Rule Violation Summary',
    'count tag               profile rule associated tags',
    '    1 no-changed-when   shared  command-shell, idempotency',
    '   90 yaml[line-length] basic   formatting, yaml (warning)',
    '',
    "Failed: 1 failure(s), 90 warning(s) on 2 files. Last profile that met the validation criteria was 'min'. Rating: 1/5 star",
  ];

  it('lists the fatal violation, line 273, as the report it is (found before session 61)', async () => {
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ansible-lint.report');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(273);
  });

  it('finds the same with the fast paths forced on', async () => {
    const { everyLine, fast } = await failuresBothWays(Buffer.from([...Array.from({ length: 300 }, (_, i) => `ok ${i}`), ...log].join('\n')));
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ rule: string }>)[0]?.rule).toBe('ansible-lint.report');
  });

  it('reads a traceback 5 lines under the heading of a report confirmed 300 lines further down', async () => {
    // Prepare: a script's traceback right under the heading: found both ways, read again before it left the ring.
    const traceback = ['Traceback (most recent call last):', '  File "/home/runner/work/app/app/load.py", line 3, in <module>', '    rows = json.load(fh)', 'ValueError: bad row'];
    const withTraceback = [...log.slice(0, 2), ...traceback, ...log.slice(2)];
    // Act
    const analysis = await analyzeLog(withTraceback.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).toEqual(expect.arrayContaining(['ansible-lint.report', 'python.traceback']));
  });
});

describe("minitest 4's test names of a spec (`it \"adds the tax\"` under `describe Cart` / `describe \"#total\"`)", () => {
  // Built in minitest 4.7's format (unit.rb's puke: `#{meth}(#{klass}) [#{location}]:` under a failure, `#{meth}(#{klass}):`
  // under an error; spec.rb names an `it` block's method `test_%04d_%s` with its description, spaces and all, and a
  // nested describe's class `Cart::#total`). minitest 4 is not installable here (no network, Ruby 3.1's is minitest 5).
  const run = (report: readonly string[]): string =>
    lines('Run options: --seed 4242', '', '# Running tests:', '', 'F.', '', 'Finished tests in 0.001s, 1000.0 tests/s, 1000.0 assertions/s.', '', ...report, '', '2 tests, 2 assertions, 1 failures, 0 errors, 0 skips');

  it.each([
    ['a failure', ['  1) Failure:', 'test_0001_adds the tax(Cart::#total) [test/cart_spec.rb:7]:', 'Expected: 3', '  Actual: 2']],
    ['an error', ['  1) Error:', 'test_0002_rounds half up(cart):', "NoMethodError: undefined method `round_half' for 2.5:Float", '    test/cart_spec.rb:12:in `block (3 levels) in <top (required)>\'']],
  ])("reads %s of a spec's test as the test's failure", async (_, report) => {
    // Act
    const analysis = await analyzeLog(run(report));
    // Assert: line 9 is the `N) Failure:` line, 10 the test's name.
    expect(analysis.failures[0]?.rule).toBe('minitest.failed');
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([9, 10, 11]));
    expect(analysis.category).toBe('test_failure');
  });
});

describe("dune.patdiff's headline shape (`------ <file>`) against other tools' banners of six dashes", () => {
  // A rule with `nextLine` keeps the rules after it off its headline (Rule.nextLine): a banner a script echoes
  // (`echo "------ Build FAILED ------"`) was dune.patdiff's headline, dropped for want of `++++++ ` under it, and no
  // other rule read it. patdiff's header names a file (`------ test/render.expected`): a path, no spaces.
  it.each([
    ['------ ERROR: tests failed ------', 'generic.failed'],
    ['------ FAIL: TestTotal (0.00s)', 'generic.failed'],
    ["------ Error: Cannot find module 'express'", 'node.module-missing'],
    ['------ 2 tests failed ------', 'generic.failed'],
  ])('reads `%s` as it did before dune.patdiff', async (banner, rule) => {
    // Act
    const analysis = await analyzeLog(lines('$ ./ci/test.sh', banner, 'exit status 1'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe(rule);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
  });
});

describe("cdk.error's one-word codes against other lines that open with a word in guillemets", () => {
  // cdk.error takes any `«Word» …` line and counts it only with a stack under it (confirmedBy); a rule with
  // `confirmedBy` keeps the rules after it off its headline, so a line a later rule read before (generic.failed,
  // network.error) was no failure at all. Session 62: cdk.error's dropped headline is read by the rules after it
  // (Rule.rereadHead). Built: a script's own tag in guillemets, as French-language tooling writes quotes.
  it('reads `«Deploy» failed: connection refused` as it did before the one-word codes', async () => {
    // Act
    const analysis = await analyzeLog(lines('$ ./deploy.sh', '«Deploy» failed: connection refused', 'exit status 1'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
  });
});

describe("bun test's coloured verdicts (NOISE_RE's `✓`, `»`, `✎`) under concurrently's prefix", () => {
  // NOISE_RE read the verdict at column 0 of the line's body, and concurrently's `[web] ` (or `[0] `) is no prefix
  // task-prefix.ts knows, so a passing run's todo named `handles failure …` was a generic.failed there. Session 62:
  // NOISE_RE takes the verdicts behind a bracketed name. Teaching task-prefix.ts concurrently's prefix (so the rules
  // read a failure under it too) is a change of its own (it decides blocks' tasks everywhere), still open. Built: bun 1.4.5's lines (gaps-61.test.ts), prefixed.
  it('reports nothing for a passing run with a todo under `concurrently -n web "bun test"`', async () => {
    // Prepare
    const run = ['bun test v1.4.5 (a7733435c)', '', 'cart.test.ts:', '✓ totals [0.05ms]', '✎ handles failure of the payment gateway', '', ' 1 pass', ' 1 todo', ' 0 fail', ' 1 expect() calls', 'Ran 2 tests across 1 file. [9.00ms]'];
    const log = ['$ concurrently -n web "bun test"', ...run.map((l) => `[web] ${l}`), '[web] bun test exited with code 0'];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures).toEqual([]);
  });
});

describe('nox --add-timestamp (`nox > [2026-11-28 22:10:29,060] Running session docs`)', () => {
  // Real output of nox 2026.8.17 run with `--add-timestamp` (logger.py's `%(name)s > [%(asctime)s] %(message)s`),
  // `venv_backend="none"`: the docs session prints pip's `ERROR:` complaint and passes, lint fails on a missing module
  // (the run's first ten lines; its tests sessions and summary follow).
  const log = lines(
    'nox > [2026-11-28 22:10:29,060] Running session docs',
    'nox > [2026-11-28 22:10:29,062] uv binary not found.',
    "nox > [2026-11-28 22:10:29,062] python3 -c 'import sys; print(\"ERROR: pip'\"'\"'s dependency resolver does not currently take into account all the packages that are installed.\", file=sys.stderr)'",
    "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed.",
    'nox > [2026-11-28 22:10:29,458] Session docs was successful.',
    'nox > [2026-11-28 22:10:29,458] Running session lint',
    'nox > [2026-11-28 22:10:29,459] python3 -m flake9 src',
    '/root/.pyenv/versions/3.11.7/bin/python3: No module named flake9',
    'nox > [2026-11-28 22:10:29,677] Command python3 -m flake9 src failed with exit code 1',
    'nox > [2026-11-28 22:10:29,677] Session lint failed.',
  );

  it("reads the session's status and ranks the failed session's missing module first, as without the timestamps", async () => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert: line 8 is lint's `No module named flake9`, line 10 its status, line 4 the docs session's complaint.
    expect(analysis.failures[0]?.lines[0]?.line).toBe(8);
    expect(analysis.failures.find((f) => f.lines[0]?.line === 10)?.rule).toBe('nox.session-failed');
  });
});
