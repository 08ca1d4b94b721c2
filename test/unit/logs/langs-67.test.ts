/**
 * Session 67: job-level failures (test/fixtures/gha-real-tools, README "Session 67: job-level failures"): a program's
 * crash under bash, CPython's faulthandler, `set -x` traces, apt's missing candidate, pkg-config's missing package,
 * a compiler make cannot run, the Go module proxy and crates.io unreachable, npm's integrity check. Each row is real
 * output of the tool run on this machine, other runs than the fixtures'; each passing row is a passing run of the
 * same form above a failure of another step.
 */
import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

interface Step {
  readonly command: string;
  readonly output: readonly string[];
  /** The step's exit code; 0 for a step that passed (no `##[error]` line). */
  readonly code: number;
}

/** A GitHub Actions job of `steps`, and the 1-based line of a text in it. */
function job(...steps: Step[]): { log: Buffer; line: (text: string) => number } {
  const lines = ['##[group]Run actions/checkout@v4', 'with:', '  repository: acme/shop', '##[endgroup]'];
  for (const { command, output, code } of steps) {
    lines.push(`##[group]Run ${command}`, command, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output);
    if (code !== 0) lines.push(`##[error]Process completed with exit code ${code}.`);
  }
  lines.push('Post job cleanup.', 'Cleaning up orphan processes');
  return {
    log: Buffer.from(lines.join('\n')),
    line: (text: string) => {
      const at = lines.indexOf(text);
      if (at === -1) throw new Error(`no line ${text}`);
      return at + 1;
    },
  };
}

/** The analysis of `log`: its first line, its category and the lines its prediction lists. */
async function read(log: Buffer): Promise<{ first: number | undefined; category: string; listed: number[] }> {
  const analysis = await analyzeLog(log);
  return { first: analysis.failures[0]?.lines[0]?.line, category: analysis.category, listed: predictionLines(analysis) };
}

// A step that fails after a passing step of the form: what the passing step printed must not come first.
const CP_FAILS: Step = { command: 'cp dist/app.js.map release/', output: ["cp: cannot stat 'dist/app.js.map': No such file or directory"], code: 1 };

describe('a program killed by a signal under bash', () => {
  it("glibc's failed assert() and bash's `Aborted` line: both listed, the abort first", async () => {
    // Real: gcc 12, bash 5.2 running `./table` from a script under -e (exit 134).
    const assertion = 'table: t.c:3: main: Assertion `rows > 0 && "empty table"\' failed.';
    const aborted = 'ab.sh: line 2: 17854 Aborted                 ./table';
    const { log, line } = job({ command: './table', output: ['reading rows', assertion, aborted], code: 134 });
    const { first, listed } = await read(log);
    expect([line(assertion), line(aborted)]).toContain(first);
    expect(listed).toEqual(expect.arrayContaining([line(assertion), line(aborted)]));
  });
});

describe("CPython's faulthandler", () => {
  // Real: pytest 9 -q (the progress dot in front) and the interpreter's frames, innermost first (exit 139).
  const fatal = '.Fatal Python error: Segmentation fault';
  const frames = [
    '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/ctypes/__init__.py", line 519 in string_at',
    '  File "/home/runner/work/app/app/pkg/native.py", line 6 in checksum',
    '  File "/home/runner/work/app/app/tests/test_native.py", line 14 in test_checksum_of_released_buffer',
    '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/python.py", line 166 in pytest_pyfunc_call',
  ];
  const output = [fatal, '', 'Current thread 0x00007fe05abefb80 (most recent call first):', ...frames,
    '/home/runner/work/_temp/1c2d.sh: line 1: 17896 Segmentation fault      python -m pytest -q tests'];

  it('under pytest: the fatal error first, its frames listed, a test failure', async () => {
    const { log, line } = job({ command: 'python -m pytest -q tests', output, code: 139 });
    const { first, category, listed } = await read(log);
    expect(first).toBe(line(fatal));
    expect(listed).toEqual(expect.arrayContaining([line(frames[1] as string), line(frames[2] as string)]));
    expect(category).toBe('test_failure');
  });
});

