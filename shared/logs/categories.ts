/**
 * The failure taxonomy (fixed; see `CATEGORIES` in `types.ts` and README "Failure categories"):
 *
 * | category        | meaning                                                                  |
 * |-----------------|--------------------------------------------------------------------------|
 * | test_failure    | a test ran and failed (assertion, test error, crashed test process)      |
 * | compilation     | the code does not build: compiler, type checker, linker, bundler         |
 * | lint            | a linter, formatter or style check rejected the code                     |
 * | dependency      | packages could not be resolved, downloaded or installed                  |
 * | infrastructure  | the runner or platform failed: disk full, runner lost, rate limits       |
 * | timeout         | a job, step or test hit its time limit, or the run was cancelled         |
 * | out_of_memory   | the process or container ran out of memory (OOM kill, exit 137, heap)    |
 * | network         | DNS, TCP, TLS or HTTP errors reaching another service                    |
 * | security_scan   | a vulnerability, secret or licence scanner failed the build              |
 * | configuration   | the pipeline itself is wrong: missing input/secret, bad path, bad YAML   |
 * | unknown         | none of the above could be decided from the log                          |
 */
import type { Category } from './types.js';

/** Each category in plain words, for the first line of a comment or the subject of an e-mail. */
export const FAILURE_IN_WORDS: Readonly<Record<Category, string>> = {
  test_failure: 'a test failed',
  compilation: 'the code does not build',
  lint: 'a lint check failed',
  dependency: 'dependencies could not be installed',
  infrastructure: 'the CI runner or platform failed',
  timeout: 'a job hit its time limit',
  out_of_memory: 'a job ran out of memory',
  network: 'a network request failed',
  security_scan: 'a security scan failed',
  configuration: 'the pipeline configuration is wrong',
  unknown: 'a job failed',
};

/**
 * A Jenkins agent that went away under a build: remoting's channel closed or shut down (ChannelClosedException,
 * Channel$OrderlyShutdown, RequestAbortedException, `Backing channel '…' is disconnected`, Channel.call's
 * `java.io.IOException: Remote call on builder03 failed`, the whole message, in a trace or in durable-task's `Cannot
 * contact builder03: …`), or Pipeline's `missing workspace … on …` for a step whose agent lost its workspace. Not
 * remoting's call site (`Channel$CallSiteStackTrace: Remote call to …`), which only says where a call that failed for
 * any reason came from, nor another program's `Remote call to … failed: ECONNREFUSED`, its network's failure. An
 * inbound agent's channel is named with spaces: `JNLP4-connect connection from 10.0.0.7/10.0.0.7:50312`.
 */
export const JENKINS_AGENT_LOST_RE =
  /(?:^|[\s:])hudson\.remoting\.(?:ChannelClosedException|Channel\$OrderlyShutdown|RequestAbortedException)(?::|$)|Backing channel '[^']*' is disconnected|\bjava\.io\.IOException: Remote call on [^\n]+ failed(?![^\n])|^(?:ERROR: )?missing workspace \S.* on \S/;

