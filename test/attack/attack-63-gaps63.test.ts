import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';

// Attack on session 63's changes (branch gaps63: concurrently's `[name] ` prefix, key lines past a task prefix,
// plunit's Windows paths, Ginkgo 2's headers, exit.timeout-kill's live script lines, Octave's heading): other tools'
// lines next to the new formats, and other runs of the same tools. Each row failed before its fix, or runs as an
// expected failure with the reason.

/** A step that ended with `code` (1 unless given; 0 passed, no exit line), its script split on `\n`; its lines. */
const endedStep = (script: string, output: readonly string[], code = 1): string[] =>
  ghaStep(script, output, { exitCode: code === 0 ? null : code });

/** npm's echo of a script running concurrently (9.2.5, real output shape), two commands that pass. */
const CONCURRENTLY_BUILD = [
  '',
  '> web@1.0.0 build',
  '> concurrently -n css,js "npm:build:css" "npm:build:js"',
  '',
  '[css] ',
  '[css] > web@1.0.0 build:css',
  '[css] > sass src:dist',
  '[css] ',
  '[js] ',
  '[js] > web@1.0.0 build:js',
  '[js] > esbuild src/index.js --bundle --outfile=dist/app.js',
  '[js] ',
  '[js]   dist/app.js  1.2kb',
  '[js] ',
  '[js] ⚡ Done in 5ms',
  '[css] npm run build:css exited with code 0',
  '[js] npm run build:js exited with code 0',
];

/** Maven 3.9 (`mvn -B verify`) failing on a javac error. */
const MAVEN_COMPILE = [
  '[INFO] Scanning for projects...',
  '[INFO] --- compiler:3.11.0:compile (default-compile) @ shop ---',
  '[INFO] Compiling 2 source files with javac [debug target 17] to target/classes',
  '[INFO] -------------------------------------------------------------',
  '[ERROR] COMPILATION ERROR : ',
  '[INFO] -------------------------------------------------------------',
  '[ERROR] /home/runner/work/shop/shop/src/main/java/com/acme/Cart.java:[7,16] cannot find symbol',
  '  symbol:   class Lst',
  '  location: class com.acme.Cart',
  '[INFO] 1 error',
  '[INFO] -------------------------------------------------------------',
  '[INFO] BUILD FAILURE',
  '[INFO] ------------------------------------------------------------------------',
  '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project shop: Compilation failure',
  '[ERROR] /home/runner/work/shop/shop/src/main/java/com/acme/Cart.java:[7,16] cannot find symbol',
  '[ERROR] -> [Help 1]',
];

/** sbt 1.9 compiling Scala 3: its `[error] ` level on each line of the compiler's report. */
const SBT_COMPILE = [
  '[info] welcome to sbt 1.9.7 (Eclipse Adoptium Java 17.0.9)',
  '[info] compiling 2 Scala sources to /home/runner/work/shop/shop/target/scala-3.3.1/classes ...',
  '[error] -- [E006] Not Found Error: /home/runner/work/shop/shop/src/main/scala/Cart.scala:3:12 ',
  '[error] 3 |  val xs: Lst[Int] = Nil',
  '[error]   |          ^^^',
  '[error]   |          Not found: type Lst',
  '[error] one error found',
  '[error] (Compile / compileIncremental) Compilation failed',
  '[error] Total time: 3 s, completed Nov 29, 2026, 2:31:09 AM',
];

/** The rules and extents of the top three failures. */
async function shape(log: readonly string[]): Promise<string[]> {
  const analysis = await analyzeLog(log.join('\n'));
  return analysis.failures.slice(0, 3).map((f) => `${f.rule} ${f.endLine - f.startLine}`);
}

