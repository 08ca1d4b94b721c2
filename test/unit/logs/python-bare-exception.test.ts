import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog } from '../../../shared/logs/index.js';
import { LANGUAGE_TWINS, RULES } from '../../../shared/logs/rules.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

/** Real tools' output, wrapped in a GitHub Actions job (see test/fixtures/toolchains/index.json). */
const TOOLCHAINS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/toolchains');

/**
 * A Python exception's line without Python's `Traceback (most recent call last):` above it: a log cut above the
 * traceback, a runner printing only its last line (papermill's message on Kaggle, `Exception encountered at "In
 * [10]":` over `ValueError: …`). Its name is Python's, not Node's: the rule (and the tool the offline analysis reads
 * from its id) says Python. The names both languages have (`TypeError`) are Python's when the message has the shape
 * of CPython's own (`unsupported operand type(s) for +: 'int' and 'str'`, `'NoneType' object is not subscriptable`),
 * Node's otherwise (`Cannot read properties of undefined (reading 'map')`).
 */
const run = (...lines: string[]): string => [...lines, 'Error: Process completed with exit code 1.', ''].join('\n');

/** WebAssembly traps as V8, SpiderMonkey and JavaScriptCore word them: Node's `RuntimeError`s, not Python's. */
const WASM_TRAPS = [
  'RuntimeError: unreachable executed',
  'RuntimeError: remainder by zero',
  'RuntimeError: float unrepresentable in integer range',
  'RuntimeError: operation does not support unaligned accesses',
  'RuntimeError: dereferencing a null pointer',
  'RuntimeError: function signature mismatch',
  'RuntimeError: Unreachable code should not be executed',
  "RuntimeError: Out of bounds memory access (evaluating 'instance.exports.run()')",
];
const WASM_FRAME = '    at wasm://wasm/0012a3f6:wasm-function[17]:0x1c3';

describe('a Python exception line without its traceback', () => {
  afterEach(restoreFastPaths);

  it.each([
    // A log whose traceback's head was cut: the last frame's code and caret, then the exception.
    ['a cut traceback', run('$ python scripts/report.py', '    return self._engine.get_loc(casted_key)', '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^', "KeyError: 'amount'"), 4],
    // papermill's message as Kaggle's log keeps it: the exception alone under the cell's number.
    ['papermill\'s message alone', run('$ papermill report.ipynb out.ipynb', 'papermill.exceptions.PapermillExecutionError:', 'Exception encountered at "In [10]":', '', 'ValueError: Missing declared input path: headways.parquet'), 5],
    ['a builtin name', run('$ python -m build_index', "AttributeError: 'NoneType' object has no attribute 'group'"), 2],
    ['a TypeError in CPython\'s words', run('$ python -m build_index', "TypeError: unsupported operand type(s) for +: 'int' and 'str'"), 2],
    ['a TypeError on an object CPython names', run('$ python -m build_index', "TypeError: 'NoneType' object is not subscriptable"), 2],
    ['a call CPython reports', run('$ python -m build_index', 'TypeError: total() missing 1 required positional argument: \'prices\''), 2],
    ['a RuntimeError (torch\'s)', run('$ python train.py', 'RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!'), 2],
  ])('%s is Python\'s', async (_, log, exceptionLine) => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]).toMatchObject({ rule: 'python.exception', startLine: exceptionLine });
  });

  it.each([
    ['a TypeError in V8\'s words', run('$ node build.js', "TypeError: Cannot read properties of undefined (reading 'map')", '    at render (/home/runner/work/app/app/build.js:4:20)', '    at Object.<anonymous> (/home/runner/work/app/app/build.js:9:1)')],
    ['a call V8 reports', run('$ node build.js', 'TypeError: items.map is not a function', '    at render (/home/runner/work/app/app/build.js:4:20)')],
    ['something not iterable, in V8\'s words', run('$ node build.js', 'TypeError: prices is not iterable', '    at total (/home/runner/work/app/app/cart.js:2:21)')],
    ['a WebAssembly trap', run('$ node run-wasm.js', 'RuntimeError: unreachable', '    at wasm://wasm/0012a3f6:wasm-function[17]:0x1c3')],
    ...WASM_TRAPS.map((trap): [string, string] => [`${trap} (a WebAssembly trap in V8's, SpiderMonkey's or JavaScriptCore's words)`, run('$ node run-wasm.js', trap, WASM_FRAME)]),
    ['a TypeError in SpiderMonkey\'s words (Firefox)', run('$ npx playwright test --project=firefox', 'TypeError: can\'t access property "id", user is undefined', '    at getName (http://localhost:3000/src/user.js:12:5)')],
    ['a ReferenceError', run('$ node build.js', 'ReferenceError: prices is not defined', '    at total (/home/runner/work/app/app/cart.js:2:21)')],
  ])('%s stays Node\'s', async (_, log) => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]).toMatchObject({ rule: 'node.exception', startLine: 2 });
  });

  it('a name Python\'s builtins have, thrown by Node, keeps the source line and caret Node prints above it', async () => {
    // Prepare: a JavaScript class named like Python's builtin, uncaught: Node prints where it was thrown first.
    const log = run('$ node build.js', 'file:///home/runner/work/app/app/src/exporters/index.js:14', '    throw new NotImplementedError(`exporter ${name}`)', '          ^', '',
      'NotImplementedError: exporter parquet', '    at getExporter (file:///home/runner/work/app/app/src/exporters/index.js:14:11)');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]).toMatchObject({ startLine: 2, endLine: 7 });
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    const log = run('$ python -m build_index', "KeyError: 'amount'", "TypeError: 'int' object is not iterable", "TypeError: Cannot read properties of undefined (reading 'map')");
    // Act
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    // Assert
    expect(fast).toEqual(everyLine);
    expect(everyLine.length).toBeGreaterThan(0);
  });
});