const REFINEMENTS: ReadonlyArray<readonly [RegExp, Category]> = [
  // PHP's memory_limit: `Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)`.
  [/out of memory|OutOfMemory|\bOOM\b|heap limit|Cannot allocate memory|MemoryError|exit code 137|std::bad_alloc|Allowed memory size of \d+ bytes exhausted/i, 'out_of_memory'],
  // Before timeouts: an agent whose pings went unanswered is reported as a closed channel with a TimeoutException.
  [JENKINS_AGENT_LOST_RE, 'infrastructure'],
  // Not Node's `Timeout` object in a stack frame (`at Timeout._onTimeout (x.js:9:16)`, Vitest's `❯ Timeout._onTimeout
  // src/x.js:9:16`): an error thrown in a timer's callback, no time limit.
  [/\btimed? ?out\b(?!\.[\w<])|TimeoutError|timetrap|deadline exceeded|took longer than|operation was canceled/i, 'timeout'],
  [/No space left|ENOSPC|disk quota|rate limit|too many requests|\b429\b|runner .* lost|shutdown signal/i, 'infrastructure'],
  [/\b(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|SSL|TLS)\b|SSLError/, 'network'],
  // `unknown host` as a lookup's failure: Java's UnknownHostException, Bazel's `Unknown host: github.com`, ping's
  // `unknown host example.com`; not a script's `unknown host alias 'staging-2'` nor Kubernetes' `unknown hostPath type`.
  [/could not resolve host|\bunknown ?host(?:exception\b|: | [a-z\d-]+(?:\.[a-z\d-]+)+)|name resolution|connection (?:refused|reset|timed out)|network is unreachable|certificate (?:verify|has expired|problem)|x509|socket hang up|Could not (?:create )?connect(?:ion)? to|Failed to connect|\b50[234] (?:Bad Gateway|Service Unavailable|Gateway)|unable to access|Net::\w+Timeout/i, 'network'],
  // `security` as a word of the message (`Security check failed`, `3 security issues`), not a segment of a name: a
  // package in a trace's frames (`org.springframework.security.web.…`, `java.security.…`, Symfony's
  // `Component\Security\Http`), an artifact (`spring-security-core`), a path.
  [/vulnerab|\bCVE-\d|GHSA-|leaks? found|(?<![\w.\\/$-])security(?![\w\\/-]|[.:]\w)/i, 'security_scan'],
  [/could not resolve (?:dependencies|all|[\w.-]+:)|not found in (?:the )?registry|No matching distribution|ModuleNotFoundError|No module named|Cannot find module|cannot find package|E404|ETARGET|ERESOLVE|PackagesNotFound|Could not find gem|version solving failed|unable to locate package|GemNotFound|available provider packages|dependency|dependencies|requirements could not be resolved|NU\d{4}/i, 'dependency'],
  // CMake's find_package, in its own capitals (case-insensitive, `could not find` would take any missing file).
  [/Could NOT find \w|By not providing "Find\w+\.cmake"|Could not find a package configuration file provided by/, 'dependency'],
  // A YAML document the program read as it ran (a settings file, a fixture): the taxonomy's bad YAML, whichever
  // language parsed it. Ruby's Psych::SyntaxError, PyYAML's scanner, parser and composer errors, by their class.
  [/\bPsych::SyntaxError\b|\byaml\.(?:scanner\.ScannerError|parser\.ParserError|composer\.ComposerError)\b/, 'configuration'],
  // A syntax error in a document the program parsed as it ran is not the code's: json_last_error_msg's `Syntax
  // error` ending a PHP Throwable's message (JsonException's own, or a wrapper's `config.json: Syntax error`, then
  // ` in /app/x.php:5` or Xdebug's ` on line 5`; PHP's own parse errors go on: `syntax error, unexpected …`), V8's
  // JSON.parse (`… in JSON at position 7`, `"xyz" is not valid JSON`, `Unexpected end of JSON input`). Python's
  // IndentationError and TabError are SyntaxErrors too: raised while a module compiles, before it runs.
  [/syntax ?error(?! in \S+(?::\d+| on line \d+)(?:\n|$))(?![^\n]*(?:\bJSON at position|is not valid JSON|end of JSON input))|\b(?:Indentation|Tab)Error\b|undefined reference|cannot find symbol|compil|error TS\d+|error CS\d+|type error|is not assignable|undeclared|not declared in this scope|unresolved (?:reference|import)|is not defined in ES module scope/i, 'compilation'],
  [/lint|style|format(?:ting|ter)|prettier|rubocop|flake8|pylint|eslint|stylelint|shellcheck/i, 'lint'],
  [/assert|expected .* (?:to|but)|expected:|but (?:was|got)|test(?:s|case)? (?:failed|failure)|\bspec\b|\bFAIL\b/i, 'test_failure'],
  [/command not found|not recognized as an internal|No such file or directory|Permission denied|Input required|Invalid workflow|missing (?:required )?(?:env|environment|variable|secret|input)|invalid (?:config|configuration|yaml)|Bad credentials|Unauthorized|Forbidden|Authentication failed|\btoken required\b|ENEEDAUTH/i, 'configuration'],
  // A script's own check on its environment: `SIGNING_CERT_BASE64 is empty`, `environment variable DEPLOY_KEY is not
  // set` (an upper-case name with an underscore, case-sensitive: `max_len is empty` is no variable).
  [/\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9] (?:environment variable )?(?:is (?:empty|not set|undefined|missing)|(?:was )?not (?:set|defined|provided))\b|\b(?:[Ee]nvironment variable|[Ss]ecret) \S+ is (?:empty|not set|missing)\b/, 'configuration'],
];

