import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep, lineOf } from '../support/gha-step.js';

// Attack on session 67's rules (branch langs67: bash's `Aborted` line, the set -x fallback, pkg-config's missing
// package, ...): other runs of the same tools and other programs' lines in the new shapes. Each row failed before its
// fix, or runs as an expected failure with the reason.

/** The analysis of `log`: its top failure's rule and first line, its category and the lines its prediction lists. */
async function read(log: readonly string[]): Promise<{ rule: string | undefined; first: number | undefined; category: string; rules: string[]; listed: number[] }> {
  const analysis = await analyzeLog(log.join('\n'));
  const top = analysis.failures[0];
  return { rule: top?.rule, first: top?.lines[0]?.line, category: analysis.category, rules: analysis.failures.map((f) => f.rule), listed: predictionLines(analysis) };
}

describe("attack 67 (langs67): bash's `Aborted` line", () => {
  it('reads the line bash prints for a pid under 10000, which it pads to five columns (`line 3:  4242 Aborted`)', async () => {
    // Prepare: bash's job report prints the pid with `%5ld` (jobs.c), so hosted runners' four-digit pids come with a
    // leading space: `run.sh: line 80:  4026 Aborted                 (core dumped) …` in the wild; here without core
    // dump (ulimit -c 0, the runner's default), where no other word of the line names the signal.
    const assertion = "build-parse: src/parse.c:12: main: Assertion `argc < 3' failed.";
    const aborted = '/home/runner/work/_temp/4f1c.sh: line 3:  4242 Aborted                 ./build-parse apple pear';
    const log = ghaStep(['./build-parse apple pear'], ['loaded 2 records', assertion, aborted], { exitCode: 134 });
    // Act
    const { rule, first, listed } = await read(log);
    // Assert
    expect(rule).toBe('segfault');
    expect([lineOf(log, assertion), lineOf(log, aborted)]).toContain(first);
    expect(listed).toEqual(expect.arrayContaining([lineOf(log, assertion), lineOf(log, aborted)]));
  });

  it('reads `bash -c`\'s report of a three-digit pid (`bash:   612 Aborted …`)', async () => {
    const aborted = 'bash:   612 Aborted                 ./a.out';
    const log = ghaStep(['bash -c ./a.out'], ["terminate called after throwing an instance of 'std::runtime_error'", '  what():  Error', aborted], { exitCode: 134 });
    // Act
    const { rules } = await read(log);
    // Assert
    expect(rules).toContain('segfault');
  });

  it("does not read a program's own count of aborted things (`migrate: 12 Aborted transactions rolled back`) as a signal", async () => {
    // Prepare: bash pads the signal's name to a column (`Aborted` and 17 spaces); a sentence has one space after it
    const error = 'Error: migration 0042 failed: duplicate key value violates unique constraint "users_email_key"';
    const log = ghaStep(['./migrate up'], ['migrate: 12 Aborted transactions rolled back', error], { exitCode: 1 });
    // Act
    const { rules, first } = await read(log);
    // Assert
    expect(rules).not.toContain('segfault');
    expect(first).toBe(lineOf(log, error));
  });

  it('reports nothing for a passing step whose summary counts aborted jobs (`queue: 3 Aborted jobs, 0 failed`)', async () => {
    const log = [
      ...ghaStep(['./report'], ['queue: 3 Aborted jobs, 0 failed', 'All jobs done'], { exitCode: null }),
      ...ghaStep(['cp dist/app.js.map release/'], ["cp: cannot stat 'dist/app.js.map': No such file or directory"], { exitCode: 1 }),
    ];
    // Act
    const { rules } = await read(log);
    // Assert
    expect(rules).not.toContain('segfault');
  });
});