describe('a Python exception named by its module, without its traceback', () => {
  it.each([
    ['json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)'],
    ['botocore.exceptions.ClientError: An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id app does not exist'],
  ])('%s is Python\'s, not Java\'s', async (exception) => {
    // Act
    const analysis = await analyzeLog(run('$ python deploy.py', exception));
    // Assert
    expect(analysis.failures[0]).toMatchObject({ rule: 'python.module-exception', startLine: 2 });
  });

  it.each([
    ['org.opentest4j.AssertionFailedError: expected: <1> but was: <2>'],
    ['java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory'],
    ['kotlin.NotImplementedError: An operation is not implemented.'],
    ['dotty.tools.dotc.core.TypeError: Cyclic reference involving val x'],
  ])('%s stays Java\'s', async (exception) => {
    // Act
    const analysis = await analyzeLog(run('$ ./gradlew test', exception, '\tat com.example.AppTest.total(AppTest.java:12)'));
    // Assert
    expect(analysis.failures[0]).toMatchObject({ rule: 'java.exception', startLine: 2 });
  });
});

/**
 * Ruby's and PHP's builtins have Python's names (`RuntimeError`, `KeyError`, `ValueError`), and a JVM package may have
 * any root: the lines under the exception's say whose it is. Lines as ruby 3.1.2, php-cli 8.2 and java 17 printed
 * them (test/fixtures/toolchains: ruby-rescue-backtrace.log, php-throwable-tostring.log,
 * java-printstacktrace-custom-root.log); Ruby 3.4's frames as its NEWS words them (`'Billing.currency!'`, quoted
 * with `'`, not a backtick).
 */
