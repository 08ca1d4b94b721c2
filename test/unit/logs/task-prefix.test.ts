import { afterEach, describe, expect, it } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog, type LogAnalysis } from '../../../shared/logs/index.js';
import { mayStartTask, prefixOrAnnouncement, TASK_PREFIX_RE, TaskNames, taskPrefixLength } from '../../../shared/logs/task-prefix.js';
import { seededRandom } from '../../support/random.js';
import { analyzedBothWays } from '../../support/fast-paths.js';

const lines = (...l: string[]): string => l.join('\n');
const prefixOf = (text: string): string => text.slice(0, taskPrefixLength(text));

describe('task runner prefixes', () => {
  it('are recognised for Turborepo, pnpm -r, lerna / Nx streams, lerna ERR! and Nix', () => {
    expect(prefixOf('web:lint:   12:7  error  x')).toBe('web:lint: ');
    expect(prefixOf('@acme/ui:test:unit: FAIL x')).toBe('@acme/ui:test:unit: ');
    expect(prefixOf('packages/core build: src/a.ts(22,5): error TS2322: x')).toBe('packages/core build: ');
    expect(prefixOf('apps/web test:unit:  FAIL  src/a.test.ts')).toBe('apps/web test:unit: ');
    expect(prefixOf('@acme/api:   ● Cart › adds tax')).toBe('@acme/api: ');
    expect(prefixOf('lerna ERR!   ● Cart › adds tax')).toBe('lerna ERR! ');
    expect(prefixOf('hello> error[E0425]: cannot find value')).toBe('hello> ');
    expect(prefixOf('       > error[E0425]: cannot find value')).toBe('       > ');
  });

  it("are recognised for docker compose's services: a replica's name padded to the longest, then `| `", () => {
    // Compose v2 (`%-<longest+1>s | `, `service-1`), with the project in front before v2.20, and Compose v1 (`_1`).
    const printed: Array<[prefix: string, output: string]> = [
      ['tests-1  | ', 'FAILED tests/test_api.py::test_health - assert 503 == 200'],
      ['db-1     | ', 'LOG:  database system is ready to accept connections'],
      ['shop-api-12 | ', 'Error: connect ECONNREFUSED 127.0.0.1:5432'],
      ['web_1  | ', 'npm ERR! code ELIFECYCLE'],
      ['shop_worker.v2_1 | ', '    at main (/app/worker.js:3:9)'],
    ];
    expect(printed.map(([prefix, output]) => prefixOf(prefix + output))).toEqual(printed.map(([prefix]) => prefix));
  });

  it('are measured by the character gate exactly as by the expression (random lines of prefix-like pieces)', () => {
    // Prepare: pieces of every form, and of the lines the gate must turn away cheaply.
    const random = seededRandom(26);
    const pieces = ['web', '@acme', '/', 'ui', ':', 'test', 'Build', ' ', '       ', '> ', '>', 'lerna ERR! ', 'packages', '.', '-', '9', 'x', '(12,5)', ': ', 'error', '\t', '$', '-1', '_1', ' | ', '|', '  '];
    const lines = Array.from({ length: 30_000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]).join(''),
    );
    // Act
    const mismatches = lines.filter((line) => taskPrefixLength(line) !== (TASK_PREFIX_RE.exec(line)?.[0].length ?? 0));
    // Assert
    expect(mismatches).toEqual([]);
    expect(lines.filter((line) => taskPrefixLength(line) > 0).length).toBeGreaterThan(1000);
  });

  it('start only where `mayStartTask` says one may: random lines of prefix-like pieces after another first character', () => {
    // Prepare: the pieces of the test above, each line starting with one of a few characters.
    const random = seededRandom(53);
    const pieces = ['web', '@acme', '/', 'ui', ':', 'test', ' ', '> ', 'lerna ERR! ', '.', '-', '+', '9', ': ', 'nx run ', 'yarn run v1', '-1', ' | '];
    const firsts = ['ℹ', '✖', '#', '|', '*', '(', '[', 'é', 'w', '@', ' ', '>', '.', '+', '-', '_', '7'];
    const lines = Array.from({ length: 30_000 }, () =>
      [firsts[Math.floor(random() * firsts.length)], ...Array.from({ length: 1 + Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)])].join(''),
    );
    // Act
    const misread = lines.filter((line) => !mayStartTask(line.charAt(0)) && prefixOrAnnouncement(line) !== 0);
    // Assert
    expect(misread).toEqual([]);
    expect(lines.filter((line) => prefixOrAnnouncement(line) !== 0).length).toBeGreaterThan(300);
    expect(mayStartTask('ℹ')).toBe(false);
  });

  it('are not read into lines that only look like one', () => {
    for (const text of [
      'packages/core build$ tsc -p .',
      'src/a.ts(12,5): error TS2345: x',
      'src/a.go:12:3: undefined: x',
      'error: could not compile `x`',
      'ERROR:D8: x',
      'make: *** [all] Error 1',
      'https://example.com/a b: c',
      '> api@0.1.0 lint',
      '    > 13 |   expect(x).toBe(3)',
      'lerna ERR! ',
      'web:lint: ',
      'target--> 29 (failed:0) in 83ms',
      'File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s',
      'All files |   85.71 |       50 |     100 |   85.71 |',
      'v1 | v2 | v3',
      'node-18 |',
      'py-3.11 | FAILED',
      '| tests-1 | failed |',
    ]) {
      expect(taskPrefixLength(text), text).toBe(0);
    }
  });
});

