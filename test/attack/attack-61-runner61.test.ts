import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { RULES } from '../../shared/logs/rules.js';
import { DEFAULT_SHELL, ghaStep } from '../support/gha-step.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../support/growth.js';

/** Lines of 100,000 to 800,000 characters: the attack's were 300,000 to 1,000,000. */
const HOSTILE_LINE_SIZES = [100_000, 200_000, 400_000, 800_000];

// Attack on branch runner61 (session 61, the job's surroundings): other tools' output and other versions of the
// formats its rules and exit-status changes read. Each step's output is real output of the tool on this machine
// (Debian 12: bash 5.2, dash 0.5.12, BusyBox 1.35, mawk 1.3.4, curl 7.88, GNU Wget 1.21, git 2.39, findutils'
// xargs), unless a row says it is worded from the tool's source; laid out as the runner writes a `run:` step.

/** A step that failed with `exitCode` (1 unless given) under `shell` (the default unless given), as one string. */
const failedStepLog = (script: string, output: readonly string[], exitCode = 1, shell = DEFAULT_SHELL): string =>
  ghaStep(script, output, { exitCode, shell }).join('\n');

/** The analysis' first failure (rule, first line's text, its lines' span) and category. */
async function topOf(log: string): Promise<{ rule?: string; head?: string; start?: number; end?: number; category: string }> {
  const analysis = await analyzeLog(log);
  const top = analysis.failures[0];
  return { rule: top?.rule, head: top?.lines[0]?.text, start: top?.startLine, end: top?.endLine, category: analysis.category };
}

describe("attack 61: git.fatal's indent block ends at git's paragraph", () => {
  it("does not take cargo's status lines printed after a harmless `fatal:` (`git fetch --unshallow || true`)", async () => {
    // Prepare: actions/checkout already fetched everything; the script's `git fetch --unshallow || true` prints git's
    // fatal and goes on to `cargo build`, whose status lines are indented (right-aligned verbs). The `indent` block
    // git.fatal opens on column 0 took each of them as git's report, and read the block's category off `Compiling`.
    const log = failedStepLog('git fetch --unshallow || true; cargo build', [
      'fatal: --unshallow on a complete repository does not make sense',
      '    Updating crates.io index',
      '  Downloaded serde v1.0.215',
      '  Downloaded 1 crate (78.3 KB) in 0.41s',
      '   Compiling serde v1.0.215',
      '   Compiling shop v0.1.0 (/home/runner/work/shop/shop)',
      'error[E0425]: cannot find value `totl` in this scope',
      ' --> src/cart.rs:9:5',
      '  |',
      '9 |     totl',
      '  |     ^^^^ help: a local variable with a similar name exists: `total`',
      '',
      'For more information about this error, try `rustc --explain E0425`.',
      'error: could not compile `shop` (lib) due to 1 previous error',
    ], 101);
    // Act
    const analysis = await analyzeLog(log);
    const git = analysis.failures.find((f) => f.rule === 'git.fatal');
    // Assert: the compiler's error first; git's report is its one line (5), read as git's.
    expect(analysis.failures[0]?.rule).toBe('rustc.error');
    expect([git?.startLine, git?.endLine, git?.category]).toEqual([5, 5, 'configuration']);
  });

  it("still reads a rebase's conflict, its `could not apply` and hints as one report", async () => {
    // Prepare: git 2.39's `git rebase origin/main` stopped on a conflict (real output).
    const log = failedStepLog('git rebase origin/main', [
      'Auto-merging src/config.js',
      'CONFLICT (content): Merge conflict in src/config.js',
      'error: could not apply 3f2c1a9... bump timeout',
      'hint: Resolve all conflicts manually, mark them as resolved with',
      'hint: "git add/rm <conflicted_files>", then run "git rebase --continue".',
      'hint: You can instead skip this commit: run "git rebase --skip".',
      'hint: To abort and get back to the state before "git rebase", run "git rebase --abort".',
      'Could not apply 3f2c1a9... bump timeout',
    ]);
    // Act
    const top = await topOf(log);
    // Assert: lines 6 to 12, CONFLICT to `Could not apply`.
    expect([top.rule, top.start, top.end]).toEqual(['git.fatal', 6, 12]);
  });
});

