/**
 * The prefix a task runner or build tool puts on each line of one task's output, so the rules can read the line as
 * the tool printed it:
 * - Turborepo `web:lint: `, `@acme/ui:test:unit: ` (package, then a task that starts with a lower-case letter, so
 *   `ERROR:D8: ` and `file.ts:12: ` are not one; npm's package names are lower-case, so a word in capitals is none:
 *   Python logging's `ERROR:worker:database: connection refused` is a level, a logger and a message);
 * - pnpm's recursive run (`pnpm -r test`): the package's directory, which holds a `/`, and the script,
 *   `packages/core test: `, `apps/web test:unit: ` (its echo of the command, `packages/core test$ jest`, is not one);
 * - lerna and Nx streaming a scoped package's output, `@acme/ui: `, and lerna's `lerna ERR! ` in front of a failed
 *   package's captured output (an unscoped `name: ` is not taken here: `error: `, `make: `, `note: ` look the same;
 *   see {@link TaskNames} for the names a log shows to be its tasks);
 * - Nix: `nix build -L` names the derivation, `hello> ` (a name ends in a letter or digit: `target--> ` is an
 *   arrow); a failed builder's last log lines are quoted under its error as `       > ` (seven spaces, the width
 *   of `error: `).
 * - docker compose (`up`, `logs`): the container's name padded to the longest name's width plus one, then `| `,
 *   `tests-1  | `, `shop-api-1 | ` (v2; the project in front before v2.20), `web_1  | ` (v1), in the service's colour
 *   (which cleaning removes). Only a replica's name, ending in its index, `-1` (at most two digits) or `_1` (v1: one
 *   digit): a table's first column is not one, `File      | ` (a coverage report's), a version (`node_18  | 3m12s |
 *   failure`, a job matrix's summary). Nor a row that ends in a column's bar, as Robot Framework's test line does
 *   (`TC-002` padded to 69 columns, then `| FAIL |`, its status right after the bar): a container's line very seldom
 *   ends in ` |` unless indented, as a Groovy or Spock power assertion's diagram is (`app-1  |        |     |`).
 * A prefix is never the whole line: something visible follows it.
 */
export const TASK_PREFIX_RE =
  /^(?:(?![A-Z]+:)(?:@[\w.-]+\/)?[\w.-]+:[a-z][\w-]*(?::[\w-]+)*: |@[\w.-]+\/[\w.-]+: |[\w@.-]+(?:\/[\w@.-]+)+ [a-z][\w.-]*(?::[\w.-]+)*: |lerna ERR! |[A-Za-z0-9_](?:[\w.+-]*[A-Za-z0-9_])?> | {7}> |[A-Za-z0-9][\w.-]*(?:-\d{1,2}|_\d) +\| (?!\S.* \|$))(?=\s*\S)/;

const SPACE = 32;
const GREATER = 62;
const AT = 64;

/**
 * The length of a task runner's prefix on `text` (see {@link TASK_PREFIX_RE}), 0 without one. Every scanned line
 * asks, so the expression runs only where the characters a form needs are in place, and the common line costs what
 * the Turborepo-only check did (one native search for the first `:`): a lower-case letter after it (Turborepo's
 * task), a space after it behind a scoped package or a directory's script (lerna, pnpm), `lerna ERR! `, the
 * builder tail's seven spaces, a first word ending in `> ` (Nix) or in a replica's number before spaces and a `|`
 * (docker compose). A million compiler errors
 * (`src/a.ts(12,5): error …`: a `)` before the first `:`) never run it.
 */
export function taskPrefixLength(text: string): number {
  return measure(text, false);
}

/**
 * {@link taskPrefixLength}, or {@link ANNOUNCES_TASK} for a line without a prefix that may announce a task
 * ({@link TaskNames}): `> nx run `, or a name followed by `: > ` or `: yarn run v` at the first `:`. Asked with the prefix, on the
 * first `:` already found, and kept per digit shape with it (see `linePrefixLength`): asked apart, of every line,
 * the announcement cost ~7 % of the instructions on real logs.
 */
export function prefixOrAnnouncement(text: string): number {
  return measure(text, true);
}