describe('unscoped task names', () => {
  it('are learnt from Nx announcing a task and from npm echoing a package\'s script under its own name', () => {
    // Prepare
    const names = new TaskNames();
    // Act
    for (const line of ['> nx run api:test', '> nx run web:build:production --skip-nx-cache', 'cart: > cart@1.0.0 test', 'ui-kit: yarn run v1.22.19']) names.learn(line);
    // Assert
    for (const name of ['api', 'web', 'cart', 'ui-kit']) expect(names.prefixLength(`${name}:   ● Cart › adds tax`), name).toBe(name.length + 2);
  });

  it('are not learnt from lines that only look like an announcement, and a name is never the whole line', () => {
    // Prepare
    const names = new TaskNames();
    // Act
    for (const line of ['error: > web@1.0.0 test', 'note: > see x@y', '> nx run-many -t test', 'cart: cart@1.0.0', 'error: $ jest', 'note: yarn run vitest']) names.learn(line);
    names.learn('cart: > cart@1.0.0 test');
    // Assert
    expect(names.prefixLength('error: could not compile `x`')).toBe(0);
    expect(names.prefixLength('note: > see x@y')).toBe(0);
    expect(names.prefixLength('note: yarn run vitest')).toBe(0);
    expect(names.prefixLength('run-many: x')).toBe(0);
    expect(names.prefixLength('cart:    ')).toBe(0);
    expect(names.prefixLength('cart: x')).toBe(6);
  });
});