describe('set -x traces', () => {
  it('a command that fails silently: the last `+ ` trace line is the one pointed at', async () => {
    // Real: bash 5.2 -e with set -x, `test -f` on a file the build did not write (exit 1, no output).
    const { log, line } = job({ command: 'set -x', output: ['+ npm --version', '+ test -f dist/index.html'], code: 1 });
    const { first } = await read(log);
    expect(first).toBe(line('+ test -f dist/index.html'));
  });

  it("a trace's `+ exit 1` is no culprit: the script's own message above it is", async () => {
    // Real: bash 5.2 -e with set -x running `echo "No release notes for v2.0.0"; exit 1`.
    const output = ["+ echo 'No release notes for v2.0.0'", 'No release notes for v2.0.0', '+ exit 1'];
    const { log, line } = job({ command: 'set -x', output, code: 1 });
    const { first } = await read(log);
    expect(first).not.toBe(line('+ exit 1'));
  });

  it('a passing traced step reports nothing above a later failure', async () => {
    const { log, line } = job({ command: 'set -x', output: ['+ npm --version', '11.19.1', '+ test -f package.json'], code: 0 }, CP_FAILS);
    const { first } = await read(log);
    expect(first).toBe(line(CP_FAILS.output[0] as string));
  });
});

describe("apt-get's missing installation candidate", () => {
  // Real: apt 2.6 on Debian 12 (exit 100); a virtual package with a replacement named.
  const output = ['Reading package lists...', 'Building dependency tree...', 'Reading state information...',
    'Package python-dev is not available, but is referred to by another package.',
    'This may mean that the package is missing, has been obsoleted, or', 'is only available from another source',
    'However the following packages replace it:', '  python-dev-is-python3', '', "E: Package 'python-dev' has no installation candidate"];

  it("apt's E: line first, the package's explanation above it listed, a dependency", async () => {
    const { log, line } = job({ command: 'apt-get install -y python-dev', output, code: 100 });
    const { first, category, listed } = await read(log);
    expect(first).toBe(line("E: Package 'python-dev' has no installation candidate"));
    expect(listed).toContain(line('Package python-dev is not available, but is referred to by another package.'));
    expect(listed).not.toContain(line('Reading state information...'));
    expect(category).toBe('dependency');
  });

  it('a passing install reports nothing above a later failure', async () => {
    const passing = ['Reading package lists...', 'Building dependency tree...', 'Reading state information...',
      'pkg-config is already the newest version (1.8.1-1).', '0 upgraded, 0 newly installed, 0 to remove and 121 not upgraded.'];
    const { log, line } = job({ command: 'apt-get install -y pkg-config', output: passing, code: 0 }, CP_FAILS);
    const { first } = await read(log);
    expect(first).toBe(line(CP_FAILS.output[0] as string));
  });
});

describe("pkg-config's missing package", () => {
  // Real: pkgconf 1.8 (`pkg-config --cflags --libs libuv`), then gcc 12 without the header.
  const pkg = ['Package libuv was not found in the pkg-config search path.', "Perhaps you should add the directory containing `libuv.pc'",
    'to the PKG_CONFIG_PATH environment variable', "Package 'libuv', required by 'virtual:world', not found"];
  const gcc = ['cc -O2 -Wall  -o srv src/srv.c ', 'src/srv.c:1:10: fatal error: uv.h: No such file or directory',
    '    1 | #include <uv.h>', '      |          ^~~~~~', 'compilation terminated.', 'make: *** [Makefile:5: srv] Error 1'];

  it("above the compiler's missing header: pkg-config's line first, both listed, a dependency", async () => {
    const { log, line } = job({ command: 'make', output: [...pkg, ...gcc], code: 2 });
    const { first, category, listed } = await read(log);
    expect(first).toBe(line(pkg[0] as string));
    expect(listed).toEqual(expect.arrayContaining([line(pkg[3] as string), line(gcc[1] as string)]));
    expect(category).toBe('dependency');
  });

  it("above the linker's undefined reference and its collect2 line, which no header explains: pkg-config's line first", async () => {
    // Real (session 68): pkgconf 1.8.1 in `LDLIBS += $(shell pkg-config --libs libuv)`, gcc 12 and GNU ld 2.40.
    const ld = ['cc -O2 -o link link.c ', "/usr/bin/ld: /tmp/ccd2RXta.o: in function `main':",
      "link.c:(.text.startup+0x5): undefined reference to `uv_loop_init'", 'collect2: error: ld returned 1 exit status',
      'make: *** [Makefile:4: link] Error 1'];
    const { log, line } = job({ command: 'make link', output: [...pkg, ...ld], code: 2 });
    const { first, category, listed } = await read(log);
    expect([first, category]).toEqual([line(pkg[0] as string), 'dependency']);
    expect(listed).toEqual(expect.arrayContaining([line(ld[2] as string)]));
  });
});