describe("attack 61: curl's own error line", () => {
  it("does not put curl's `(23)` (the reader of its pipe stopped early) above the script's own error", async () => {
    // Prepare: `curl -sSL … | head -n1` in a release check: head exits after one line and curl reports the closed
    // pipe (real curl 7.88 output), which fails nothing; the script then fails on its own check.
    const log = failedStepLog('./scripts/check-release.sh', [
      'curl: (23) Failure writing output to destination',
      'Checking version v1.4.2 against v1.5.0',
      'Error: CHANGELOG.md has no entry for v1.5.0',
    ]);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.head]).toEqual(['generic.error', 'Error: CHANGELOG.md has no entry for v1.5.0']);
  });

  it('reads an HTTP 401 or 403 under -f as a credential the job lacks (configuration), not the network', async () => {
    // Prepare: `curl -fsS -H "Authorization: Bearer $TOKEN" …` with an expired token: curl 7.88 and 8 print only the
    // status (`The requested URL returned error: 401`), without the reason phrase auth.error reads.
    for (const status of [401, 403]) {
      const log = failedStepLog('curl -fsS -H "Authorization: Bearer $TOKEN" -o release.json https://api.example.com/v1/release', [
        `curl: (22) The requested URL returned error: ${status}`,
      ], 22);
      // Act
      const top = await topOf(log);
      // Assert
      expect([top.rule, top.category], String(status)).toEqual(['curl.error', 'configuration']);
    }
  });
});

describe("attack 61: wget's dated HTTP status is wget's, not any log line's", () => {
  it("does not read an application's log line (`<date> <time>,<ms> ERROR 404: …`) in a test run as wget's", async () => {
    // Prepare: pytest's captured log of a passing test that exercises the 404 path, in Python logging's
    // `%(asctime)s %(levelname)s %(message)s` format, then the real failure.
    const log = failedStepLog('pytest -q', [
      '2026-11-28 10:00:00,123 ERROR 404: no such order 42',
      '2026-11-28 10:00:00,125 INFO 200: GET /orders',
      '..F',
      'FAILED tests/test_orders.py::test_total - assert 5 == 10',
      '1 failed, 2 passed in 0.12s',
    ]);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.category]).toEqual(['pytest.summary', 'test_failure']);
  });

  it("still reads wget's own line (`%Y-%m-%d %H:%M:%S ERROR N: reason.`)", async () => {
    const log = failedStepLog('wget -q https://downloads.example.com/tool.tgz', [
      '--2026-11-28 21:58:15--  http://127.0.0.1:18999/nope',
      'Connecting to 127.0.0.1:18999... connected.',
      'HTTP request sent, awaiting response... 404 File not found',
      '2026-11-28 21:58:15 ERROR 404: File not found.',
    ], 8);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.head, top.category]).toEqual(['network.python-client', '2026-11-28 21:58:15 ERROR 404: File not found.', 'network']);
  });
});

describe("attack 61: wget's 403 is a credential, as curl's is", () => {
  it("reads wget's `ERROR 403: Forbidden.` as configuration", async () => {
    // Prepare: GNU Wget 1.21 against a server answering 403 (real output).
    const log = failedStepLog('wget https://downloads.example.com/tool.tgz', [
      '--2026-11-28 22:08:39--  http://127.0.0.1:18998/x.tgz',
      'Connecting to 127.0.0.1:18998... connected.',
      'HTTP request sent, awaiting response... 403 Forbidden',
      '2026-11-28 22:08:39 ERROR 403: Forbidden.',
    ], 8);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.category]).toEqual(['network.python-client', 'configuration']);
  });
});

describe("attack 61: pip's retry warnings above `Could not find a version`", () => {
  it("reads read timeouts (pip's commonest retry) as the network, not a time limit", async () => {
    // Prepare: pip 23.2 against an index that stops answering: `ReadTimeoutError(… Read timed out. (read timeout=15))`
    // (the message as urllib3 words it), then `from versions: none`.
    const warn = (total: number) =>
      `WARNING: Retrying (Retry(total=${total}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)")': /simple/numpy/`;
    const log = failedStepLog('pip install numpy==1.26.4', [
      'Collecting numpy==1.26.4',
      warn(4),
      warn(3),
      'ERROR: Could not find a version that satisfies the requirement numpy==1.26.4 (from versions: none)',
      'ERROR: No matching distribution found for numpy==1.26.4',
    ]);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.category]).toEqual(['pip.resolve', 'network']);
  });
});