// What the failing command or step was doing, when the failure text itself is generic.
const SECTION_HINTS: ReadonlyArray<readonly [RegExp, Category]> = [
  // Django's `makemigrations --check` fails a step whose models changed without a migration: a check on the code.
  // Not `makemigrations` alone: workflows make and apply the migrations (`makemigrations && migrate`) before their
  // tests, and a migration that crashes there is no check's finding.
  [/\b(?:lint|eslint|stylelint|rubocop|flake8|pylint|ruff|golangci|shellcheck|prettier|black|gofmt|fmt\b|format\b|clippy|checkstyle|perlcritic|markdownlint|vale|spell|makemigrations\b[^;&|]*--check\b)/i, 'lint'],
  [/\b(?:audit|trivy|snyk|grype|gitleaks|trufflehog|bandit|codeql|semgrep|safety|osv-scanner)\b/i, 'security_scan'],
  [/\b(?:test|tests|spec|pytest|jest|vitest|mocha|karma|rspec|phpunit|ctest|go test|cargo test|mvn .*verify|gradle.* (?:test|check)|mix test|tox|nox)\b/i, 'test_failure'],
  [/\b(?:install|restore|bundle|pip|conda|npm ci|yarn(?: install)?$|pnpm i|composer|apt(?:-get)?|brew|go mod|dependencies|deps)\b/i, 'dependency'],
  // A `build/` directory holds what was built: a step running from it (`java -cp build/classes Main`) builds nothing,
  // but a build tool run in it does (`ninja -C build/`, `cd build/ && ninja`: CMake's build directory). Guile's
  // `--no-auto-compile` runs a script without compiling it.
  [/\b(?:build(?![\/\\])|(?<!no-auto-)compile|tsc|make|cmake|ninja|samu|xmake|msbuild|javac|cargo build|go build|webpack|vite build|gradle|mvn|sbt|xcodebuild)\b/i, 'compilation'],
  [/\b(?:docker|deploy|terraform|helm|kubectl|cdk|sam|serverless)\b/i, 'infrastructure'],
];

/**
 * A launcher whose name is a dependency hint's (`bundle`, `composer`, `conda`) running another command: the step
 * does what that command does (`bundle exec rake spec` tests, `bundle exec jekyll build` builds), and says nothing
 * when the command's name does not (`bundle exec rake` runs whichever tasks the Rakefile names). Cut from the title
 * before the hints are read.
 */
const LAUNCHER_RE = /\b(?:bundle exec|composer (?:exec|run-script|run)|conda run)\s/gi;

/**
 * A container runner running a program in a container: `docker compose run --rm app pytest`, `docker compose -f
 * ci.yml exec -T app …`, `docker run --rm -v "$PWD:/app" -w /app image:tag …`, their options (a value after those
 * that take one) and the service's or image's name. The step does what the program does: a script's error in the
 * container is no runner's failure (`docker` alone is read as infrastructure). Cut from the title with the
 * launchers; `docker compose up` and `docker build` run no program of the step's and keep their reading.
 */