describe('a compiler make cannot run', () => {
  it("make's own line first, its Error 127 listed, configuration", async () => {
    // Real: GNU make 4.3, `make -f Mk CC=gcc-99`.
    const output = ['gcc-99 -o x x.c', 'make: gcc-99: No such file or directory', 'make: *** [Mk:2: all] Error 127'];
    const { log, line } = job({ command: 'make -f Mk CC=gcc-99', output, code: 2 });
    const { first, category, listed } = await read(log);
    expect(first).toBe(line(output[1] as string));
    expect(listed).toContain(line(output[2] as string));
    expect(category).toBe('configuration');
  });
});

describe('module downloads without the network', () => {
  it("go's module proxy that does not resolve: network", async () => {
    // Real: go 1.19 `go mod download` without DNS.
    const go = 'go: golang.org/x/text@v0.14.0: Get "https://proxy.golang.org/golang.org/x/text/@v/v0.14.0.mod": dial tcp: lookup proxy.golang.org on 10.255.255.53:53: no such host';
    const { log, line } = job({ command: 'go mod download', output: [go], code: 1 });
    const { first, category } = await read(log);
    expect(first).toBe(line(go));
    expect(category).toBe('network');
  });

  it("cargo's index that does not resolve: cargo's error first, its cause listed, network", async () => {
    // Real: cargo 1.95 `cargo fetch` without DNS.
    const output = ['    Updating crates.io index',
      'warning: spurious network error (3 tries remaining): [6] Could not resolve hostname (Could not resolve host: index.crates.io)',
      'warning: spurious network error (2 tries remaining): [6] Could not resolve hostname (Could not resolve host: index.crates.io)',
      'warning: spurious network error (1 try remaining): [6] Could not resolve hostname (Could not resolve host: index.crates.io)',
      'error: failed to get `clap` as a dependency of package `cli v0.1.0 (/home/runner/work/cli/cli)`', '', 'Caused by:',
      '  download of config.json failed', '', 'Caused by:', '  failed to download from `https://index.crates.io/config.json`', '',
      'Caused by:', '  [6] Could not resolve hostname (Could not resolve host: index.crates.io)'];
    const { log, line } = job({ command: 'cargo fetch', output, code: 101 });
    const { first, category, listed } = await read(log);
    expect(first).toBe(line(output[4] as string));
    expect(listed).toContain(line(output[13] as string));
    expect(category).toBe('network');
  });
});

describe("npm's integrity check", () => {
  it('a tarball that does not match the lock file: a dependency, not a test', async () => {
    // Real: npm 11 ci with a lock file whose sha512 was changed by one character (two retries, then EINTEGRITY); its
    // debug log's path written as the runner's.
    const output = [
      'npm warn tarball tarball data for is-number@https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz (sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxnA==) seems to be corrupted. Trying again.',
      'npm warn tarball tarball data for is-number@https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz (sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxnA==) seems to be corrupted. Trying again.',
      'npm error code EINTEGRITY',
      'npm error sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxnA== integrity checksum failed when using sha512: wanted sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxnA== but got sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==. (3730 bytes)',
      'npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2026-11-29T13_08_12_414Z-debug-0.log',
    ];
    const { log, line } = job({ command: 'npm ci', output, code: 1 });
    const { first, category } = await read(log);
    expect(first).toBe(line(output[2] as string));
    expect(category).toBe('dependency');
  });
});