describe("attack 61: pip's retries that got through", () => {
  // The index answered in the end (`from versions: 1.26.3, …` lists what it has), so the failure is the pin, not the
  // network (session 62: pip.resolve's categoryFrom has an `unless` for the listed versions).
  it('reads a version the index does not have as dependency, though a retry warning came first', async () => {
    const log = failedStepLog('pip install numpy==9.9', [
      'Collecting numpy==9.9',
      "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f2a>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/numpy/",
      'ERROR: Could not find a version that satisfies the requirement numpy==9.9 (from versions: 1.26.3, 1.26.4, 2.0.0)',
      'ERROR: No matching distribution found for numpy==9.9',
    ]);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.category]).toEqual(['pip.resolve', 'dependency']);
  });
});

describe("attack 61: git's other `error:` lines are no compiler's", () => {
  const rows: Array<{ name: string; script: string; output: string[]; category: string }> = [
    {
      name: "a clone over HTTP/2 cut off (`error: RPC failed; curl 92 …`, `fatal: early EOF`): the network",
      script: 'git clone https://github.com/acme/shop',
      output: [
        "Cloning into 'shop'...",
        'error: RPC failed; curl 92 HTTP/2 stream 5 was not closed cleanly: CANCEL (err 8)',
        'error: 2771 bytes of body are still expected',
        'fetch-pack: unexpected disconnect while reading sideband packet',
        'fatal: early EOF',
        'fatal: fetch-pack: invalid index-pack output',
      ],
      category: 'network',
    },
    {
      name: '`git remote add origin` where the clone has one',
      script: 'git remote add origin https://github.com/acme/shop',
      output: ['error: remote origin already exists.'],
      category: 'configuration',
    },
    {
      name: "a fetch whose branch's name clashes with a ref the runner's cache has (`error: cannot lock ref`)",
      script: 'git fetch origin',
      output: [
        "error: cannot lock ref 'refs/remotes/origin/release/v1': 'refs/remotes/origin/release' exists; cannot create 'refs/remotes/origin/release/v1'",
        'From https://github.com/acme/shop',
        ' ! [new branch]      release/v1 -> origin/release/v1  (unable to update local ref)',
      ],
      category: 'configuration',
    },
    {
      name: 'a checkout over files the build left untracked',
      script: 'git checkout main',
      output: [
        'error: The following untracked working tree files would be overwritten by checkout:',
        '\tpackage-lock.json',
        'Please move or remove them before you switch branches.',
        'Aborting',
      ],
      category: 'configuration',
    },
    {
      name: '`git rebase` over a working tree the build changed',
      script: 'git rebase origin/main',
      output: ['error: cannot rebase: You have unstaged changes.', 'error: Please commit or stash them.'],
      category: 'configuration',
    },
  ];
  for (const row of rows) {
    it(`reads ${row.name} as git's`, async () => {
      // Act
      const top = await topOf(failedStepLog(row.script, row.output, 128));
      // Assert
      expect(top.rule).not.toBe('rustc.error');
      expect(top.category).toBe(row.category);
    });
  }
});

describe("attack 61: a required variable checked with `${NAME:?}`", () => {
  it("reads bash's `parameter null or not set` and dash's and BusyBox ash's `parameter not set or null` as shell.error", async () => {
    // Prepare: `: "${DEPLOY_ENV:?}"`, the usual check of a variable a script needs, with DEPLOY_ENV unset (real
    // output of bash 5.2, dash 0.5.12 and BusyBox 1.35 ash); only `${NAME?}` prints `parameter not set`.
    for (const [shell, line] of [
      ['/usr/bin/bash -e {0}', '/home/runner/work/_temp/0a1b.sh: line 1: DEPLOY_ENV: parameter null or not set'],
      ['sh -e {0}', '/home/runner/work/_temp/0a1b.sh: 1: DEPLOY_ENV: parameter not set or null'],
      ['sh -e {0}', '/home/runner/work/_temp/0a1b.sh: line 1: DEPLOY_ENV: parameter not set or null'],
    ] as const) {
      // Act
      const top = await topOf(failedStepLog(': "${DEPLOY_ENV:?}"', [line], shell === 'sh -e {0}' ? 2 : 1, shell));
      // Assert
      expect([top.rule, top.category], line).toEqual(['shell.error', 'configuration']);
    }
  });
});

