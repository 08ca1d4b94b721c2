import { describe, expect, it } from 'vitest';
import { analyzeLog, refineCategory } from '../../../shared/logs/index.js';

/** The rule and category of the first failure found in `lines`, a step's output. */
async function firstFailure(...lines: string[]): Promise<[string | undefined, string | undefined]> {
  const first = (await analyzeLog([...lines, 'Error: Process completed with exit code 1.', ''].join('\n'))).failures[0];
  return [first?.rule, first?.category];
}

/**
 * A program that ran and failed is no build failure, whatever words its message or its step's title share with one.
 * Lines as php-cli 8.2 and node 22 printed them.
 */
describe('a syntax error in a document the program parsed at run time', () => {
  it.each([
    ['PHP\'s JsonException (log_errors)', ['$ php bin/load.php', 'PHP Fatal error:  Uncaught JsonException: Syntax error in /app/bin/load.php:3', 'Stack trace:', '#0 /app/bin/load.php(3): json_decode()', '#1 {main}', '  thrown in /app/bin/load.php on line 3'], 'php.fatal'],
    ['PHP\'s JsonException (display_errors)', ['$ php bin/load.php', 'Fatal error: Uncaught JsonException: Syntax error in /app/bin/load.php:3', 'Stack trace:', '#0 /app/bin/load.php(3): json_decode()', '#1 {main}', '  thrown in /app/bin/load.php on line 3'], 'php.fatal'],
    ['V8\'s JSON.parse at a position', ['$ node load.js', '<anonymous_script>:2', '', '', 'SyntaxError: Expected double-quoted property name in JSON at position 20 (line 2 column 1)', '    at JSON.parse (<anonymous>)', '    at Object.<anonymous> (/app/load.js:2:20)'], 'node.exception'],
    ['V8\'s JSON.parse at the end', ['$ node load.js', 'SyntaxError: Unexpected end of JSON input', '    at JSON.parse (<anonymous>)', '    at Object.<anonymous> (/app/load.js:1:20)'], 'node.exception'],
    ['V8\'s JSON.parse quoting the text', ['$ node load.js', 'SyntaxError: Unexpected token \'x\', "xyz" is not valid JSON', '    at JSON.parse (<anonymous>)', '    at Object.<anonymous> (/app/load.js:1:20)'], 'node.exception'],
  ])('%s is no compile error', async (_, lines, rule) => {
    // Act / Assert
    expect(await firstFailure(...lines)).toEqual([rule, 'unknown']);
  });

  it.each([
    ['PHP\'s parse error', ['$ php bin/load.php', 'PHP Parse error:  syntax error, unexpected token "{", expecting variable in /app/bin/load.php on line 2']],
    ['PHP\'s ParseError from a required file', ['$ php bin/load.php', 'PHP Fatal error:  Uncaught ParseError: syntax error, unexpected token "{", expecting variable in /app/config/json.php:2', 'Stack trace:', '#0 {main}']],
    ['Node\'s SyntaxError in a script', ['$ node build.js', '/app/build.js:1', 'const x = ;', '          ^', '', 'SyntaxError: Unexpected token \';\'', '    at wrapSafe (node:internal/modules/cjs/loader:1713:18)']],
  ])('%s stays a compile error', async (_, lines) => {
    // Act / Assert
    expect((await firstFailure(...lines))[1]).toBe('compilation');
  });
});

/**
 * A program that read a malformed data file and stopped, as php-cli 8.2, ruby 3.1.2 with rake 13.0.6 and Python 3.11
 * with PyYAML 6 printed it (paths shortened to /app). The program is fine: the document it read is not.
 */
describe('a data file that did not parse at run time', () => {
  it.each([
    ["PHP's rethrown json_last_error_msg (log_errors)", ['$ php bin/load.php', 'PHP Fatal error:  Uncaught RuntimeException: config.json: Syntax error in /app/bin/load.php:5', 'Stack trace:', '#0 {main}', '  thrown in /app/bin/load.php on line 5']],
    ["PHP's rethrown json_last_error_msg (display_errors)", ['$ php bin/load.php', '', 'Fatal error: Uncaught RuntimeException: config.json: Syntax error in /app/bin/load.php:5', 'Stack trace:', '#0 {main}', '  thrown in /app/bin/load.php on line 5']],
    ["PHP's JsonException chained under a RuntimeException", ['$ php bin/load.php', 'PHP Fatal error:  Uncaught JsonException: Syntax error in /app/bin/load.php:3', 'Stack trace:', '#0 /app/bin/load.php(3): json_decode()', '#1 {main}', '', 'Next RuntimeException: config.json: Syntax error in /app/bin/load.php:3', 'Stack trace:', '#0 {main}', '  thrown in /app/bin/load.php on line 3']],
  ])('%s is no compile error', async (_, lines) => {
    // Act / Assert
    expect(await firstFailure(...lines)).toEqual(['php.fatal', 'unknown']);
  });

  it.each([
    ["rake's abort over Psych", ['$ bundle exec rake', 'rake aborted!', "Psych::SyntaxError: (config/settings.yml): did not find expected ',' or ']' while parsing a flow sequence at line 2 column 9", "/app/Rakefile:3:in `settings'", "/app/Rakefile:6:in `block in <top (required)>'", 'Tasks: TOP => default', '(See full trace by running task with --trace)']],
    ["PyYAML's scanner", ['$ python load.py', 'Traceback (most recent call last):', '  File "/app/load.py", line 2, in <module>', '    yaml.safe_load(open("settings.yml"))', 'yaml.scanner.ScannerError: while scanning a quoted scalar', '  in "settings.yml", line 1, column 6', 'found unexpected end of stream', '  in "settings.yml", line 3, column 1']],
    ["PyYAML's parser", ['$ python load.py', 'Traceback (most recent call last):', '  File "/app/load.py", line 2, in <module>', '    yaml.safe_load(open("settings.yml"))', 'yaml.parser.ParserError: while parsing a flow sequence', '  in "settings.yml", line 1, column 4', "expected ',' or ']', but got ':'", '  in "settings.yml", line 2, column 2']],
  ])('%s is a bad YAML document, as the taxonomy files it', async (_, lines) => {
    // Act / Assert
    expect((await firstFailure(...lines))[1]).toBe('configuration');
  });
});