function measure(text: string, announcements: boolean): number {
  const form = formOf(text, announcements);
  // One call for every form: V8's optimised scanner throws its code away the first time it makes a call it never saw
  // made, and a form's first line (a row `239 | …` that only starts like docker compose's) comes late.
  return form === MAY_HAVE_PREFIX ? matchedLength(text) : form;
}

/** {@link measure}'s answer when the characters in place leave it to it, {@link MAY_HAVE_PREFIX} when a form's are in place. */
function formOf(text: string, announcements: boolean): number {
  const c0 = text.charCodeAt(0);
  if (c0 === SPACE) return text.startsWith('       > ') ? MAY_HAVE_PREFIX : 0;
  // No prefix starts with `>`: Nx's `> nx run web:test` and npm's echo of a script running concurrently announce
  // tasks, others are echoed commands.
  if (c0 === GREATER) return announcements && (text.startsWith(NX_RUN) || CONCURRENTLY_ECHO_RE.test(text)) ? ANNOUNCES_TASK : 0;
  // yarn 1's echo of a script's command (`$ concurrently -n web,api …`).
  if (c0 === DOLLAR && announcements && CONCURRENTLY_ECHO_RE.test(text)) return ANNOUNCES_TASK;
  const colon = text.indexOf(':');
  // Bounded by the length: a `charCodeAt` past the end answers NaN, which V8's optimised code treats as a deopt.
  if (colon > 0 && colon + 1 < text.length) {
    const next = text.charCodeAt(colon + 1);
    if (next >= 0x61 && next <= 0x7a) return MAY_HAVE_PREFIX;
    if (next === SPACE && (c0 === AT || (isNameChar(text.charCodeAt(colon - 1)) && directoryBeforeSpace(text, colon)))) return MAY_HAVE_PREFIX;
    if (announcements && next === SPACE && (text.startsWith(NPM_ECHO, colon + 2) || text.startsWith(YARN_RUN, colon + 2)) && isName(text, colon)) return ANNOUNCES_TASK;
  }
  if (c0 === 108 /* l */ && text.startsWith('lerna ERR! ')) return MAY_HAVE_PREFIX;
  return firstWordIsPrefix(text) ? MAY_HAVE_PREFIX : 0;
}

/** {@link formOf}'s answer for a text whose prefix, if any, {@link TASK_PREFIX_RE} measures. */
const MAY_HAVE_PREFIX = -1;

/**
 * Whether a text starting with character `c` may have a task prefix or announce a task (see {@link measure}): every
 * form of {@link TASK_PREFIX_RE} and every announcement starts with a name character, `@`, a space or `>`.
 */
export function mayStartTask(c: string): boolean {
  return TASK_START_RE.test(c);
}

const TASK_START_RE = /^[\w.+@ >-]/;

/** `text` up to `end` is a name: name characters only. */
function isName(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isNameChar(text.charCodeAt(i))) return false;
  return true;
}

/** `[\w.+-]`: what a script's or a derivation's name is made of. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 43;
}

/** pnpm's `dir/x script: `: the line's first space comes before the `:` at `colon`, after a `/`. */
function directoryBeforeSpace(text: string, colon: number): boolean {
  const space = text.indexOf(' ');
  return space > 0 && space < colon && text.lastIndexOf('/', space) > 0;
}

/**
 * The line's first word, of name characters, is a prefix: Nix's `name> ` (it ends in `> `) or docker compose's
 * `name-1  | ` (it ends in a digit, and spaces and a `|` follow it).
 */
function firstWordIsPrefix(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isNameChar(c)) continue;
    if (i === 0 || i + 1 >= text.length) return false;
    if (c === GREATER) return text.charCodeAt(i + 1) === SPACE;
    return c === SPACE && isDigit(text.charCodeAt(i - 1)) && barAfterSpaces(text, i);
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** docker compose's `| ` after the padding that starts at `from`. */
function barAfterSpaces(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && text.charCodeAt(i) === SPACE) i++;
  return text.startsWith(COMPOSE_BAR, i);
}

const COMPOSE_BAR = '| ';

function matchedLength(text: string): number {
  const length = TASK_PREFIX_RE.exec(text)?.[0].length ?? 0;
  // pytest puts `INTERNALERROR> ` on each line of its internal error's report (a conftest hook that raised), read
  // past as Nix's `name> ` is; behind another task's prefix (`tests-1  | INTERNALERROR> `) the rules read past both,
  // on a line that goes on after it (pytest's blank lines are the prefix alone).
  // Every such line holds the keyword `err`: the line filter names it without a start shape for the pair.
  const behind = length + PYTEST_INTERNAL.length;
  return length !== 0 && text.length > behind && text.startsWith(PYTEST_INTERNAL, length) ? behind : length;
}