describe('a task runner prefixed log', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
    setLineFilterUse(null);
  });

  const pnpmJest = lines(
    '##[group]Run pnpm -r test',
    'pnpm -r test',
    'shell: /usr/bin/bash -e {0}',
    '##[endgroup]',
    'Scope: 2 of 3 workspace projects',
    'packages/cart test$ jest',
    'packages/cart test: FAIL src/cart.test.ts (5.1 s)',
    'packages/cart test:   ● Cart › adds tax',
    'packages/cart test:',
    'packages/cart test:     expect(received).toBe(expected) // Object.is equality',
    'packages/cart test:',
    'packages/cart test:     Expected: 107',
    'packages/cart test:     Received: 100',
    'packages/cart test:',
    'packages/cart test:       at Object.<anonymous> (src/cart.test.ts:14:23)',
    'packages/cart test:',
    'packages/cart test: Test Suites: 1 failed, 3 passed, 4 total',
    'packages/cart test: Failed',
    '/home/runner/work/shop/shop/packages/cart:',
    ' ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @shop/cart@1.0.0 test: `jest`',
    'Exit status 1',
    '##[error]Process completed with exit code 1.',
  );

  /** The top failure is a jest block from `startLine` to `endLine`, named by its `●` line, `head`. */
  function expectTopJestBlock(analysis: LogAnalysis, head: string, startLine: number, endLine: number): void {
    const top = analysis.failures[0];
    expect(top?.rule).toBe('jest.failed');
    expect(top?.lines[0]?.text).toBe(head);
    expect(top?.startLine).toBe(startLine);
    expect(top?.endLine).toBe(endLine);
  }

  it('is read as the tool printed it: pnpm -r, the jest block from its FAIL line to its last frame', async () => {
    // Act
    const analysis = await analyzeLog(pnpmJest);
    // Assert
    expectTopJestBlock(analysis, 'packages/cart test:   ● Cart › adds tax', 7, 15);
  });

  it('ends a task block at another task\'s line, as printed interleaved', async () => {
    // Prepare
    const log = lines(
      '$ turbo run test',
      'web:test: Traceback (most recent call last):',
      'web:test:   File "/app/web/views.py", line 12, in handler',
      'web:test:     total = price / count',
      'web:test: ZeroDivisionError: division by zero',
      'api:build: > api@1.0.0 build',
      'api:build: compiled 42 files',
      'The command "turbo run test" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the traceback's own lines, read past the prefix, name its exception; the other task's do not join.
    const top = analysis.failures[0];
    expect(top?.rule).toBe('python.traceback');
    expect(top?.lines[0]?.text).toBe('web:test: ZeroDivisionError: division by zero');
    expect(top?.startLine).toBe(2);
    expect(top?.endLine).toBe(5);
  });

  it("reads a docker compose service's output past its prefix, colour and all: pytest's report in `tests-1  | `", async () => {
    // Prepare: `docker compose up --abort-on-container-exit` (Compose v2: each prefix in its service's colour, the
    // name padded to the longest one's width plus one), the database's lines between the test run's.
    const tests = (text: string): string => `\x1b[36mtests-1  | \x1b[0m${text}`;
    const db = (text: string): string => `\x1b[33mdb-1     | \x1b[0m${text}`;
    const log = lines(
      '$ docker compose up --abort-on-container-exit --exit-code-from tests',
      'Attaching to db-1, tests-1',
      db('2024-05-01 10:11:12.123 UTC [1] LOG:  database system is ready to accept connections'),
      tests('============================= test session starts =============================='),
      tests('collected 3 items'),
      tests(''),
      tests('tests/test_api.py F..                                                    [100%]'),
      tests(''),
      tests('=================================== FAILURES ==================================='),
      tests('_________________________________ test_health __________________________________'),
      tests(''),
      tests('    def test_health(client):'),
      tests('        response = client.get("/health")'),
      tests('>       assert response.status_code == 200'),
      tests('E       assert 503 == 200'),
      tests('E        +  where 503 = <Response [503]>.status_code'),
      tests(''),
      tests('tests/test_api.py:9: AssertionError'),
      db('2024-05-01 10:11:14.456 UTC [42] LOG:  could not receive data from client: Connection reset by peer'),
      tests('=========================== short test summary info ============================'),
      tests('FAILED tests/test_api.py::test_health - assert 503 == 200'),
      tests('========================= 1 failed, 2 passed in 0.42s ========================='),
      '\x1b[36mtests-1 exited with code 1\x1b[0m',
      'Aborting on container exit...',
      'The command "docker compose up --abort-on-container-exit --exit-code-from tests" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert: pytest's block, read past the prefix, from its test's header; its `E` line first.
    const [top] = analysis.failures;
    expect([top?.rule, top?.category, top?.startLine]).toEqual(['pytest.failed', 'test_failure', 10]);
    expect(top?.lines[0]).toEqual({ line: 15, text: 'tests-1  | E       assert 503 == 200' });
    // The same with the literal index, the shape memo and the line filter on.
    const { everyLine, fast } = await analyzedBothWays(Buffer.from(log));
    expect(fast).toEqual(everyLine);
  });

  it('reads lerna --stream and lerna ERR! output, and a Nix builder\'s quoted tail, past their prefixes', async () => {
    // Prepare
    const lerna = lines(
      '$ lerna run test',
      'lerna ERR! npm run test exited 1 in \'@acme/api\'',
      'lerna ERR! FAIL src/user.test.js',
      'lerna ERR!   ● User › rejects an empty name',
      'lerna ERR!',
      'lerna ERR!     Expected: "name required"',
      'lerna ERR!     Received: undefined',
      'The command "lerna run test" exited with 1.',
    );
    const nix = lines(
      '$ nix build .#default',
      "error: builder for '/nix/store/0c2x8q1m9d6v4k3j7h5f2w1b8n0p6r4s-app-1.0.drv' failed with exit code 2;",
      '       last 10 log lines:',
      '       > Running phase: checkPhase',
      '       > ============================= FAILURES =============================',
      '       > ___________________________ test_total ___________________________',
      '       >     def test_total():',
      '       > >       assert total([1, 2]) == 4',
      '       > E       assert 3 == 4',
      '       > tests/test_cart.py:12: AssertionError',
      "       For full logs, run 'nix log /nix/store/0c2x8q1m9d6v4k3j7h5f2w1b8n0p6r4s-app-1.0.drv'.",
      'The command "nix build .#default" exited with 1.',
    );
    // Act
    const [fromLerna, fromNix] = await Promise.all([analyzeLog(lerna), analyzeLog(nix)]);
    // Assert
    expect(fromLerna.failures[0]?.rule).toBe('jest.failed');
    expect(fromLerna.failures[0]?.lines[0]?.line).toBe(4);
    expect(fromLerna.failures[0]?.endLine).toBe(7);
    expect(fromNix.failures[0]?.rule).toBe('pytest.failed');
    expect(fromNix.failures[0]?.lines[0]?.text).toBe('       > E       assert 3 == 4');
  });

  const lernaStream = lines(
    '$ npx lerna run test --stream',
    'lerna info Executing command in 2 packages: "npm run test"',
    'cart: > cart@1.0.0 test',
    'cart: > jest',
    'cart: FAIL src/cart.test.js',
    'cart:   ● Cart › adds tax',
    'cart:     Expected: 107',
    'cart:     Received: 100',
    'cart:       at Object.<anonymous> (src/cart.test.js:14:26)',
    'api: > api@1.0.0 test',
    'error: this line is no task\'s',
    'cart: Tests:       1 failed, 2 passed, 3 total',
    "lerna ERR! npm run test exited 1 in 'cart'",
    'The command "npx lerna run test --stream" exited with 1.',
  );

  it('reads an unscoped lerna --stream package past its prefix once npm\'s echo named it, the jest block whole', async () => {
    // Act
    const analysis = await analyzeLog(lernaStream);
    // Assert: the FAIL line above is the block's, the other package's line ends it; `error: ` was never a prefix.
    expectTopJestBlock(analysis, 'cart:   ● Cart › adds tax', 5, 9);
    expect(analysis.failures.find((f) => f.startLine === 11)?.rule).toBe('rustc.error');
  });

  it('reads an unscoped lerna --stream package past its prefix once Yarn 1\'s banner named it, its `$ jest` echo too', async () => {
    // Prepare: lerna with `npmClient: yarn`: Yarn prints `yarn run v1.22.19` and `$ jest`, no `> cart@1.0.0 test`.
    const log = lines(
      '$ npx lerna run test --stream',
      'lerna info Executing command in 2 packages: "yarn run test"',
      'cart: yarn run v1.22.19',
      'cart: $ jest',
      'cart: FAIL src/cart.test.js',
      'cart:   ● Cart › adds tax',
      'cart:     Expected: 107',
      'cart:     Received: 100',
      'cart:       at Object.<anonymous> (src/cart.test.js:14:26)',
      'api: yarn run v1.22.19',
      'error: $ this line is no task\'s',
      'cart: error Command failed with exit code 1.',
      "lerna ERR! yarn run test exited 1 in 'cart'",
      'The command "npx lerna run test --stream" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the FAIL line above is the block's, the other package's line ends it; `error: ` was never a prefix.
    expectTopJestBlock(analysis, 'cart:   ● Cart › adds tax', 5, 9);
    expect(analysis.failures.find((f) => f.startLine === 11)?.rule).toBe('rustc.error');
  });

  it('reads Nx\'s stream of an unscoped project past its prefix once `> nx run` announced it', async () => {
    // Prepare
    const log = lines(
      '$ npx nx run-many -t test --output-style=stream',
      '> nx run web:test',
      'web:  FAIL  src/cart.test.ts > Cart > adds tax',
      'web: AssertionError: expected 100 to be 107 // Object.is equality',
      'web:  ❯ src/cart.test.ts:14:26',
      'web:  Test Files  1 failed (1)',
      'The command "npx nx run-many -t test --output-style=stream" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('vitest.failed');
    expect(analysis.failures[0]?.lines[0]?.text).toBe('web:  FAIL  src/cart.test.ts > Cart > adds tax');
    expect(analysis.failures[0]?.endLine).toBe(5);
  });

  it('finds the same in an unscoped stream with the literal index, the shape memo and the line filter on', async () => {
    // Prepare: ordinary output first, so the filter is reading (it skips nothing in a log of mostly named lines),
    // and the log in small chunks (a first chunk is never filtered); the echo that names `cart` must be read.
    const filler = Array.from({ length: 400 }, (_, i) => `api: wrote chunk ${i}`).join('\n');
    // A learnt name's line whose body only has a block's shape (a pytest header) must be read as well.
    const pytest = lines('cart: > cart@1.0.0 test:py', 'cart: ______________ test_total ______________', 'cart: E       assert 3 == 4', 'cart: wrote report');
    const bytes = Buffer.from(`${filler}\n${lernaStream}\n${filler}\n${pytest}\n`);
    // Act
    const { everyLine, fast } = await analyzedBothWays(bytes);
    // Assert
    expect(fast).toEqual(everyLine);
    expect(fast.failures.map((f) => f.rule)).toEqual(expect.arrayContaining(['jest.failed', 'pytest.failed']));
  });

  it('reads a task named by Yarn 1\'s banner with the line filter on, the banner far from any line it names', async () => {
    // Prepare: the banner is the log's only announcement, and its pytest header has a block's shape alone.
    const filler = Array.from({ length: 400 }, (_, i) => `shop: wrote chunk ${i}`).join('\n');
    const yarnPytest = lines('shop: yarn run v1.22.19', 'shop: ______________ test_sum ______________', 'shop:     def test_sum():', 'shop: E       assert 1 == 2');
    const bytes = Buffer.from(`${filler}\n${yarnPytest}\n${filler}\n`);
    // In chunks whose boundaries fall inside no line of the banner's neighbourhood (a line a chunk begins in the
    // middle of is read unfiltered).
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 4096) yield bytes.subarray(at, at + 4096);
    }
    setLineFilterUse(true);
    // Act
    const analysis = await analyzeLog(chunks());
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.failures[0]?.startLine).toBe(402);
  });

  it('ranks Turborepo\'s own status lines below the failing task\'s output, however plain its wording', async () => {
    // Prepare
    const log = lines(
      '$ npx turbo run build',
      'web:build: cache miss, executing 8c1f2e7a5d2b9e0f',
      'web:build: Could not load the "sharp" module using the linux-x64 runtime',
      'web:build: ERROR: command finished with error: command (/home/runner/work/mono/mono/apps/web) /usr/local/bin/npm run build exited (1)',
      'web#build: command (/home/runner/work/mono/mono/apps/web) /usr/local/bin/npm run build exited (1)',
      '',
      ' Tasks:    1 successful, 2 total',
      'Failed:    web#build',
      '',
      ' ERROR  run failed: command  exited (1)',
      'The command "npx turbo run build" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    // Statuses only: dropped from the result while the task's own line is there.
    expect(analysis.failures.filter((f) => [4, 5, 8, 10].includes(f.startLine))).toEqual([]);
  });

  it('does not answer a task line read without its prefix from what the memo learnt of whole lines', async () => {
    // Prepare: an unprefixed jest block meets a Turborepo line (read whole: it does not end the block, its own
    // `Tests:` does); later a Turborepo jest block meets a line of the same digit shape, read without the prefix:
    // there `Tests:` ends it.
    const log = lines(
      '$ npx turbo run test',
      '  ● Cart › adds tax',
      '    Expected: 107',
      'web:test: Tests: 1 failed, 3 total',
      'Tests: 1 failed, 3 total',
      'web:test:   ● Cart › rounds',
      'web:test:     Expected: 3',
      'web:test: Tests: 2 failed, 3 total',
      'web:test: Time: 1.2 s',
      'web:test: Ran all test suites.',
      'The command "npx turbo run test" exited with 1.',
    );
    setIndexUse(false);
    const everyLine = await analyzeLog(log);
    setIndexUse(true);
    setShapeMemoUse('always');
    // Act
    const memo = await analyzeLog(log);
    // Assert
    expect(memo).toEqual(everyLine);
    expect(everyLine.failures.find((f) => f.startLine === 6)?.endLine).toBe(7);
  });

  it('measures each shape\'s prefix afresh when the shape memo gives its slot to another shape', async () => {
    // Prepare: thousands of shapes (names spelt in letters), prefixed and not, so the memo's slots change hands.
    const name = (i: number): string => i.toString(26).replace(/\d/g, (d) => String.fromCharCode(103 + Number(d)));
    const log = Array.from({ length: 3000 }, (_, i) =>
      i % 2 === 0 ? `${name(i)}:lint: src/${name(i)}.py:3:1: E501 line too long` : `${name(i)} lint src/${name(i)}.py:3:1: E501 line too long`,
    ).join('\n');
    setIndexUse(false);
    const everyLine = await analyzeLog(log, { maxFailures: 1000 });
    setIndexUse(true);
    setShapeMemoUse('always');
    // Act
    const memo = await analyzeLog(log, { maxFailures: 1000 });
    // Assert
    expect(memo).toEqual(everyLine);
    expect(everyLine.failures.filter((f) => f.rule === 'lint.pep8-style').length).toBeGreaterThan(100);
  });

  it('finds the same with the literal index, the shape memo and the line filter on', async () => {
    // Act
    setIndexUse(false);
    const everyLine = await analyzeLog(pnpmJest);
    setIndexUse(true);
    setShapeMemoUse('always');
    setLineFilterUse(true);
    const fast = await analyzeLog(pnpmJest);
    // Assert
    expect(fast).toEqual(everyLine);
    expect(fast.failures[0]?.rule).toBe('jest.failed');
  });
});

describe("a failure list's heading under a task prefix", () => {
  it("takes the first entry below a blank line of the heading's task, as below an unprefixed heading's blank line", async () => {
    // Prepare: docker compose prefixes blank lines too (`tests-1  | `); the entry holds no word the scanner looks for
    const log = lines(
      'tests-1  | Running 12 specs',
      'tests-1  | Failures:',
      'tests-1  | ',
      'tests-1  |   Cart totals adds the tax once',
      'tests-1  |     wanted 13 but got 12',
      'tests-1  | ',
      'tests-1  | Done.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toContain('Cart totals adds the tax once');
  });
});