describe("attack 61: the shell's arithmetic errors are the shell's", () => {
  it("reads bash's, dash's and BusyBox ash's arithmetic syntax errors as shell.error", async () => {
    // Prepare: `$(( ${PY_VERSION} * 10 ))` over `3.11`, as each shell reports it at its place in the script.
    for (const [shell, line] of [
      ['/usr/bin/bash -e {0}', '/home/runner/work/_temp/5d0e.sh: line 1: 3.11 * 10 : syntax error: invalid arithmetic operator (error token is ".11 * 10 ")'],
      ['/usr/bin/bash -e {0}', '/home/runner/work/_temp/5d0e.sh: line 1: 1 + : syntax error: operand expected (error token is "+ ")'],
      ['sh -e {0}', '/home/runner/work/_temp/5d0e.sh: 1: arithmetic expression: expecting primary: "1 + "'],
      ['sh -e {0}', '/home/runner/work/_temp/5d0e.sh: line 1: arithmetic syntax error'],
    ] as const) {
      // Act
      const top = await topOf(failedStepLog('echo $(( ${PY_VERSION} * 10 ))', [line], 2, shell));
      // Assert
      expect([top.rule, top.category], line).toEqual(['shell.error', 'configuration']);
    }
  });
});

describe('attack 61: exit 124 is not always `timeout`', () => {
  it("reads xargs's 124 (a command it ran exited 255) as that command's failure, not a time limit", async () => {
    // Prepare: findutils' xargs exits 124 when a command it ran exited with status 255, and says so.
    const log = failedStepLog("find schemas -name '*.json' | xargs -n1 ./scripts/validate.sh", [
      'validating schemas/order.json',
      'xargs: ./scripts/validate.sh: exited with status 255; aborting',
    ], 124);
    // Act
    const top = await topOf(log);
    // Assert
    expect(top.category).not.toBe('timeout');
  });

  it('still reads a step that printed nothing of its own and exited 124 as a timeout', async () => {
    const log = failedStepLog('timeout 60 ./scripts/smoke.sh', ['run 1/3', 'run 2/3'], 124);
    // Act
    const top = await topOf(log);
    // Assert
    expect([top.rule, top.category]).toEqual(['exit.timeout-124', 'timeout']);
  });
});

describe("attack 61: the new expressions stay linear on long lines", () => {
  // Each hostile line as a head, a unit repeated to the size asked and a tail. The cost's growth with the line's
  // length is what is checked (test/support/growth.ts), not a time limit: 200 ms on a 900,000-character line held on
  // the machine the attack ran on and not on session 77's (git.fatal read 245 ms there, linearly).
  const cases: Array<[id: string, head: string, unit: string, tail: string]> = [
    ['shell.error', '', 'a: 1: ', 'x'],
    ['shell.error', 'x: line 1: ', 'y: ', 'z'],
    ['git.fatal', 'CONFLICT (', 'a/ ', ''],
    ['curl.error', 'curl: (22) ', ' ', ''],
    ['network.python-client', '', 'a ', 'ERROR 404'],
  ];
  for (const [id, head, unit, tail] of cases) {
    it(`${id} reads ${head}${unit}${unit}…${tail} in time linear in its length`, () => {
      const rule = RULES.find((r) => r.id === id);
      expect(rule).toBeDefined();
      const exponent = cpuGrowthExponent(HOSTILE_LINE_SIZES, (size) => `${head}${repeatedTo(unit)(size)}${tail}`, (line) => {
        rule?.re.test(line);
        rule?.cont?.test(line);
      });
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});

describe("attack 61: an action's `The process '…' failed with exit code N` when the tool said nothing a rule reads", () => {
  it("still reports the tool's last output, not only the action's exit line", async () => {
    // Prepare: an action that runs `diff -rq` (@actions/exec's `[command]` line, diff's real output, its core.setFailed
    // of the toolkit's error): no rule reads `Files … differ`. The step's last output said what failed; the exit
    // line took the step's place as its only finding and the output was no longer reported.
    const log = [
      '##[group]Run ./.github/actions/check-dist',
      'with:',
      '  path: dist',
      '##[endgroup]',
      '[command]/usr/bin/diff -rq dist /tmp/dist-rebuilt',
      'Files dist/index.js and /tmp/dist-rebuilt/index.js differ',
      "##[error]The process '/usr/bin/diff' failed with exit code 1",
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: line 6 is reported.
    expect(analysis.failures.flatMap((f) => f.lines.map((l) => l.line))).toContain(6);
  });
});