/**
 * A security scan's category comes from what the failure says, not from a package in its frames: Spring Security's,
 * the JDK's own `java.security`, Symfony's `Security` component. Lines as java 17 and php-cli 8.2 printed them.
 */
describe('an exception whose frames stand in a package named security', () => {
  it.each([
    ['the JDK\'s java.security', ['$ java Digest.java', 'Exception in thread "main" java.security.NoSuchAlgorithmException: SHA-999 MessageDigest not available', '\tat java.base/sun.security.jca.GetInstance.getInstance(GetInstance.java:159)', '\tat java.base/java.security.MessageDigest.getInstance(MessageDigest.java:185)', '\tat Digest.main(Digest.java:5)'], 'java.exception'],
    ['Spring Security\'s filter chain', ['$ java -jar build/libs/app.jar', 'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "chain" is null', '\tat org.springframework.security.web.FilterChainProxy.doFilter(FilterChainProxy.java:8)', '\tat org.springframework.security.web.FilterChainProxy.main(FilterChainProxy.java:12)'], 'java.exception'],
    ['Symfony\'s Security component', ['$ php bin/serve.php', 'PHP Fatal error:  Uncaught TypeError: count(): Argument #1 ($value) must be of type Countable|array, null given in /app/src/Firewall.php:8', 'Stack trace:', '#0 /app/src/Firewall.php(8): count()', '#1 /app/bin/serve.php(3): Symfony\\Component\\Security\\Http\\Firewall->onKernelRequest()', '#2 {main}', '  thrown in /app/src/Firewall.php on line 8'], 'php.fatal'],
  ])('%s is no security scan', async (_, lines, rule) => {
    // Act / Assert
    expect(await firstFailure(...lines)).toEqual([rule, 'unknown']);
  });

  it.each([
    ['[ERROR] Failed to execute goal on project app: Could not resolve dependencies for project com.acme:app:jar:1.0.0: Could not find artifact org.springframework.security:spring-security-core:jar:9.9.9 in central (https://repo.maven.apache.org/maven2) -> [Help 1]', 'dependency'],
    ['npm error 404 Not Found - GET https://registry.npmjs.org/@acme%2fsecurity-utils - Not found', 'unknown'],
    // A name's last segment (an unscoped package), a class whose name starts with the word (jsdom's DOMException).
    ['npm error 404 Not Found - GET https://registry.npmjs.org/acme-security - Not found', 'unknown'],
    ['SecurityError: localStorage is not available for opaque origins', 'unknown'],
    ['Security check failed: 2 issues of high severity', 'security_scan'],
    ['Found 3 security issues in 2 packages', 'security_scan'],
  ])('%s', (text, category) => {
    // Act / Assert
    expect(refineCategory(text, 'unknown')).toBe(category);
  });
});

describe("PHP's exhausted memory limit", () => {
  it.each([
    ['PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /app/bin/import.php on line 4'],
    ['Fatal error: Allowed memory size of 16777216 bytes exhausted (tried to allocate 20480 bytes) in /app/bin/import.php on line 4'],
  ])('is out of memory: %s', async (line) => {
    // Act / Assert
    expect(await firstFailure('$ php bin/import.php', line)).toEqual(['php.fatal', 'out_of_memory']);
  });
});

/** Step titles naming a `build/` directory, with the category their hint gives a failure that says nothing itself. */
const BUILD_DIRECTORY_TITLES = {
  'Run java -cp build/classes Main': 'unknown',
  'Run java -jar build/libs/app.jar': 'unknown',
  'Run node build/server.js': 'unknown',
  'Run ./build.sh': 'compilation',
  'Run scripts/build.sh': 'compilation',
  'Run cmake --build build': 'compilation',
  'Run npm run build:prod': 'compilation',
  'Run ./gradlew build': 'compilation',
};

describe('a step title naming a build directory', () => {
  it('runs what was built, it builds nothing; a build script or a build command keeps its hint', () => {
    // Act
    const categories = Object.fromEntries(Object.keys(BUILD_DIRECTORY_TITLES).map((title) => [title, refineCategory('Process exited with 1', 'unknown', title)]));
    // Assert
    expect(categories).toEqual(BUILD_DIRECTORY_TITLES);
  });
});