describe('attack 63 (gaps63): concurrently\'s bracketed prefix next to other tools\' brackets', () => {
  it("reads Maven's `[ERROR] ` lines after a concurrently build in the same step as Maven alone (a log level is no task's name)", async () => {
    // Prepare: a step that builds the front end with concurrently, then runs Maven
    const alone = endedStep('mvn -B verify', MAVEN_COMPILE);
    const after = endedStep('npm run build\nmvn -B verify', [...CONCURRENTLY_BUILD, ...MAVEN_COMPILE]);
    // Act, Assert: the same failures, the javac error with its symbol and location lines
    expect(await shape(after)).toEqual(await shape(alone));
  });

  it("reads sbt's `[error] ` lines after a concurrently build in the same step as sbt alone", async () => {
    // Prepare
    const alone = endedStep('sbt test', SBT_COMPILE);
    const after = endedStep('npm run build\nsbt test', [...CONCURRENTLY_BUILD, ...SBT_COMPILE]);
    // Act
    const analysis = await analyzeLog(after.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('scalac.error');
    expect(await shape(after)).toEqual(await shape(alone));
  });

  it("reads Maven's lines after concurrently's in a log with no steps (a local or another CI's log) as Maven alone", async () => {
    // Prepare: no GitHub Actions step ends concurrently's step here
    const alone = MAVEN_COMPILE;
    const after = [...CONCURRENTLY_BUILD, ...MAVEN_COMPILE];
    // Act, Assert
    expect(await shape(after)).toEqual(await shape(alone));
  });
});

describe('attack 63 (gaps63): exit 137 with a live `timeout -s KILL` the script reader misses', () => {
  // GNU coreutils 9.1 timeout under bash 5.2.15: `out=$(timeout -s KILL 1 sleep 5)` after a here-string and
  // `$((1 << 2))` exits 137 with nothing printed (run here); `nice -n 5 timeout -s KILL 1 sleep 5` too.
  it.each([
    ['a shift in arithmetic above it', ['n=$((1 << 4))', 'out=$(timeout -s KILL 60 ./slow)']],
    ["sudo's options before it", ['out=$(sudo -E timeout --signal=KILL 60 ./slow)']],
    ["sudo's user before it", ['out=$(sudo -u runner timeout -s KILL 60 ./slow)']],
    ['nice and its niceness before it', ['out=$(nice -n 10 timeout -s KILL 60 ./slow)']],
  ])('reads exit 137 as the time limit with %s', async (_, script) => {
    // Act
    const analysis = await analyzeLog(endedStep(script.join('\n'), ['start'], 137).join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['exit.timeout-kill', 'timeout']);
  });
});

describe("attack 63 (gaps63): concurrently run through another runner's echo", () => {
  /** concurrently-eslint.log's output (concurrently 9.2.5, ESLint 9.39.5, real), behind the runner's echo. */
  const lintRun = (echo: readonly string[]): string[] => [
    ...echo,
    '',
    '[lint] ',
    '[lint] > shop@1.0.0 lint',
    '[lint] > eslint src',
    '[lint] ',
    '[lint] /home/runner/work/shop/shop/src/tax.js',
    "[lint]   2:9  error  'unused' is assigned a value but never used  no-unused-vars",
    "[lint]   3:9  error  Expected '===' and instead saw '=='          eqeqeq",
    '[lint] ',
    '[lint] ✖ 2 problems (2 errors, 0 warnings)',
    '[lint] ',
    '[lint] npm run lint exited with code 1',
    '[typecheck] npm run typecheck exited with code 0',
  ];

  it.each([
    ["yarn 1's `$ concurrently …`", ['yarn run v1.22.22', '$ concurrently -n lint,typecheck "npm:lint" "npm:typecheck"']],
    ["npm's echo of `npx concurrently …`", ['', '> shop@1.0.0 check', '> npx concurrently -n lint,typecheck "npm:lint" "npm:typecheck"']],
  ])('reads the prefixed ESLint report under %s as under npm\'s', async (_, echo) => {
    // Prepare
    const log = endedStep('yarn check', lintRun(echo));
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: the file's path line is the report's first, as in concurrently-eslint.log
    const top = analysis.failures[0];
    expect([top?.rule, log[(top?.startLine ?? 0) - 1]]).toEqual(['eslint.error', '[lint] /home/runner/work/shop/shop/src/tax.js']);
  });

  it("reads `npx --yes concurrently@9 …` in the step's script as concurrently running", async () => {
    // Prepare
    const log = endedStep('npx --yes concurrently@9 -n lint,typecheck "npm:lint" "npm:typecheck"', lintRun([]));
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, log[(top?.startLine ?? 0) - 1]]).toEqual(['eslint.error', '[lint] /home/runner/work/shop/shop/src/tax.js']);
  });
});

describe("attack 63 (gaps63): the script reader's cost on a hostile script line", () => {
  it.each([
    ["timeout's options without KILL", `timeout ${'--x '.repeat(26)}5 ./x`],
  ])('reads exit 137 under a long line of %s in linear time', async (_, line) => {
    // Prepare
    const log = endedStep(line, ['start'], 137).join('\n');
    // Act
    const started = performance.now();
    const analysis = await analyzeLog(log);
    // Assert: seconds before (each `--x` read two ways: `-` `-x` or `--` `x`), milliseconds now. (A long line of
    // `a=;a=;…`, quadratic before, is cut to the header's line length first: not reached from a log.)
    expect(analysis.category).toBe('out_of_memory');
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
