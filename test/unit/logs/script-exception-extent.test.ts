import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, refineCategory } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/toolchains');

/** The rule, first and last line of the first failure found in `log`. */
async function firstExtent(log: string | Buffer): Promise<[string | undefined, number | undefined, number | undefined]> {
  const first = (await analyzeLog(log)).failures[0];
  return [first?.rule, first?.startLine, first?.endLine];
}

/**
 * How far an uncaught exception's report reaches in PHP's and Ruby's own formats: the lines a person marks as the
 * failure, not only its first. Lines as php-cli 8.2 and ruby 3.1.2 printed them.
 */
describe("PHP's uncaught exception (`PHP Fatal error:  Uncaught …`)", () => {
  it('takes its stack trace, the previous exceptions (`Next …`) and the `thrown in` line, for each stream PHP wrote it to', async () => {
    // Act: log_errors wrote it to stderr as `PHP Fatal error:`, display_errors to stdout as `Fatal error:`.
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'php-uncaught-previous.log')));
    // Assert
    const fatal = analysis.failures.filter((f) => f.rule === 'php.fatal').flatMap((f) => [f, ...(f.repeats ?? [])]);
    expect(fatal.map((f) => [f.startLine, f.endLine])).toEqual([
      [33, 44],
      [46, 57],
    ]);
  });

  it('stops at the first line of none of its shapes', async () => {
    // Prepare
    const log = [
      '$ php bin/report.php',
      'PHP Fatal error:  Uncaught DivisionByZeroError: Division by zero in /app/bin/report.php:2',
      'Stack trace:',
      '#0 /app/bin/report.php(2): intdiv()',
      '#1 /app/bin/report.php(3): ratio()',
      '#2 {main}',
      '  thrown in /app/bin/report.php on line 2',
      'Generating coverage report',
      'Done.',
    ].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['php.fatal', 2, 7]);
  });

  it("takes a previous exception's `Next` line when the exception has no message", async () => {
    // Prepare: an empty message leaves `Next Class in file:line`, no colon after the class.
    const trace = ['Stack trace:', '#0 {main}'];
    const log = [
      ['$ php bin/report.php', 'PHP Fatal error:  Uncaught LogicException in /app/bin/report.php:2', ...trace, ''],
      ['Next RuntimeException in /app/bin/report.php:2', ...trace, '  thrown in /app/bin/report.php on line 2', 'Done.'],
    ].flat().join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['php.fatal', 2, 9]);
  });

  it("stops at BuildKit's next step under a `RUN` step's trace and its `ERROR:` line", async () => {
    // Prepare: `docker buildx build --progress=plain`; the reader drops the `#7 0.412 ` of the step's output, not
    // the `#7 ` of BuildKit's own lines. The step's `ERROR:` line is the failure's (as in docker-buildkit-run.log),
    // the next step's header and status are not.
    const log = [
      '#7 [3/4] RUN php bin/report.php',
      '#7 0.412 PHP Fatal error:  Uncaught DivisionByZeroError: Division by zero in /app/bin/report.php:2',
      '#7 0.412 Stack trace:',
      '#7 0.412 #0 /app/bin/report.php(2): intdiv()',
      '#7 0.412 #1 /app/bin/report.php(3): ratio()',
      '#7 0.412 #2 {main}',
      '#7 0.412   thrown in /app/bin/report.php on line 2',
      '#7 ERROR: process "/bin/sh -c php bin/report.php" did not complete successfully: exit code: 255',
      '#8 [web 2/3] RUN npm ci',
      '#8 CANCELED',
    ].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['php.fatal', 2, 8]);
  });
});