describe("an exception named like Python's, with another language's frames under it", () => {
  afterEach(restoreFastPaths);

  it.each([
    ['Ruby 3.1\'s backtrace, printed by a rescue', run('$ ruby bin/report.rb', 'RuntimeError: unsupported currency: XYZ', "/home/runner/work/billing/billing/lib/invoice.rb:14:in `currency!'", "bin/report.rb:3:in `<main>'"), 'ruby.bare-exception', 4],
    ['Ruby 3.4\'s backtrace', run('$ ruby bin/report.rb', 'KeyError: key not found: :amount', "/app/lib/invoice.rb:6:in 'Hash#fetch'", "bin/report.rb:2:in '<main>'"), 'ruby.bare-exception', 4],
    ['Minitest\'s indented frames', run('$ ruby test/test_invoice.rb', 'KeyError: key not found: :amount', "    /app/lib/invoice.rb:6:in `fetch'", "    test/test_invoice.rb:5:in `test_total'"), 'ruby.bare-exception', 4],
    ['PHP\'s Throwable::__toString', run('$ php bin/report.php', 'ValueError: port must be an integer, got "80a" in /app/bin/report.php:7', 'Stack trace:', '#0 /app/bin/report.php(13): parse_port()', '#1 {main}'), 'php.bare-exception', 2],
    ['JVM frames under a package rooted in de.', run('$ java -cp out de.acme.billing.Invoice', 'de.acme.billing.InvoiceError: total unreadable: [12, 7.50]', '\tat de.acme.billing.Invoice.total(Invoice.java:16)', 'Caused by: java.lang.NumberFormatException: For input string: "7.50"', '\tat java.base/java.lang.Long.parseLong(Long.java:711)', '\t... 1 more'), 'java.exception', 6],
    ['Kotlin frames under a package rooted in app.', run('$ ./gradlew run', 'app.billing.LedgerError: ledger closed', '\tat app.billing.Ledger.post(Ledger.kt:41)', '\tat app.MainKt.main(Main.kt:7)'), 'java.exception', 4],
  ])('%s names that language, with the same extent', async (_, log, rule, endLine) => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]).toMatchObject({ rule, startLine: 2, endLine });
  });

  it.each([
    ['Node\'s frames', run('$ python deploy.py', 'app.config.SettingsError: missing DATABASE_URL', '    at load (/app/config.js:3:9)'), 'python.module-exception'],
    ['no frames', run('$ python report.py', 'KeyError: \'amount\''), 'python.exception'],
  ])('with %s stays Python\'s', async (_, log, rule) => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe(rule);
  });

  it.each([
    ['ruby-rescue-backtrace.log', 'ruby.bare-exception'],
    ['php-throwable-tostring.log', 'php.bare-exception'],
    ['java-printstacktrace-custom-root.log', 'java.exception'],
  ])('%s names the same language with the line filter on from the first line (frames taken unread)', async (file, rule) => {
    // Prepare
    const log = readFileSync(resolve(TOOLCHAINS, file));
    // Act
    const { everyLine, fast } = await failuresBothWays(log);
    // Assert
    expect(fast).toEqual(everyLine);
    expect(fast[0]).toMatchObject({ rule });
  });

  it('stays Python\'s when the JVM frames stand past a blank line: a Java exception quoting a Python worker\'s traceback', async () => {
    // Prepare: java 17 printing an exception whose message is python 3.11's stderr, ending in its newline (the shape
    // of Spark's PythonException); the frames under the blank line are the Java exception's, not the JSONDecodeError's.
    const log = readFileSync(resolve(TOOLCHAINS, 'java-python-worker-traceback.log'));
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([['java.exception', 33], ['python.module-exception', 48]]);
  });

  it.each([
    // ruby 3.1.2: a rescue printing "#{e.class}: #{e.message}" and e.backtrace, for Ruby's builtins named like none of
    // Python's (Node's rule takes any `…Error:`).
    ['Ruby\'s NoMethodError', run('$ ruby bin/report.rb', 'NoMethodError: undefined method `upcase\' for nil:NilClass', "bin/report.rb:7:in `block in <main>'", "bin/report.rb:2:in `report'"), 'ruby.bare-exception', 4],
    ['Ruby\'s ArgumentError', run('$ ruby bin/report.rb', 'ArgumentError: invalid value for Integer(): "80a"', "bin/report.rb:8:in `Integer'", "bin/report.rb:8:in `block in <main>'"), 'ruby.bare-exception', 4],
    // php-cli 8.2: Throwable::__toString of its builtins named like none of Python's.
    ['PHP\'s TypeError', run('$ php bin/report.php', 'TypeError: port(): Argument #1 ($p) must be of type int, string given, called in /app/bin/report.php on line 6 and defined in /app/bin/report.php:2', 'Stack trace:', '#0 /app/bin/report.php(6): port()', '#1 {main}'), 'php.bare-exception', 2],
    ['PHP\'s DivisionByZeroError', run('$ php bin/report.php', 'DivisionByZeroError: Division by zero in /app/bin/report.php:8', 'Stack trace:', '#0 /app/bin/report.php(8): intdiv()', '#1 {main}'), 'php.bare-exception', 2],
    // php-cli 8.2: SPL's and a namespaced class's Throwable::__toString, named like no error of any language's.
    ['PHP\'s RuntimeException', run('$ php bin/report.php', 'RuntimeException: report directory missing: out in /app/bin/report.php:2', 'Stack trace:', '#0 {main}'), 'php.bare-exception', 2],
    ['a namespaced PHP exception', run('$ php bin/report.php', 'App\\Billing\\InvoiceException: total unreadable in /app/bin/report.php:4', 'Stack trace:', '#0 {main}'), 'php.bare-exception', 2],
    // ruby 3.1.2: a rescue printing "#{e.class}: #{e.message}" and e.backtrace for a class under a module.
    ['a Ruby error named under its module', run('$ ruby bin/report.rb', 'Billing::InvoiceError: total unreadable: [12, "7.50"]', "bin/report.rb:3:in `total'", "bin/report.rb:6:in `<main>'"), 'ruby.bare-exception', 4],
  ])('%s, named like none of Python\'s builtins, names its language too', async (_, log, rule, endLine) => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]).toMatchObject({ rule, startLine: 2, endLine });
  });

  it('names only rules that exist', () => {
    // Prepare
    const ids = new Set([...RULES, ...LANGUAGE_TWINS].map((rule) => rule.id));
    // Act
    const named = RULES.flatMap((rule) => rule.languageFrom ?? []).map((other) => other.rule);
    // Assert
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(ids, id).toContain(id);
  });
});