describe('attack 67 (langs67): the fallback under set -x', () => {
  it("does not take a markdown list's `+ item` for a trace in a step that is not traced: the step's complaint above it", async () => {
    // Prepare: a changelog check (no set -x) that prints the entry it wants as a `+ ` list item, as keepachangelog
    // style lists are written
    const complaint = 'Missing changelog entry for #123. Expected a line like:';
    const log = ghaStep(['./scripts/check-changelog.sh'], ['Checking CHANGELOG.md against the PR', complaint, '+ Fix the cart total (#123)'], { exitCode: 1 });
    // Act
    const { rule, first } = await read(log);
    // Assert
    expect([rule, first]).toEqual(['generic.step-output', lineOf(log, complaint)]);
  });

  it('still points at the last trace line of a step the header shows traced (`set -ex`)', async () => {
    const trace = '+ test -f dist/index.html';
    const log = ghaStep(['set -ex', 'npm --version', 'test -f dist/index.html'], ['+ npm --version', '11.1.0', trace], { exitCode: 1 });
    // Act
    const { first } = await read(log);
    // Assert
    expect(first).toBe(lineOf(log, trace));
  });

  it('still points at the last trace line of a script that traces itself (two trace lines, its header shows no set -x)', async () => {
    const trace = '+ grep -q \'"version": "1.5.0"\' package.json';
    const log = ghaStep(['./ci/check-version.sh'], ['+ VERSION=1.5.0', 'Checking package.json version against tag v1.5.0', trace], { exitCode: 1 });
    // Act
    const { first } = await read(log);
    // Assert
    expect(first).toBe(lineOf(log, trace));
  });
});

describe("attack 67 (langs67): pkg-config's missing package", () => {
  // Fixed in session 68: pkg-config.not-found (weight 86) outranked every compile error in its step, not only the
  // missing header it explains. A Makefile's `$(shell pkg-config --cflags zlib)` complains on a runner without zlib.pc
  // while the headers are found all the same (macOS's SDK, a distribution without the .pc), and the build then fails
  // for a reason of its own: the missing package ranks above only a failure it explains (`Rule.warning`'s `explains`).
  it("does not put an optional package's complaint above an undeclared identifier in the same step", async () => {
    const error = "main.c:14:5: error: 'cfg' undeclared (first use in this function)";
    const log = ghaStep(['make'], [
      'Package zlib was not found in the pkg-config search path.',
      'Perhaps you should add the directory containing `zlib.pc\'',
      'to the PKG_CONFIG_PATH environment variable',
      "Package 'zlib', required by 'virtual:world', not found",
      'cc -O2 -Wall -c -o main.o main.c',
      "main.c: In function 'main':",
      error,
      '   14 |     cfg.port = 8080;',
      '      |     ^~~',
      'make: *** [Makefile:7: main.o] Error 1',
    ], { exitCode: 2 });
    // Act
    const { rule, first, category } = await read(log);
    // Assert
    expect([rule, first, category]).toEqual(['cc.error', lineOf(log, error), 'compilation']);
  });
});

describe("attack 67 (langs67): Go's resolver errors", () => {
  // Go's net package ends a failed lookup with the resolver's own error: `no such host` (NXDOMAIN), `server
  // misbehaving` (SERVFAIL, a resolver that answers badly), `read udp …: i/o timeout` (a resolver that does not answer).
  const proxy = 'go: github.com/pkg/errors@v0.9.1: Get "https://proxy.golang.org/github.com/pkg/errors/@v/v0.9.1.mod": dial tcp: lookup proxy.golang.org on 127.0.0.53:53: ';
  it.each([
    ['server misbehaving'],
    ['read udp 127.0.0.1:41234->127.0.0.53:53: i/o timeout'],
  ])('reads a module download whose lookup failed with `%s` as the network\'s', async (why) => {
    const log = ghaStep(['go mod download'], [proxy + why], { exitCode: 1 });
    // Act
    const { rule, category } = await read(log);
    // Assert
    expect([rule, category]).toEqual(['network.error', 'network']);
  });
});

describe('attack 67 (langs67): make could not run a program, in older makes\' words', () => {
  // GNU make up to 4.2 (job.c's exec_command: `%s: %s: Command not found`, `%s[%u]: %s: Command not found`) names
  // the missing program so: macOS's /usr/bin/make is 3.81, ubuntu-20.04's make 4.2.1. make 4.3 posix_spawns and
  // prints strerror (`No such file or directory`).
  it.each([
    ['make 3.81 (macOS)', ['clang-18 -O2   -c -o main.o main.c', 'make: clang-18: Command not found', 'make: *** [main.o] Error 127']],
    ['make 4.2.1 in a sub-make', ['protoc --go_out=. api.proto', 'make[1]: protoc: Command not found', "make[1]: *** [Makefile:4: gen] Error 127", 'make: *** [Makefile:2: all] Error 2']],
  ])('%s: make\'s line and its Error 127, configuration', async (_name, output) => {
    const log = ghaStep(['make'], output, { exitCode: 2 });
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.category, top?.startLine, top?.endLine]).toEqual(['make.exec-missing', 'configuration', lineOf(log, 'Command not found'), lineOf(log, 'Error 127')]);
  });
});