const PYTEST_INTERNAL = 'INTERNALERROR> ';

/**
 * The unscoped package and project names a log shows to be task prefixes, so `web: ` is read past once the log has
 * said that `web` is a task, and `error: ` never is:
 * - Nx announces each task it streams (`--output-style=stream`, also under lerna 6+) with `> nx run web:test`;
 * - lerna's `--stream` (and Nx running an npm script) prints npm's echo of the script under the prefix, which
 *   names the package itself: `web: > web@1.0.0 test`;
 * - with Yarn 1 as lerna's client, Yarn's banner before its echo of the command: `web: yarn run v1.22.19`, then
 *   `web: $ jest` (the echo alone, `error: $ x`, could be any tool's message quoting a command).
 * All come before the task's first line of output. One set per log: names are learnt as the log is read.
 */
export class TaskNames {
  private readonly names = new Set<string>();
  /**
   * concurrently runs the step's commands: each line of theirs is behind the command's name or index in brackets,
   * `[web] `, `[0] ` (its default `--prefix`), which is read past until the step ends. Not before: `[INFO] ` and
   * `[ERROR] ` are Maven's levels, `[1] ` R's printed vectors. Learnt from npm's echo of a script that runs it
   * (`> concurrently -n web,api "npm:build" …`) or from the step's script ({@link learnScript}).
   */
  private bracketed = false;

  /** Learns the name `text` announces, if it is an announcing line (see {@link prefixOrAnnouncement}); true if so. */
  learn(text: string): boolean {
    if (CONCURRENTLY_ECHO_RE.test(text)) {
      this.bracketed = true;
      return true;
    }
    if (text.startsWith(NX_RUN)) {
      const project = NX_PROJECT_RE.exec(text.slice(NX_RUN.length))?.[1];
      if (project === undefined) return false;
      this.names.add(project);
      return true;
    }
    const colon = text.indexOf(': ');
    const name = text.slice(0, colon);
    if (colon <= 0 || !UNSCOPED_NAME_RE.test(name)) return false;
    const npmEcho = text.startsWith(NPM_ECHO, colon + 2) && text.startsWith(`${name}@`, colon + 2 + NPM_ECHO.length);
    if (!npmEcho && !YARN_BANNER_RE.test(text.slice(colon + 2))) return false;
    this.names.add(name);
    return true;
  }

  /** A step's script (the lines its header echoes) that runs concurrently itself (`npx concurrently …`): true if so. */
  learnScript(script: readonly string[]): boolean {
    if (!script.some((line) => CONCURRENTLY_COMMAND_RE.test(line))) return false;
    this.bracketed = true;
    return true;
  }

  /** A step ends: concurrently's prefixes were that step's. True while learnt names remain (lerna's, Nx's: the log's). */
  leaveStep(): boolean {
    this.bracketed = false;
    return this.names.size > 0;
  }

  /** The length of a learnt name's prefix on `text` (`web: `, `[web] `), 0 without one; something visible follows it. */
  prefixLength(text: string): number {
    if (this.bracketed && text.charCodeAt(0) === BRACKET) return bracketedLength(text);
    if (this.names.size === 0) return 0;
    const colon = text.indexOf(':');
    if (colon <= 0 || text.charCodeAt(colon + 1) !== SPACE || !this.names.has(text.slice(0, colon))) return 0;
    for (let i = colon + 2; i < text.length; i++) if (text.charCodeAt(i) > SPACE) return colon + 2;
    return 0;
  }
}

/**
 * {@link prefixOrAnnouncement}'s answer for a line {@link TaskNames} may learn a name from: longer than any prefix of
 * a line the scanner reads (4,096 characters at most).
 */
export const ANNOUNCES_TASK = 0x3fff;

/**
 * Whether `prefix` is one {@link TaskNames} measured (`web: `): no other form is a name without `@`, `/` or a space
 * followed by `: `. Its lines are the task's by that prefix alone; {@link taskPrefixLength} never measures them.
 */