describe("Xdebug's stack trace under PHP's error (xdebug.mode=develop)", () => {
  it.each([
    // trigger_error(…, E_USER_ERROR): the error, then its table.
    ['an error', [
      'PHP Fatal error:  bad config in /app/bin/check.php on line 2',
      'PHP Stack trace:',
      'PHP   1. {main}() /app/bin/check.php:0',
      'PHP   2. f() /app/bin/check.php:3',
      "PHP   3. trigger_error($message = 'bad config', $error_level = 256) /app/bin/check.php:2",
      '',
      'Fatal error: bad config in /app/bin/check.php on line 2',
      '',
      'Call Stack:',
      '    0.0001     390296   1. {main}() /app/bin/check.php:0',
      '    0.0001     390296   2. f() /app/bin/check.php:3',
      "    0.0001     390296   3. trigger_error($message = 'bad config', $error_level = 256) /app/bin/check.php:2",
    ], [[2, 6], [8, 13]]],
    // An uncaught exception: PHP's own trace goes to the log; the display repeats the exception's line over the table.
    ['an uncaught exception, whose line it repeats first', [
      'PHP Fatal error:  Uncaught RuntimeException: report directory missing: out in /app/bin/report.php:3',
      'Stack trace:',
      '#0 /app/bin/report.php(5): run()',
      '#1 {main}',
      '  thrown in /app/bin/report.php on line 3',
      '',
      'Fatal error: Uncaught RuntimeException: report directory missing: out in /app/bin/report.php on line 3',
      '',
      'RuntimeException: report directory missing: out in /app/bin/report.php on line 3',
      '',
      'Call Stack:',
      '    0.0001     390456   1. {main}() /app/bin/report.php:0',
      '    0.0001     390456   2. run() /app/bin/report.php:5',
    ], [[2, 6], [8, 14]]],
  ])('takes the `Call Stack:` table display_errors prints under %s, for each stream', async (_, output, extents) => {
    // Prepare: php-cli 8.2 with Xdebug 3.2, -d display_errors=1 -d log_errors=1; a display's warning after it.
    const log = ['$ php bin/report.php', ...output, '', 'Warning: exit status 255 in /app/bin/ci.php on line 9'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: no line of either is a failure of its own.
    expect(analysis.failures.map((f) => f.rule)).toEqual(analysis.failures.map(() => 'php.fatal'));
    expect(analysis.failures.flatMap((f) => [f, ...(f.repeats ?? [])]).map((f) => [f.startLine, f.endLine])).toEqual(extents);
  });

  it('takes `PHP Stack trace:` and its `PHP   N. f() file:line` frames, which log_errors writes under the error', async () => {
    // Act / Assert: php-cli 8.2 with Xdebug 3.2, an exhausted memory limit.
    expect(await firstExtent(readFileSync(resolve(FIXTURES, 'php-xdebug-memory-exhausted.log')))).toEqual(['php.fatal', 33, 37]);
  });
});

/**
 * A Throwable's message of several lines (Guzzle's quotes the response's body, a message may end in a newline): PHP
 * prints it as it is, then ` in file:line` after its last line, then the stack trace. Lines as php-cli 8.2 printed
 * them (a ClientException thrown with Guzzle's message layout).
 */
describe("PHP's uncaught exception whose message has several lines", () => {
  it('takes the message down to ` in file:line`, the stack trace and the `thrown in` line', async () => {
    // Prepare
    const fatal = [
      'PHP Fatal error:  Uncaught ClientException: Client error: `GET https://api.github.com/repos/acme/shop/orders` resulted in a `404 Not Found` response:',
      '{',
      '  "message": "Not Found",',
      '  "documentation_url": "https://docs.github.com/rest"',
      '}',
      ' in /app/bin/fetch.php:6',
      'Stack trace:',
      '#0 /app/bin/fetch.php(8): fetch_orders()',
      '#1 {main}',
      '  thrown in /app/bin/fetch.php on line 6',
    ];
    // Act / Assert
    expect(await firstExtent(['$ php bin/fetch.php', ...fatal, 'Done.'].join('\n'))).toEqual(['php.fatal', 2, 11]);
  });

  it('takes a message whose last line holds the place it was thrown at', async () => {
    // Act / Assert
    expect(await firstExtent(['$ php bin/multi.php', 'PHP Fatal error:  Uncaught Exception: cannot read /etc/app/settings.ini:', 'file_get_contents(): failed to open stream in /app/bin/multi.php:3', 'Stack trace:', '#0 /app/bin/multi.php(5): load()', '#1 {main}', '  thrown in /app/bin/multi.php on line 3', 'Done.'].join('\n'))).toEqual(['php.fatal', 2, 7]);
  });

  it.each([['text', false], ['bytes', true]])("takes a chained exception's message of several lines too, in a workspace whose path has a space (%s)", async (_, asBytes) => {
    // Prepare: php-cli 8.2, log_errors; a LogicException thrown with the ClientException as its previous. The path's
    // space leaves ` in …:4` unread as the place: `Stack trace:` ends the message.
    const workspace = '/var/lib/jenkins/workspace/Shop Build/bin';
    const log = [
      '$ php "bin/chain.php"',
      'PHP Fatal error:  Uncaught RuntimeException: Client error: `GET https://api.example.com/orders` resulted in a `404 Not Found` response:',
      '{"message": "Not Found"}',
      ` in ${workspace}/chain.php:4`,
      'Stack trace:',
      `#0 ${workspace}/chain.php(9): fetch_orders()`,
      '#1 {main}',
      '',
      'Next LogicException: orders unavailable:',
      `retry later in ${workspace}/chain.php:6`,
      'Stack trace:',
      `#0 ${workspace}/chain.php(9): fetch_orders()`,
      '#1 {main}',
      `  thrown in ${workspace}/chain.php on line 6`,
      "Build step 'Execute shell' marked build as failure",
    ].join('\n');
    // Act / Assert
    expect(await firstExtent(asBytes ? Buffer.from(log) : log)).toEqual(['php.fatal', 2, 14]);
  });

  it("opens a message only on PHP's own headline (`Uncaught Class: …`), so a program's line of its own runs into nothing", async () => {
    // Prepare: a program's `PHP Fatal error:  Uncaught …` in its own words (no class, no place), then another failure
    // in the same step.
    const log = [
      '$ ./run-workers.sh',
      'PHP Fatal error:  Uncaught exception in worker, see worker.log',
      'Traceback (most recent call last):',
      '  File "/app/scripts/report.py", line 1, in <module>',
      '    import yaml',
      "ModuleNotFoundError: No module named 'yaml'",
      'Done.',
    ].join('\n');
    // Act
    const found = (await analyzeLog(log)).failures.map((failure) => [failure.rule, failure.startLine, failure.endLine]);
    // Assert
    expect(found).toContainEqual(['python.traceback', 3, 6]);
    expect(found.find(([rule]) => rule === 'php.fatal')?.[2]).toBe(2);
  });

  it("stops under a headline that ends at a place PHP threw at, as before", async () => {
    // Prepare: the next line is the job's own output, not the message's.
    const fatal = 'PHP Fatal error:  Uncaught Exception: cannot read /etc/app/settings.ini in /app/bin/plain.php:3';
    // Act / Assert
    expect(await firstExtent(['$ php bin/plain.php', fatal, 'Uploading artifacts', 'Done.'].join('\n'))).toEqual(['php.fatal', 2, 2]);
  });
});

/**
 * Collision's rendering of an uncaught exception, as its Writer.php lays it out (nunomaduro/collision at 05cebb85;
 * no Composer here to run it): the class padded by its title's spaces, a blank line, the message two spaces in.
 */
describe("collision's exception title", () => {
  it('takes the title and the message of an exception rendered without its code (Symfony\'s CommandNotFoundException)', async () => {
    // Prepare
    const title = '   Symfony\\Component\\Console\\Exception\\CommandNotFoundException ';
    // Act
    const found = await firstExtent(['$ php artisan db:sead', '', title, '', '  Command "db:sead" is not defined.', '', 'Error: Process completed with exit code 1.'].join('\n'));
    // Assert
    expect(found).toEqual(['php.collision', 3, 5]);
  });

  it.each([
    ['two spaces in (a title without its padding)', '  Symfony\\Component\\Console\\Exception\\CommandNotFoundException '],
    ['its trailing space trimmed by the log', '   Symfony\\Component\\Console\\Exception\\CommandNotFoundException'],
  ])('takes a title %s, and shows the message first', async (_, title) => {
    // Act
    const first = (await analyzeLog(['$ php artisan db:sead', '', title, '', '  Command "db:sead" is not defined.', '', 'Error: Process completed with exit code 1.'].join('\n'))).failures[0];
    // Assert
    expect([first?.rule, first?.startLine, first?.endLine, first?.lines[0]?.line]).toEqual(['php.collision', 3, 5, 5]);
  });

  it('reads no title in a word alone between spaces', async () => {
    // Act
    const found = await firstExtent(['$ ./deploy.sh', '', '   Done ', '', '  2 files uploaded', 'Error: Process completed with exit code 1.'].join('\n'));
    // Assert
    expect(found[0]).not.toBe('php.collision');
  });
});

/**
 * PHPUnit prints a character per test and no newline until the row is full, so a fatal error that ends the run
 * stands on the progress line, after `..E`: log_errors writes `PHP Fatal error:  …` there (stderr), display_errors
 * starts its copy on a line of its own. Lines as Debian's phpunit 9.6.7 under php-cli 8.2 printed them.
 */
describe("PHP's fatal error on PHPUnit's progress line", () => {
  it('reads the log_errors copy after the progress characters', async () => {
    // Prepare: -d memory_limit=32M, log_errors only.
    const progress = '..EPHP Fatal error:  Allowed memory size of 33554432 bytes exhausted (tried to allocate 20480 bytes) in /app/tests/ImportTest.php on line 12';
    const header = ['$ vendor/bin/phpunit', 'PHPUnit 9.6.7 by Sebastian Bergmann and contributors.', ''];
    // Act / Assert
    expect(await firstExtent([...header, progress, 'Error: Process completed with exit code 255.'].join('\n'))).toEqual(['php.fatal', 4, 4]);
  });

  it('reads it first when display_errors repeats it on a line of its own', async () => {
    // Act / Assert
    expect(await firstExtent(readFileSync(resolve(FIXTURES, 'phpunit-fatal-after-progress.log')))).toEqual(['php.fatal', 35, 35]);
  });

  it('reads no error in a progress row, nor after letters no progress row prints', async () => {
    // Prepare
    const row = '....................................................  52 / 120 ( 43%)';
    const word = 'OKPHP Fatal error:  Allowed memory size of 33554432 bytes exhausted (tried to allocate 20480 bytes) in /app/x.php on line 3';
    // Act
    const rules = await Promise.all([row, word].map(async (line) => (await firstExtent(['$ vendor/bin/phpunit', line, 'Done.'].join('\n')))[0]));
    // Assert
    expect(rules).not.toContain('php.fatal');
  });
});

describe("Ruby's uncaught exception in `ruby -e` code", () => {
  it('reads `-e:1:in …` as a file\'s line and takes its `\tfrom -e:N:in …` frames', async () => {
    // Act / Assert: ruby 3.1.2.
    expect(await firstExtent(readFileSync(resolve(FIXTURES, 'ruby-e-uncaught.log')))).toEqual(['ruby.exception', 33, 35]);
  });

  it.each([
    ['Ruby 3.1\'s backtick', "-e:1:in `<main>': boom (RuntimeError)"],
    ['Ruby 3.4\'s quote', "-e:1:in '<main>': boom (RuntimeError)"],
  ])('reads a `raise` in top-level code with %s', async (_, exception) => {
    // Act / Assert
    expect(await firstExtent(['$ ruby -e \'raise "boom"\'', exception, 'Done.'].join('\n'))).toEqual(['ruby.exception', 2, 2]);
  });

  it("takes error_highlight's code line and carets under one", async () => {
    // Prepare: ruby 3.1.2, `ruby -e 'Billing = 1; Billing.total'`.
    const log = ['$ ruby -e \'Billing = 1; Billing.total\'', "-e:1:in `<main>': undefined method `total' for 1:Integer (NoMethodError)", '', 'Billing = 1; Billing.total', '                    ^^^^^^', 'Done.'].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.exception', 2, 5]);
  });
});

/**
 * Ruby names a file it loaded by its path, whatever the name: a Rakefile, a `bin/setup` script without an extension
 * (a Gemfile, a `.gemspec`, a `config.ru` too). Lines as ruby 3.1.2 and rake 13.0.6 printed them.
 */
describe('a Ruby backtrace through files not named .rb', () => {
  it("reads a script's uncaught exception and takes its `\\tfrom` frames", async () => {
    // Prepare: `bin/setup`, a Ruby script run by its shebang.
    const log = ['$ bin/setup', 'bin/setup:3:in `fetch\': key not found: "DATABASE_URL" (KeyError)', "\tfrom bin/setup:3:in `require_env'", "\tfrom bin/setup:6:in `<main>'", 'Done.'].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.exception', 2, 4]);
  });

  it("reads a rake task's rescued error over the Rakefile's frames as Ruby's", async () => {
    // Prepare: the task prints "#{e.class}: #{e.message}" and e.backtrace.first(2), then exits 1.
    const log = ['$ bundle exec rake release', 'ArgumentError: no release tag given', "/app/Rakefile:2:in `block in release_tag'", "/app/Rakefile:2:in `fetch'", 'Done.'].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.bare-exception', 2, 4]);
  });

  it("reads an exception raised in Ruby's own code (`<internal:kernel>`, ruby 3.1.2's `ruby -e 'Float(\"x\")'`)", async () => {
    // Prepare
    const log = ['$ ruby -e \'Float("x")\'', '<internal:kernel>:173:in `Float\': invalid value for Float(): "x" (ArgumentError)', "\tfrom -e:1:in `<main>'", 'Done.'].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.exception', 2, 3]);
  });

  it('reads a script on a Windows runner, its path after a drive letter (Ruby writes `/`)', async () => {
    // Prepare
    const log = ['> bin/setup', 'D:/a/shop/shop/bin/setup:3:in `fetch\': key not found: "DATABASE_URL" (KeyError)', "\tfrom D:/a/shop/shop/bin/setup:6:in `<main>'", 'Done.'].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.exception', 2, 3]);
  });
});

describe("Ruby's uncaught exception with error_highlight's code and caret lines", () => {
  it('takes the code line at column 0, its carets and the `\\tfrom` frames under them', async () => {
    // Act / Assert: the script's stdout under the frames is not the failure's.
    expect(await firstExtent(readFileSync(resolve(FIXTURES, 'ruby-nomethoderror-highlight.log')))).toEqual(['ruby.exception', 33, 38]);
  });

  it('takes the code and carets of an error in the top-level code, which has no frames', async () => {
    // Prepare: a NameError at column 0 puts its carets there too.
    const log = [
      '$ ruby bin/report.rb',
      "bin/report.rb:3:in `<main>': undefined local variable or method `report_total' for main:Object (NameError)",
      '',
      'report_total',
      '^^^^^^^^^^^^',
      'Report written.',
    ].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.exception', 2, 5]);
  });

  it('takes no line after a blank line under an exception error_highlight does not mark', async () => {
    // Prepare: `raise` in top-level code prints no code line; the blank line and what follows are the job's.
    const exception = "bin/report.rb:3:in `<main>': report directory missing: out (RuntimeError)";
    const gitlabJobEnd = ['Cleaning up project directory and file based variables', 'ERROR: Job failed: exit code 1'];
    const log = ['$ ruby bin/report.rb', exception, '', ...gitlabJobEnd].join('\n');
    // Act / Assert
    expect(await firstExtent(log)).toEqual(['ruby.exception', 2, 2]);
  });
});

describe('a step that runs a command through a launcher (`bundle exec rake`)', () => {
  it.each([
    ['Run bundle exec rake', 'unknown'],
    ['Run bundle exec rake spec', 'test_failure'],
    ['Run bundle exec rspec', 'test_failure'],
    ['Run bundle exec rubocop', 'lint'],
    ['Run bundle exec jekyll build', 'compilation'],
    ['Run composer run-script build', 'compilation'],
    ['Run conda run -n ci python setup.py build', 'compilation'],
  ] as const)('takes the hint from the command it runs: %s', (title, category) => {
    // Act / Assert
    expect(refineCategory('Process exited with 1', 'unknown', title)).toBe(category);
  });

  it.each([
    ['Run bundle install', 'dependency'],
    ['Run bundle', 'dependency'],
    ['Run composer install', 'dependency'],
    ['Run npx tsc --noEmit', 'compilation'],
    ['Run poetry run pytest', 'test_failure'],
  ] as const)('keeps the hint of the launcher\'s own work: %s', (title, category) => {
    // Act / Assert
    expect(refineCategory('Process exited with 1', 'unknown', title)).toBe(category);
  });
});
