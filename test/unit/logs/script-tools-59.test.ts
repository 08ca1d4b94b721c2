import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * Session 59's scripting-ecosystem and JavaScript tools, each excerpt cut from a real run on this machine other than
 * the one in test/fixtures/gha-real-tools (another project, another fault, the same tool and version): the report
 * lines each format's rule must list, and the first line it shows.
 */
describe("session 59's scripting-ecosystem and JavaScript tools", () => {
  it("reads test-unit's `Failure: test_name(Class)` report (no message on the line) with its location and values", async () => {
    // Prepare
    const log = [
      'Loaded suite test/slug_test',
      'Started',
      '.F',
      '===============================================================================',
      'Failure: test_joins_words(SlugTest)',
      "test/slug_test.rb:7:in `test_joins_words'",
      '      4:   def slug(s) = s.downcase.tr(" ", "-")',
      '      5: ',
      '      6:   def test_joins_words',
      '  =>  7:     assert_equal("hello-world", slug("Hello  World"))',
      '      8:   end',
      '<"hello-world"> expected but was',
      '<"hello--world">',
      '',
      'diff:',
      '? hello--world',
      '===============================================================================',
      '',
      'Finished in 0.004545556 seconds.',
      '-------------------------------------------------------------------------------',
      '2 tests, 2 assertions, 1 failures, 0 errors, 0 pendings, 0 omissions, 0 notifications',
      '50% passed',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(analysis.category).toBe('test_failure');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 10, 12, 13]));
  });

  it("reads test-unit's `Error: test_name(Class): Class: message` under `rake test` as the failure, not `rake aborted!` after it", async () => {
    // Prepare
    const log = [
      'Started',
      'E',
      '===============================================================================',
      'Error: test_region(ConfigTest): KeyError: key not found: "region"',
      "/home/runner/work/app/app/test/cfg_test.rb:5:in `fetch'",
      "/home/runner/work/app/app/test/cfg_test.rb:5:in `test_region'",
      '     4:     config = { "zone" => "eu-west-1a" }',
      '  => 5:     assert_equal("eu-west-1", config.fetch("region"))',
      '     6:   end',
      '===============================================================================',
      '',
      'Finished in 0.000761996 seconds.',
      '-------------------------------------------------------------------------------',
      '1 tests, 0 assertions, 0 failures, 1 errors, 0 pendings, 0 omissions, 0 notifications',
      '0% passed',
      'rake aborted!',
      'Command failed with status (1)',
      '',
      'Tasks: TOP => test',
      '(See full trace by running task with --trace)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(analysis.category).toBe('test_failure');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 6, 8]));
  });

  it("reads swc's diagnostics in miette's ASCII frame (`  x message` over `   ,-[file:line:col]`), each one, before the CLI's closing `Error: Failed to compile:`", async () => {
    // Prepare
    const log = [
      '  x Unexpected token `numeric literal`. Expected ... , *,  (, [, :, , ?, = or an identifier',
      '   ,-[src/b.js:3:1]',
      ' 1 | const x = {',
      ' 2 |   a: 1,',
      ' 3 |   b 2',
      '   :     ^',
      ' 4 | };',
      '   `----',
      '',
      '',
      'Caused by:',
      '    Syntax Error',
      '  x Unterminated string constant',
      '   ,-[src/a.js:1:1]',
      ' 1 | export const greeting = "hello;',
      '   :                         ^^^^^^^',
      ' 2 | export const n = 1;',
      '   `----',
      '',
      '',
      'Caused by:',
      '    Syntax Error',
      'Failed to compile 2 files with swc.',
      'Error: Failed to compile:',
      'src/a.js',
      'src/b.js',
      '    at initialCompilation (/home/runner/work/app/app/node_modules/@swc/cli/lib/swc/dir.js:168:23)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 2, 5, 13, 14, 15]));
  });

  it('does not read a line of x marks or a list item starting with `x ` as a miette diagnostic without its frame under it', async () => {
    // Prepare
    const log = ['Checklist:', '  x deploy docs', '  x bump version', 'done'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.some((f) => f.rule === 'miette.ascii-error')).toBe(false);
  });

  it("reads npm's ENEEDAUTH (a publish without a registry token) as the pipeline's configuration, past the tarball's notices", async () => {
    // Prepare
    const log = [
      'npm notice',
      'npm notice 📦  @acme/left-pad@2.0.1',
      'npm notice Tarball Contents',
      'npm notice 1.1kB index.js',
      'npm notice package size: 612 B',
      'npm notice total files: 2',
      'npm notice',
      'npm error code ENEEDAUTH',
      'npm error need auth This command requires you to be logged in to https://registry.npmjs.org/',
      'npm error need auth You need to authorize this machine using `npm adduser`',
      'npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2026-11-28T15_53_42_774Z-debug-0.log',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(8);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([8, 9]));
    expect(analysis.category).toBe('configuration');
  });

  it("takes Composer's `Your lock file does not contain a compatible set of packages` into the platform problems under it", async () => {
    // Prepare
    const log = [
      'Installing dependencies from lock file (including require-dev)',
      'Verifying lock file contents can be installed on current platform.',
      'Your lock file does not contain a compatible set of packages. Please run composer update.',
      '',
      '  Problem 1',
      "    - Root composer.json requires PHP extension ext-gmp * but it is missing from your system. Install or enable PHP's gmp extension.",
      '  Problem 2',
      "    - Root composer.json requires PHP extension ext-redis * but it is missing from your system. Install or enable PHP's redis extension.",
      '',
      'To enable extensions, verify that they are enabled in your .ini files:',
      '    - /etc/php/8.2/cli/php.ini',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(analysis.category).toBe('dependency');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6, 7, 8]));
  });

  it("reads Bundler's GemNotFound raised under `bundle exec` (no terminal: the exception and its frames) as a dependency's, even when a gem it names is an assertion library (power_assert)", async () => {
    // Prepare
    const log = [
      '##[group]Run bundle exec rake test',
      'bundle exec rake test',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      "/opt/hostedtoolcache/Ruby/3.2.4/x64/lib/ruby/3.2.0/bundler/definition.rb:540:in `materialize': Could not find test-unit-3.6.1, power_assert-2.0.3 in any of the sources (Bundler::GemNotFound)",
      "\tfrom /opt/hostedtoolcache/Ruby/3.2.4/x64/lib/ruby/3.2.0/bundler/definition.rb:197:in `specs'",
      "\tfrom /opt/hostedtoolcache/Ruby/3.2.4/x64/lib/ruby/3.2.0/bundler/runtime.rb:18:in `setup'",
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(analysis.category).toBe('dependency');
  });

  it("reads size-limit's `Package size limit has exceeded by …` with the entry's name above it and its limit and size below", async () => {
    // Prepare
    const log = [
      '  ',
      '  dist/chart.js',
      '  Package size limit has exceeded by 2.93 kB',
      '  Size limit: 2 kB',
      '  Size:       4.93 kB brotlied',
      '  ',
      '  dist/chart-core.js',
      '  Size limit: 10 kB',
      '  Size:       27 B  brotlied',
      '  ',
      '  Try to reduce size or increase limit in "size-limit" section of package.json',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(analysis.category).toBe('lint');
    const lines = predictionLines(analysis);
    expect(lines).toEqual(expect.arrayContaining([2, 3, 4, 5]));
    expect(lines).not.toContain(8);
  });

  it("reads size-limit's report of a single entry, which has no name line above it", async () => {
    // Prepare
    const log = [
      '  ',
      '  Package size limit has exceeded by 2.36 kB',
      '  Size limit: 1 kB',
      '  Size:       3.36 kB gzipped',
      '  ',
      '  Try to reduce size or increase limit in "size-limit" section of package.json',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4]));
  });

  it("lists under Composer's `Problem 1` a PHP version the lock file's platform does not satisfy (a line without an error word)", async () => {
    // Prepare
    const log = [
      'Installing dependencies from lock file (including require-dev)',
      'Verifying lock file contents can be installed on current platform.',
      'Your lock file does not contain a compatible set of packages. Please run composer update.',
      '',
      '  Problem 1',
      '    - Root composer.json requires php ^8.4 but your php version (8.2.36) does not satisfy that requirement.',
      '',
      '##[error]Process completed with exit code 2.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6]));
  });

  it("lists babel's code frame whole under its SyntaxError, the `>` line at fault included (its marker at the line's start)", async () => {
    // Prepare
    const log = [
      'SyntaxError: /home/runner/work/app/app/src/b.js: Unexpected token, expected "," (3:4)',
      '',
      '\u001b[0m \u001b[90m 1 |\u001b[39m \u001b[36mconst\u001b[39m x \u001b[33m=\u001b[39m {',
      ' \u001b[90m 2 |\u001b[39m   a\u001b[33m:\u001b[39m \u001b[35m1\u001b[39m\u001b[33m,\u001b[39m',
      '\u001b[31m\u001b[1m>\u001b[22m\u001b[39m\u001b[90m 3 |\u001b[39m   b \u001b[35m2\u001b[39m',
      ' \u001b[90m   |\u001b[39m     \u001b[31m\u001b[1m^\u001b[22m\u001b[39m',
      ' \u001b[90m 4 |\u001b[39m }\u001b[33m;\u001b[39m',
      '    at constructor (/home/runner/work/app/app/node_modules/@babel/parser/lib/index.js:369:19)',
      '    at Parser.raise (/home/runner/work/app/app/node_modules/@babel/parser/lib/index.js:6643:19)',
      "  code: 'BABEL_PARSE_ERROR',",
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 5, 6]));
  });

  it("lists SQLAlchemy's `[SQL: …]` line under the DBAPI error that ends a traceback (an Alembic migration's)", async () => {
    // Prepare
    const log = [
      'INFO  [alembic.runtime.migration] Running upgrade 1a2b3c4d5e6f -> 7c8d9e0f1a2b, add order status',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/migrations/versions/7c8d9e0f1a2b_add_order_status.py", line 14, in upgrade',
      '    op.create_index("ix_status", "orders", ["status"])',
      '  File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/site-packages/sqlalchemy/engine/default.py", line 736, in do_execute',
      '    cursor.execute(statement, parameters)',
      'sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such column: status',
      '[SQL: CREATE INDEX ix_status ON orders (status)]',
      '(Background on this error at: https://sqlalche.me/e/14/e3q8)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 7, 8]));
  });

  it("does not read a warning miette draws in ASCII (`  ! message` over the same frame) as an error", async () => {
    // Prepare: miette's ASCII theme (src/handlers/theme.rs) marks an error `x`, a warning `!`, an advice `>`.
    const log = [
      '  ! Unused variable `total`',
      '   ,-[src/cart.js:3:7]',
      ' 2 | export function sum(items) {',
      ' 3 |   const total = 0;',
      '   :         ^^^^^',
      ' 4 |   return items.length;',
      '   `----',
      'Successfully compiled: 2 files with swc (80.12ms)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.some((f) => f.rule === 'miette.ascii-error')).toBe(false);
  });

  it("does not read a program's `Error: message (Name)` as test-unit's report: test-unit's names start with `test`", async () => {
    // Prepare
    const log = ['Connecting to the staging database', 'Error: could not reach the database (Postgres)', 'retrying in 5s'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.some((f) => f.rule === 'minitest.failed')).toBe(false);
  });
});