const CONTAINER_RUN_RE =
  /\bdocker(?:-compose|\s+compose(?:\s+(?:-f|--file|-p|--project-name)(?:=|\s+)\S+)*|\s+container)?\s+(?:run|exec)(?:\s+(?:(?:-[vwepu]|--(?:volume|workdir|env|env-file|user|name|network|entrypoint|platform|publish|mount|label))(?:=|\s+)\S+|-[\w-]+))*\s+(?!-)\S+\s/gi;

/**
 * `docker compose up … --exit-code-from tests`: the step's status is that service's container's (compose's reference:
 * "Return the exit code of the selected service container"), so the step does what the service's program does, which
 * the title names by the service alone (`tests` a test step, `app` nothing). Replaced by that name: `up`'s options
 * (`--build` built the images, which then ran) and docker's word are no reading of it. Without the option `up` stays
 * docker's. A command ends at a separator (`;`, `&&`, `|`); a title is one line.
 */
const COMMAND_SEPARATOR_RE = /([;&|\n])/;
const COMPOSE_CALL_RE = /\bdocker(?:-compose|\s+compose)\s/i;
const UP_WORD_RE = /\bup\s/gi;
const EXIT_CODE_FROM_RE = /--exit-code-from(?:=|\s+)([\w.-]+)/gi;

/**
 * `command` with each compose `up … --exit-code-from <service>` call, to the end of its command, replaced by ` <service> `.
 * Each command is read once from left to right, for each of the call, its first `up` and its first option in turn (a
 * later call in the same command has no `up` or option the first one lacks): linear, where one expression with two
 * lazy runs read each `up` once per `up` before it.
 */
export function composeUpAsService(command: string): string {
  const parts = command.split(COMMAND_SEPARATOR_RE);
  for (let index = 0; index < parts.length; index += 2) {
    const part = parts[index]!;
    const call = COMPOSE_CALL_RE.exec(part);
    if (call === null) continue;
    UP_WORD_RE.lastIndex = call.index + call[0].length;
    const up = UP_WORD_RE.exec(part);
    if (up === null) continue;
    EXIT_CODE_FROM_RE.lastIndex = UP_WORD_RE.lastIndex;
    const option = EXIT_CODE_FROM_RE.exec(part);
    if (option !== null) parts[index] = `${part.slice(0, call.index)} ${option[1]!} `;
  }
  return parts.join('');
}

/**
 * An uncaught error saying that the script's own code names what does not exist: Groovy's MissingPropertyException
 * and MissingMethodException, Python's NameError and UnboundLocalError, Ruby's NameError and NoMethodError,
 * JavaScript's `ReferenceError: x is not defined`. The step's title says what the script was for (`deploy`,
 * `docker`, `terraform`), not that the runner or the platform failed: such an error takes no infrastructure hint.
 */
const OWN_CODE_ERROR_RE = /\bgroovy\.lang\.Missing(?:Property|Method)Exception\b|\b(?:NameError|UnboundLocalError|NoMethodError)\b|\bReferenceError: \S+ is not defined\b/;

/**
 * Decides the category of a generic failure from its own text first, then from the failing step's title
 * (`$ npm run lint`, `Run pytest`). Returns `fallback` when neither says anything.
 */
export function refineCategory(text: string, fallback: Category, sectionTitle = ''): Category {
  for (const [re, category] of REFINEMENTS) if (re.test(text)) return category;
  if (fallback !== 'unknown') return fallback;
  const command = composeUpAsService(sectionTitle.replace(LAUNCHER_RE, ' ').replace(CONTAINER_RUN_RE, ' '));
  for (const [re, category] of SECTION_HINTS) {
    if (re.test(command)) return category === 'infrastructure' && OWN_CODE_ERROR_RE.test(text) ? fallback : category;
  }
  return fallback;
}