export function isLearntPrefix(prefix: string): boolean {
  if (prefix.charCodeAt(0) === BRACKET) return prefix.indexOf('] ') === prefix.length - 2;
  return prefix.charCodeAt(0) !== AT && prefix.indexOf(':') === prefix.length - 2 && prefix.indexOf(' ') === prefix.length - 1;
}

/** concurrently's `[name] ` on `text` (a name of `[\w.:@/+-]`, as `-n` or `npm:script` names a command), 0 without one. */
function bracketedLength(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isNameChar(c) || c === 58 /* : */ || c === AT || c === 47 /* / */) continue;
    if (c !== 93 /* ] */ || i === 1 || text.charCodeAt(i + 1) !== SPACE) return 0;
    // A log level is another tool's on its own lines (Maven's `[ERROR] `, sbt's `[error] `), not a command's name.
    if (i <= 8 && LOG_LEVEL_RE.test(text.slice(1, i))) return 0;
    for (let j = i + 2; j < text.length; j++) if (text.charCodeAt(j) > SPACE) return i + 2;
    return 0;
  }
  return 0;
}

const BRACKET = 91;
/** The levels tools print in brackets (Maven, sbt, Gradle's Ant tasks' loggers, Log4j-style loggers): no task's name. */
const LOG_LEVEL_RE = /^(?:info|warn|warning|error|debug|trace|fatal|success|notice)$/i;
const DOLLAR = 36;
/**
 * A runner's echo of a script that runs concurrently: npm's and pnpm's `> concurrently -n web,api "npm:build" …`
 * (`> npx concurrently …` when the script calls it through npx), yarn 1's `$ concurrently …`.
 */
const CONCURRENTLY_ECHO_RE = /^[>$] (?:npx (?:-[\w-]+ )*)?concurrently[@ ]/;
/** A script line that runs concurrently: at a command's start, itself or through npx, pnpm, yarn or bunx (`npx --yes concurrently@9 …`). */
const CONCURRENTLY_COMMAND_RE = /(?:^|[;&|]\s*)(?:(?:npx|bunx|yarn|pnpm(?: exec| dlx)?)(?:\s+-[\w-]+)*\s+)?concurrently(?:@\S*)?\s/;

/**
 * The length of npm's prefix at `from` in `text`, 0 without one: `npm ERR! ` (npm 8 and before), `npm error ` (npm 9
 * on). npm puts it on its own messages (`code ELIFECYCLE`, `A complete log of this run …`) and, since npm 7, on the
 * captured output of a package's install script that failed (node-gyp, the compiler under it, a script's exception):
 * the scanner reads that output past it with the tools' rules (see `npm-output.ts`), never npm's own
 * messages, which no tool's rule reads.
 */
export function npmPrefixLength(text: string, from: number): number {
  if (text.charCodeAt(from) !== 110 /* n */) return 0;
  if (text.startsWith(NPM_ERR, from)) return NPM_ERR.length;
  return text.startsWith(NPM_ERROR, from) ? NPM_ERROR.length : 0;
}

/** The length of npm's prefix (see {@link npmPrefixLength}) that ends `prefix`, 0 when none does. */
export function npmPrefixEnding(prefix: string): number {
  if (prefix.endsWith(NPM_ERR)) return NPM_ERR.length;
  return prefix.endsWith(NPM_ERROR) ? NPM_ERROR.length : 0;
}

const NPM_ERR = 'npm ERR! ';
const NPM_ERROR = 'npm error ';
const NX_RUN = '> nx run ';
const NPM_ECHO = '> ';
const YARN_RUN = 'yarn run v';
/** Yarn 1's banner: `yarn run v1.22.19`. */
const YARN_BANNER_RE = /^yarn run v\d+\.\d/;
/** Nx's `project:target` after `> nx run `; a scoped project (`@acme/ui`) needs no learning. */
const NX_PROJECT_RE = /^([\w.-]+):[\w-]/;
const UNSCOPED_NAME_RE = /^[\w.-]+$/;

/** For the line filter: the lines {@link TaskNames} learns from. */
export const TASK_NAME_SOURCES = [/^> nx run [\w.-]+:[\w-]/, /^[>$] (?:npx (?:-[\w-]+ )*)?concurrently[@ ]/, /^[\w.-]+: > [\w.-]+@/, /^[\w.-]+: yarn run v\d/] as const;