describe("attack 67 (langs67): cargo's other fetch failures", () => {
  it("reads `error: failed to update registry` (a git index: cargo before 1.70, `[registries]` over git) with git2's `class=Net` cause as the network's", async () => {
    const head = 'error: failed to update registry `crates-io`';
    const log = ghaStep(['cargo build'], [
      '    Updating crates.io index', head, '', 'Caused by:', '  failed to fetch `https://github.com/rust-lang/crates.io-index`', '',
      'Caused by:', '  network failure seems to have happened', '  if a proxy or similar is necessary `net.git-fetch-with-cli` may help here',
      '  https://doc.rust-lang.org/cargo/reference/config.html#netgit-fetch-with-cli', '',
      'Caused by:', '  failed to resolve address for github.com: Temporary failure in name resolution; class=Net (12)',
    ], { exitCode: 101 });
    // Act
    const { rule, first, category } = await read(log);
    // Assert
    expect([rule, first, category]).toEqual(['cargo.fetch', lineOf(log, head), 'network']);
  });

  it("reads `error: failed to download `serde v1.0.210`` with curl's timeout under it as the network's", async () => {
    const head = 'error: failed to download `serde v1.0.210`';
    const log = ghaStep(['cargo build'], [
      head, '', 'Caused by:', '  unable to get packages from source', '', 'Caused by:',
      '  [28] Timeout was reached (Operation timed out after 30000 milliseconds with 0 bytes received)',
    ], { exitCode: 101 });
    // Act
    const { rule, category } = await read(log);
    // Assert
    expect([rule, category]).toEqual(['cargo.fetch', 'network']);
  });

  it("reads cargo's `failed to select a version for the requirement` as a dependency, not a compile error", async () => {
    const log = ghaStep(['cargo build'], [
      '    Updating crates.io index', 'error: failed to select a version for the requirement `serde = "^9.0"`',
      "candidate versions found which didn't match: 1.0.210, 1.0.209", 'location searched: crates.io index',
      'required by package `app v0.1.0 (/home/runner/work/app/app)`',
    ], { exitCode: 101 });
    // Act
    const { category } = await read(log);
    // Assert
    expect(category).toBe('dependency');
  });
});

describe('attack 67 (langs67): the set -x fallback under a task runner', () => {
  it("reads a trace behind turbo's `web:check: ` prefix as a trace: the last one is pointed at", async () => {
    // Prepare: a package's `check` script under `set -x`, run by turbo (its output prefixed by `<package>:<task>: `)
    const trace = 'web:check: + test -f dist/index.html';
    const log = ghaStep(['npx turbo run check'], [
      'web:check: + npm --version', 'web:check: 11.1.0', trace,
      'web:check: ERROR: command finished with error: command (/home/runner/work/m/m/apps/web) /usr/bin/npm run check exited (1)',
    ], { exitCode: 1 });
    // Act
    const { first } = await read(log);
    // Assert
    expect(first).toBe(lineOf(log, trace));
  });
});

describe("attack 67 (langs67): the set -x fallback and an EXIT trap's traces", () => {
  // Fixed in session 68: under `set -x` with `trap cleanup EXIT`, the trap's commands are traced after the failing
  // command's output, and the fallback pointed at the trap's last `+ ` line (`+ docker compose down`), not at the
  // complaint the failing command printed above them. The trap's command is read from the script or bash's trace of
  // the `trap` line; its last trace starts the clean-up, which the fallback leaves out.
  it("points at the failing command's complaint, not at the EXIT trap's clean-up traces below it", async () => {
    const complaint = 'Schema mismatch: column "email" missing in users';
    const log = ghaStep(['set -x', "trap 'docker compose down' EXIT", './tools/check-schema'], [
      '+ trap \'docker compose down\' EXIT', '+ ./tools/check-schema', complaint, '+ docker compose down',
    ], { exitCode: 1 });
    // Act
    const { first } = await read(log);
    // Assert
    expect(first).toBe(lineOf(log, complaint));
  });
});
