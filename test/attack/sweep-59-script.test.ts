import { type PassingRun, describePassingRuns } from '../support/passing-runs.js';

// Session 59's sweep of scripting-ecosystem and JavaScript tools (test/fixtures/gha-real-tools, test/unit/logs/
// script-tools-59.test.ts): the same tools' runs that pass, with their progress, warnings and test names, real output
// of the tools on this machine (the projects' paths rewritten to the runner's). None of them holds a failure.

/** A GitHub Actions step as the runner logs it: its script echoed in the header group, then what it printed. */
const PASSING_RUNS: PassingRun[] = [
  {
    name: 'node-tap 21 with no test failing (it exits 1 for want of coverage: `# No coverage generated`), a todo and a skipped test whose names say `failure` and `fails`',
    script: ['npx tap'],
    output: [
      'TAP version 14',
      '1..1',
      '# Subtest: test/a.test.js',
      '    # Subtest: adds',
      '        ok 1 - should be equal',
      '        ok 2 - expect no error thrown',
      '        1..2',
      '    ok 1 - adds # time=6.726ms',
      '    ',
      '    ok 2 - handles failure of the upstream service # TODO',
      '    ok 3 - fails over to the replica # SKIP',
      '    1..3',
      '    # time=18.575ms',
      'ok 1 - test/a.test.js # time=18.575ms',
      '',
      '# No coverage generated',
      '# { total: 4, pass: 2, todo: 1, skip: 1 }',
      '# time=2136.541ms',
    ],
  },
  {
    name: 'Karma 6.4 on headless Chromium passing: the progress reporter\'s `Executed 3 of 3 SUCCESS` lines and its INFO lines',
    script: ['npx karma start karma.conf.js'],
    output: [
      '\u001b[32m28 11 2026 16:07:40.214:INFO [karma-server]: \u001b[39mKarma v6.4.4 server started at http://localhost:9876/',
      '\u001b[32m28 11 2026 16:07:40.215:INFO [launcher]: \u001b[39mLaunching browsers ChromeHeadlessCI with concurrency unlimited',
      '\u001b[32m28 11 2026 16:07:40.219:INFO [launcher]: \u001b[39mStarting browser ChromeHeadless',
      '\u001b[32m28 11 2026 16:07:41.402:INFO [Chrome Headless 156.0.0.0 (Linux 0.0.0)]: \u001b[39mConnected on socket arewIYCqWP2brgJkAAAA with id 33568794',
      'Chrome Headless 156.0.0.0 (Linux 0.0.0): Executed 0 of 3 SUCCESS (0 secs / 0 secs)',
      '\u001b[1A\u001b[2KChrome Headless 156.0.0.0 (Linux 0.0.0): Executed 1 of 3 SUCCESS (0 secs / 0.005 secs)',
      '\u001b[1A\u001b[2KChrome Headless 156.0.0.0 (Linux 0.0.0): Executed 2 of 3 SUCCESS (0 secs / 0.005 secs)',
      '\u001b[1A\u001b[2KChrome Headless 156.0.0.0 (Linux 0.0.0): Executed 3 of 3 SUCCESS (0 secs / 0.005 secs)',
      '\u001b[1A\u001b[2KChrome Headless 156.0.0.0 (Linux 0.0.0): Executed 3 of 3 SUCCESS (0.014 secs / 0.005 secs)',
      'TOTAL: 3 SUCCESS',
    ],
  },
  {
    name: '@swc/cli compiling without a diagnostic',
    script: ['npx swc src -d lib'],
    output: [
      'Successfully compiled: 1 file with swc (50.73ms)',
    ],
  },
  {
    name: '@babel/cli compiling without an error',
    script: ['npx babel src --out-dir lib'],
    output: [
      'Successfully compiled 1 file with Babel (92ms).',
    ],
  },
  {
    name: 'size-limit within its budget (the same `Size limit:` and `Size:` lines, no `exceeded`)',
    script: ['npx size-limit'],
    output: [
      '  ',
      '  Size limit: \u001b[32m\u001b[1m10 kB\u001b[22m\u001b[39m',
      '  Size:       \u001b[32m\u001b[1m21 B \u001b[22m\u001b[39m \u001b[90mbrotlied\u001b[39m',
      '  ',
    ],
  },
  {
    name: '`npm publish --dry-run` without a token: npm warns that a real publish needs a login (`npm warn publish This command requires you to be logged in`), not ENEEDAUTH',
    script: ['npm publish --dry-run'],
    output: [
      'npm notice',
      'npm notice 📦  @acme/retry-fetch@3.1.0',
      'npm notice Tarball Contents',
      'npm notice 27B index.js',
      'npm notice 101B package.json',
      'npm notice Tarball Details',
      'npm notice name: @acme/retry-fetch',
      'npm notice version: 3.1.0',
      'npm notice filename: acme-retry-fetch-3.1.0.tgz',
      'npm notice package size: 234 B',
      'npm notice unpacked size: 128 B',
      'npm notice shasum: 7561177602a770fad2b17047c902b42466518cf6',
      'npm notice integrity: sha512-eF4DoXm18gNWf[...]qsT57pwJeKYXg==',
      'npm notice total files: 2',
      'npm notice',
      'npm warn publish This command requires you to be logged in to https://registry.npmjs.org/ (dry-run)',
      'npm notice Publishing to https://registry.npmjs.org/ with tag latest and default access (dry-run)',
      '+ @acme/retry-fetch@3.1.0',
    ],
  },
  {
    name: 'Composer 2.5 installing from a path repository, its warning about the missing curl extension first',
    script: ['composer install --no-interaction --no-progress'],
    output: [
      'Composer is operating significantly slower than normal because you do not have the PHP curl extension enabled.',
      'No composer.lock file present. Updating dependencies to latest instead of installing from lock file. See https://getcomposer.org/install for more information.',
      'Loading composer repositories with package information',
      'Updating dependencies',
      'Lock file operations: 1 install, 0 updates, 0 removals',
      '  - Locking monolog/monolog (3.5.0)',
      'Writing lock file',
      'Installing dependencies from lock file (including require-dev)',
      'Package operations: 1 install, 0 updates, 0 removals',
      '  - Installing monolog/monolog (3.5.0): Symlinking from ../../p/vendor-src/monolog',
      'Generating autoload files',
    ],
  },
  {
    name: 'Alembic 1.8 applying two migrations (its INFO lines)',
    script: ['alembic upgrade head'],
    output: [
      'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.',
      'INFO  [alembic.runtime.migration] Will assume non-transactional DDL.',
      'INFO  [alembic.runtime.migration] Running upgrade  -> 1a2b3c4d5e6f, create orders',
      'INFO  [alembic.runtime.migration] Running upgrade 1a2b3c4d5e6f -> 7c8d9e0f1a2b, add order status',
    ],
  },
  {
    name: 'nox running a unittest session that passes (`nox > Session tests was successful.`)',
    script: ['nox'],
    output: [
      'nox > Running session tests',
      'nox > python3 -m unittest -v',
      'test_fixed (tests.test_pricing.CouponTest.test_fixed) ... ok',
      'test_percent (tests.test_pricing.CouponTest.test_percent) ... ok',
      'test_zero (tests.test_pricing.CouponTest.test_zero) ... ok',
      '',
      '----------------------------------------------------------------------',
      'Ran 3 tests in 0.000s',
      '',
      'OK',
      'nox > Session tests was successful.',
    ],
  },
];

describePassingRuns("sweep 59: the scripting and JavaScript tools' passing runs", PASSING_RUNS);