describe('passing runs of the set-up forms report nothing above a later failure', () => {
  // Real: autoconf 2.71's configure with gcc 12, CMake 3.25's configure, GNU make 4.3 with `$(shell pkg-config
  // --cflags libpng16)` found, npm 11 ci of one package.
  it.each([
    ['configure', './configure --prefix=/usr/local', ['checking for gcc... gcc', 'checking whether the C compiler works... yes',
      'checking for C compiler default output file name... a.out', 'checking for suffix of executables... ',
      'checking whether we are cross compiling... no', 'checking for suffix of object files... o',
      'checking whether the compiler supports GNU C... yes', 'checking whether gcc accepts -g... yes',
      'checking for gcc option to enable C11 features... none needed', 'configure: creating ./config.status']],
    ['cmake', 'cmake -S . -B build', [
      '-- The C compiler identification is GNU 12.2.0',
      '-- The CXX compiler identification is GNU 12.2.0',
      '-- Detecting C compiler ABI info',
      '-- Detecting C compiler ABI info - done',
      '-- Check for working C compiler: /usr/bin/cc - skipped',
      '-- Detecting C compile features',
      '-- Detecting C compile features - done',
      '-- Detecting CXX compiler ABI info',
      '-- Detecting CXX compiler ABI info - done',
      '-- Check for working CXX compiler: /usr/bin/c++ - skipped',
      '-- Detecting CXX compile features',
      '-- Detecting CXX compile features - done',
      '-- Configuring done',
      '-- Generating done',
      '-- Build files have been written to: /home/runner/work/native/native/build',
    ]],
    ['make with pkg-config', 'make', ['cc -O2 -Wall -I/usr/include/libpng16  -o imgtool src/imgtool.c -lpng16 ']],
    ['npm ci', 'npm ci', ['', 'added 1 package in 2s']],
  ])('%s', async (_name, command, output) => {
    const { log, line } = job({ command, output, code: 0 }, CP_FAILS);
    const { first } = await read(log);
    expect(first).toBe(line(CP_FAILS.output[0] as string));
  });
});

describe("the runner's and the actions toolkit's refusals: the job's configuration", () => {
  it("a GITHUB_OUTPUT line the runner cannot parse: its two errors, configuration", async () => {
    // Real: `echo "manifest=$(cat pkg.json)" >> "$GITHUB_OUTPUT"` over a JSON file of four lines; the runner's words
    // (actions/runner's FileCommandManager) for the first line that is neither `name=value` nor `name<<delimiter`.
    const errors = ["##[error]Unable to process file command 'output' successfully.", '##[error]Invalid format \'  "name": "web",\''];
    const { log, line } = job({ command: 'echo "manifest=$(cat pkg.json)" >> "$GITHUB_OUTPUT"', output: errors, code: 0 });
    const { first, category, listed } = await read(log);
    expect(first).toBe(line(errors[0] as string));
    expect(listed).toContain(line(errors[1] as string));
    expect(category).toBe('configuration');
  });

  it("an action's program that is not installed (@actions/io): configuration", async () => {
    // Real: @actions/io 1.1.3 `which('yarn', true)` without yarn on the PATH, set failed by the action.
    const error = '##[error]Unable to locate executable file: yarn. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.';
    const { log, line } = job({ command: 'actions/setup-node@v4', output: ['Found in cache @ /opt/hostedtoolcache/node/20.20.2/x64', error], code: 0 });
    const { first, category } = await read(log);
    expect(first).toBe(line(error));
    expect(category).toBe('configuration');
  });
});
