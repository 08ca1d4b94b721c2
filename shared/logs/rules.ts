/**
 * The failure-line rule table. Each rule recognises the first line of a failure block ("headline") emitted by
 * one toolchain and says how far the block extends. Rules are tried in order and the first match wins, so
 * specific toolchain rules come before the generic fallbacks at the end.
 *
 * Weights rank blocks: 80–95 a specific, self-explaining failure (an assertion, a compiler error, OOM); 50–75 a
 * recognisable failure that usually needs its context; 20–45 generic error wording; below 20 the cascade that
 * follows every failure (`npm ERR! code ELIFECYCLE`, `make: *** Error 2`), reported only when nothing better exists.
 */
import { JENKINS_AGENT_LOST_RE } from './categories.js';
import type { Category } from './types.js';

/**
 * How a block grows after its headline.
 * - `line`: the headline alone; consecutive hits of the same rule (a list of lint errors) join one block.
 * - `indent`: lines indented deeper than the headline, stack frames, code frames and `cont` matches.
 * - `until`: every following line until `end` matches or the rule's own headline repeats.
 * - `paragraph`: every following line until a blank line.
 */
export type ExtendMode = 'line' | 'indent' | 'until' | 'paragraph';

// The table's categories and modes by name, each string written once: a minified bundle names them by a variable of a
// character or two at the table's ≈950 uses instead of spelling each out (≈5 KB of every bundle with the extractor).
const LINE = 'line';
const INDENT = 'indent';
const UNTIL = 'until';
const PARAGRAPH = 'paragraph';
const TEST_FAILURE = 'test_failure';
const COMPILATION = 'compilation';
const LINT = 'lint';
const DEPENDENCY = 'dependency';
const INFRASTRUCTURE = 'infrastructure';
const TIMEOUT = 'timeout';
const OUT_OF_MEMORY = 'out_of_memory';
const NETWORK = 'network';
const SECURITY_SCAN = 'security_scan';
const CONFIGURATION = 'configuration';
const UNKNOWN = 'unknown';

/** One of a rule's `categoryFrom` readings: a line of the block that makes it a failure of `category`. */
export interface CategoryReading {
  readonly re: RegExp;
  readonly category: Category;
  readonly unless?: RegExp;
}

export interface Rule {
  /** Stable id, `<toolchain>.<kind>`. */
  readonly id: string;
  readonly category: Category;
  readonly weight: number;
  /** Matches the headline (cleaned text: no ANSI, no CI timestamp). */
  readonly re: RegExp;
  readonly extend?: ExtendMode;
  /** Extra continuation lines for `indent` mode. */
  readonly cont?: RegExp;
  /**
   * A continuation that only counts right after a line matching `prev` (blank lines between are allowed; with
   * `blank`, required). In `paragraph` mode, the only line that goes on past a blank line.
   */
  readonly contAfter?: { readonly prev: RegExp; readonly re: RegExp; readonly blank?: boolean };
  /**
   * A message of several lines: from a line of the block `open` matches (the headline, a chained exception's line)
   * every line is the message's, whatever its shape, down to the first that `end` matches, which is the block's too
   * (PHP's Throwable ends its message's last line with the place it was thrown at, ` in /app/x.php:6`). A line both
   * match is a message of one line. `indent` mode; read like `contAfter` (such a block takes no line unread).
   * `blankEnds`: a blank line ends it too where the headline matches it, for a message `end` never comes to (deno's
   * sanitizer errors); not every message of the rule's (deno's assertEquals puts blank lines around its diff).
   * `stop`: a line it matches ends the message above it and is judged as any other line of the block (the next
   * report's headline, for a message whose end is a code the tool may leave out: mypy's `--hide-error-codes`).
   */
  readonly message?: { readonly open: RegExp; readonly end: RegExp; readonly blankEnds?: RegExp; readonly stop?: RegExp };
  /** Terminator for `until` and `paragraph` modes (the terminating line is not part of the block). */
  readonly end?: RegExp;
  /**
   * The block is a unified diff (`until` mode): from its first hunk header `@@ -a,b +c,d @@` on, each hunk holds the
   * lines its header counts (` ` and a blank line both sides', `-` the old side's, `+` the new side's, `\ No newline`
   * neither's), and past them only another hunk's header or a `\` line goes on. What follows the last hunk is the
   * next program's output, whatever it begins with: `--- FAIL: TestX` and a test runner's indented report begin as
   * diff lines do. Before the first header `end` decides (a file's headers; rustfmt's hunks, which have none).
   */
  readonly hunks?: boolean;
  /** Blank lines tolerated inside the block (default 1). */
  readonly gap?: number;
  /**
   * Another stream's lines a log may put inside the block (GHC's progress on stdout, between the lines of an error it
   * wrote to stderr): up to `lines` in a row of lines `re` matches are passed over like blank lines, part of the
   * block only when a line of it follows them. With `after`, a run of them starts only right after a block line that
   * `after` matches (a GitException's `stderr: …`), so that the same lines elsewhere are read as what they are; such
   * a quote says in the quoted program's words why it failed, and the category is read from it after the headline
   * (git's `fatal: unable to access '…': Could not resolve host: github.com` deep in a long trace).
   */
  readonly interleaved?: { readonly re: RegExp; readonly lines: number; readonly after?: RegExp };
  /** Upper bound on block length in lines. */
  readonly maxLines?: number;
  /**
   * Pull earlier lines into the block: search back up to `lines` lines for `re` and start after it (or at it). With
   * `through`, only over lines it matches: any other line first, and nothing is pulled; nor past another headline
   * of the rule (another report). With `first`, the block starts at the first line from there on that `first`
   * matches (a build's first warning after its banner), when one does. A failure already reported on a pulled line
   * (another rule's block, or a repeat) was part of this one: it is absorbed, not reported twice. With `atLimit`, a
   * search that reads all its lines without finding `re` (more warnings above javac's `-Werror` error than it reaches)
   * starts the block at the first line within its reach that `atLimit` matches (a whole warning), not at the headline.
   * With `apart`, a line `re` matches right above the headline is not pulled (a program's own last line above a
   * one-line report): only one a `through` line stands between (a test case's name over its report's rules). With
   * `farthest`, the search goes on past a line `re` matches, to the farthest within reach (raco test's first file),
   * up to a line `farthest` matches (a passing run's tally). With `absorbsFromFirst`, only the failures from the line
   * `first` matches on are absorbed: what stands between the announcing line and it is another program's (API
   * Extractor's banner, then jest's report, then its warnings: `run-p` runs both with no labels). With `heading`, the
   * line its `re` matches above the block's first line, over lines its `through` matches only (the tests of the file
   * that passed before the failed one), is listed with the report and those between are not: the file Octave's
   * test() names once over all its tests. With `when`, only a headline it matches looks back. With `names`, the
   * pulled line names what ran when the report came (its `line` capture, go test -v's `=== RUN   TestX/sub`, each
   * `/`-separated part a name): a report whose own lines name such things (the `frame` capture of each) but never one
   * of those came from elsewhere (a goroutine another test left running), and the pulled line is dropped when the
   * block closes. A suite's method run as a subtest (`TestSuite/TestLevel`) is named by its part. With `keeps`, of
   * the lines between the announcing line and the headline the block stores only those it matches (Jest's verbose
   * list of a file's tests: the failed ones' `✕` lines, not the passed ones' `✓`); the others are absorbed all the same.
   */
  readonly lookback?: { readonly re: RegExp; readonly lines: number; readonly inclusive: boolean; readonly through?: RegExp; readonly keeps?: RegExp; readonly first?: RegExp; readonly atLimit?: RegExp; readonly apart?: boolean; readonly farthest?: RegExp; readonly absorbsFromFirst?: boolean; readonly heading?: { readonly re: RegExp; readonly through: RegExp }; readonly when?: RegExp; readonly names?: { readonly line: RegExp; readonly frame: RegExp } };
  /** Only active inside a failure list opened by a heading such as `3 failing` or `There were 2 failures:`. */
  readonly inFailureList?: boolean;
  /** Refine the category from the matched text (generic rules). */
  readonly refine?: boolean;
  /** The headline only announces the failure (`rake aborted!`): the block starts at the line after it. */
  readonly headNext?: boolean;
  /**
   * The line that says *why* sits inside the block, not at its top (a traceback ends with its exception, a pytest
   * section header is followed by its `E   ` lines): the first pattern with a match in the block names the line
   * shown first. `last` takes its last match instead of its first; `outdented` only accepts lines indented no
   * deeper than the headline.
   */
  readonly pick?: ReadonlyArray<{ readonly re: RegExp; readonly last?: boolean; readonly outdented?: boolean }>;
  /**
   * With `pick`, where the picked line is a bare verdict (rackunit's `FAILURE`): the block's first line this matches
   * (the check's `location:`) is part of its key too, so that two runs' reports, each a FAILURE under the same tally,
   * are two failures and not one repeated. Without `pick`, where the headline is a place alone (Agda's
   * `/…/x.agda:17,7-10`, one digit-blind template for every report of a file): the message under it keys the report.
   */
  readonly keyFrom?: RegExp;
  /**
   * Its lines say *that* something failed, not what (`FAIL ./pkg`, `BUILD FAILED`, `3 tests completed, 1 failed`):
   * a status or summary after a report is not part of the report (see `predict.ts`).
   */
  readonly statusOnly?: boolean;
  /**
   * Lines of the block that change what kind of failure it is, the first reading that finds its line deciding:
   * clippy's lints are printed as rustc errors, told apart only by the `-D warnings` note or the clippy link below
   * them; Jest reports ts-jest's compile errors and its own timeouts as failed tests. `unless`: a line of the block
   * that keeps the rule's own category all the same, unrefined (pip's retries that reached the index in the end: it
   * listed its versions).
   */
  readonly categoryFrom?: readonly CategoryReading[];
  /**
   * The headline counts only inside its tool's report, for a shape other tools print too: going up from it within
   * its section, past blank lines and lines `through` matches, the first other line must match `header` (Pulumi's
   * `    error:` under `Diagnostics:`; Elixir 1.15+ prints its compile errors four spaces in as well). Asked only of
   * a line the rule's own expression matched; when it fails, the rules after this one are tried. A headline `alone`
   * matches needs no header: its tool prints some of its messages with none (Python's about a file's encoding).
   */
  readonly under?: { readonly header: RegExp; readonly through: RegExp; readonly alone?: RegExp };
  /**
   * The headline counts only with a line this matches right under it, in a shape other output shares (xcpretty's
   * `  testName, reason` summary line, always followed by the test's `  /path/File.swift:42`): the block is dropped
   * when it closes without one. The rules after this one are not tried on the headline.
   */
  readonly nextLine?: RegExp;
  /**
   * The headline counts only with a line of its block, the headline included, that this matches, for a shape a
   * listing of another kind shares (tasty's `name: FAIL`, told from a health check's by its time or by the `Use -p
   * '/name/' to rerun this test only.` under it): the block is dropped when it closes without one. The rules after
   * this one are not tried on the headline (a look-alike of one tool's line is no failure for another's rule either),
   * unless `rereadHead`: a dropped headline is then read by them (cdk.error's `«Deploy» failed: …`, a script's own tag
   * in guillemets, where its message is a failure's). The scanner reads every line of such a block until one matches.
   */
  readonly confirmedBy?: RegExp;
  /**
   * With `confirmedBy`: the step's exit line right under the headline confirms it too when it states this status, the
   * tool's own for the failure (its last word before it failed the step). Another status is the step's next command's,
   * which may fail without a word (`git diff --quiet --exit-code`) after the tool passed.
   */
  readonly confirmedByExit?: number;
  readonly rereadHead?: boolean;
  /**
   * With `confirmedBy`, in `until` mode: the rule's next headline, ending the block right under its headline,
   * confirms it as well (a test harness's next `FAIL: t/x` is as much the harness's line as its `PASS:`; the last
   * block still needs its own). With lines between, not: a script's `FAIL: packages/api` over tsc's errors.
   */
  readonly confirmedByNext?: boolean;
  /**
   * The block holds a test's whole captured output (nextest's stdout and stderr sections), most of it what the test
   * printed while it passed its other checks: of it the prediction (`predict.ts`) lists the block's first line, its
   * picked line and the lines named here, not every captured line. `underPick`: the line right under the picked
   * line, when it matches (a compiler error's `--> file:line:col`). `after`: the line right under one it matches (a
   * panic's message under `panicked at file:line:col:`). `from`: the line that opens the part of the block that says
   * why (a build script's `--- stderr` under cargo's report, after the environment its stdout dumped), it and every
   * line after it, and a block it never matched in is listed whole (rustc's link failure under the same headline).
   * `also`: a line it matches wherever it stands (a compiler's error a build script echoed to its stdout).
   * `belowPick`: the lines under the picked line, the picked report's own (GoogleTest's values under `file:line:
   * Failure` in CTest's output), down to the first that `end` matches and at most `lines` of them. `tail`: when no
   * line of the block was picked, its last `tail.lines` lines, blank ones and those `tail.skip` matches aside (the
   * tool's frame around the quote), read on past `maxLines` to the quote's real end (only their numbers are kept
   * there): what a quoted subprocess printed last before it stopped (a build backend's
   * message, a test's uncaught exception), where nothing in it is a failure a rule knows. The scanner reads every
   * line of such a block.
   */
  readonly keyLines?: {
    readonly underPick?: RegExp;
    readonly after?: RegExp;
    readonly from?: RegExp;
    readonly also?: RegExp;
    readonly belowPick?: { readonly end?: RegExp; readonly lines: number };
    readonly tail?: { readonly lines: number; readonly skip?: RegExp };
  };
  /**
   * The run's summary line, printed after its reports (`Summary [ 9.8s] 396 tests run: 395 passed, 1 failed`,
   * `Found 279 errors in 9 files`): the first match after a kept block is listed with the report. Only a line the
   * scanner reads can match: it must hold a word one of the scanner's triggers looks for (`failed`, `errors`).
   */
  readonly tally?: RegExp;
  /**
   * The `heading` of a list that reports the run's failures again a few lines under its summary (`tally`), Node 22's
   * `✖ failing tests:`, where that runner prints their errors and nothing after them: a block of the rule whose
   * headline has the line `entry` matches right above it (`test at file:line:col`) is an entry of the list and takes
   * the summary above it; one without (the next run's own report) ends the list. Lines `through` matches between
   * the summary and the heading (the rest of the summary, a coverage report of any length) are read past.
   */
  readonly tallyAbove?: { readonly heading: RegExp; readonly entry: RegExp; readonly through?: RegExp };
  /**
   * One line per diagnostic, sorted by file (mypy): the first capture names the file a headline is about. The
   * prediction joins to the top block only the neighbouring blocks about its file, not a report of hundreds.
   */
  readonly fileOf?: RegExp;
  /**
   * Its reports that name the same line (the picked one, digits aside) report one cause: pytest-xdist's workers each
   * print a module's collection error, a deprecation fails every module that imports the code alike. The prediction
   * lists the top one, not its copies nor the neighbours that say the same.
   */
  readonly causeOnce?: boolean;
  /**
   * Its blocks are entries of a run's closing list of the failures rule `rule` reported (pytest's short test summary):
   * an entry printed up to `within` lines under such a report, in its step, is part of it, whatever the list puts
   * above it (the skipped, xfailed and passed tests `-ra` and `-rA` list first, `-rA`'s captured output of the passed
   * tests). The prediction lists the first such entry and the ones that follow it.
   */
  readonly summarises?: { readonly rule: string; readonly within: number };
  /**
   * Its blocks are a run's progress lines for tests the rule it names reports in full further down (Playwright's list
   * reporter prints `✘  2 [chromium] › file:line:col › title (25ms)` as each test ends, then a report per failed test
   * after the run): such a line a little above the report's first block, or above the last such line taken, in its
   * step, is part of the report (see `predict.ts`). Only these lines are listed, not the passed tests' between them.
   */
  readonly announces?: string;
  /**
   * Its reports wrap another program's output: memcheck writes its errors to stderr between the lines the program
   * under it prints (a test's own `file:line: check failed`), pre-commit prints each hook's output under that hook's
   * `....Failed` line, before the next hook's. A block of another kind starting right under one of its blocks, before
   * the last of the report, is that program's part of the report: the prediction lists it (see `predict.ts`).
   */
  readonly wrapsOutput?: boolean;
  /**
   * Its headline says that one of a runner's sessions failed (nox's `nox > Session lint failed.`): the failures
   * printed since the runner's previous such line, in the step, are that session's, apart from the next session's.
   * A reader of the run wants each failed session's own report: the prediction lists each one's top failure, not
   * only the run's top failure's report (see `Failure.run`, `predict.ts`).
   */
  readonly endsRun?: boolean;
  /**
   * Its reports are a cause of their own beside rule `beside`'s, in one step: ct_run compiles every suite before the
   * run, reports one that does not compile (its compile errors, then `Error detected: '… cannot be compiled or
   * loaded'`) and runs the others, whose failed cases failed the step too. When a failure of that rule is the top one,
   * the prediction lists after its report this rule's first report in its step (see `predict.ts`).
   */
  readonly beside?: string;
  /**
   * Its blocks in one step are one report however far apart, while no block of another rule (one that says what
   * failed) stands between them: SBCL's compile-file prints a report per condition in the order of the forms, and
   * the style warnings and optimisation notes between two that failed the compile (none of them a failure) may run
   * to any length. The prediction joins them as it joins a rule's blocks a few lines apart (see `predict.ts`).
   */
  readonly joinsInStep?: boolean;
  /**
   * With `endsRun`: the line a session opens with (nox's `nox > Running session tests`). A runner says only of a
   * session that failed that it did; failures printed in the step before the failed session's own opening line, since
   * the last session said to have failed, are of sessions that passed (their complaints failed nothing), and rank as a
   * passed step's. Looked for up the analyzer's ring of recent lines: past it the session's start is not known, and
   * those failures stay the failed session's.
   */
  readonly runStart?: RegExp;
  /**
   * The headline opens a build tool's closing report of a failure (Maven's `[ERROR] Failed to execute goal …`, the
   * diagnostics again and its advice down to `mvn <goals> -rf :module`), which closes the report of whatever failed
   * above it: the prediction lists it after that report. `through` matches its lines, read one after another from
   * the headline; they are not taken into the block, so a cause printed only there (a forked VM's crash) is still
   * a failure of its own.
   */
  readonly closing?: { readonly through: RegExp };
  /**
   * Other languages whose exception lines the headline's shape also fits (Ruby's and PHP's builtins share Python's
   * names, a JVM package may have any root): when a line of the closed block matches `re` (that language's frames,
   * or its own way of naming where it threw), the finding is rule `rule`'s (an id in {@link RULES} or
   * {@link LANGUAGE_TWINS}). Read once per block, when it closes, not on every line of the log.
   */
  readonly languageFrom?: ReadonlyArray<{ readonly re: RegExp; readonly rule: string }>;
  /**
   * Its reports fail the run only under an option the log need not show, or only some of them do: warnings
   * (Verilator's without -Wno-fatal, Asciidoctor's under --failure-level=WARN), a simulator's checks (GHDL stops on
   * severity failure, on error only under --assert-level=error; vvp's status stays 0 after a `$error`, 1 after a
   * `$fatal`). A compiler's error or a failed test printed after one in its step shows that the step went on past it
   * (a shell under `-e` and make stop at the first command that fails): that failure stopped the step, and ranks above
   * it whatever the rules' weights. One that stopped the run has nothing after it in its step and keeps its rank.
   * `{ unless }`: a report whose block holds a line `unless` matches stopped its tool whatever the options (vvp's
   * `FATAL:`, status 1; GHDL's `…:error: assertion failed`): the step's script, not the step, went on past it (`make
   * -k`, a loop over testbenches), and it keeps its rank; `stoppedByTally`: so does one its rule's `tally` followed
   * (Verilator prints `%Error: Exiting due to N warning(s)` only when it stops on them). So does one make's `make: ***
   * [target] Error N` stands right under: the command exited non-zero with it as its last words (Asciidoctor under
   * --failure-level=WARN). `lastStops`: its tool stops at its first error and prints its warnings in the same shape
   * (Agda 2.6): the last of the rule's reports in a step may be the error that stopped it, and ranks above the ones
   * before it, which it went on past; it is a warning in turn when a failure of another tool follows it. Read once per
   * such block, when the scan ends. `runStart`: the line the tool's next run opens with (a loop over files), which
   * ends the block: the report it ends is its run's last, the one that stopped it. `passedUnder`: the heading under
   * which a passing run lists its warnings (again, or alone when they come from a cache): a report under it, above
   * any `runStart`, passed (read from the lines the scanner keeps when the report opens). `explains`: a failure after
   * it in its step whose block holds a line this matches is the one the report says why of (pkg-config's missing
   * package, then the compiler's missing header or the linker's undefined reference): it does not rank above it.
   */
  readonly warning?: boolean | { readonly unless?: RegExp; readonly stoppedByTally?: boolean; readonly lastStops?: boolean; readonly runStart?: RegExp; readonly passedUnder?: RegExp; readonly explains?: RegExp };
}

/**
 * A rule with every field present, in one order: the table's literals each name a different subset, and the
 * scanner reads these fields on every line of a block, where a dozen object shapes made its optimised code
 * polymorphic and threw it away whenever a rule of a new shape turned up (each time recompiling the scanner's
 * largest functions, ~10-30 ms of compiler time apiece).
 */
export function uniformRule(rule: Rule): Rule {
  // Every field named: a field added to Rule but not here would be dropped from every rule without a word.
  const uniform = {
    id: rule.id,
    category: rule.category,
    weight: rule.weight,
    re: rule.re,
    extend: rule.extend,
    cont: rule.cont,
    contAfter: rule.contAfter && { prev: rule.contAfter.prev, re: rule.contAfter.re, blank: rule.contAfter.blank },
    message: rule.message && { open: rule.message.open, end: rule.message.end, blankEnds: rule.message.blankEnds, stop: rule.message.stop },
    end: rule.end,
    hunks: rule.hunks,
    gap: rule.gap,
    interleaved: rule.interleaved && { re: rule.interleaved.re, lines: rule.interleaved.lines, after: rule.interleaved.after },
    maxLines: rule.maxLines,
    lookback: rule.lookback && { re: rule.lookback.re, lines: rule.lookback.lines, inclusive: rule.lookback.inclusive, through: rule.lookback.through, keeps: rule.lookback.keeps, first: rule.lookback.first, atLimit: rule.lookback.atLimit, apart: rule.lookback.apart, farthest: rule.lookback.farthest, absorbsFromFirst: rule.lookback.absorbsFromFirst, heading: rule.lookback.heading, when: rule.lookback.when, names: rule.lookback.names },
    inFailureList: rule.inFailureList,
    refine: rule.refine,
    headNext: rule.headNext,
    pick: rule.pick?.map((p) => ({ re: p.re, last: p.last, outdented: p.outdented }) satisfies Record<keyof typeof p, unknown>),
    keyFrom: rule.keyFrom,
    statusOnly: rule.statusOnly,
    categoryFrom: rule.categoryFrom?.map((from) => ({ re: from.re, category: from.category, unless: from.unless }) satisfies Record<keyof typeof from, unknown>),
    under: rule.under && { header: rule.under.header, through: rule.under.through, alone: rule.under.alone },
    nextLine: rule.nextLine,
    confirmedBy: rule.confirmedBy,
    confirmedByExit: rule.confirmedByExit,
    rereadHead: rule.rereadHead,
    confirmedByNext: rule.confirmedByNext,
    keyLines: rule.keyLines && {
      underPick: rule.keyLines.underPick,
      after: rule.keyLines.after,
      from: rule.keyLines.from,
      also: rule.keyLines.also,
      belowPick: rule.keyLines.belowPick && { end: rule.keyLines.belowPick.end, lines: rule.keyLines.belowPick.lines },
      tail: rule.keyLines.tail && { lines: rule.keyLines.tail.lines, skip: rule.keyLines.tail.skip },
    },
    tally: rule.tally,
    tallyAbove: rule.tallyAbove && { heading: rule.tallyAbove.heading, entry: rule.tallyAbove.entry, through: rule.tallyAbove.through },
    fileOf: rule.fileOf,
    causeOnce: rule.causeOnce,
    summarises: rule.summarises && { rule: rule.summarises.rule, within: rule.summarises.within },
    announces: rule.announces,
    wrapsOutput: rule.wrapsOutput,
    endsRun: rule.endsRun,
    beside: rule.beside,
    joinsInStep: rule.joinsInStep,
    runStart: rule.runStart,
    closing: rule.closing && { through: rule.closing.through },
    languageFrom: rule.languageFrom?.map((l) => ({ re: l.re, rule: l.rule }) satisfies Record<keyof typeof l, unknown>),
    warning: typeof rule.warning === 'object' ? { unless: rule.warning.unless, stoppedByTally: rule.warning.stoppedByTally, lastStops: rule.warning.lastStops, runStart: rule.warning.runStart, passedUnder: rule.warning.passedUnder, explains: rule.warning.explains } : rule.warning,
  } satisfies Record<keyof Rule, unknown>;
  return uniform;
}

function uniformRules(rules: readonly Rule[]): readonly Rule[] {
  return rules.map(uniformRule);
}

/** A message Sphinx logs at warning level or above (`path:line: WARNING: …`, `WARNING: autodoc: …`, `ERROR: …`). */
const SPHINX_WARNING_RE = /(?:^|: )(?:WARNING|ERROR|CRITICAL|SEVERE): \S/;

/** The exception line of a Python traceback: `ValueError: …`, `torch.OutOfMemoryError: …`, `KeyboardInterrupt`. */
const PY_EXCEPTION_RE = /^\s*(?:[A-Za-z_]\w*\.)*(?:[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Iteration|Warning|Failure)|[A-Z][A-Za-z]+)(?::\s.*)?$/;

/**
 * IPython's traceback header, which names the exception first (`KeyError                                  Traceback
 * (most recent call last)`, no colon): the kernel's under Jupyter, which a notebook runner (papermill, nbclient under
 * `jupyter nbconvert --execute`) quotes in the exception it re-raises a cell's error as.
 */
export const IPYTHON_TRACEBACK_RE = /^[A-Za-z_][\w.]*? *Traceback \(most recent call last\)$/;

/** A traceback's header: Python's `Traceback (most recent call last):`, or IPython's. */
const PY_TRACEBACK_RE = new RegExp(String.raw`^\s*Traceback \(most recent call last\):|${IPYTHON_TRACEBACK_RE.source}`);

/**
 * A Python exception's line that is no JavaScript error's, however indented: a name only Python's builtins have
 * (`KeyError: 'amount'`, `ValueError: …`, `AttributeError: …`); a `RuntimeError` that is no WebAssembly trap (Node
 * prints those as `RuntimeError: unreachable`, `RuntimeError: memory access out of bounds`; SpiderMonkey's
 * `unreachable executed`, JavaScriptCore's `Out of bounds memory access`); a `TypeError` in
 * CPython's own words (`'NoneType' object is not subscriptable`, `unsupported operand type(s) for +`, `total()
 * missing 1 required positional argument`), where V8's say `Cannot read properties of undefined`, `x is not a
 * function`, `x is not iterable`, and SpiderMonkey's (Firefox) `can't access property "id", user is undefined`. `SyntaxError`, `ReferenceError` and `AssertionError` stay Node's: their messages
 * have no shape of their own in either language.
 */
const PY_BARE_EXCEPTION_RE =
  /^\s*(?:(?:Arithmetic|Attribute|BlockingIO|BrokenPipe|Buffer|ChildProcess|Connection(?:Aborted|Refused|Reset)?|EOF|Environment|FileExists|FileNotFound|FloatingPoint|IO|Index|Interrupted|IsADirectory|Key|Lookup|Name|NotADirectory|NotImplemented|OS|Overflow|Permission|ProcessLookup|Recursion|UnboundLocal|Unicode(?:Decode|Encode|Translate)?|Value|ZeroDivision)Error(?::|$)|RuntimeError: (?!unreachable(?: executed)?$|Unreachable code should not be executed|memory access out of bounds|[Oo]ut of bounds memory access|remainder by zero|float unrepresentable|operation does not support unaligned|dereferencing a null pointer|function signature mismatch|(?:data|element) segment out of bounds|array element access out of bounds|Aborted\(|null function|divide by zero|integer (?:overflow|divide by zero)|(?:table )?index (?:is )?out of bounds|indirect call|invalid conversion to integer|call stack exhausted|illegal cast|unaligned)|TypeError: (?:'[^']+' object (?:is not|has no|does not|cannot)|unsupported operand type|can't (?!access property|assign to property|define property|delete|redefine|convert \w+ to BigInt)|can only (?:concatenate|join|assign) |[\w.<>]+\(\) (?:missing \d+ required|takes (?:from )?\d+|got (?:an unexpected keyword|multiple values))|object of type '|argument of type '|expected str, bytes or os\.PathLike|unhashable type: |not all arguments converted|'\S+' not supported between instances of|(?:string|list|tuple) indices must be|Object of type \w+ is not JSON serializable|cannot unpack non-iterable))/;

/**
 * A JVM stack trace's lines under an exception's: `\tat de.acme.Invoice.total(Invoice.java:16)` (no space before the
 * parenthesis, where Node's `at total (/app/x.js:3:9)` has one), `(Native Method)`, `Caused by: …`.
 */
const JVM_FRAME_RE = /^\s+at [\w$.\/<>-]+\((?:[\w$.-]+\.(?:java|kt|scala|groovy|clj):\d+|Native Method|Unknown Source)\)$|^Caused by: \S/;

/**
 * Jenkins prints a build's exceptions in its own layout (core `Functions.printThrowable`): the root cause first, each
 * exception that wraps it under it as `Caused: …`, a suppressed one (remoting's call site, Pipeline's error id) as
 * `Also:   …` with its frames a tab deeper, nothing where Java would print `... N more`. The message that introduced
 * the trace stands above it: `FATAL: …` (a build that stopped, a step's command), `ERROR: Step ‘…’ aborted due to
 * exception: ` (a publisher) or `ERROR: Build step failed with exception` (a builder; both AbstractBuild's). When
 * the root cause names no exception class (remoting's `Command Close created at`), the first wrapper's `Caused: …`
 * line is the trace's first line a rule can tell. The step's name stands in curly quotes, which a console read in
 * another encoding than it was written in shows as `?` (a Windows agent's code page), `â€˜` and `â€™` (UTF-8 read
 * as Windows-1252) or U+FFFD (Windows-1252 read as UTF-8).
 */
const JENKINS_TRACE_INTRO_RE = /^(?:FATAL: \S|ERROR: (?:Step (?:‘|â€˜|[?\uFFFD]).*(?:’|â€™|[?\uFFFD]) aborted due to exception: ?|Build step failed with exception)$)/;
/** The lines between that message and the exception line a block opens on (see JENKINS_TRACE_INTRO_RE). */
const JENKINS_TRACE_LINE_RE = /^(?:\t|Also: {3}\S|Caused: \S|Command \w+ created at$)/;
/**
 * git-client's GitException quotes git's output as its message (`… returned status code 128:`, `stdout: …`, `stderr:
 * error: …`): git's next lines right under `stderr:` are the message's when the trace goes on under them. Passed over,
 * not continued on their own, so that a Java block's lines stay readable as raw bytes (see raw-continuation.ts).
 * git's advice under a remote it could not read (`Please make sure you have the correct access rights` and `and the
 * repository exists.`, after a blank line) is no other output's: java.exception continues on it. A checkout that could
 * not write its files says so a line per file (`error: unable to write file …`), then `HEAD is now at 767791d …`:
 * as many lines as the block may hold.
 */
const GIT_EXCEPTION_OUTPUT: Rule['interleaved'] = {
  re: /^(?:(?:error|fatal|warning|hint|remote|(?:fetch|send|index|upload|receive)-pack): |(?:HEAD is now at|Previous HEAD position was) [0-9a-f]{7,} )/,
  lines: 200,
  // Only git's output that the exception quotes: after any other Java block (a warning logged before a script's git
  // fetch fails), git's `fatal: …` is the failure (attack 55).
  after: /^std(?:out|err): /,
};

/**
 * Where Ruby's code stands in a backtrace, up to the quote before the method's name (a backtick before Ruby 3.4, `'`
 * from it): a file's line, `lib/invoice.rb:6`, or `-e:1`, a line of the code `ruby -e` was given. Ruby names a file
 * it loaded by its path, whatever its name (`Rakefile:3`, `bin/setup:6`, `billing.gemspec:4`, `config.ru:2`,
 * `/usr/bin/rake:25`), and its own code as `<internal:kernel>:90`: `:N:in ` and the quote are Ruby's layout, which
 * no other language's backtrace prints (Crystal's is `file.cr:3:5 in 'f'`).
 */
const RUBY_LOCATION = String.raw`(?:<internal:[\w/]+>|(?:[A-Za-z]:)?[^\s:]+):\d+:in ` + "[`']";

/** A Ruby backtrace's line: `/app/lib/invoice.rb:14:in `currency!'` (`'Billing.currency!'` from 3.4), `\tfrom bin/x.rb:3:in …`. */
const RUBY_FRAME_RE = new RegExp(String.raw`^\s*(?:from )?${RUBY_LOCATION}`);

/** Ruby's uncaught exception: `lib/invoice.rb:6:in `fetch': key not found: :amount (KeyError)`, `-e:1:in `<main>': boom (RuntimeError)`. */
const RUBY_EXCEPTION_RE = new RegExp(String.raw`^${RUBY_LOCATION}[^']*': .+ \([A-Z]\w*(?:::\w+)*\)$`);

/**
 * The exceptions error_highlight marks (NameError and NoMethodError from Ruby 3.1, TypeError and ArgumentError from
 * 3.2): only under these is a blank line and a line at column 0 its code line, not the job's next output.
 */
const RUBY_HIGHLIGHTED_EXCEPTION_RE = new RegExp(String.raw`^${RUBY_LOCATION}[^']*': .+ \((?:NameError|NoMethodError|TypeError|ArgumentError)\)$`);

/**
 * The path of a JVM source file as javac, Maven and Ant print it: without spaces, or an absolute path whose folders may
 * hold them (a Jenkins workspace is named after its job, `/var/jenkins_home/workspace/billing main/src/…`; a Windows
 * user folder, `C:\Users\Ana Lima\…`). The spaced form's words hold no `:`, so it stops at the file's `:line`.
 */
const JVM_SOURCE_PATH = String.raw`(?:\S+|(?:[A-Za-z]:)?[\\/](?:[^\s:]+ )+[^\s:]+)`;

/**
 * A line of the stack trace Nim prints for an exception (`/w/src/csvtool.nim(10) column`, a procedure's name after
 * the line), under its `Traceback (most recent call last)` (no colon, unlike Python's).
 */
const NIM_STACK_LINE_RE = /^\S+\.nims?\(\d+\) \S+$|^Traceback \(most recent call last\)$/;

/** A frame under an OCaml program's uncaught exception when it runs with OCAMLRUNPARAM=b (see ocaml.uncaught). */
const OCAML_FRAME_RE = /^(?:Raised|Re-raised|Called) (?:at|from|by) /;

/**
 * The start of Perl's own fatal messages (see the rule perl.died; not its warning `Can't locate package X for
 * @Y::ISA`, printed at each method lookup), and the end: the line it died at and the file being read, or where a
 * syntax error stands (`, near "}"`, the text quoted going on over lines; `, at EOF`). Neither the handle's name
 * nor the quote runs on to the line's end from each ` at ` in it: that made a line of them quadratic.
 */
const PERL_DIED = String.raw`^(?:Can't (?:locate(?! package \S+ for @)|call method|use|find|open)|Undefined subroutine|Missing right curly|Unmatched right curly|Bareword "[^"]+" not allowed|Not an? (?:HASH|ARRAY|CODE|SCALAR|GLOB) reference|Illegal division by zero|Modification of a read-only value|Global symbol "[^"]+" requires|syntax error|Died|BEGIN failed--compilation aborted|Compilation failed in require)\b.*`;
const PERL_DIED_END = String.raw`\d+(?:, <[^>\s]+> (?:line|chunk) \d+)?(?:(?:\.|, at EOF|, at end of line)$|, near ")`;

/**
 * PHP's error, as log_errors (`PHP Fatal error:  …`) and display_errors (`Fatal error: …`) write it. log_errors
 * writes to stderr with no newline before it, so a fatal error that ends a PHPUnit run stands on its progress line,
 * after a character per test run (`..E`: passed, failed, error, warning, incomplete, risky, skipped, and PHPUnit
 * 10's deprecation and notice); display_errors starts its copy on a line of its own.
 */
const PHP_ERROR_RE = /^(?:[.EFWIRSDN]*PHP )?(?:Fatal error|Parse error|Catchable fatal error|Uncaught \w+):\s/;

/**
 * The exception display_errors repeats under `Fatal error: Uncaught …` with Xdebug loaded (`RuntimeException: … in
 * /app/x.php on line 3`, after a blank line): any class, namespaced or not (Flysystem's `UnableToReadFile`), but not
 * one of display_errors' own levels, so that a display's `Warning: …` is not taken for it.
 */
const XDEBUG_EXCEPTION_RE = /^(?!(?:Warning|Notice|Deprecated)\b)(?:\w+\\)*[A-Z]\w*: .* on line \d+$/;

/**
 * Where PHP says an exception was thrown: Throwable::__toString's first line ends with it (`ValueError: … in
 * /app/bin/report.php:7`, over `Stack trace:`, where the block stops).
 */
const PHP_THROWN_AT_RE = / in \S+\.php:\d+$/;

/** A Python exception's line with its message, however indented: `ModuleNotFoundError: No module named 'setuptools'`. */
const PY_EXCEPTION_LINE_RE = /^\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception): \S/;

/**
 * A stack trace's next line in any of the common shapes (a Ruby frame in any file Ruby names: see RUBY_LOCATION).
 * A `#N` frame (gdb, PHP) is not BuildKit's next step (`#8 [web 2/3] RUN npm ci`) or its status (`#8 CANCELED`,
 * `#8 CACHED`, `#8 DONE 0.1s`) under a failed `RUN`.
 */
const STACK_CONT =
  /^\s*(?:at\s|\.\.\.\s*\d+\s+(?:more|common frames)|Caused by:|Suppressed:|File "|from\s\S+:\d+|#\d+\s(?!\[[^\]]*\d\/\d+\]|\[internal\] |(?:CANCELED|CACHED|DONE)\b)|goroutine\s\d+|created by\s|\[C\]:|stack traceback:|(?:<internal:[\w/]+>|(?:[A-Za-z]:)?[^\s:]+):\d+:in\s)/;

/**
 * Lines listed of a tool's quoted subprocess output (pip's build backend, a CTest test's) when nothing in it is a
 * failure a rule knows: its last ones, where it stopped (see `Rule.keyLines.tail`). Five hold a message and the
 * lines it wraps onto, or an uncaught exception and what it said, without listing a long output.
 */
const QUOTED_OUTPUT_TAIL = 5;
/**
 * Node prints an uncaught error thrown by a file's own top-level code, and a SyntaxError in a file it loads, under
 * where it stands (lib/internal/util.js, decorateErrorStack): the file's absolute path or URL and the line
 * (`/app/src/cart.js:2`, `file:///app/src/config.mjs:5`), the code, a caret under the spot, a blank line. One that
 * stands in Node's own code (`node:internal/modules/cjs/loader:1080` over `throw err;`) says nothing of the
 * project's and is left out. The code `node -e` and `node -p` were given stands at `[eval]:1` (`file:///…/[eval1]:1`
 * as an ES module).
 */
/**
 * TestNG's `FAILED: test` (`FAILED: addsTax(999, 20, 1199)` for a data-provider row) over its exception (testng.failed);
 * TestNG 7.6+ names the method in full, `FAILED: com.acme.PriceTest$Nested.addsTax(…)`; a failed configuration
 * method is `FAILED CONFIGURATION: @BeforeClass connect`.
 */
const TESTNG_FAILED_RE = /^FAILED(?: CONFIGURATION: @\w+ |: )[\w$]+(?:\.[\w$]+)*(?:\(.*\))?$/;

/** Crystal's `In src/app.cr:5:19` over the source and caret of its compile error (crystal.error). */
const CRYSTAL_IN_RE = /^In \S+\.cr:\d+:\d+$/;

/**
 * A linker that did not find a library it was told to link (`-lz`): GNU ld's `/usr/bin/ld: cannot find -lz: No such
 * file or directory`, gold's `/usr/bin/ld.gold: error: cannot find -lz`, lld's `ld.lld: error: unable to find library
 * -lz` (rust-lld's, in rustc's notes), mold's `mold: fatal: library not found: z`, Apple's ld64 `ld: library not found
 * for -lz` and its successor's (Xcode 15 on, today's macOS runners) `ld: library 'z' not found`, at a line's start or
 * quoted by rustc (`  = note: ld: library 'z' not found`). The library's package is not installed on the runner: a
 * dependency, not the code.
 */
const MISSING_LIBRARY_RE = /\bld(?:\.bfd|\.gold)?(?:\.exe)?: (?:error: )?cannot find -l|(?:ld\.lld|ld64\.lld|rust-lld)(?:\.exe)?: error: unable to find library -l|(?:^|\s)ld: library (?:not found for -l|'[^'\n]+' not found)|\bmold: fatal: library not found: /;

const NODE_THROWN_AT: Rule['lookback'] = { re: /^(?:(?:file:\/\/\/|\/|[A-Za-z]:\\)\S*|\[eval\]):\d+$/, lines: 4, inclusive: true };

/** pytest-xdist's report of a test whose worker process died while running it (a segfault, `os._exit`). */
const XDIST_WORKER_CRASHED_RE = /^worker '\w+' crashed while running '\S/;

/**
 * The fields of `python.exception` (see PY_BARE_EXCEPTION_RE): its twins in other languages take the same line with
 * the same weight and extent; only the language the finding names changes.
 */
const BARE_EXCEPTION_FIELDS = { category: UNKNOWN, weight: 62, extend: INDENT, refine: true, maxLines: 100, lookback: NODE_THROWN_AT, re: PY_BARE_EXCEPTION_RE } as const;

/** What names a bare exception's language (see {@link Rule.languageFrom}): Ruby's backtrace under it, PHP's place it threw at. */
const BARE_EXCEPTION_LANGUAGES: Rule['languageFrom'] = [{ re: RUBY_FRAME_RE, rule: 'ruby.bare-exception' }, { re: PHP_THROWN_AT_RE, rule: 'php.bare-exception' }];

/**
 * Rules no line opens: a block of a rule whose `languageFrom` names one becomes one when it closes. A Ruby script
 * printing what it rescued (`RuntimeError: …` over its backtrace), a PHP one printing a caught Throwable
 * (`ValueError: … in /app/x.php:7`): Python's builtins have these names too.
 */
export const LANGUAGE_TWINS: readonly Rule[] = uniformRules([
  { id: 'ruby.bare-exception', ...BARE_EXCEPTION_FIELDS },
  { id: 'php.bare-exception', ...BARE_EXCEPTION_FIELDS },
]);

/**
 * A step behave printed with its definition's place (`    When a member returns "Emma"   # features/steps/loans.py:30`,
 * with `--show-timings` its duration after it).
 */
const BEHAVE_STEP_RE = /^\s+(?:Given|When|Then|And|But|\*) \S.* # \S+:\d+(?: \d+(?:\.\d+)?s)?$/;

/**
 * pytest's report of the tests that passed, under `-rA` or `-rP` (`==== PASSES ====`; `XPASSES` for those expected to
 * fail): each test's header and what it printed (under `---- Captured stdout call ----` and the like), from the run's
 * tests that passed. None of it is a failure's: a passing test may print `Error: …`, and its header has a failed
 * test's shape. It ends where pytest goes on with what it prints after it, and only there (a passing test may print a
 * `==== … ====` banner of its own): its known headings (the short summary, the warnings, the durations;
 * pytest-cov's), the run's summary line with its rules or bare under `-q` (`2 passed in 0.01s`, where
 * `-rP` prints no short summary), a plugin's titled `----` separator (pytest-cov's report, pytest-benchmark's table,
 * `generated xml file`), pytest-cov's threshold failure alone under `--cov-report=`, and pytest's own crash
 * (`INTERNALERROR>`); and where another run of pytest starts in the same step (its session's heading, its FAILURES
 * or ERRORS: pytest prints those above PASSES, so only a passing test's own output, an inner run under pytester, has
 * them there). Not at its progress lines: the line filter would name every one of every pytest log (+1.3 % of the
 * real-log mix's instructions), and a failing run prints FAILURES after them. pytest 9 counts subtests in its summary line (`2 subtests passed`).
 * Under `-qq -rP` pytest prints none of these after its reports: the step's end, or the next step's start, ends them
 * then, and what stood under the heading is read again (see LogScanner.rereadUnendedPassingReports).
 */
export const PASSING_REPORTS_HEADING_RE = /^=+ X?PASSES =+$/;
export const PASSING_REPORTS_END_RE = new RegExp(
  [
    String.raw`={3,} (?:short test summary info|warnings summary(?: \(final\))?|tests coverage|slowest(?: \d+)? (?:test )?durations|FAILURES|ERRORS|test session starts) ={3,}$`,
    String.raw`={3,} [^=]*\bin \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))? ={3,}$`,
    String.raw`\d+ (?:subtests? )?(?:passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?|rerun)(?:, \d+ (?:subtests? )?[a-z]+)* in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?$`,
    String.raw`-{3,} \S.* -{3,}$`,
    String.raw`_{3,} coverage: .* _{3,}$`,
    'FAIL Required test coverage of ',
    'INTERNALERROR> ',
  ].map((alternative) => `^${alternative}`).join('|'),
);
/** A passed test's section of captured output (`---- Captured stdout call ----`): part of its report, no end of them. */
export const PASSED_REPORT_PART_RE = /^-{3,} Captured (?:stdout|stderr|log) (?:setup|call|teardown) -{3,}$/;
/** A passed test's header in pytest's report of them (`____ test_one ____`), a failed test's shape. */
export const PASSED_REPORT_HEADER_RE = /^_{3,} (?:\[doctest\] )?\S.* _{3,}$/;

/**
 * A log record as pytest captures it (`---- Captured log call ----`), in its default format, `%(levelname)-8s
 * %(name)s:%(filename)s:%(lineno)d %(message)s`: `ERROR    app.worker:test_a.py:15 lookup failed, falling back`. The
 * file is a module's base name (`<stdin>` for code without one), which keeps a linter's `ERROR    src/a.py:12:3 E501`
 * out. A
 * record logged with its exception (`log.exception`, `exc_info=True`) carries the exception's traceback on the
 * lines right under it: a handled exception the test logged, however a failure it looks.
 */
export const CAPTURED_LOG_RECORD_RE = /^(?:DEBUG {4}|INFO {5}|WARNING {2}|ERROR {4}|CRITICAL )[^\s:]+:(?:[^\s:/\\]+\.pyw?|<[\w ]+>):\d+(?: |$)/;
/** The first line of a Python traceback (`logging`'s formatter prints the exception as `traceback` does). */
export const PY_TRACEBACK_HEAD = 'Traceback (most recent call last):';
/**
 * A traceback's frame in a program's outermost code: a script's module (`File "…/check.py", line 9, in <module>`), or
 * runpy's under `python -m`. An exception that ends a program has it as its first frame; one a test caught and logged
 * has the test's, or the code's that caught it.
 */
export const PY_PROGRAM_FRAME_RE = /^[\s|]*File "[^"]*", line \d+, in (?:<module>|_run_module_as_main)$/;
/**
 * The first line of an exception group's traceback (Python 3.11+), whose every line is indented:
 * python.exception-group's headline.
 */
export const PY_GROUP_TRACEBACK_HEAD_RE = /^\s*\+ Exception Group Traceback \(most recent call last\):$/;
/**
 * A line of an exception group's traceback: past its indent, the `|` or `+` of the frame Python draws around it
 * (python.exception-group's `cont`).
 */
export const PY_GROUP_FRAME_LINE_RE = /^\s*[|+]/;
/** The lines that join a chained exception's traceback to the one before it (`raise … from …`, or raised while handling). */
export const PY_CHAIN_LINES: ReadonlySet<string> = new Set([
  'The above exception was the direct cause of the following exception:',
  'During handling of the above exception, another exception occurred:',
]);

/**
 * Jest's failure of a test or hook that ran past its timeout: jest-circus's `thrown: "Exceeded timeout of 5000 ms
 * for a test.` (Jest 27 to 30; `… while waiting for \`done()\` to be called.` for a callback: circus throws the
 * message as a string, printed after `thrown:`, which a test's own console output does not start with),
 * jest-jasmine2's `: Timeout - Async callback was not invoked within the 5000 ms timeout specified by jest.setTimeout.`.
 */
const JEST_TIMEOUT_RE = /^\s*(?:thrown: "Exceeded timeout of \d+ ms for a (?:test|hook)\b|:? ?Timeout - Async callback was not invoked within the \d+ ?ms timeout specified by )/;

/**
 * pytest-timeout's failure of a test it stopped (its signal method): `E   Failed: Timeout >2.0s` in the report, since
 * 2.2 `Failed: Timeout (>2.0s) from pytest-timeout.`, the same message ending the summary's entry.
 */
const PYTEST_TIMEOUT_LINE_RE = /^(?:E\s+|(?:FAILED|ERROR) \S.* - )Failed: Timeout (?:>\d+(?:\.\d+)?s|\(>\d+(?:\.\d+)?s\) from pytest-timeout\.)$/;

/**
 * An exception's line in CPython 3.11's tree of an ExceptionGroup, behind its rails (`  | ExceptionGroup: unhandled
 * errors in a TaskGroup (2 sub-exceptions)`, `    | ValueError: bad record b`): the group's own comes first.
 */
const PY_EXCEPTION_GROUP_LINE_RE = /^\s*\| (?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Group|Exit|Interrupt)(?::\s.*)?$/;

/** setuptools' verdict on a command it ran (see `cascade.setuptools`), at the line's start or in pip's quote. */
const SETUPTOOLS_COMMAND_FAILED_RE = /^\s*error: command '[^']+' failed with exit (?:code|status) -?\d+$/;

/**
 * A C or C++ compiler's error with its location (`src/x.c:12:5: error: …`, clang's `fatal error: 'x.h' file not
 * found`), and valac's, whose position is a range of line.column (`src/x.vala:4.29-4.30: error: …`).
 */
const CC_ERROR_RE = /^(?:In file included from )?\S+?:\d+(?::\d+|\.\d+-\d+\.\d+)?:\s+(?:fatal error|error)\b:?/;

/** ansible-lint's violation that fails the run: `yaml[truthy]: message`, `no-free-form: message`, not `… (warning)`. */
const ANSIBLE_LINT_VIOLATION_RE = /^[a-z][\w-]*(?:\[[a-z][\w-]*\])?: (?!.*\(warning\)$)\S/;

/** pydocstyle's place of a report: `pkg/x.py:9 in public method `allow`:`, `pkg/__init__.py:1 at module level:`. */
const PYDOCSTYLE_PLACE_RE = /^\S+\.pyi?:\d+ (?:at module level|in (?:public |private )?[\w ]+ `[^`]+`):$/;

/**
 * Where Rolldown lists a failed build's errors (see rolldown.error): under `Build failed with N errors:` (Rolldown's
 * CLI writes its level first: `[error] Build failed with 2 errors:`), past the errors listed above it (their `[CODE]`
 * lines, their frames' lines and the `───╯` closing each).
 */
const ROLLDOWN_ERRORS = {
  header: /^(?:\[error\] )?Build failed with \d+ errors?:$/,
  through: /^(?:\[[A-Z]+(?:_[A-Z]+)*\] \S|\s+(?:╭─\[ |│)|\s*\d+ │|─+╯$)/,
};

/** The message line of an error miette draws in ASCII (swc off a terminal): `  x Expected ';', got ')'`. */
const MIETTE_ASCII_ERROR_RE = /^ {2}x \S/;

/** Composer's verdict on a lock file the platform cannot install (`composer install`), above its problems. */
const COMPOSER_LOCK_INCOMPATIBLE_RE = /^Your lock file does not contain a compatible set of packages\b/;

/**
 * A failed test's line in deno test's ERRORS section (`formats cents => ./src/money_test.ts:8:6`), above its error, or
 * a test module's that threw outside its tests (`./src/x_test.ts (uncaught error)`).
 */
const DENO_TEST_NAME_RE = / => \S+:\d+:\d+$|^\S+ \(uncaught error\)$/;

export const RULES: readonly Rule[] = uniformRules([
  // ── infrastructure: these explain everything after them, so they outrank test and build output ──────────
  { id: 'infra.oom', category: OUT_OF_MEMORY, weight: 95, extend: LINE,
    re: /JavaScript heap out of memory|java\.lang\.OutOfMemoryError|\bOOMKilled\b|Out of memory: Kill(?:ed)? process|\bCannot allocate memory\b|std::bad_alloc|runtime: out of memory|fatal error: out of memory|\bMemoryError\b|exit code 137\b|exited with (?:code )?137\b|signal: killed|internal compiler error: Killed|Killed signal terminated program|memory allocation of \d+ bytes failed|The runner has received a shutdown signal.{0,300}memory/i },
  // GPU frameworks' own wording, case-sensitive (a case-insensitive alternation costs every candidate line).
  { id: 'infra.gpu-oom', category: OUT_OF_MEMORY, weight: 95, extend: LINE,
    re: /CUDA out of memory|CUDA error: out of memory|(?<![A-Za-z0-9_])OutOfMemoryError\b|CUBLAS_STATUS_ALLOC_FAILED|hipErrorOutOfMemory|ResourceExhaustedError|OOM when allocating/ },
  // The JVM's OutOfMemoryError message alone on a Maven line: Surefire reports its fork running out of heap as
  // `[ERROR] Java heap space` while the tests run and again under `There was an error in the forked process`; Maven
  // itself out of memory ends with `[ERROR] Java heap space -> [Help 1]`.
  { id: 'maven.oom-message', category: OUT_OF_MEMORY, weight: 95, extend: LINE,
    re: /^\[ERROR\] (?:Java heap space|GC overhead limit exceeded|Metaspace|Compressed class space|Requested array size exceeds VM limit|unable to create (?:new )?native thread\b.*?)(?: -> \[Help \d+\])?$/ },
  // bash names the command a SIGKILL ended (`script.sh: line 2: 27634 Killed   python3 train.py`): the OOM killer's,
  // unless the command is a coreutils `timeout` told to send KILL (`-s KILL`, `--signal=SIGKILL`, `-s 9`, any case, or `-k`
  // after its TERM, among its options before its duration: a `-k` after it is the command's, `pytest -k`, `make -k`): timeout
  // sends it to its own process group, itself included, and bash names it so. A pipeline's report names each command
  // after the first on a line of its own, its pid then `| command` (`     28061 Killed   | timeout -s KILL 60 ./slow`):
  // a bare pid only so, not a count (`uniq -c`'s `    412 Killed` of mutation results).
  { id: 'infra.killed', category: OUT_OF_MEMORY, weight: 80, extend: LINE, re: /^\s*(?:(?:\S+: line \d+:\s+\d+ )?Killed(?:\s.*)?|\d+ Killed\s+\|\s.*)$/,
    categoryFrom: [{ re: /\sKilled\s+(?:\|\s)?(?:[^\s=]+=\S*\s+)*timeout\s+(?:--?[\w-]+(?:[= ][^\s-]\S*)?\s+)*?(?:(?:-s\s?|--signal[= ])(?:[Ss][Ii][Gg])?(?:[Kk][Ii][Ll][Ll]|9)\s|(?:-k\s?|--kill-after[= ])\S)/, category: TIMEOUT }] },
  { id: 'infra.disk-full', category: INFRASTRUCTURE, weight: 95, extend: INDENT,
    re: /No space left on device|\bENOSPC\b|[Dd]isk quota exceeded|not enough (?:free )?(?:disk )?space on the disk|System\.IO\.IOException: There is not enough space/i },
  { id: 'infra.runner-lost', category: INFRASTRUCTURE, weight: 92, extend: LINE,
    re: /The runner has received a shutdown signal|lost communication with the server|The hosted runner: .{0,300} lost communication|Runner .{0,300} (?:did not respond|is offline)|ERROR: Job failed \(system failure\)|The job was not acquired by Runner|No hosted parallelism has been purchased|exceeded the maximum (?:number of )?concurrent jobs/i },
  { id: 'infra.timeout', category: TIMEOUT, weight: 90, extend: LINE,
    re: /has exceeded the maximum execution time|The action '[^']*' has timed out after \d+ minutes|The job running on runner .{0,300} exceeded|No output has been received in the last \d+ ?m|execution took longer than|Job's log exceeded limit|The operation was canceled|The run was canceled|Canceling since a higher priority|job timed out|build timed out|Build timed out|Terminated due to timeout|timeout: the monitored command dumped core|Cancelling the job/i },
  { id: 'infra.rate-limit', category: INFRASTRUCTURE, weight: 90, extend: LINE,
    re: /API rate limit exceeded|secondary rate limit|\b429 Too Many Requests|toomanyrequests|You have reached your (?:unauthenticated )?pull rate limit|rate limit(?:ed| exceeded)/i },
  // The daemon's own errors while the runner starts a job or service container; a pull it refuses (`pull access denied
  // for x`) or a tag the registry lacks (`manifest for x not found`) is the workflow's image reference, read by the
  // docker rules below.
  { id: 'infra.service-container', category: INFRASTRUCTURE, weight: 85, extend: LINE,
    re: /Failed to initialize container|service container .{0,300} (?:failed|unhealthy)|container .{0,300} is unhealthy|health ?check (?:failed|timed out)|Error response from daemon:(?! pull access denied for | manifest for \S+ not found)/i },

  // ── security scanners ─────────────────────────────────────────────────────────────────────────────────────
  // npm audit's report: the package and its range, then `Severity: high` and the advisory.
  { id: 'npm.audit-advisory', category: SECURITY_SCAN, weight: 82, extend: PARAGRAPH, gap: 0, maxLines: 10,
    re: /^Severity: (?:low|moderate|high|critical)$/, lookback: { re: /^[@\w./-]+ {2}\S/, lines: 1, inclusive: true } },
  // npm audit that audited nothing: the registry (a mirror, a proxy) answered the bulk advisory request with an HTTP
  // error, which npm 7+ warns with (`npm warn audit 405 Method Not Allowed - POST https://…/advisories/bulk`) before
  // `npm error audit endpoint returned an error`; npm 6 said `npm ERR! audit Your configured registry (…) does not
  // support audit requests` right under `npm ERR! code ENOAUDIT`, which opens the report (npm's cascade would take
  // it and the line under it).
  { id: 'npm.audit-endpoint', category: NETWORK, weight: 80, extend: LINE,
    re: /^npm (?:WARN|warn) audit \d{3} [A-Z]|^npm ERR! code ENOAUDIT$|^npm (?:ERR!|error) audit (?:endpoint returned an error$|Your configured registry \(\S+\) (?:does|may) not support audit requests)/,
    pick: [{ re: /^npm ERR! audit Your configured registry / }] },
  // Checkov: `Check: CKV_AWS_20: "…"` then `	FAILED for resource: aws_s3_bucket.x` (PASSED ones say so).
  { id: 'checkov.failed', category: SECURITY_SCAN, weight: 82, extend: INDENT, cont: /^\s*(?:File|Guide|Calling File): /,
    re: /^\s*FAILED for resource: \S/, lookback: { re: /^Check: CKV\d?_[A-Z0-9]+_\d+: /, lines: 2, inclusive: true } },
  // Semgrep's text report: `❯❯❱ rule.id` (`❯❱`, `❱` for lower severities), its message indented below.
  { id: 'semgrep.finding', category: SECURITY_SCAN, weight: 80, extend: INDENT, maxLines: 40, re: /^\s+❯{0,2}❱ [\w.\/-]+$/ },
  // cargo deny: `error[vulnerability]: title`, a frame into Cargo.lock (`┌─`, `112 │`) and the advisory's `├ ID:` lines.
  { id: 'cargo-deny.error', category: SECURITY_SCAN, weight: 82, extend: INDENT, maxLines: 60, cont: /^\s*(?:\d+\s*)?[│┌├└]/,
    re: /^error\[(?:vulnerability|unmaintained|unsound|yanked|notice|banned|duplicate|rejected|unlicensed|source-not-allowed|git-source-underspecified|wildcard)\]: \S/ },
  // Bandit: `>> Issue: [B602:subprocess_popen_with_shell_equals_true] message`, its Severity, CWE and Location
  // indented below, then the numbered code lines (`48<TAB>code`).
  { id: 'bandit.issue', category: SECURITY_SCAN, weight: 80, extend: INDENT, maxLines: 20, cont: /^\d+\t/, re: /^>> Issue: \[B\d{3}:\w+\] \S/ },
  // pip-audit's columns: `Found 2 known vulnerabilities in 2 packages`, then the Name / Version / ID / Fix Versions table.
  { id: 'pip-audit.vulnerable', category: SECURITY_SCAN, weight: 82, extend: PARAGRAPH, gap: 0, maxLines: 60,
    re: /^Found \d+ known vulnerabilit(?:y|ies) in \d+ packages?$/ },
  // govulncheck: `Vulnerability #1: GO-2024-2687`, its summary, module and fixed version indented below.
  { id: 'govulncheck.finding', category: SECURITY_SCAN, weight: 82, extend: INDENT, maxLines: 40, re: /^Vulnerability #\d+: GO-\d{4}-\d{4,}$/ },
  // cargo audit ends its advisories (`Crate:`, `Title:`, `ID: RUSTSEC-…`) with `error: 1 vulnerability found!`, which
  // rustc's `error: ` rule would read as a compiler error: the summary names the first advisory of the scan.
  { id: 'cargo-audit.vulnerable', category: SECURITY_SCAN, weight: 82, extend: LINE,
    re: /^error: \d+ vulnerabilit(?:y|ies) found!$/, lookback: { re: /^\s*Scanning Cargo\.lock for vulnerabilities/, lines: 250, inclusive: false },
    pick: [{ re: /^Title:\s+\S/ }] },
  { id: 'security.vulnerability', category: SECURITY_SCAN, weight: 80, extend: INDENT,
    re: /\b(?:high|critical) severity vulnerabilit|✗ (?:Critical|High|Medium|Low) severity vulnerability|Total: \d+ \(.*(?:CRITICAL|HIGH): [1-9]|\bleaks? found: [1-9]|>> Issue: \[B\d+|Security (?:vulnerabilities|issues) (?:found|detected)|^\s*[│|]\s*(?:CVE-\d{4}-\d{4,}|GHSA-[\w-]{14})\b/i },

  // ── test runners ──────────────────────────────────────────────────────────────────────────────────────────
  // pytest-cov's report (`---------- coverage: platform linux, python 3.12.3 -----------`) follows the last section.
  // A report without `E ` lines says why in the exception line it quotes at the line's start: nbmake's is the cell's
  // source between dashed rules and the kernel's IPython traceback, `KeyError: 'amount'` last. pytest 7.2+ prints a
  // test's ExceptionGroup as CPython's tree, rails and all, in every `--tb` style, with no `E ` line: the group's line.
  // pytest-xdist reports a test whose worker died under it (`[gw1] node down: Not properly terminated`) with one line
  // under the report's `[gw1] linux -- Python …`: `worker 'gw1' crashed while running 'tests/x.py::t'`.
  { id: 'pytest.failed', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 400, gap: 99,
    pick: [{ re: /^E {2,}\S/ }, { re: /^[\w./-]+\.py:\d+: (?!in )\w/, last: true }, { re: PY_EXCEPTION_LINE_RE, last: true, outdented: true }, { re: PY_EXCEPTION_GROUP_LINE_RE }, { re: XDIST_WORKER_CRASHED_RE }, { re: /\S/ }],
    re: /^_{3,} (?!summary _)(?:\[doctest\] )?\S.* _{3,}$/, end: /^(?:={3}.*={3}|-{3,} (?=Captured|generated|coverage: | ?\S.* logs? ).* -{3,}|[=_]{20,})$/,
    // The summary (`===== 1 failed, 2 passed in 0.50s =====`) holds no `=` between its frames; each lookahead reads
    // from one place only, so a long line costs one pass, not one per split of it.
    tally: /^(?=.{0,300}$)=+ (?=[^=]*\b\d+ (?:failed|errors?)\b)(?=[^=]* in [\d.]+s\b)[^=]* =+$/, causeOnce: true,
    // pytest-timeout fails the test it stopped with `E   Failed: Timeout >2.0s` (its signal method; the thread method
    // kills the whole run instead); since 2.2 with `E   Failed: Timeout (>2.0s) from pytest-timeout.`.
    categoryFrom: [{ re: PYTEST_TIMEOUT_LINE_RE, category: TIMEOUT }] },
  // Some pytest plugins put the duration first: `FAILED [0.0041s] test/x.py::T::t - Error: …`. Under CI (the `CI`
  // or `BUILD_NUMBER` variable) pytest prints an entry's message whole, over as many lines as it has (an assertion's
  // `+  where …` lines, Hypothesis's falsifying example), down to the next entry or the run's summary line. An
  // entry names a test by its node id, a file's path first (`tests/x.py::t`), or gives its message after ` - `: a
  // Rust log line (tracing's `ERROR api::db: connection refused`, printed uncaptured above a test's panic) does
  // neither, and read as an entry it would take the lines under it.
  { id: 'pytest.summary', category: TEST_FAILURE, weight: 55, extend: UNTIL, maxLines: 20, summarises: { rule: 'pytest.failed', within: 200 },
    re: /^(?:FAILED|ERROR) (?:\[[\d.]+m?s\] )?(?:[^\s:]*\.\w+::\S|(?=\S*?\S::\S)\S+ - )/,
    // With `--tb=line` or `--tb=no` the entry is the only line that names pytest-timeout's failure.
    categoryFrom: [{ re: PYTEST_TIMEOUT_LINE_RE, category: TIMEOUT }],
    end: /^(?:(?:FAILED|ERROR|PASSED|SKIPPED|XFAIL|XPASS) |[=!]{3}|\d+ (?:failed|passed|errors?|skipped|deselected|xfailed|xpassed|warnings?)\b)/ },
  { id: 'pytest.error-line', category: TEST_FAILURE, weight: 50, extend: LINE, re: /^E {2,}\S/ },
  // A conftest.py that does not import stops pytest before its session (exit status 4): `ImportError while loading
  // conftest '/…/tests/conftest.py'.`, then the frames in pytest's short form and the `E   ` line that says why.
  { id: 'pytest.conftest-import', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 60,
    re: /^ImportError while loading conftest '[^']+'\.$/, cont: /^(?:\S+:\d+: in \S|E {2,}\S)/, pick: [{ re: /^E {2,}\S/ }] },
  // pytest's usage errors stop the run before any test (exit status 4): a path on its command line or in its
  // `testpaths` that does not exist, a `--pyargs` package it cannot import, a test id that names no test (`ERROR: not
  // found: tests/x.py::t`, then `(no name '…' in any of [<Module x.py>])`), an ini option no plugin declares under
  // `--strict-config`. The pipeline names a wrong path or option.
  { id: 'pytest.usage-error', category: CONFIGURATION, weight: 80, extend: INDENT, maxLines: 3,
    re: /^ERROR: (?:(?:file or directory not found|module or package not found|not found): \S|Unknown config option: \S)/,
    cont: /^\(no name '/ },
  // pytest exits 5 when it collected nothing (`collected 0 items`, then `no tests ran in 0.01s` between `=` rules):
  // its `testpaths` or `python_files` match no test module. Below the usage errors, which print the same summary
  // above their own line, and a status: an INTERNALERROR's traceback ends in the same summary, not part of it. Under
  // `-q` the summary stands alone, without its rules. A `-k`/`-m` expression that selects no test exits 5 as well:
  // `collected 3 items / 3 deselected / 0 selected`, then a summary that counts deselected tests (and warnings) only.
  { id: 'pytest.no-tests', category: CONFIGURATION, weight: 60, extend: LINE, statusOnly: true,
    re: /^(?:=+ )?(?:no tests ran|\d+ deselected(?:, \d+ warnings?)?) in [\d.]+s(?: =+)?$/,
    lookback: { re: /^collected (?:0 items|\d+ items? \/ \d+ deselected \/ 0 selected)$/, lines: 3, inclusive: true } },
  // argparse's usage error (pytest's under `ERROR: `, any Python CLI's): `usage: prog [options] …` over however many
  // lines, then `prog: error: unrecognized arguments: --cov=app` (an ini file's `addopts` naming a plugin's options
  // with the plugin not installed), pytest's `inifile:` and `rootdir:` indented under it. Exit status 2 (pytest's 4).
  // It ends its program: a test's or coverage's failure after it in the step shows the step went on past it, a CLI's
  // test that expected the refusal (unittest does not capture stderr, pytest's `-s` and `-rA` print it): a warning.
  { id: 'python.argparse-error', category: CONFIGURATION, weight: 80, extend: INDENT, maxLines: 6, warning: true,
    re: /^[\w.-]+: error: (?:unrecognized arguments: |the following arguments are required: |argument \S+: |ambiguous option: )/,
    lookback: { re: /^(?:ERROR: )?usage: \S/, lines: 30, inclusive: true, through: /\S/ } },
  // The dashes right under the header open the traceback; the next header's `====` or `Ran N tests` ends it. The
  // same row of dashes closes the last report, above `Ran N tests`: passed over, part of the block only when a line
  // of it follows them.
  { id: 'unittest.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 300, gap: 99,
    re: /^(?:FAIL|ERROR): \S+ \(\S+\)/, end: /^(?:={20,}|Ran \d+ tests?|-{20,}$)/, interleaved: { re: /^-{20,}$/, lines: 1 },
    pick: [{ re: PY_EXCEPTION_RE, last: true, outdented: true }] },
  // IPython's own (`ipython -c`, and the kernel's under Jupyter, papermill, nbval, nbmake) heads it with the
  // exception's name, `KeyError                                  Traceback (most recent call last)`, and each frame
  // at the line's start: `Cell In[1], line 1` and `File /x/cart.py:2, in total(prices)` (8.5+), `Input In [1], in
  // <cell line: 1>()` (8.0–8.4), `<ipython-input-1-0b5c…> in <module>` and `~/x/cart.py in total(prices)` (7 and
  // before; compiled and generated code's alone, `index.pyx in pandas._libs.index.IndexEngine.get_loc()`,
  // `<decorator-gen-53> in timeit(…)`), each with its code under an arrow (`----> 2`, `--> 346`). IPython 7 prints a
  // file's path whole, spaces and all (`~/work/my project/cart.py in total(prices)`: ultratb's VerboseTB.format_record,
  // `compress_user(file)`, then `in <module>` or `in func(args)`), so one with a space is read to its `in` and call.
  // doctest (`python -m doctest`, `--doctest-modules` without pytest): under a row of stars, `File "…/x.py", line 22,
  // in x.f`, the example and `Expected:`/`Got:`, or `Exception raised:` and its traceback, down to the next row.
  { id: 'doctest.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 200, gap: 1,
    re: /^File "[^"]+", line \d+, in \S+$/, under: { header: /^\*{70}$/, through: /$^/ }, end: /^\*{70}$/ },
  // CPython 3.11+ prints an ExceptionGroup (asyncio's TaskGroup, trio's nurseries, `except*`) as a tree behind `|`
  // and `+` rails: the group's own traceback and exception, then each sub-exception's under `+-+---- 1 ----`, down
  // to the closing `+------`. The group's line says what failed; its sub-exceptions under it, why.
  { id: 'python.exception-group', category: UNKNOWN, weight: 80, extend: INDENT, refine: true, maxLines: 300,
    re: PY_GROUP_TRACEBACK_HEAD_RE, cont: PY_GROUP_FRAME_LINE_RE,
    pick: [{ re: PY_EXCEPTION_GROUP_LINE_RE }] },
  // Django's system checks (`manage.py check`, and every command that runs them first: `test`, `migrate`) stop the
  // command with `SystemCheckError: System check identified some issues:`, the `ERRORS:` and `WARNINGS:` found, each
  // `app.Model.field: (fields.E120) …`, and their count: the project's models, settings or URLs do not hold together.
  { id: 'django.system-check', category: COMPILATION, weight: 84, extend: UNTIL, maxLines: 200,
    re: /^SystemCheckError: System check identified some issues:$/, end: /^System check identified \d+ issues? \(\d+ silenced\)\.$/,
    // A check's object is printed with `str()`: a field's path, `?` for none, a ModelAdmin's `<class 'app.admin.X'>`.
    pick: [{ re: /^(?:\S+|<class '[^']+'>): \([\w.]+\.E\d+\) \S/ }] },
  // behave's pretty and plain formatters print the error of a failed step indented under the step (`    Then x  #
  // features/steps/loans.py:35`): `Assertion Failed: …` for a failed `assert`, a traceback for anything else; then,
  // after every feature, `Failing scenarios:` and the scenarios' places. One rule for the three, so that a run's
  // failures and its list are one report; the scenario's line and the steps above the failed one are its report too
  // (the scenario names the test). Cucumber's pretty formatter prints steps the same way, its errors not.
  { id: 'behave.step-failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 300,
    re: /^(?:\s+(?:Assertion Failed: \S|Traceback \(most recent call last\):$)|Failing scenarios:$)/,
    under: { header: BEHAVE_STEP_RE, through: /$^/, alone: /^Failing scenarios:$/ },
    lookback: { re: /^\s+Scenario(?: Outline)?: /, lines: 40, inclusive: true },
    cont: PY_EXCEPTION_LINE_RE,
    pick: [{ re: /^\s+Assertion Failed: / }, { re: PY_EXCEPTION_LINE_RE, last: true }] },
  // Cucumber's (Ruby) pretty formatter: a failed step's error indented under the step, its message ending in the
  // exception's class (`divided by 0 (ZeroDivisionError)`, `Actual: 2 (Minitest::Assertion)`), then its frames down
  // to the feature file's own, `features/cart.feature:9:in `Then the total is 6'` (`'…'` since Ruby 3.4; two of
  // them under a Scenario Outline's example row). That last frame is the headline: the message may hold no keyword.
  // The scenario's line (`Example:` in Gherkin 6, `Background:` for a step of the feature's background), or the
  // Examples' table with the failing row, and the steps above are the report too. The
  // progress formatter (`--format progress`) lists the same frames flush left under `(::) failed steps (::)`. A
  // pending step's frames are under `TODO (Cucumber::Pending)`: without --strict the run passes (`under`'s header).
  { id: 'cucumber.step-failed', category: TEST_FAILURE, weight: 86, extend: LINE,
    re: /^\s*\S+\.feature:\d+:in [`'‘]/, under: { header: /^(?!.*(?::\d+:in |::Pending\)$))/, through: /:\d+:in / },
    lookback: { re: /^\s+(?:Scenario(?: Outline| Template)?|Examples?|Scenarios|Background):/, lines: 60, inclusive: true, through: /^\s/ },
    pick: [{ re: / \((?:[A-Z]\w*::)*[A-Z]\w*\)$/ }] },
  // Alembic's CommandError, logged then printed (`ERROR [alembic.util.messaging] msg`, `FAILED: msg`): one report;
  // Flask-Migrate logs it alone (`ERROR [flask_migrate] Error: msg`). A revision graph that does not hold together
  // (two heads, a revision no migration has) is the code's fault.
  { id: 'alembic.error', category: UNKNOWN, weight: 80, extend: INDENT, refine: true, re: /^ERROR \[(?:alembic\.util\.messaging|flask_migrate)\] /,
    cont: /^FAILED: /, categoryFrom: [{ re: /Multiple head revisions|Can't locate revision/, category: COMPILATION }] },
  // SQLAlchemy's DBAPI errors go on under the exception's line with the statement that failed (`[SQL: ALTER TABLE …]`),
  // its `[parameters: …]` and `(Background on this error at: …)`.
  { id: 'python.traceback', category: UNKNOWN, weight: 80, extend: INDENT, refine: true, maxLines: 300,
    re: PY_TRACEBACK_RE,
    cont: /^(?:\s|(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Iteration|Warning)\b|(?:[A-Za-z_]\w*\.)*[A-Z]\w*: \S|During handling|The above exception|\[(?:SQL|parameters): |\(Background on this error at: |-*> *\d+\b|Cell In ?\[\d+\], line \d+|Input In \[\d+\], in |File \S.*:\d+, in |<[^<>]+> in \S|\S+\.(?:py[dx]?|pxi|so) in \S|(?:~|\/|[A-Za-z]:\\)(?:[^ ]| (?!in ))*\.(?:py[dx]?|pxi|so) in (?:<module>|[^\s(][^(]*\(.*\))$)/,
    // A chained exception's next traceback belongs to the same failure; two unrelated tracebacks do not. IPython's
    // next header names the exception, which `cont` takes only for the usual names (`ValueError`, not `PriceMissing`).
    contAfter: { prev: /^\s*(?:During handling of the above exception|The above exception was the direct cause)/, re: PY_TRACEBACK_RE },
    // A statement of several lines (`[SQL: ` over `CREATE TABLE users (` … `]`) is SQLAlchemy's message whole.
    message: { open: /^\[SQL: /, end: /\]$/ },
    pick: [{ re: PY_EXCEPTION_RE, last: true, outdented: true }] },
  // A suite ts-jest cannot compile (`● Test suite failed to run`) says why in its TypeScript diagnostic below
  // (`    src/x.ts:42:30 - error TS2345: …`, or `src/x.ts(42,30): error TS2345: …` without `pretty`): the code does not build.
  // Its file's `FAIL x.test.js` line is taken in over the file's tests Jest lists when it runs one file (verbose:
  // `  ✕ name (34 ms)`, `  ✓ name`, a describe's name indented; a file of a few hundred tests), not over another
  // report's `●` line; of that list only the failed tests' `✕` lines (`×` on Windows) are the report's. A test or hook
  // that ran past its time is reported as any failed test, with Jest's timeout message (JEST_TIMEOUT_RE) as its error.
  { id: 'jest.failed', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 300, gap: 99,
    lookback: { re: /^\s*FAIL\s+\S/, lines: 200, inclusive: true, through: /^(?:\s+\S.*)?$/, keeps: /^\s+[✕×] / },
    re: /^\s*● (?!Console\b)\S.*$/, end: /^\s*(?:● \S|(?:PASS|FAIL)\s+\S|Test Suites:|Tests:|Summary of all failing tests|Snapshot Summary$)/,
    pick: [{ re: /^\s+\S+(?::\d+:\d+ - |\(\d+,\d+\): )error TS\d+: / }],
    categoryFrom: [{ re: /^\s+\S+(?::\d+:\d+ - |\(\d+,\d+\): )error TS\d+: /, category: COMPILATION }, { re: JEST_TIMEOUT_RE, category: TIMEOUT }] },
  // Jest and Vitest exit 1 when no file matches their patterns (`--passWithNoTests` makes it 0): Jest lists the
  // patterns and their matches under it, Vitest its `include` and `exclude`. The project's configuration (a test
  // folder renamed, a pattern that no longer matches), not a test's failure. Under `--passWithNoTests` both print the
  // same line with `exiting with code 0`: a run that passed, no report.
  { id: 'jest.no-tests', category: CONFIGURATION, weight: 80, extend: LINE, re: /^No tests found, exiting with code [1-9]\d*$/ },
  { id: 'vitest.no-tests', category: CONFIGURATION, weight: 80, extend: LINE, re: /^No test files found, exiting with code [1-9]\d*$/ },
  // Mocha likewise, with the spec it was given: `Error: No test files found: "test/**/*.spec.js"` (exit 1).
  { id: 'mocha.no-tests', category: CONFIGURATION, weight: 80, extend: LINE, re: /^Error: No test files found: "/ },
  { id: 'vitest.failed', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 300, gap: 99,
    re: /^\s*FAIL {1,2}\S+ > \S.*/, end: /^\s*(?:FAIL {1,2}\S+ > |⎯{3,}|Test Files |Tests )/,
    // A type test (`--typecheck`) says what failed only in its `TypeCheckError:` line.
    pick: [{ re: /^TypeCheckError: \S/ }] },
  // pip 22+ quotes a subprocess that failed (a build backend building a wheel, `setup.py egg_info`, a PEP 517 hook):
  // `error: subprocess-exited-with-error`, `× Building wheel for x (pyproject.toml) did not run successfully.`,
  // `│ exit code: 1`, `╰─> [N lines of output]`, the output six spaces in, `[end of output]`. The output says why (a C
  // compiler's error, a Python exception); pip's `ERROR: Failed building wheel for x` after it only which package.
  // Before the cross-mark rule, which would read the `×` as a failed test's. A C extension's build quotes a compiler
  // command per source file, thousands in a large one: of the output the prediction lists the line picked and the
  // few under it (the code frame, `compilation terminated.`). setuptools' verdict on a compiler that ran and failed
  // (`error: command 'gcc' failed with exit code 1`) is not why; on one that could not start (`… failed: No such file
  // or directory`, no compiler installed) it is the only line that says why.
  { id: 'pip.subprocess-error', category: DEPENDENCY, weight: 86, extend: UNTIL, maxLines: 5000, gap: 99,
    // pip 19.2–21.1 quoted it as `ERROR: Command errored out with exit status 1:`, the command, `Complete output (N
    // lines):`, the output four spaces in, and a row of exactly 40 dashes.
    re: /^\s*× .* did not run successfully\.$|^\s*ERROR: Command errored out with exit status \d+:$/, end: /^\s*(?:\[end of output\]$|note: This error originates from a subprocess)|^\s*-{40}$/,
    // MSVC's errors (a Windows runner's cl.exe) read `src/x.c(17): error C2065: …`.
    pick: [{ re: /^\s*\S+?(?::\d+(?::\d+)?: (?:fatal )?error: |\(\d+(?:,\d+)?\): (?:fatal )?error C\d{4}: )/ }, { re: PY_EXCEPTION_LINE_RE, last: true }, { re: /^\s*[Ee]rror: (?!command '[^']*' failed with )\S/ }],
    // A compiler's error in the package's own code is the code's failure; a `fatal error:` (a header that is not
    // installed: `libpq-fe.h: No such file or directory`, MSVC's `fatal error C1083: Cannot open include file`) stays
    // a missing dependency's.
    categoryFrom: [{ re: /^\s*\S+?(?::\d+(?::\d+)?: error: |\(\d+(?:,\d+)?\): error C\d{4}: )/, category: COMPILATION }],
    // pip's frame around the quote (`│ exit code: 1`, `╰─> [2 lines of output]`) is none of it. setuptools' own
    // `error: command '/usr/bin/gcc' failed with exit code 1` names the command the build stopped on.
    keyLines: { belowPick: { lines: 4 }, also: SETUPTOOLS_COMMAND_FAILED_RE, tail: { lines: QUOTED_OUTPUT_TAIL, skip: /^\s*(?:│ |╰─> \[\d+ lines? of output\]$)/ } } },
  // uv marks its errors with the same `×` test reporters use for a failed test.
  { id: 'uv.error', category: DEPENDENCY, weight: 86, extend: INDENT, maxLines: 40,
    re: /^\s*× (?:No solution found when resolving dependencies|Failed to (?:build|download|fetch|resolve|prepare distributions|install)\b)/ },
  // commitlint: `✖   subject may not be empty [subject-empty]` under `⧗   input: <message>`, before the cross-mark rule
  // that would read it as a failed test.
  // aws-cdk-lib 2's errors name their code in guillemets (`«InvalidBucketNameValue» Invalid S3 bucket name …`, or the
  // synthesis' `[«ValidationFailedWithErrors» Validation failed with the following errors:` over `  [Stack/Id] …`
  // lines); Node prints them as an uncaught exception, with the app's frames and `Relates to construct:` under it.
  // A code of two words or more is one on its own; a code of one word (29 of aws-cdk-lib 2.276's 2,825: `«Undefined» key
  // is undefined`, `«Stack» …`) counts with the stack under it (`    at …`, `    ...new Bucket2 in aws-cdk-lib...`,
  // `Relates to construct:`): `«Enregistrer» …`, a French string in guillemets, has none.
  { id: 'cdk.error', category: COMPILATION, weight: 84, extend: PARAGRAPH, gap: 0,
    re: /^\[?«[A-Z]\w*» \S/, confirmedBy: /^\[?«[A-Z]+[a-z\d]+[A-Z]|^\s+(?:at |\.{3}\S)|^Relates to construct:$/, rereadHead: true },
  // VitePress: `(!) Found dead link ./x in file guide/a.md`, one a link, then the build's `[vitepress] 2 dead link(s)
  // found.` (printed twice, the second with the stack).
  { id: 'vitepress.dead-link', category: COMPILATION, weight: 84, extend: LINE,
    re: /^(?:\(!\) Found|\[vitepress\] \d+) dead link/ },
  // ajv-cli's `validate`: `config/a.json invalid`, then its errors, as JavaScript objects (`  {`, `instancePath:
  // '/name'`, `message: 'must …'`) or with `--errors=text` on one line (`data/name must match pattern "…"`).
  { id: 'ajv.invalid', category: LINT, weight: 80, extend: PARAGRAPH, gap: 0, maxLines: 120,
    re: /^\S+\.(?:json\w?|ya?ml) invalid$/ },
  // Next.js's build: a page throwing while it is prerendered, `Error occurred prerendering page "/x". Read more: …`,
  // then the error, its frame in the page's source (`> 5 |` at fault), the digest, and `Export encountered an error`.
  { id: 'next.prerender', category: COMPILATION, weight: 84, extend: PARAGRAPH, gap: 0,
    re: /^Error occurred prerendering page "/ },
  // license-checker's `--failOn` / `--onlyAllow` verdicts: a dependency's licence the project's policy refuses.
  { id: 'license.refused', category: DEPENDENCY, weight: 80, extend: LINE,
    re: /^Found license defined by the --failOn flag|^Package "\S+" is licensed under .* by the --onlyAllow flag/ },
  // A CLI refusing the Node.js it runs on (Astro: `Node.js v20.20.2 is not supported by Astro!`, then `Please upgrade
  // Node.js to a supported version: ">=22.12.0"`): the job's Node or the package's version, as npm's EBADENGINE.
  { id: 'node.unsupported', category: DEPENDENCY, weight: 80, extend: PARAGRAPH, gap: 0,
    re: /^Node\.js v\d+\.\d+\.\d+ is not supported by \S/ },
  // changesets (`changeset status --since=main`): changed packages without a changeset, a policy check on the pull
  // request as commitlint is; its other `🦋  error` lines say what it could not do.
  // size-limit over budget: `  Package size limit has exceeded by 2.93 kB`, the check's `Size limit:` and `Size:`
  // under it down to the blank line (`  `) before the next entry, and above it the entry's name when the config has
  // more than one (`  dist/chart.js`).
  // A time budget's check says `  Total time limit has exceeded`; an entry whose files are not there (the build did
  // not run) `  Size Limit can’t find files at dist/b.js`, with a typographic apostrophe: the workflow's fault.
  { id: 'size-limit.exceeded', category: LINT, weight: 80, extend: PARAGRAPH, gap: 0,
    re: /^\s*(?:(?:Package size|Total time) limit has exceeded\b|Size Limit can’t find files at )/,
    lookback: { re: /^ {2}\S/, lines: 1, inclusive: true }, categoryFrom: [{ re: /^\s*Size Limit can’t/, category: CONFIGURATION }] },
  // publint: under `Linting...` (or a dependency's `x name` with --deps) its `Errors:`, numbered, before its
  // `Warnings:` and `Suggestions:`, which do not fail the run.
  { id: 'publint.errors', category: LINT, weight: 80, extend: INDENT, re: /^Errors:$/, cont: /^\d+\. \S/,
    under: { header: /^(?:Linting\.\.\.|x \S+)$/, through: /$^/ } },
  // knip's default report: a heading per kind with its count (`Unused files (1)`, `Unlisted dependencies (2)`) over
  // its items, one after the other: one paragraph. `composer validate --strict` fails on the warnings it lists under
  // `./composer.json is valid, but with a few warnings` (without --strict the run passes: below any toolchain's report).
  { id: 'knip.issues', category: LINT, weight: 80, extend: PARAGRAPH, gap: 0, maxLines: 200,
    re: /^(?:Unused|Unlisted|Unresolved|Duplicate) [A-Za-z ]+ \(\d+\)$/ },
  { id: 'composer.validate', category: LINT, weight: 45, extend: INDENT,
    re: /^\S+ is valid(?:, but with a few warnings| for simple usage with Composer but has)$/,
    cont: /^(?:See https:\/\/getcomposer\.org\/|strict errors that make|# \w+(?: file)? (?:errors|warnings)$|- \S)/ },
  { id: 'changesets.missing', category: LINT, weight: 80, extend: LINE, re: /^🦋 {2}error Some packages have been changed but no changesets were found\b/ },
  { id: 'changesets.error', category: UNKNOWN, weight: 60, extend: LINE, refine: true, re: /^🦋 {2}error (?!If this change doesn't need a release)\S/ },
  { id: 'commitlint.problem', category: LINT, weight: 78, extend: LINE,
    re: /^✖ {3}\S.* \[[a-z]+(?:-[a-z]+)*\]$/, lookback: { re: /^⧗ {3}input: /, lines: 10, inclusive: true } },
  // Lighthouse CI (`lhci assert`, `autorun`): `  ✘  categories.performance failure for minScore assertion`, then
  // `expected:`, `found:` and `all values:` indented below it; `⚠️ … warning for …` lines do not fail the run.
  { id: 'lhci.assertion', category: TEST_FAILURE, weight: 82, extend: INDENT, maxLines: 10, re: /^\s*✘ {2}\S+ failure for \w+ assertion$/ },
  // xcpretty's failed XCTest (`    ✗ testTotal, XCTAssertEqual failed: …`; XCTest runs only methods named `test…`): the
  // test and why, where xcodebuild's `Failing tests:` list at the end of the run names the test only. Under
  // xcpretty's own summary of the failures (the same line with the file and its code, `xctest.failed`).
  { id: 'xcpretty.test-failed', category: TEST_FAILURE, weight: 80, extend: LINE, re: /^\s*✗ test\w*(?:\(\))?, \S/ },
  // Node's built-in test runner, spec reporter (lib/internal/test_runner/reporter/spec.js): `✖ name (1.05ms)`, the
  // error inspected two spaces under it (its message, the values, the stack, then its properties), `▶ suite` above.
  // At the end `✖ failing tests:` lists each failed test again, with its error, under `test at file:line:col`. Node
  // 20 prints the error in both places, the summary's copy a repeat of the block (one finding per test); Node 22
  // prints it only in the summary, `✖ name (1.05ms)` alone inline. A failed suite closes with the same `✖ name
  // (2.3ms)`, alone, after its tests. So a `✖` line counts only with something indented under it (`confirmedBy`:
  // within the block every line under the headline is): the error, wherever it is printed. Of the block the
  // prediction lists the error's message and the values under it, down to the first frame; the run's `ℹ fail N`
  // confirms it, printed after the tests (Node 20's blocks) and above `✖ failing tests:` (Node 22's).
  // Under `failing tests:` each test's position stands above it (`test at test/x.test.js:10:3`): the block takes it
  // in, and of the stack the prediction lists the frames in the project's own files (not node:internal's, nor a
  // package's under node_modules; on Windows a CommonJS frame's path is `D:\a\…`, an ES module's `file:///D:/a/…`).
  { id: 'node-test.failed', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 60,
    re: /^\s*✖ (?!failing tests:$)\S.*? \(\d+(?:\.\d+)?ms\)$/, confirmedBy: /^\s*[^\s✖]/,
    lookback: { re: /^test at \S+:\d+:\d+$/, lines: 1, inclusive: true },
    // What a test threw that is no Error is inspected alone on its line: a timeout's `'test timed out after 20ms'`.
    pick: [{ re: /^\s+(?:[A-Z]\w*)?Error\b/ }, { re: /^\s+(?:'.*'|\{ .* \})$/ }],
    keyLines: {
      belowPick: { end: /^\s+at \S/, lines: 8 },
      also: /^\s*✖ \S|^\s+at (?:.* \()?(?:file:\/\/)?(?:\/|[A-Za-z]:\\)(?!\S*[\\/]node_modules[\\/])\S+:\d+:\d+\)?$/,
    }, tally: /^ℹ fail [1-9]\d*$/,     tallyAbove: { heading: /^✖ failing tests:$/, entry: /^test at \S+:\d+:\d+$/, through: /^ℹ / } },
  // Vite 8's status line above its bundler's errors (rolldown.error), with the mark test reporters use for a failed
  // test: it says that the build failed, not why.
  { id: 'vite.build-failed', category: COMPILATION, weight: 14, extend: LINE, statusOnly: true, re: /^✗ Build failed in \d/ },
  // AVA's default reporter: a `✘ [fail]: name` line per failed test, then under a `─` rule each one's report (its
  // title, `test/x.js:9`, the code, the difference, `› file://…`), none of whose lines a keyword marks: the last
  // `✘` line's block holds the report, down to the run's summary (`2 tests failed`, `1 uncaught exception`).
  { id: 'ava.failed', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 400, gap: 99,
    re: /^\s*✘ \[fail\]: \S/, end: /^\s*\d+ (?:tests? failed|known failures?|uncaught exceptions?|unhandled rejections?)$/ },
  // Playwright Test's list reporter: a line per test as it ends, `✘` for a failed one (`  ✘  2 [chromium] ›
  // tests/x.spec.ts:10:1 › title (25ms)`, `(retry #1)` after a retry's), above the run's reports of them.
  { id: 'playwright.list-failed', category: TEST_FAILURE, weight: 62,
    re: /^\s*✘ +\d+ (?:\[[^\]]+\] › )?\S+:\d+:\d+ › \S/, announces: 'playwright.failed' },
  // bun test prints a failed test's report (the code frame, `error: expect(received).toBe(expected)` or the thrown
  // error, the values, the frames) above its verdict, `(fail) describe > name [0.14ms]`: the report runs back to the
  // previous test's verdict or the file's heading (`test/a.test.ts:`, `::group::test/a.test.ts:` under Actions).
  // In colour (FORCE_COLOR) bun marks its verdicts `✓`/`✗`/`»`/`✎` instead; a `✗` line is bun's with its time
  // (ahead of test.cross-mark, which would take it alone).
  { id: 'bun.test-failed', category: TEST_FAILURE, weight: 84, extend: LINE, re: /^(?:\(fail\) \S|✗ \S.* \[\d+(?:\.\d+)?m?s\]$)/,
    lookback: { re: /^(?:\(\w+\)|[✓✗»✎]) |^(?:::|##\[)group|^\S+\.[cm]?[jt]sx?:$/, lines: 80, inclusive: false },
    pick: [{ re: /^(?:error: |\w*Error: )/ }] },
  // tsd: each test file's `  test-d/x.test-d.ts:6:20` heading, its failed assertions' `  ✖  6:20  message` lines (a
  // message's second line as deep), down to the blank line above `  2 errors`. Positions are padded to the widest
  // (`✖   5:19  …`, `✖  10:0   …`). XO's lint report has the same formatter (eslint-formatter-pretty), each message
  // ending in its rule's id (`  no-unused-vars`), where tsd's end in the padding.
  { id: 'tsd.error', category: TEST_FAILURE, weight: 80, extend: PARAGRAPH, gap: 0, maxLines: 60,
    re: /^\s+✖ +\d+:\d+ +\S/, lookback: { re: /^\s+\S+:\d+:\d+$/, lines: 1, inclusive: true },
    categoryFrom: [{ re: /^\s+✖ .*\S {2,}[@\w/-]+$/, category: LINT }] },
  // @arethetypeswrong/cli: each problem of the package's types on a line of its own, its emoji, its description and
  // its documentation's link (`💀 Import failed to resolve … https://github.com/arethetypeswrong/…/docs/problems/
  // NoResolution.md`; the link's `problems` is the line filter's keyword), a blank line between, then the table of
  // module resolutions, down to its last rule. A problem `--ignore-resolutions` leaves aside (`(ignored per
  // resolution) …`) fails nothing.
  { id: 'attw.problem', category: LINT, weight: 78, extend: PARAGRAPH, gap: 2, maxLines: 60,
    re: /^(?!\(ignored )\S.* https:\/\/github\.com\/arethetypeswrong\/\S+\/problems\/\w+\.md$/ },
  // madge --circular: `✖ Found 2 circular dependencies!`, a blank line, then a cycle a line (`1) cart.js > pricing.js >
  // discounts.js`) under it; `✔ No circular dependency found!` when it passes. Read before test.cross-mark, which
  // reads `✖ …` lines.
  { id: 'madge.circular', category: LINT, weight: 76, extend: INDENT, maxLines: 60, re: /^✖ Found \d+ circular dependenc(?:y|ies)!$/,
    cont: /^\d+\) \S+(?: > \S+)+$/ },
  // lint-staged's `✖ command:` over the output of a task that failed (getSpawnedTask.js), when the command sets ESLint's
  // `--max-warnings`: its warnings fail the task as its errors do (ESLint's `ESLint found too many warnings (maximum:
  // 0).` says so only when there is no error), so the report is the whole output, warnings with errors, single blank
  // lines between its files, down to the next failed task's `✖ command:`. Its first problem is shown first. (Ahead of
  // test.cross-mark, which reads `✖ …` lines.) The cross is listr2's figure: `×` where it finds no Unicode (Windows
  // outside CI and without Windows Terminal or VS Code, listr2's isUnicodeSupported).
  { id: 'lint-staged.max-warnings', category: LINT, weight: 82, extend: PARAGRAPH, gap: 1, maxLines: 200,
    re: /^[✖×] \S.* --max-warnings[= ]\d.*:$/, end: /^[✖×] \S.*:$/, pick: [{ re: /^\s+\d+:\d+\s/ }] },
  { id: 'test.cross-mark', category: TEST_FAILURE, weight: 62, extend: INDENT,
    // esbuild marks its messages with the same `✘`: `✘ [ERROR] …` is the bundler's (webpack.error).
    re: /^\s*(?:×|✕|✗|✘|✖)\s+(?!\[(?:ERROR|WARNING)\] |failing tests:$)\S(?!.*\bproblems?\b)/ },
  // What says why, in the YAML under `not ok N`: node:test's one-line `error: '…'` or, on the lines under its
  // `error: |-`, node:assert's own message (a message of the test's own is not told from the values: the `not ok`
  // line stays first); tape's keys, four spaces in (node:test's stand two in, as deep as its `---`). Bats puts its
  // diagnostics under the line as TAP comments: `# (in test file test/x.bats, line 15)` (`# (from function …` through
  // a helper) and the command that failed three spaces in; a comment one space in is the next test's name (tape's),
  // but for busted's (`-o TAP`): `# spec/x_spec.lua @ 4`, `# Failure message: …`, luassert's `# Passed in:`,
  // `# Expected:` and the values under them, `# (number) 6`, and with --verbose its `# stack traceback:` frames.
  // node:test's own time limit on a test (`failureType: 'testTimeoutFailure'` over `error: 'test timed out after
  // 100ms'`) is a timeout, as go test's is.
  { id: 'tap.not-ok', category: TEST_FAILURE, weight: 78, extend: INDENT, re: /^\s*not ok \d+/,
    categoryFrom: [{ re: /^\s+failureType: 'testTimeoutFailure'$/, category: TIMEOUT }],
    cont: /^\s*(?:---|\.\.\.|operator:|expected:|actual:|at:|stack:)|^#(?: \((?:in|from) | {2,}\S| (?:\S+ @ \d+$|Failure message: |Passed in:$|Expected:$|\(\w+(?::|\) )|stack traceback:$|\t))/,
    pick: [
      { re: /^\s+error: (?!\|-?$)\S/ },
      { re: /^\s+(?:Expected values to be |Expected "actual" |The expression evaluated to a falsy value:|Missing expected (?:exception|rejection)|Got unwanted (?:exception|rejection)|Values (?:identical but not|have same structure but are not) reference-equal:)/ },
      // Vitest's tap and tap-flat reporters nest the error's `name:` and `message:` under `error:`, eight spaces in,
      // above the `expected:` of the diff four spaces in; its tap reporter four spaces further a suite or file over it.
      { re: /^ {8}(?: {4})*message: "/ },
      { re: /^ {4}(?:message|operator|expected):/ },
    ] },
  // A JUnit XML report printed to the log (Mocha's xunit reporter without `output`): a failed test's
  // `<testcase classname="suite" name="test" …><failure>message`, the message and the stack below it down to
  // `</failure></testcase>`, blank lines and all (a diff's). The line names the test; a passed test's
  // `<testcase …/>` has no `<failure>`. A report closed on its own line (ESLint's junit formatter, a self-closing
  // `<failure …/>`) ends at the next element. ESLint's junit formatter (`name="org.eslint.<rule>"`) writes a `<failure>`
  // for a warning too, `line 3, col 7, Warning - …` in its CDATA: not a failure; its errors are lint.
  // A report printed element by element (Vitest's junit reporter, Surefire's files) has the `<failure message=…>` on
  // its own line, right under its `<testcase …>`, which is listed with it (a checkstyle `<error …/>` has none).
  { id: 'junit-xml.failure', category: TEST_FAILURE, weight: 70, extend: UNTIL, maxLines: 100, gap: 99,
    re: /^\s*(?:<testcase [^>]*>)?<(?:failure|error)\b(?![^>]*><!\[CDATA\[line \d+, col \d+, Warning - )/,
    under: { header: /^\s*<testcase [^>]*[^/]>$/, through: /(?!)/, alone: /^\s*<testcase / },
    lookback: { re: /^\s*<testcase /, lines: 1, inclusive: true, when: /^\s*<(?:failure|error)\b/ },
    end: /<\/(?:failure|error)>|^\s*<\/?test(?:case|suite)\b/,
    categoryFrom: [{ re: /^\s*<testcase [^>]*name="org\.eslint\./, category: LINT }] },
  // plunit (SWI-Prolog 9.0): a failed test's place, `ERROR: /path/test.pl:11:`, then the test a tab in (`\ttest
  // size: wrong answer (compared using =:=)`, `\ttest x: failed`, `\ttest x: received error: …`) and a wrong
  // answer's `ERROR:     Expected: 2` / `ERROR:     Got:      3`. Before automake's harness, whose `ERROR: t/x` it
  // looks like. The path is absolute. The test's line must follow,
  // a tab in (or `ERROR:     test queue:size: …` in later plunits): swipl's own load errors (`ERROR: /path/x.pl:2:`
  // over `ERROR:    catch/3: Unknown procedure …`) have the same place line. On Windows the path is the file's
  // canonical name, its drive then `/` (`ERROR: d:/a/x/x/test/q.pl:4:`; plunit prints `url(File:Line)`). Any drive
  // letter leaves the rule the literal `error: `, so it is tried on compilers' `error: ` lines too: anchored and
  // case-sensitive, it fails there at the first character.
  { id: 'plunit.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 20, gap: 0,
    re: /^ERROR: (?:[A-Za-z]:\/|\/)\S*\.plt?:\d+:(?:\d+:)?$/, nextLine: /^(?:\t|ERROR: +test )\S/, end: /^(?!ERROR: {2,}\S|\t)/ },
  // FiveAM's `run!` (explain!): the run's dots and `f`/`X` per check, its tally, then ` Failure Details:` and a section
  // per failed check between rules of 32 dashes: ` TEST-NAME in SUITE [description]: `, then why (`Unexpected Error:
  // #<TYPE-ERROR …>` and the condition's text, or the form, ` evaluated to `, its value, ` which is not `, the
  // predicate, ` to `, the expected value, each a blank line apart). The heading announces them: the block is the
  // sections, the first failed test's line shown first.
  { id: 'fiveam.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, headNext: true, maxLines: 200, gap: 2,
    re: /^ Failure Details:$/, end: /^(?:Running test suite |\s*Did \d+ checks?\.$)/, pick: [{ re: /^ \S+ in \S+ \[.*\]: ?$/ }] },
  // automake's parallel test harness (`make check`): a `FAIL: tests/x` line per failed test as it ends (`ERROR:` for a
  // hard error, `XPASS:` for an unexpected pass; under tap-driver.sh one per TAP result, `FAIL: tests/x.sh 2 - name`),
  // with VERBOSE=1 then test-suite.log: a section per failed test under the same `FAIL: tests/x` line, the test's own
  // output (a Check or GoogleTest report, the TAP stream with the driver's result lines between its lines) and the
  // driver's `FAIL tests/x (exit status: 1)`. Each such line opens a block down to the next (the test's output has no
  // shape of its own), or to the summary's banner of 76 `=`. A `FAIL: lint.sh` printed by another tool opens one
  // too: it counts only with a line of the harness in it (a passed or skipped test's result, a section's closing
  // status, the banner, test-suite.log's counts `# TOTAL: 3`, the TAP stream's `not ok 2` above its driver's line),
  // and a block dropped for want of one is read again by the other rules (a compiler's error under it). Two `FAIL:`
  // lines one under the other confirm the first (`confirmedByNext`); with other lines between, those must.
  { id: 'automake.test-failed', category: TEST_FAILURE, weight: 64, extend: UNTIL, maxLines: 150, gap: 2,
    re: /^(?:FAIL|ERROR|XPASS): (?=\S*[/._-])\S+(?: \d+)?(?: [-#] .*)?$/, end: /^Testsuite summary for /,
    confirmedBy: /^(?:(?:PASS|SKIP|XFAIL): \S|(?:FAIL|XPASS|ERROR) \S+ \(exit status: \d+\)$|={76}$|# (?:TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR): +\d+$|(?:not )?ok \d+\b)/, confirmedByNext: true },
  // zig build test: `error: 'cart.test.total' failed:`, then `expected 90, found 100` and the trace indented below; its
  // later `error: while executing test …` and `error: the following build command failed …` only say so again
  // (WRAPPER_RE).
  { id: 'zig.test-failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 60, re: /^error: '[^']+' failed:/ },
  // Ginkgo's report of a failed spec, inside `go test`'s output: `• Failure [0.001 seconds]` (Ginkgo 1; `• Failure
  // in Spec Setup (BeforeEach) […]`, `•! Panic […]`) or `• [FAILED] [0.001 seconds]` (Ginkgo 2, `[PANICKED]`,
  // `[TIMEDOUT]`, `•! [INTERRUPTED]` and `•! [ABORTED]`; a suite node's `[BeforeSuite] [FAILED]` in the bullet's
  // place, ` DURING REPETITION #2` under MustPassRepeatedly: its DefaultReporter's headers), the spec's containers and
  // text with their places, Gomega's message and the failing line, down to the rule of 30 dashes under it. Above the suite's `--- FAIL: TestX`, which only says the suite failed: printed
  // before it, at go test's weight (its look-back does not cross the suite's unindented output), and not above
  // another package's plain `--- FAIL` printed before it.
  { id: 'ginkgo.failed', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 200, gap: 99,
    re: /^(?:•|\[(?:(?:Synchronized)?(?:Before|After)Suite|Report(?:Before|After)Suite|DeferCleanup \(Suite\))\])?!? ?(?:Failure|Panic|\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\])(?: in Spec (?:Setup|Teardown) \([\w ]+\))?(?: DURING REPETITION #\d+)? \[[\d.]+ seconds\]$/,
    end: /^-{30}$/ },
  { id: 'go.test-failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 300, re: /^\s*--- FAIL: \S+/, lookback: { re: /^=== (?:RUN|CONT|NAME)\s/, lines: 40, inclusive: false, through: /^ {4}\s*\S|^\s*$/ }, cont: /^\s*(?:Error Trace:|Error:|Messages:|Test:)/,
    pick: [{ re: /^\s+(?:[\w.-]+\.go:\d+: \S|Error:\s+\S)/ }, { re: /^\s+--- FAIL: \S+/, last: true }] },
  // Zig's panic handler (std.debug): `thread 2718 panic: index out of bounds: index 5, len 3`, then the stack, each
  // frame `src/ring.zig:27:32: 0x1036f52 in pop (test)` above its source line and a `^` (`???:?:?: 0x0 in ??? (???)`
  // without debug information). Under `zig test` the panic goes on the test's own `3/4 ring.test.pop...` line.
  { id: 'zig.panic', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 120, re: /^(?:\d+\/\d+ .*\.\.\.)?thread \d+ panic: \S/,
    cont: /^(?:\S+\.zig|\?{3}):(?:\d+|\?):(?:\d+|\?): 0x[0-9a-f]+ in |^(?:error return context|stack trace):$/ },
  // A panic in a goroutine the test started ends the test binary before the test can report: no `--- FAIL` line
  // names it, only go test -v's `=== RUN   TestX` right above the `panic:` (a panic in the test's own goroutine has
  // its `--- FAIL` in between). A goroutine an earlier test left running panics under whichever test runs then: its
  // trace names its own test, in a frame (`pkg.TestLevel.func1()`, `pkg.(*S).TestLevel(…)`) or where it was started
  // (`created by pkg.TestLevel`, ` in goroutine N` since go 1.21), and the `=== RUN` of another is dropped. A suite's
  // method (testify's suite.Run) runs as a subtest, `=== RUN   TestInvSuite/TestLevel`, its frames `(*InvSuite).TestLevel`.
  { id: 'go.panic', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 200, re: /^panic: /, cont: /^(?:goroutine |\S[^\s(]*\(.*\)$|\[signal )/,
    lookback: { re: /^=== RUN\s/, lines: 1, inclusive: true, names: { line: /^=== RUN\s+((?:Test|Benchmark|Fuzz|Example)\S*)/, frame: /^(?:created by )?\S*\.((?:Test|Benchmark|Fuzz|Example)\w*)(?:\.func\d+(?:\.\d+)*)?(?:\(| in goroutine \d+$|$)/ } },
    // go test's own alarm (`-timeout`, 10m by default) panics with every goroutine's stack, the hung test's among them
    // (`running tests:` and its name above them since go 1.21): the run's time ran out, no test's check failed.
    categoryFrom: [{ re: /^panic: test timed out after \S+$/, category: TIMEOUT }] },
  // gotestsum's summary: `=== FAIL: internal/cart TestTotal (0.00s)` (a package's own failure has no test name), the
  // test's output indented below it.
  { id: 'gotestsum.failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 200,
    re: /^=== FAIL: \S+ +(?:\S+ +)?\([\d.]+m?s\)(?: \(re-run \d+\))?$/, pick: [{ re: /^\s+[\w.-]+\.go:\d+: \S/ }] },
  // Raw `go test -json` (test2json): the test's `--- FAIL` is an output event; its messages are the events above it.
  { id: 'go.test-json-failed', category: TEST_FAILURE, weight: 86, extend: LINE,
    re: /^\{"Time":"[^"]*","Action":"output","Package":"[^"]*",(?:"Test":"[^"]*",)?"Output":"\s*--- FAIL: \S/,
    lookback: { re: /"Output":"=== RUN /, lines: 40, inclusive: false, through: /^\{"Time":"[^"]*","Action":"output",/ },
    pick: [{ re: /"Output":" {4,}[\w.-]+\.go:\d+: / }] },
  { id: 'go.pkg-failed', category: TEST_FAILURE, weight: 30, extend: LINE, statusOnly: true, re: /^(?:FAIL\s+\S+\s+(?:[\d.]+s|\[build failed\]|\[setup failed\])|FAIL)$/ },
  { id: 'nextest.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 400, gap: 99,
    re: /^\s*(?:FAIL|SIGSEGV|SIGABRT|SIGKILL|TIMEOUT|LEAK-FAIL) \[\s*[\d.]+m?s\] (?:\(\s*\d+\/\d+\) )?\S/,
    end: /^\s*(?:(?:PASS|FAIL|SKIP|SIGSEGV|SIGABRT|SIGKILL|TIMEOUT|LEAK|START|SLOW|RETRY|TRY \d+ \w+) \[|Summary \[|Cancelling due to)/,
    pick: [{ re: /^\s*error(?:\[E\d{4}\])?: (?!test failed|aborting)/ }, { re: /^\s*thread '.*'(?: \(\d+\))? panicked at/ }],
    // Recent Rust names the thread's id too: `thread 'main' (25975) panicked at src/lib.rs:12:9:`.
    keyLines: { underPick: /^\s*--> \S+:\d+(?::\d+)?$/, after: /^\s*thread '.*'(?: \(\d+\))? panicked at \S+:\d+(?::\d+)?:$/ },
    tally: /^\s*Summary \[\s*[\d.]+m?s\] \d+ tests? run: .*\b\d+ failed\b/ },
  // A doc-test is named by its file, item and line: `---- src/version.rs - version::Version::bump (line 88) stdout ----`.
  // Under `--no-fail-fast` each test target that failed prints its own `failures:` section (its summary, `error: test
  // failed, to rerun pass \`--test x\``, the next target's `Running` and progress lines between): one run's report.
  { id: 'cargo.test-output', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 200, gap: 99, joinsInStep: true,
    re: /^---- \S+(?: - (?:\S+ )?\(line \d+\))? stdout ----$/, end: /^(?:---- \S+(?: - (?:\S+ )?\(line \d+\))? stdout ----|failures:$|test result:)/ },
  { id: 'rust.panic', category: UNKNOWN, weight: 82, extend: INDENT, refine: true, maxLines: 120,
    re: /^\s*thread '.*' panicked at/, cont: /^(?:note: |stack backtrace:|\s+\d+: |expected success|\S.*', \S+\.rs:\d+:\d+$)/ },
  // Deno and Bun print a failed assertion as `error: AssertionError: …` / `error: expect(received).toBe(expected)`,
  // which rustc's `error: ` rule would otherwise read as a compiler error.
  // A sanitizer's report on a test binary (GCC's and Clang's `-fsanitize=address`, LeakSanitizer's leaks at exit):
  // `==PID==ERROR: AddressSanitizer: heap-buffer-overflow on address …`, the access (`WRITE of size 4 at … thread
  // T0`) and its frames (`    #0 0x… in rb_push src/ringbuf.c:23`), where the memory was allocated or freed, and its
  // `SUMMARY: AddressSanitizer: heap-buffer-overflow src/ringbuf.c:23 in rb_push`. The shadow bytes' map after it
  // tells nothing a reader needs. A SEGV's report says under its headline, under the process's id as well, what the
  // signal was caused by (`==PID==The signal is caused by a WRITE memory access.`, `==PID==Hint: address points to
  // the zero page.`), and `AddressSanitizer can not provide additional info.` after its frames, above the SUMMARY;
  // its advice flush left above the SUMMARY as well (`HINT: this may be a false positive if your program uses some
  // custom stack unwind mechanism …` under a stack-buffer-overflow).
  // ThreadSanitizer heads its report `WARNING: ThreadSanitizer: data race (pid=PID)` and MemorySanitizer its own
  // `==PID==WARNING: MemorySanitizer: use-of-uninitialized-value`, warnings by name that fail the run all the same
  // (the process exits 66, or 1), what they found indented under them.
  { id: 'sanitizer.error', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 80,
    re: /^==\d+==(?:ERROR: (?:Address|Leak|Memory|Thread|HWAddress)Sanitizer|WARNING: MemorySanitizer): \S|^WARNING: ThreadSanitizer: \S/,
    cont: /^(?:\s+#\d+ 0x[0-9a-f]+ |(?:READ|WRITE) of size \d+ |0x[0-9a-f]+ is located |(?:(?:previously )?allocated|freed) by thread |Thread T\d+ created by |(?:Direct|Indirect) leak of |SUMMARY: \w+Sanitizer: |Address 0x[0-9a-f]+ is |==\d+==(?:The signal is caused by |Hint: )|\w+Sanitizer can not provide additional info\.$|HINT: )/ },
  // UndefinedBehaviorSanitizer's report: `file.c:8:16: runtime error: signed integer overflow: …` (the stack under it
  // with `print_stacktrace=1`); clang's runtime adds `SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior
  // file.c:8:16 in ` flush left under it, GCC's does not. Under `-fno-sanitize-recover` it is the test's last line;
  // without it (the default) the program goes on and may pass, the same lines printed: below the failures of other
  // tools (a compiler's error in a later target), above a bare `make: ***`.
  { id: 'sanitizer.ub-runtime-error', category: TEST_FAILURE, weight: 72, extend: INDENT, maxLines: 40,
    re: /^\S+:\d+:\d+: runtime error: \S/, cont: /^SUMMARY: UndefinedBehaviorSanitizer: / },
  // Go's race detector (`go test -race`, ThreadSanitizer inside Go's runtime): between two lines of `=`, `WARNING: DATA
  // RACE`, each access (`Read at 0x… by goroutine 9:`, `Previous write at …`) over its frames (the function, its
  // file:line indented deeper) and where the goroutines were created, blank lines between. The test then fails with
  // `race detected during execution of test`, which says only that there was one.
  { id: 'go.data-race', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 200, gap: 1,
    re: /^WARNING: DATA RACE$/, end: /^={10,}$/ },
  // Valgrind's memcheck (`--error-exitcode` fails the run on its errors): each error under the process's id,
  // `==PID== Invalid write of size 4`, its frames (`==PID==    at 0x…: rb_push (ringbuf.c:23)`, `by 0x…`) and where
  // the memory came from (`==PID==  Address 0x… is 0 bytes after a block of size 16 alloc'd` and its frames); a
  // leak's record under `--leak-check=full` (`16 bytes in 1 blocks are definitely lost in loss record 1 of 1`).
  { id: 'valgrind.error', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 60, wrapsOutput: true,
    re: /^==\d+== (?:Invalid (?:read|write) of size \d+|Invalid (?:free|delete|delete\[\]|realloc)\(\)|Mismatched free\(\) \/ delete \/ delete \[\]|Conditional jump or move depends on uninitialised value|Use of uninitialised value of size \d+|Syscall param \S+ (?:points to|contains) (?:uninitialised|unaddressable) byte|Source and destination overlap in \S+|[\d,]+ (?:\([\d,]+ direct, [\d,]+ indirect\) )?bytes in [\d,]+ blocks are (?:definitely|possibly) lost in loss record )/,
    cont: /^==\d+== {2,}(?:at|by) 0x[0-9A-F]+: |^==\d+== {2}(?:Address 0x[0-9a-f]+ is |Block was alloc'd at$|Uninitialised value was created by )/ },
  // deno test's ERRORS section: a failed test's `name => ./x_test.ts:4:6` (no keyword: the `error:` line under it is
  // the headline and takes it), then what it threw, an AssertionError's values, the source line, caret and frames.
  // Deno prints the source line as the file has it, flush left too (a one-line helper): the lines from the headline to
  // the caret or the first frame are the message's, whatever their indent; a sanitizer's error (`error: Leaks
  // detected:`, its advice flush left under its list) has neither, nor has a thrown value (`throw "boom"`: `error:
  // "boom"`), and its paragraph ends it. Not an AssertionError's: @std/assert's `Values are not equal.` puts blank
  // lines between itself, its `[Diff]` line and the diff above the caret, and it always has its frames.
  { id: 'deno.test-error', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 120, re: /^error: \S/,
    message: { open: /^error: \S/, end: /^\s+(?:\^|at )/, blankEnds: /^error: (?!AssertionError\b)/ },
    under: { header: DENO_TEST_NAME_RE, through: /$^/ }, lookback: { re: DENO_TEST_NAME_RE, lines: 1, inclusive: true } },
  { id: 'js.runtime-assertion', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 120,
    re: /^error: (?:(?:Uncaught (?:\(in promise\) )?)?AssertionError\b|expect\(received\)|expect\(\w*\)\.\w+)/ },
  // dart test (package:test): `00:01 +3 -1: test/x_test.dart: group name [E]`, its Expected/Actual indented below.
  { id: 'dart.test-failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 120,
    re: /^\d+:\d\d \+\d+(?: ~\d+)? -\d+: .* \[E\]$/ },
  // Julia's Test stdlib: `name: Test Failed at file.jl:12`, then `Expression:` / `Evaluated:` indented.
  { id: 'julia.test-failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 120,
    re: /^(?:.*: )?(?:Test Failed|Error During Test) at \S+:\d+$/ },
  // tasty's console reporter (Haskell): each test's name, padded so the results align, then `OK` or `FAIL (0.02s)`,
  // two spaces in per group (flush left for a test outside any); a failure's reason indented under it (HUnit's
  // `expected:` / ` but got:`, QuickCheck's `*** Failed! Falsified …`) down to `Use -p '/name/' to rerun this test
  // only.`; `1 out of 9 tests failed (0.03s)` at the end. A padded `name: FAIL` listing of another kind (a health
  // check's) has neither the time after FAIL, which tasty leaves out under 10 ms, nor that rerun hint, which it leaves
  // out when the run has one test.
  { id: 'tasty.failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 60,
    re: /^\s*\S.*: +FAIL(?: \(\d+\.\d\ds\))?$/, confirmedBy: /: +FAIL \(\d+\.\d\ds\)$|^\s+Use -p '.*' to rerun this test only\.$/,
    tally: /^\d+ out of \d+ tests failed \(/ },
  // Playwright Test's report: `1) [chromium] › spec.ts:18:7 › title ───` (without projects `1) spec.ts:18:7 › title
  // ───`), the error a few lines below it, `Expected:`/`Received:`, the code frame, `at file:line:col`, retries, down
  // to the next report or the run's `2 failed`.
  { id: 'playwright.failed', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 200, gap: 99,
    re: /^\s*\d+\) (?:\[[^\]]+\] › )?\S+:\d+:\d+ › \S/, end: /^\s*\d+ (?:failed|flaky|passed|skipped|did not run|interrupted)\b/,
    pick: [{ re: /^\s*(?:\w*Error|Error: )/ }],
    // A browser the workflow never installed (`npx playwright install` left out, or a cache restored for another
    // version) fails every test at launch: the pipeline's set-up, not the tests.
    categoryFrom: [{ re: /^\s*Error: browserType\.launch: Executable doesn't exist at \S/, category: CONFIGURATION }] },
  // Cypress's binary lives outside node_modules (`~/.cache/Cypress`): a job that restored node_modules from a cache,
  // or installed with CYPRESS_INSTALL_BINARY=0, has the package without it. The message, where it looked, the
  // reasons, down to the rule of dashes above the platform's lines.
  { id: 'cypress.binary-missing', category: CONFIGURATION, weight: 84, extend: UNTIL, gap: 1, maxLines: 20,
    re: /^The cypress npm package is installed, but the Cypress binary is missing\.$/, end: /^-{10}$/ },
  // meson test: `2/3 calc:unit / test_add  FAIL  0.02s  exit status 1`, its output below with --print-errorlogs. Meson
  // pads the result to 14 characters (UNEXPECTEDPASS's): ` ERROR  ` as a literal keeps every compiler's `: error `
  // line from trying it.
  { id: 'meson.test-failed', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 120, gap: 99,
    re: /^\s*\d+\/\d+ \S.*? (?:(?:FAIL|TIMEOUT|ERROR) {2,}|UNEXPECTEDPASS +)[\d.]+s\b/, end: /^(?:\s*\d+\/\d+ \S|Summary of Failures:|Ok: )/ },
  // CTest: `2/4 Test #2: area_test ......***Failed    0.03 sec` (`***Exception: SegFault`, `***Timeout`, `***Not Run`,
  // `Subprocess aborted***Exception:`; on Windows an exception CTest has no name for is printed as its code and a
  // newline, `name ....Exit code 0xc0000409`, then `***Exception:   0.25 sec`), the test's output under it with
  // --output-on-failure, up to the next test's `Start 3: name` or the run's `50% tests passed, …`. A GoogleTest or
  // Catch2 failure in that output says why: of the output, which holds every passing case's lines too (hundreds in
  // a large suite), the prediction lists that failure and the lines under it, through GoogleTest's `[  FAILED  ] name
  // (0 ms)` (down to its next `[ RUN      ]`, `[----------]` or `[==========]`) or down to Catch2's rule (`-----`,
  // `=====`), and the `***Exception:` line under the code. A sanitizer's report in it (`==PID==ERROR:
  // AddressSanitizer: …`, LeakSanitizer's leaks) is listed the same way, down to its SUMMARY, not its shadow bytes' map;
  // and UBSan's `file.c:8:16: runtime error: …` (a test built with `-fno-sanitize-recover`).
  { id: 'ctest.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 1000, gap: 99,
    re: /^\s*\d+\/\d+ +Test +#\d+: .*(?:\*{3}(?:Failed|Exception|Timeout|Not Run)\b|\.{3}Exit code 0x[\dA-Fa-f]+$)/,
    end: /^\s*(?:Start +\d+: |\d+\/\d+ +Test +#\d+: |\d+% tests passed|The following tests FAILED:|Total Test time)/,
    pick: [{ re: /^(?:\S+?:\d+|unknown file): (?:Failure|FAILED:)$|^\S+?\(\d+\): (?:error|FAILED):|^==\d+==ERROR: \w+Sanitizer: |^\S+:\d+:\d+: runtime error: / }],
    keyLines: { belowPick: { end: /^\[(?: RUN {6}| {7}OK |  SKIPPED |-+|=+)\] |^(?:\S+?:\d+|unknown file): (?:Failure|FAILED:)$|^\S+?\(\d+\): (?:error|FAILED):|^[-=]{20,}$|^Shadow bytes around the buggy address:$/, lines: 40 },
      also: /^\*{3}Exception: /, tail: { lines: QUOTED_OUTPUT_TAIL } } },
  // CTest's closing list of the tests that failed, under its summary: `The following tests FAILED:`, then a tab and
  // `  2 - wraparound (Failed)` per test (`(Subprocess aborted)`, `(SEGFAULT)`, `(Timeout)`, `(Not Run)`).
  { id: 'ctest.failed-list', category: TEST_FAILURE, weight: 24, extend: LINE, statusOnly: true, re: /^The following tests FAILED:$/,
    closing: { through: /^\s+\d+ - \S.* \([^()]+\)$/ } },
  // GoogleTest (also under ctest): `file.cpp:27: Failure` (`file.cpp(27): error:` on MSVC), then the values; an
  // exception thrown in the test body has no position: `unknown file: Failure`, then `C++ exception with description
  // "…" thrown in the test body.` The test's `[  FAILED  ] Suite.Name (0 ms)` under its last failure names it: the
  // block goes through it, down to the next test's `[ RUN      ]` or the suite's `[----------]` (or the run's
  // `[==========]`), or a skipped test's `[  SKIPPED ]` (GoogleTest prints `[ RUN      ]` and `[       OK ]`).
  { id: 'gtest.failure', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 120, gap: 99,
    re: /^(?:\S+?:\d+|unknown file): Failure$|^\S+?\(\d+\): error: (?:Value of|Expected|Failed)/,
    end: /^\[(?: RUN {6}| {7}OK |  SKIPPED |-+|=+)\] |^(?:\S+?:\d+|unknown file): Failure$|^\S+?\(\d+\): error: / },
  // Catch2's console reporter (2.13): `file.cpp:8: FAILED:`, the assertion two spaces in, then flush left `with
  // expansion:` (`due to unexpected exception with message:`, `because no exception was thrown where one was
  // expected:`, `with message:`) and the values two spaces in. doctest's: `file.cpp:8: ERROR: CHECK( … ) is NOT
  // correct!` (`FATAL ERROR:` for a REQUIRE; `… THREW exception: "…"`, `… did NOT throw at all!`, `ERROR: test
  // case THREW exception: …`), `  values: …` under it and the test's `TEST CASE:  name` (and subcase) two lines
  // above.
  // Check's (C): `file.c:11:F:tcase:test:0: message`, `:E:` for an error (a signal), not `:P:`, a passed test under
  // CK_VERBOSE. One rule for the three: their headlines are `file:line:` shapes no other tool prints. Built with MSVC,
  // Catch2 and doctest name the place MSVC's way: `D:\a\x\t.cpp(16): FAILED:`. Catch2's compact reporter prints a
  // failure on one line: `t.cpp:5: failed: expr for: values`. Check's `:F:` follows the line number directly, so that
  // the literal index keys it on `:f:`/`:e:`, not on any `e:`. The look-back takes doctest's `TEST CASE:` line and
  // Catch2's test case name, above its sections (two spaces in), a rule of dashes, `file:line` and a rule of dots: the
  // first line up that is none of those, nor a report's line (`with expansion:`, another headline, Check's `33%:
  // Checks: …`, GitHub's `##[endgroup]`), which stops it. The name never stands right above the headline (a blank
  // line comes between): a line there is the program's own output above the compact reporter's one-line report.
  { id: 'cxx-test.failed', category: TEST_FAILURE, weight: 86, extend: INDENT,
    re: /^\S+?(?:(?::\d+|\(\d+\))(?:: FAILED:$|: failed: |: (?:FATAL )?ERROR: (?:[A-Z_]+\( |test case THREW))|:\d+:[FE]:[^:]*:\w+:\d+: )/,
    cont: /^(?:with|due to|because) .*:$/,
    lookback: {
      re: /^TEST CASE: |^(?!(?:with|due to|because) |##\[|[-.]{79}$|\S+?(?::\d+|\(\d+\))(?:$|:)|\d+%: Checks: )\S/,
      lines: 12, inclusive: true, through: /^\s|^$|^[-.]{79}$|^\S+?(?::\d+|\(\d+\))$/, apart: true,
    } },
  // CUnit's basic interface, verbose: `  Test: name ...FAILED`, each failed assertion four spaces in under it
  // (`    1. file.c:4  - CU_ASSERT_EQUAL(a,b)`); in its default mode (CU_BRM_NORMAL) `Suite s, Test t had failures:`
  // over them.
  { id: 'cunit.failed', category: TEST_FAILURE, weight: 84, extend: INDENT,
    re: /^\s*Test: .* \.\.\.FAILED$|^Suite [^,]+, Test .* had failures:$/ },
  { id: 'cargo.test-failed', category: TEST_FAILURE, weight: 55, extend: LINE, re: /^test \S+(?: - (?:\S+ )?\(line \d+\))? \.\.\. FAILED$/,
    announces: 'cargo.test-output' },
  // Surefire's forked JVM died (System.exit, a crash, the OOM killer): its exit code and the crashed tests follow,
  // then SurefireBooterForkException's trace, each line behind `[ERROR] ` (a block of its own each, they crowded the
  // goal's report out of the failures returned).
  { id: 'surefire.fork-crash', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 80,
    re: /^(?:\[ERROR\] )?(?:ExecutionException )?(?:The forked VM terminated without (?:properly saying goodbye|saying properly goodbye)|There was an error in the forked process)/,
    // Surefire 2.22's trace has a cause: `[ERROR] Caused by: …SurefireBooterForkException: …` and `[ERROR] \t... 4 more`.
    cont: /^\[ERROR\] (?:Command was |Error occurred in starting fork|Process Exit Code: |Crashed tests:|[\w.$]+$|\tat |\t\.\.\. \d+ more$|(?:Caused by: )?(?:[\w$]+\.)+[\w$]*(?:Exception|Error): )/,
    // `There was an error in the forked process` is followed by the fork's error, whatever it says.
    contAfter: { prev: /There was an error in the forked process$/, re: /^\[ERROR\] \S/ },
    categoryFrom: [{ re: /^\[ERROR\] Process Exit Code: 137$/, category: OUT_OF_MEMORY }] },
  // A test's report: `method(Class)  Time elapsed: …` before Surefire 3, `Class.method -- Time elapsed: …` since. A
  // JUnit 5 parameterized test is named with its parameters' types, spaces in them: `Class.add(int, int)[2] -- …`.
  { id: 'surefire.failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 200,
    re: /^\[?(?:ERROR|INFO)?\]?\s*(?:[^\s(]+\([^()]*\)\S*|\S+)(?: --)?\s+Time elapsed: [\d.,]+ s(?:ec)?\s+<<< (?:FAILURE|ERROR)!/,
    // Hamcrest's `assertThat` describes the mismatch on lines of its own: `Expected: …`, then `     but: …`.
    cont: /^(?:\w+(?:\.\w+)+(?:Error|Exception|Failure)|org\.|java\.|junit\.|expected:|Expected: |\s+but: |\tat )/,
    // An exception whose message opens with a line break prints its name alone (JUnit 5's assertAll:
    // `org.opentest4j.MultipleFailuresError: `, then `invoice (2 failures)` and the failures indented under it).
    contAfter: { prev: /^(?:[\w$]+\.)+[A-Z][\w$]*(?:Error|Exception|Failure): ?$/, re: /^\S/ },
    pick: [{ re: /^\s*(?:[\w$]+\.)+[A-Z][\w$]*(?:Error|Exception|Failure)\b/ }] },
  { id: 'surefire.summary', category: TEST_FAILURE, weight: 70, extend: LINE,
    re: /^(?:\[ERROR\](?=\s))?\s*(?:\w+\.)*\w+[.#:]\w+:\d+\s+(?:expected|Expected|\w+(?:Error|Exception))|^(?:\[ERROR\] )?(?:Failed tests|Tests in error):\s*(?:\S.*)?$/ },
  { id: 'maven.tests-run-failed', category: TEST_FAILURE, weight: 45, extend: LINE, re: /^\[ERROR\] Tests run: .*(?:Failures: [1-9]|Errors: [1-9])/ },
  { id: 'gradle.test-failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 200,
    pick: [{ re: /^\s+(?:[\w$]+\.)*[A-Z][\w$]*(?:Error|Exception|Failure)\b/ }],
    re: /^\s*\S+ > .+ (?:FAILED|\*\*\* FAILED \*\*\*)$/ },
  // MUnit: `==> X suite.test  0.012s munit.ComparisonFailException: path:14`, the source lines and the diff below.
  { id: 'munit.failed', category: TEST_FAILURE, weight: 88, extend: UNTIL, maxLines: 80, gap: 99,
    re: /^==> X \S.*? [\d.]+m?s \S/, end: /^(?:==> X |\[(?:error|info)\] | {2}\+ \S)/ },
  // helm unittest: ` FAIL  suite\tcharts/x/tests/y_test.yaml`, the test and its failed asserts tab-indented below.
  { id: 'helm.unittest-failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 60, re: /^ FAIL {2}(?:[^\t]*\t)?\S+\.ya?ml$/ },
  // Alcotest's report of a failed test: its list line boxed (`│ [FAIL]  group  1   name.   │`), then what the test
  // printed (a check's `ASSERT`, `FAIL message`, `Expected:`/`Received:`; an exception's `[exception] …`, `[failure] …`,
  // `[invalid] …`), the backtrace, `Logs saved to …` and a rule of `─`, single blank lines between.
  { id: 'alcotest.report', category: TEST_FAILURE, weight: 88, extend: PARAGRAPH, gap: 1, maxLines: 120, re: /^│ \[FAIL\] / },
  // Alcotest: `  [FAIL]        group          1   name.` in the run's list, `> [FAIL] …` the first failed test's, each
  // reported in its box further down (alcotest.report).
  { id: 'alcotest.failed', category: TEST_FAILURE, weight: 62, extend: LINE, re: /^(?:\s+|> )\[FAIL\] +\S+ +\d+ +\S/,
    announces: 'alcotest.report' },
  // GNU Octave's `test` (test.m): each test block echoed as it runs, `***** assert (f (1), 2)` (`***** test` and its
  // code a space in), then for a failure `!!!!! test failed` (`!!!!! error failed.` for an `%!error` block that did
  // not raise the expected error) and the error: `ASSERT errors for:  …`, its table of observed and expected values.
  // Listed with the file's line above the test blocks, `>>>>> /path/moving_avg.m` (verbose), not its passed blocks.
  { id: 'octave.test-failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 60, gap: 1,
    re: /^!{5} (?:test|error|warning) failed\.?$/, end: /^(?:>{5} |\*{5} |PASSES \d+ out of \d+ tests?)/,
    lookback: { re: /^\*{5} /, lines: 30, inclusive: true, through: /^ /, heading: { re: /^>{5} \S.*\.m$/, through: /^(?:\*{5} | )/ } } },
  // tcltest: `==== name description FAILED`, the test's script under `==== Contents of test case:`, `---- Result was:`
  // and `---- Result should have been (exact matching):` (or `---- Test generated error; …` and the errorInfo), down to
  // `==== name FAILED`.
  { id: 'tcltest.failed', category: TEST_FAILURE, weight: 86, extend: PARAGRAPH, maxLines: 200, re: /^==== \S+ .* FAILED$/ },
  // rackunit under raco test: each failed check's report between rules of twenty dashes (format.rkt): the test case's
  // name (`case > suite`) when it has one, `FAILURE` (a check) or `ERROR` (an exception), the check's infos (`name:`,
  // `location:`, `message:`, `actual:`, `expected:`, `params:`), an ERROR's message after a blank line; then the run's
  // tally, `3/4 test failures` (rackunit/log.rkt), one for the run's files (`raco test tests`). The tally takes the
  // reports from the first rule of dashes under the run's first `raco test: "x.rkt"` line (back to another tally at
  // most, a passing run's `1 test passed` too) and shows the first FAILURE/ERROR line. Not a rule on those bare lines: its
  // literal would be `error`, which every compiler's error line holds (the literal index would try it on each).
  { id: 'rackunit.failed', category: TEST_FAILURE, weight: 86, extend: LINE, re: /^\d+\/\d+ test failures$/,
    lookback: { re: /^raco test: /, lines: 250, inclusive: false, first: /^-{20}$/, farthest: /^\d+ tests? passed$/ }, pick: [{ re: /^(?:FAILURE|ERROR)$/ }],
    keyFrom: /^location: / },
  { id: 'scalatest.failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 200,
    re: /^(?:\[info\] )?\s*- .* \*\*\* FAILED \*\*\*/, cont: /^\[info\] {3,}\S/ },
  // The NUnit 3 console runner: `1) Failed : Ns.Class.Test` under `Errors, Failures and Warnings`, Expected/But was below.
  // NUnit 2's (Mono's `nunit-console`) says `1) Test Failure : Ns.Class.Test` and `2) Test Error : …` under `Errors and
  // Failures:`, the message indented under it, the stack flush left after a blank line. The word before the verdict
  // names where it failed: `SetUp Error`, `TearDown Error`, `Parent Failure` under a fixture's setup, `Child …`.
  { id: 'nunit.failed', category: TEST_FAILURE, weight: 86, extend: INDENT, maxLines: 120,
    re: /^\s*\d+\)\s(?:(?:Test|SetUp|TearDown|Parent|Child) )?(?:Failed|Failure|Error) : \S/ },
  // TestNG run with `-verbose 2` (plain `java org.testng.TestNG`): `FAILED: test` (a data-provider row's arguments in
  // parentheses), the exception flush left under it and its tab-indented frames; the passed tests' `PASSED: x` lines
  // and the suite's `====` summary end it. The block heads on the exception: its `FAILED: name` line, pulled in above
  // it, is Ninja's wrapper shape too (`FAILED: app `), which would rank the report below every cause. An Error's
  // `: ` is required: a bare `Error` would make the word a literal every compiler's error line holds (the literal
  // index then tries the rule on each). A Throwable without a message prints its class alone; the Errors a test throws
  // so are named: an assertion's (Java's `assert`, `fail()`: `java.lang.AssertionError`, JUnit's
  // `AssertionFailedError`), a runaway recursion's `java.lang.StackOverflowError` and a static initializer's
  // `java.lang.ExceptionInInitializerError` (its cause under `Caused by:`), each its own literal.
  { id: 'testng.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL,
    re: /^(?:[a-z_$][\w$]*\.)+(?:[A-Z][\w$]*(?:Error: |Exception(?:: |$))|(?:Assertion(?:Failed)?|StackOverflow|ExceptionInInitializer)Error$)/, end: /^(?:PASSED|FAILED|SKIPPED)(?: CONFIGURATION)?: |^={20}/,
    under: { header: TESTNG_FAILED_RE, through: /$^/ }, lookback: { re: TESTNG_FAILED_RE, lines: 1, inclusive: true } },
  // The JUnit Platform console launcher (JUnit 5): under `Failures (N):`, each test as `  <engine>:<class>:<test>`, its
  // `MethodSource [...]`, `    => exception: message` and the frames, all indented; `Test run finished after` ends it.
  { id: 'junit5.console-failures', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 400,
    re: /^Failures \(\S+\):$/, nextLine: /^ {2}\S[^:]*:\S/, end: /^(?!\s+\S)/, pick: [{ re: /^\s+=> \S/ }] },
  // Ant's <junit> task with the plain formatter, each line behind the task's `    [junit] `: `Testcase: name took 0.01
  // sec`, then `\tFAILED` or `\tCaused an ERROR`, the message, the exception and its frames, and a `[junit] ` line
  // with nothing after it (a passed test's `Testcase:` line has no verdict under it). A line without the prefix is
  // none of the task's: Ant's verdict, or another failure when the JVM the tests ran in died.
  { id: 'ant.junit-failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 200, gap: 0,
    re: /^\s*\[junit\] \s*(?:FAILED|Caused an ERROR)$/, end: /^\s*\[junit\](?: (?:Testcase: |Test \S+ FAILED$)|\s*$)|^(?!\s*\[junit\] )/,
    lookback: { re: /^\s*\[junit\] Testcase: \S+ took [\d.]+ sec$/, lines: 1, inclusive: true } },
  { id: 'junit.failed', category: TEST_FAILURE, weight: 80, extend: INDENT, maxLines: 200,
    re: /^\s*(?:Test|Tests?) (?:\S+ )?failed: \S|^\d+\) \w+\(\S+\)$|^\[ERROR\] \S+\.\w+\s+(?:Time elapsed|»)/ },
  { id: 'exunit.failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 200, gap: 2,
    re: /^\s*\d+\) (?:test|doctest|property) .+ \(\S+\)$/ },
  // nox runs its sessions one after another and says of each that failed `nox > Session tests(python='3.11') failed.`
  // (`failed: reason.`, `aborted: reason.`): a status, which also ends the session's part of the step (endsRun). The
  // period at the end is looked for once, ahead: after each ` failed: ` it made the expression quadratic. With
  // `--add-timestamp` nox puts the time between (`nox > [2026-11-28 22:10:29,677] Session lint failed.`).
  { id: 'nox.session-failed', category: UNKNOWN, weight: 28, extend: LINE, statusOnly: true, endsRun: true,
    re: /^nox > (?:\[[\d:, -]+\] )?Session (?=.*\.$).+ (?:failed|aborted)(?:\.$|: )/, runStart: /^nox > (?:\[[\d:, -]+\] )?Running session / },
  // Serverless Framework v3 prints its error under a bare `Error:` too: a CloudFormation event there is its own.
  // The reporter prints a skipped test's report (`Skipped:`) like a failure's, right under it: it ends the failure.
  // test-unit (Ruby's other xUnit) names the test on the headline (`test_…`, or `test: …` for a `test "…" do` block):
  // `Failure: test_tax(InvoiceTest):` over its message, `Error: test_x(ConfigTest): KeyError: key not found: "region"`
  // with it, `Failure: test_x(SlugTest)` without one (the location and code snippet first, the values under them),
  // each report between two rules of `=`. A program's `Error: could not reach the database (Postgres)` is no test's,
  // nor is `Error: testdata/x.yaml: … (ParseError)`: a test's name is `test_…` (with a data set's label in brackets,
  // `test_tax[small](InvoiceTest)`) or `test: …`. A report counts only
  // with its test's name (minitest's `CartTest#test_total:` under its bare `Error:`; minitest 4's, Ruby <= 2.1's,
  // `test_total(CartTest):` and `test_tax(InvoiceTest) [test/invoice_test.rb:8]:` under its `  1) Error:`; a spec's
  // `test_0001_adds the tax(Cart::#total) [test/cart_spec.rb:7]:`, its description and describe's as they are): a loader's
  // error under a bare `Error:` line is left to the rules that read it (see Rule.confirmedBy).
  { id: 'minitest.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 120, gap: 1,
    re: /^\s*(?:\d+\) )?(?:Failure|Error):\s*$|^\s*\d+\) (?:Failure|Error):\s*\S|^(?:Failure|Error): test(?:_\w*(?:\[.*\])?|: .*)\([A-Z][\w:]*\)(?::|$)/, end: /^(?:\d+ (?:runs|tests), |bin\/rails test |Finished in|\s*\d+\) (?:Failure|Error|Skipped):|(?:Failure|Error|Skipped):\s*$|rails test |(?:CREATE|UPDATE|DELETE|IMPORT)_FAILED: )/,
    confirmedBy: /#test_|^(?:Failure|Error): test(?:_\w*(?:\[.*\])?|: .*)\(|^test_[^(]*\([^()]+\)(?: \[[^\]]*\])?:$/ },
  // A spec file RSpec could not load (a missing file, a syntax error, an exception at its top level): `An error occurred
  // while loading ./spec/x_spec.rb.`, the `Failure/Error:` line, the exception's class and message and the `# ./…`
  // frames, a blank line between each part, then the run's summary (`… 1 error occurred outside of examples`).
  // The line ends on the file's name and its period, or on RSpec's ` - Did you mean?`: a program's own `An error
  // occurred while loading config.json: …` is not RSpec's.
  { id: 'rspec.load-error', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 80, gap: 1,
    re: /^An error occurred while loading \S+\.(?: - Did you mean\?)?$/, end: /^(?:Finished in |\d+ examples?, |Run options: |Randomized with seed )/ },
  { id: 'rspec.rerun', category: TEST_FAILURE, weight: 45, extend: LINE, re: /^rspec \.\/\S+:\d+ # / },
  { id: 'phpunit.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 300, gap: 99, inFailureList: true,
    re: /^\d+\) [\w\\]+(?:::|->)\w+/, end: /^(?:\d+\) [\w\\]+(?:::|->)\w+|--$|FAILURES!|ERRORS!|Tests: \d+|There (?:was|were) \d+)/ },
  // hspec (Haskell): under `Failures:`, each failure's location (`  test/Spec.hs:10:51: `) above its number and name
  // (`  1) balance counts refunds as negative`), the reason indented under them (`expected: 7` / ` but got: 13`, an
  // exception), down to the blank line above `  To rerun use: --match "/balance/…/"`. The location is the headline (a
  // pre-filter keyword): the first failure's would otherwise open the failure list's unnumbered first entry. On
  // Windows the path is as cabal gave it to GHC (`test\Spec.hs`, `D:\a\ledger\ledger\test\Spec.hs`).
  { id: 'hspec.failed', category: TEST_FAILURE, weight: 86, extend: PARAGRAPH, maxLines: 120, gap: 0,
    re: /^ *(?:[A-Za-z]:)?[\w./\\-]+\.l?hs:\d+:\d+: ?$/, nextLine: /^ *\d+\) \S/, pick: [{ re: /^ *\d+\) \S/ }] },
  // Mocha's own time limit on a test or hook (`Error: Timeout of 2000ms exceeded. For async tests and hooks, …`) is a
  // timeout, as go test's and pytest-timeout's are; not an error a test's code raised that names a timeout.
  { id: 'test.numbered-failure', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 300, gap: 99, inFailureList: true,
    pick: [{ re: /^\s*(?:(?:[\w.]+)?(?:Error|Exception)(?: \[\w+\])?: |expected |Expected\b(?!:))/ }],
    categoryFrom: [{ re: /^\s*Error: Timeout of \d+ms exceeded\. /, category: TIMEOUT }],
    re: /^(?:nl)?\s*\d+\) (?:\S|\s*$)/, end: /^(?:nl)?\s*(?:\d+\) (?:\S|\s*$)|\d+ (?:passing|failing|pending)\b|npm ERR!|error Command failed|FAILURES!|ERRORS!|--$|Finished in|Failed examples:|\d+ examples?,|Tests: \d+|Randomized with seed|Process finished|\[\d\d:\d\d:\d\d\])/ },
  { id: 'php.test-failed', category: TEST_FAILURE, weight: 80, extend: LINE,
    re: /^FAIL .*\[[^\s[\]]+\.phpt\]/, lookback: { re: /^={4,}DIFF={4,}$/, lines: 200, inclusive: false } },
  { id: 'dotnet.test-failed', category: TEST_FAILURE, weight: 88, extend: INDENT, maxLines: 200,
    re: /^\s*(?:Failed|X) \S+ \[(?:< ?)?\d+(?:\.\d+)? ?m?s\]$|^\s*Failed \S[^\s.]*\.\S+$/, cont: /^\s*(?:Error Message:|Stack Trace:|Assert\.|Expected|Actual|But was)/ },
  // xcpretty's summary of the failures after the run (format_failures): under the suite (`Cart_Tests.CartTests`),
  // `  testName, reason`, `  /path/File.swift:42` and a snippet of the code between two `  ```` fences, failures one
  // blank line apart (XCTest runs only methods named `test…`). Before xctest.failed, which would take the first line
  // alone when an assertion is the reason. A bare word over indented `name, value` pairs reads the same
  // (`Dependencies` / `  testfixtures, 7.0.0`): only the test's location right under it (format_failure prints the
  // failure's `file:line` always) makes it xcpretty's.
  { id: 'xcpretty.failure-summary', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 40,
    re: /^ {2}test\w*(?:\(\))?, \S/, end: /^\S|^\s*Executed \d+ tests?, /, nextLine: /^ {2}\S.*:\d+$/,
    lookback: { re: /^[A-Za-z_][\w.]*$/, lines: 2, inclusive: true, through: /^\s*$/ },
    under: { header: /^[A-Za-z_][\w.]*$/, through: /^\s/ } },
  { id: 'xctest.failed', category: TEST_FAILURE, weight: 84, extend: INDENT,
    re: /XCT(?:Assert\w*|Fail) failed|: error: -\[\S+ \S+\] : |^\s*✗ \S|Test Case '[^']*' failed/ },
  { id: 'karma.failed', category: TEST_FAILURE, weight: 80, extend: INDENT,
    re: /^(?:Headless)?(?:Chrome|Firefox|Safari|Edge|PhantomJS|Electron|Mobile Safari|IE)[\w .]* \([^)]*\)(?: .+)? (?:FAILED|ERROR)$/, cont: /^\s+\S/ },
  { id: 'pester.failed', category: TEST_FAILURE, weight: 82, extend: INDENT, gap: 1, maxLines: 100,
    re: /^\s*\[-\] \S/, cont: /^(?:Expected|Actual|But was|at [\w<>-]+, |\s+at )/ },
  // testthat 2e numbers its failures (`1. Failure (…)`).
  { id: 'testthat.failed', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 100,
    re: /^\s*(?:── |══ )?\d+\. (?:Failure|Error)(?: \(|: )/ },
  // testthat 3e's reports: `Failure ('test-x.R:6'): name` at the line's start (the progress reporter, test_local(),
  // test_check()), or ruled off, `── Failure ('test-x.R:6:3'): name ───…` (the compact reporter of test_file(), the
  // check reporter of R CMD check); the expectation's message, its values and an error's backtrace under it,
  // unindented, a blank line between the reports, down to the next report, the rule of `─` after the file's last
  // one, the `══ Results` heading or the `[ FAIL 2 | WARN 0 | SKIP 0 | PASS 1 ]` tally.
  { id: 'testthat.plain-failed', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 100, gap: 99,
    re: /^(?:── )?(?:Failure|Error) \('[^']+\.[Rr]:\d+(?::\d+)?'\): \S/,
    end: /^(?:(?:── )?(?:Failure|Error|Warning|Skip) \('[^']+'\): |─{10,}$|══ |\[ FAIL \d+ \| )/ },
  { id: 'r.tests-failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 80,
    lookback: { re: /^\s*Running ‘[^’]+’/, lines: 3, inclusive: true },
    re: /^Running the tests in .* failed\.$/, end: /^\s*(?:Execution halted|\* checking|\* DONE)/,
    // The output's tail names the failing expectation: testthat's `── Failure ('test-x.R:12:3'): …` (3e) or `1. Failure`.
    pick: [{ re: /^\s*(?:── |══ )?(?:\d+\. )?(?:Failure|Error) \(/ }] },
  // Test::More's diagnostics stand under `#   Failed test 'name'` as comments: `#   at t/x.t line 9.`, `#
  // got: '5.40'`, `#     expected: '4.50'` (a subtest's, four spaces further in), the lines of a message it quotes
  // one space in (use_ok's `# syntax error at …`), down to its `# Looks like you failed 1 test of 3.`. A test script
  // that dies fails too: Perl's message ends at the place it died, a `.t` file's line (perl.died); Test::More's
  // verdicts on the script under it (`# Looks like your test exited with 255 just after 1.`) are no part of it.
  { id: 'perl.test-failed', category: TEST_FAILURE, weight: 80, extend: INDENT,
    re: new RegExp(`^\\s*#\\s+Failed test\\b|^\\S+\\.t \\.+ ?(?:Dubious|Failed \\d+)|^Failed \\d+\\/\\d+ test programs|${PERL_DIED} at \\S+\\.t line ${PERL_DIED_END}`),
    cont: /^\s*#(?!\s+Failed test\b|\s*(?:Looks like your? |Tests were run but no plan |No tests run!|Subtest: )) +\S/ },
  // What Perl dies with, ending at the place it died (`Can't locate object method "x" via package "Y" at lib/Y.pm
  // line 8.`, `, <STDIN> line 3.` after it when a file was being read). Only Perl's own fatal messages: its warnings
  // end the same way (`Use of uninitialized value … at lib/X.pm line 12.`).
  { id: 'perl.died', category: UNKNOWN, weight: 72, extend: INDENT, refine: true, re: new RegExp(`${PERL_DIED} at \\S+ line ${PERL_DIED_END}`) },
  // busted's utfTerminal report: `Failure → spec/x_spec.lua @ 5`, the test's name, then `spec/x_spec.lua:6: message`;
  // its plainTerminal (what a CI runner without a terminal gets) draws the arrow as `->`.
  { id: 'busted.failed', category: TEST_FAILURE, weight: 84, extend: PARAGRAPH, gap: 0, maxLines: 60,
    re: /^(?:Failure|Error) (?:→|->) \S+ @ \d+$/ },
  // Nim's std/unittest prints what went wrong first (`    tests/t.nim(10, 29): Check failed: a == b` and the values,
  // or an exception's stack and `    Unhandled exception: … [IndexDefect]`), then the test's verdict, `  [FAILED] name`:
  // the report runs back to the previous test's verdict or the suite's `[Suite] name`. A verdict counts under a
  // check's line (its place, a value's `… was …`) or an exception's: a script's own `[OK] lint` / `[FAILED] tests`
  // read alike, with its output above them (a traceback the report would take) or other verdicts.
  { id: 'nim.unittest-failed', category: TEST_FAILURE, weight: 84, extend: LINE, re: /^\s*\[FAILED\] \S/,
    under: { header: /^ {4}(?:\S+\.nims?\(\d+, \d+\): |Unhandled exception: |\S.* was )/, through: NIM_STACK_LINE_RE },
    lookback: { re: /^\s*\[(?:OK|FAILED|SKIPPED)\] \S|^\[Suite\] /, lines: 60, inclusive: false },
    pick: [{ re: /^\s*\S+\.nims?\(\d+, \d+\): Check failed: |^\s*Unhandled exception: / }] },
  // Jest's and Vitest's coverage thresholds: every test passed, the run fails on coverage. Jest 30 words it as
  // istanbul's checker does (`Jest: Coverage for lines (45.45%) does not meet "./src/a.js" threshold (90%)`); Vitest
  // words a negative threshold (a maximum of uncovered items) `ERROR: Uncovered lines (6) exceed global threshold (2)`.
  // coverage.py's `fail_under` (`coverage report`, exit 2): `Coverage failure: total of 62 is less than
  // fail-under=90`, which pytest-cov 6 prints under `ERROR: ` above its own `FAIL Required test coverage`.
  { id: 'coverage.threshold', category: TEST_FAILURE, weight: 80, extend: LINE,
    re: /^Jest: (?:"[^"]+" coverage threshold for \w+ \(-?\d+(?:\.\d+)?%?\) not met|Uncovered count for \w+ \(\d+\) exceeds )|^(?:ERROR|Jest): Coverage for \w+ \([\d.]+%\) does not meet (?:global|"[^"]+") threshold|^ERROR: Uncovered \w+ \(\d+\) exceeds? (?:global|"[^"]+") threshold|^FAIL Required test coverage of [\d.]+% not reached\.|^\(ERROR\) failed minimum \w+ coverage |^(?:ERROR: )?Coverage failure: total of [\d.]+ is less than fail-under=[\d.]+$/ },
  // clojure.test (lein test, clojure -X:test): `FAIL in (add-test) (core_test.clj:7)`, then expected/actual.
  { id: 'clojure.test-failed', category: TEST_FAILURE, weight: 86, extend: PARAGRAPH, gap: 0, maxLines: 40,
    re: /^(?:FAIL|ERROR) in \(\S+\) \(\S+\.clj[cs]?:\d+\)$/ },
  // EUnit: `calc_tests: add_test...*failed*` (`..._failed_` before OTP 18), then `in function …` and `**error:{…}`.
  { id: 'eunit.failed', category: TEST_FAILURE, weight: 86, extend: UNTIL, maxLines: 80, gap: 2,
    re: /^[\w@.]+: .*\.\.\.(?:\*failed\*|_failed_)$/, end: /^(?:[\w@.]+: .*\.\.\.|={10,}|\s*Failed: \d+\.)/,
    pick: [{ re: /^(?:\*\*(?:error|exit|throw)|::)\{?\S/ }] },
  // Its paragraphs end on a blank line: ct_run's `Updating …/index.html ... done` lines come after one.
  // A suite it could not compile or load is an error of the run, between the same dashed rules as a failed case.
  // ct_run prints the error's reason as an Erlang term (`~tp`): a quoted atom, a tuple, a list, a string or a bare
  // atom alone (`'x_SUITE cannot be compiled or loaded'`, `{badmatch,…}`, `make_failed`); a script's own sentence
  // (`Error detected: docs/index.md links to …`) is none.
  { id: 'erlang.ct-failed', category: TEST_FAILURE, weight: 75, extend: PARAGRAPH, gap: 0, beside: 'erlang.compile',
    re: /^\S[^\s:]*:\S+ failed on line \d+$|^%%%.*FAILED|\*\*\* FAILED .{0,300}test case|^Error detected: (?:['{["]|[a-z]\w*$)/ },
  { id: 'test.result-table', category: TEST_FAILURE, weight: 55, extend: LINE, re: /^\S+\s{2,}(?:ERROR|FAIL|FAILED)$|^test\w* FAILED$/ },
  { id: 'bats.failed', category: TEST_FAILURE, weight: 78, extend: INDENT, re: /^not ok \d+ / },

  // ── compilers and type checkers ───────────────────────────────────────────────────────────────────────────
  // Checkstyle through Maven (`[ERROR] src/…/Cart.java:[14,17] (naming) MemberName: …`) or in its own plain format
  // (`[ERROR] /…/Cart.java:14:17: message [MemberName]`, Gradle's `[ant:checkstyle] ` in front): before javac's rule.
  // A path may hold spaces, as javac's may.
  { id: 'checkstyle.violation', category: LINT, weight: 78, extend: LINE,
    re: new RegExp(String.raw`^\[ERROR\] ${JVM_SOURCE_PATH}:\[\d+(?:,\d+)?\] \([\w.]+\) [A-Z]\w*: \S|^(?:\[ant:checkstyle\] )?\[ERROR\] ${JVM_SOURCE_PATH}\.(?:java|kt|groovy|scala):\d+(?::\d+)?: .* \[[A-Z]\w+\]$`) },
  // Next.js runs tsc in its build's `Running TypeScript ...` step and closes the errors with `Failed to type check.`.
  // tsc's errors about the project's configuration, not its code: TS18003 (`No inputs were found in config file`),
  // an unknown option (TS5023, TS5025), a path or file that does not exist (TS5058, TS5083, TS6053). ts-node quotes
  // tsc's diagnostics under `TSError: ⨯ Unable to compile TypeScript:`, taken in.
  { id: 'tsc.error', category: COMPILATION, weight: 86, extend: INDENT, cont: /^Failed to type check\.$/,
    categoryFrom: [{ re: /\berror TS(?:18003|5023|5025|5058|5083|6053): /, category: CONFIGURATION }],
    lookback: { re: /^TSError: ⨯ Unable to compile TypeScript:$/, lines: 1, inclusive: true },
    re: /^\S+\.(?:[cm]?tsx?|vue)(?:\(\d+,\d+\)|:\d+:\d+)(?: - |: ?)error TS\d+:|\berror TS\d{3,5}:/ },
  // javac under -Werror ends with one error that names no line (`error: warnings found and -Werror specified`;
  // maven-compiler-plugin's `[ERROR] /…/Ledger.java: warnings found …`): the warnings above it are why, so the block
  // reaches back over them, javac's own (`File.java:8: warning: …`, the code, caret and notes indented under each)
  // or Maven's list (`[WARNING] …:[8,19] …` under `[WARNING] COMPILATION WARNING :`, its `[INFO] ---` rules and
  // counts), to the first line that is neither. Before rustc's rule, whose `error: ` shape javac's line fits.
  { id: 'javac.werror', category: COMPILATION, weight: 86, extend: LINE,
    re: new RegExp(String.raw`^(?:error: |\[ERROR\] (?:${JVM_SOURCE_PATH}\.java: )?)warnings found and -Werror specified$`),
    // A warning that names no file counts as much (`warning: [options] bootstrap class path not set …`, which Maven
    // prints as `[WARNING] bootstrap class path not set …`): under Maven the list reaches back to the plugin's
    // `COMPILATION WARNING :` header or its `[INFO] Compiling …` line, and no further.
    lookback: { re: new RegExp(String.raw`^(?!\s|(?:${JVM_SOURCE_PATH}\.java:\d+: )?warning: |\[WARNING\] (?!COMPILATION WARNING : ?$)\S|\[INFO\] (?:-+|\d+ warnings?) ?$|\[ERROR\] COMPILATION ERROR : ?$)`), lines: 200, inclusive: false,
      // A warning's first line, on a path with spaces too (the look-back's own shape).
      atLimit: new RegExp(String.raw`^(?:\S+: |${JVM_SOURCE_PATH}\.java:\d+: )?warning: |^\[WARNING\] `) } },
  // Ant's <javac> puts its task's `    [javac] ` before each line javac printed, the code and caret under an error too.
  // Kotlin's `e: file:///…` names a Windows file by its drive after the third slash (`file:///C:/Users/…`).
  { id: 'javac.error', category: COMPILATION, weight: 84, extend: INDENT,
    re: new RegExp(String.raw`^(?:\[ERROR\] |\s*\[javac\] )?${JVM_SOURCE_PATH}\.(?:java|kt|scala|groovy)(?::\[\d+,\d+\] \S|:\d+: error: )|^e: (?:file:\/\/(?:\/(?=[A-Za-z]:))?)?${JVM_SOURCE_PATH}\.kts?:`),
    cont: new RegExp(String.raw`^\s*\[javac\] (?!${JVM_SOURCE_PATH}\.(?:java|kt|scala|groovy):\d+: |\d+ (?:errors?|warnings?)$|Note: )`) },
  // The Maven Enforcer: `[ERROR] Rule 1: org.apache.maven.enforcer.rules.version.RequireJavaVersion failed with message:`
  // and the reason below it; a rule of its `dependency` package (convergence, upper bounds, bans) is a dependency's.
  { id: 'maven.enforcer', category: CONFIGURATION, weight: 82, extend: UNTIL, maxLines: 20, gap: 0,
    re: /^\[ERROR\] Rule \d+: [\w.$]+ failed with message:$/, end: /^(?:\[INFO\]|\[ERROR\] (?:Rule \d+:|-> \[Help|$))/,
    categoryFrom: [{ re: /\.rules\.dependency\.|^\[ERROR\] Dependency convergence error/, category: DEPENDENCY }] },
  // maven-compiler-plugin asked for a Java release the JDK that runs Maven does not have (`maven.compiler.release` 21 on
  // JDK 17): `Fatal error compiling: error: release version 21 not supported` (javac 9+), `invalid target release: 21`
  // (older plugins and javac 8), in the goal's line itself: the workflow's JDK or the POM's release, not the code.
  { id: 'maven.compiler-release', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^\[ERROR\] Failed to execute goal \S+:maven-compiler-plugin:\S+ \S+ on project \S+: Fatal error compiling: (?:error: )?(?:release version \d+ not supported|invalid (?:target|source) release: \S+)/ },
  { id: 'maven.compilation', category: COMPILATION, weight: 60, extend: LINE, re: /^\[ERROR\] COMPILATION ERROR/ },
  // Maven refusing a POM before any build, under `[ERROR] [ERROR] Some problems were encountered while processing the
  // POMs:`: a POM that does not parse (`[FATAL] Non-parseable POM …`) or breaks the model's rules (`[ERROR]
  // 'dependencies.dependency.version' for g:a:jar is missing.`), each ending in its place in the POM (`@ line 4,
  // column 29`). The project's own configuration; a parent POM that cannot be fetched (`Non-resolvable parent POM`) is
  // maven.resolve's, a dependency's.
  { id: 'maven.pom-problem', category: CONFIGURATION, weight: 82, extend: LINE,
    re: /^\[(?:FATAL|ERROR)\] (?:Non-parseable POM |'[\w.()\[\]:-]+' )\S.* @ (?:\S+, )?line \d+, column \d+$/,
    lookback: { re: /^\[ERROR\] (?:\[ERROR\] )?Some problems were encountered while processing the POMs:$/, lines: 20, inclusive: true } },
  // Maven run where no pom.xml is (a project in a subfolder, no `working-directory` or `-f`): the workflow's folder.
  { id: 'maven.no-pom', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^\[ERROR\] The goal you specified requires a project to execute but there is no POM in this directory\b/ },
  { id: 'scalac.error', category: COMPILATION, weight: 82, extend: INDENT,
    // Scala 2 `[error] File.scala:12:5: msg`; Scala 3 `[error] -- [E007] Type Mismatch Error: File.scala:88:24`.
    re: /^\[error\] \S+\.(?:scala|java):\d+(?::\d+)?: |^\[error\] -- (?:\[E\d+\] )?[\w ]*Error: \S+\.(?:scala|java):\d+:\d+/, cont: /^\[error\] (?!\S+\.(?:scala|java):\d+)/ },
  // dotnet format --verify-no-changes: each change it would make, as a build error of its own kind. `\s` after `error`
  // keys the literal index on the kind (`WHITESPACE`), not on the `0): error` of every compiler error line.
  { id: 'dotnet.format', category: LINT, weight: 80, extend: LINE, re: /\(\d+,\d+\): error\s(?:WHITESPACE|FINALNEWLINE|ENDOFLINE|CHARSET|IMPORTS): / },
  // The .NET SDK's own errors (`…targets(166,5): error NETSDK1045: The current .NET SDK does not support targeting
  // .NET 8.0.`, NETSDK1004's missing assets file, NETSDK1100's Windows targeting): the SDK the workflow set up or the
  // way it invokes it, not the code. Before the build rule, whose code list names NETSDK too.
  { id: 'dotnet.sdk-error', category: CONFIGURATION, weight: 84, extend: LINE, refine: true, re: /error NETSDK\d{4}: / },
  { id: 'dotnet.build-error', category: COMPILATION, weight: 82, extend: LINE, refine: true,
    re: /: (?:fatal )?error (?:CS|MSB|NU|NETSDK|FS|BC|CA|IDE|AD)\d{4}:/ },
  // Boost.Test's failed assertions (its default log, in colour even off a terminal): `file.cpp(8): error: in
  // "suite/test": check x == y has failed [a != b]`, `fatal error: in "…"` for a REQUIRE or an exception
  // (`unknown location(0): fatal error: in "…": std::length_error: …`, `file.cpp(12): last checkpoint` under it).
  // In the shape of an EDG or MSVC compiler's error: before nvcc's rule. `\s`, not a space, after the position: the
  // literal index then keys the rule on `error: in "`, not on the line number's last digit and `): erro`, which
  // tsc's lines hold.
  { id: 'boost-test.error', category: TEST_FAILURE, weight: 86, extend: LINE,
    re: /^(?:unknown location|\S+)\(\d+\):\s(?:(?:fatal )?error: in "|last checkpoint)/ },
  // Free Pascal: `unit.pas(9,12) Error: Incompatible types: …` (`Fatal:` for the one that stops it), then fpc's own
  // `Fatal: Compilation aborted` and `Error: /usr/bin/ppcx64 returned an error exitcode`.
  { id: 'fpc.error', category: COMPILATION, weight: 84, extend: LINE,
    re: /^\S+\.(?:pas|pp|lpr|inc)\(\d+(?:,\d+)?\) (?:Error|Fatal): / },
  // nvcc and EDG front ends: `kernel.cu(42): error: identifier "x" is undefined`. Also DMD's front end (dmd, LDC's
  // ldc2): `source/app.d(7,27): Error: message` (the column with -vcolumns, which dub passes; a string mixin's
  // `source/app.d-mixin-3(3,9): Error:`), supplemental lines
  // indented under it. One rule for both: the index keys each on `): error`, which tsc's `x.ts(12,5): error TS2345`
  // holds too, and a rule of D's own would be one more expression tried on each of those.
  { id: 'nvcc.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 40,
    re: /^\S+\.(?:cu|cuh|c|cc|cpp|cxx|h|hpp)\(\d+\): (?:catastrophic )?error\b|^\S+\.di?(?:-mixin-\d+)?\(\d+(?:,\d+)?\): Error: \S/ },
  // SwiftLint's Xcode reporter writes a violation like a compiler error: `file.swift:3:5: error: X Violation: … (rule_id)`.
  { id: 'swiftlint.violation', category: LINT, weight: 80, extend: LINE,
    // The rule's name is words (`Line Length`): two `.+` around ` Violation: ` backtracked over each other, 0.8 ms
    // on a 4,000-character line of repeated ` Violation: `.
    re: /^\S+\.swift:\d+(?::\d+)?: (?:error|warning): [\w ]+ Violation: .* \([a-z_]+\)$/ },
  // Android: AAPT2 resource linking (`ERROR: res/layout/x.xml:12: AAPT: error: …`) and the D8/R8 dexer.
  { id: 'android.aapt', category: COMPILATION, weight: 84, extend: LINE, re: /\bAAPT: error: \S/ },
  { id: 'android.dex', category: COMPILATION, weight: 82, extend: LINE, re: /^\s*(?:ERROR|Error): ?(?:D8|R8): \S/ },
  // xcpretty (fastlane's gym/scan): `▸ ❌  /path/File.swift:44:9: message`, after fastlane's `[hh:mm:ss]: `.
  { id: 'xcpretty.error', category: COMPILATION, weight: 84, extend: INDENT,
    re: /^(?:\[[\d:]+\]: )?(?:▸ )?❌ +(?:\S+:\d+(?::\d+)?: |(?:ld|clang|error): )/ },
  // ShellCheck's gcc format reads like a compiler's: `deploy.sh:14:1: error: message [SC1073]`.
  { id: 'shellcheck.gcc', category: LINT, weight: 78, extend: LINE, re: /^\S+:\d+:\d+: (?:error|warning|note|style): .* \[SC\d{4}\]$/ },
  // erlc (rebar3, erlang.mk): `src/calc.erl:12:5: variable 'Y' is unbound`, a `%   12|` code frame below (OTP 24+);
  // rebar3 heads a file's errors with `===> Compiling src/calc.erl failed`.
  // dialyzer (OTP 24+) prints its warnings in erlc's shape, `kv.erl:5:43: Guard test is_list`, the rest indented
  // under it, after its `  Proceeding with analysis...` line; exit 2, `done (warnings were emitted)`. A static
  // analysis's findings: read as such only under that line, past the warnings before them. The path holds no
  // colon, so that its `.erl:` is the token's first colon: `\S+\.[eh]rl:\S+ ` backtracked through every `.erl:` of
  // a long token without a space (quadratic; a fresh-clone CI run caught it).
  { id: 'dialyzer.warning', category: LINT, weight: 80, extend: INDENT, re: /^[^\s:]+\.[eh]rl:\S+ \S/,
    under: { header: /^ {2}Proceeding with analysis/, through: /^\S+\.[eh]rl:\d|^\s+(?!Proc)\S/ } },
  { id: 'erlang.compile', category: COMPILATION, weight: 82, extend: INDENT, maxLines: 40, cont: /^%\s+\d*\|/,
    re: /^\S+\.(?:erl|hrl|escript|yrl|xrl):\d+(?::\d+)?: (?![Ww]arning: )\S/,
    lookback: { re: /^===> Compiling \S+ failed$/, lines: 1, inclusive: true } },
  // protoc: `proto/x.proto:18:3: "common.v1.Money" is not defined.` (a space after the position, unlike buf's).
  // An import it finds nowhere on the include path is named alone first (`google/protobuf/timestamp.proto: File not
  // found.`): part of the report, but the located line under it, which says which file imports it where, is shown first.
  { id: 'protoc.error', category: COMPILATION, weight: 82, extend: LINE, pick: [{ re: /^\S+\.proto:\d+:\d+: / }],
    re: /^\S+\.proto:\d+:\d+: (?!warning:)\S|^\S+\.proto: File not found\.$/ },
  // clang-format --dry-run --Werror: `src/x.cpp:41:15: error: code should be clang-formatted
  // [-Wclang-format-violations]`, the line and a caret below. Formatting, in the C compilers' shape: before their rule.
  { id: 'clang-format.violation', category: LINT, weight: 76, extend: INDENT, maxLines: 4, cont: /^\s*\^/,
    re: /^\S+:\d+:\d+: (?:error|warning): code should be clang-formatted \[-Wclang-format-violations\]$/ },
  // clang-tidy with `--warnings-as-errors`: a check's finding in the C compilers' shape, told apart by the check's name
  // marked `-warnings-as-errors` in its brackets. Before the C compilers' rule. The static analyzer's checks explain a
  // finding by the path to it, a `note:` per step (`Assuming 'i' is < field 'len'`, `Loop condition is true`) with the
  // code quoted under each, down to the finding again: all of it the finding's.
  { id: 'clang-tidy.error', category: LINT, weight: 80, extend: INDENT, maxLines: 20,
    re: /^\S+:\d+:\d+: error: .* \[[\w.-]+,-warnings-as-errors\]$/, cont: /^\s*\d* \||^\S+:\d+:\d+: note: / },
  // mypy (a type checker: compilation in the taxonomy): `app.py:12: error: message  [arg-type]`, its `note:` lines
  // below. Before the C compilers' rule, whose `file:line: error:` shape it shares.
  // clj-kondo: `src/shop/cart.clj:14:3: error: Unresolved symbol: x`, in the C compilers' shape.
  { id: 'clj-kondo.error', category: LINT, weight: 76, extend: LINE, re: /^\S+\.(?:clj[cs]?|edn|bb):\d+:\d+: error: \S/ },
  // Pyright's CLI: `  path.py:42:16 - error: message` under the file's name, the detail and `(rule)` indented below.
  // A notch under mypy's: where both fail in one run (pre-commit hooks), mypy's lines, found first until now, stay first.
  { id: 'pyright.error', category: COMPILATION, weight: 82, extend: INDENT, maxLines: 20, re: /^\s+\S+\.pyi?:\d+:\d+ - error: \S/ },
  // Under --pretty mypy wraps an error's message, its code included, at the terminal's width (80 columns without one;
  // `soft_wrap` in mypy/util.py, no indent, a quoted type never split) over as many lines as it takes: the message
  // ends with its code (`"int")  [operator]`, or the code alone, `[no-untyped-def]`), or, codes hidden, at the source
  // line --pretty prints under it, four spaces in. Where neither comes (codes hidden, no --pretty: nothing wrapped),
  // the next diagnostic or mypy's summary ends it, or a line soft_wrap never prints (it joins words with one space:
  // a blank line, or two spaces other than the code's, `F.    [100%]`, end it when --no-error-summary lets the next
  // tool's output follow). Notes are never wrapped.
  { id: 'mypy.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 60,
    re: /^\S+\.pyi?:\d+(?::\d+)?: error: /, cont: /^\S+\.pyi?:\d+(?::\d+)?: note: /,
    message: { open: /: error: /, end: /(?:^| {2})\[[a-z][\w-]*\]$|^\s/, stop: /^\S+\.pyi?:(?:\d+(?::\d+)?:)? (?:error|note|warning): |^Found \d+ errors? in |^Success: |^\s*$| {2}(?!\[[a-z][\w-]*\]$)/ },
    fileOf: /^(\S+\.pyi?):\d+/, tally: /^Found \d+ errors? in \d+ files? \(checked \d+ source files?\)$/,
    // `Library stubs not installed for "requests"` (its hint names the `types-requests` package): the environment
    // mypy runs in lacks a package, not the code a type. A module mypy cannot find at all may be a typo: not read.
    categoryFrom: [{ re: /^\S+\.pyi?:\d+(?::\d+)?: error: Library stubs not installed for "/, category: DEPENDENCY }] },
  // GHC (alone, under cabal or stack): `src/X.hs:12:5: error:`, placed `12:5-9` over columns and `(12,5)-(14,7)` over
  // lines, `<no location info>: error:` for none (a module it cannot find); since 9.4 a code follows (`error: [GHC-83865]`), and under -Werror the flag (`[-Wunused-imports,
  // Werror=unused-imports]`). The message is four spaces in, a `Suggested fix:` may stand apart from it by a blank
  // line, then the code frame (`   |`, `12 | code`, flush left). Before the C compilers' rule, whose shape it shares
  // and whose blank line would end it before its frame. GHC's progress (`[3 of 9] Compiling M ( src/M.hs, … )`) goes
  // to stdout, its errors to stderr: a log that joins the streams can print the next modules' progress lines inside
  // an error, which they do not end.
  { id: 'ghc.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 80, gap: 1, cont: /^\s*\d* \|/,
    interleaved: { re: /^\[\s*\d+ of \d+\] Compiling /, lines: 10 },
    re: /^(?:\S+\.(?:l?hs|hsc|hs-boot):(?:\d+:\d+(?:-\d+)?|\(\d+,\d+\)-\(\d+,\d+\))|<no location info>): error:/ },
  // Cppcheck's default template, `{file}:{line}:{column}: {severity}:{inconclusive:inconclusive: }{message} [{id}]`,
  // the code and a caret under it, and `note:` lines along the path it took (`Assuming condition is false`). Every
  // finding fails a run under `--error-exitcode`, a `warning:` or `style:` as much as an `error:`, and one about no
  // file (`nofile:0:0: information: Unmatched suppression: … [unmatchedSuppression]`) too. Not its closing advice,
  // `nofile:0:0: information: Cppcheck cannot find all the include files (use --check-config for details)
  // [missingInclude]` (`warning:` under `--template=gcc`), which it prints under `--enable=all` whenever a header is
  // found only through the compiler's `-I`, and exits 0. Its id is a single camel-case word (`uninitvar`,
  // `nullPointer`), where GCC's and Clang's warnings name a flag (`[-Wunused]`), clang-tidy a dotted check
  // (`[bugprone-…]`) and ShellCheck a code (`[SC2086]`). After mypy's rule, whose codes (`[misc]`) have the same
  // shape on a Python file.
  { id: 'cppcheck.finding', category: LINT, weight: 80, extend: INDENT, maxLines: 40,
    re: /^\S+:\d+:\d+: (?:error|warning|style|performance|portability|information): (?!Cppcheck cannot find all the include files ).* \[[a-z][A-Za-z0-9]*\]$/,
    cont: /^\S+:\d+:\d+: note: / },
  // include-what-you-use (directly or through iwyu_tool; `--error` fails the run): per file `src/x.cpp should add
  // these lines:` and `… should remove these lines:`, each over its entries (`#include <map>  // for map`, `- #include
  // <sstream>  // lines 2-2`, a forward declaration `class Foo;`), an empty list right above a blank line; then the
  // file's full include-list, which says nothing wrong, and `---`. A path, no words before it: an installer's `…, you
  // should add these lines:` is advice.
  { id: 'iwyu.includes', category: LINT, weight: 60, extend: UNTIL, maxLines: 200,
    re: /^\S+ should (?:add|remove) these lines:$/, end: /^(?!#include |- |(?:class|struct|namespace|template) )/ },
  // ReScript's compiler (`rescript build`, bsb before it): each error under `We've found a bug for you!`, two spaces
  // in, its place (`/path/src/Invoice.res:4:47-51`), the code frame, the message and the hints, blank lines between,
  // down to the next report (an error, or a `Warning number 27`) or the build's `Failed to Compile.` Only with its
  // place under it: the banner alone is prose.
  { id: 'rescript.error', category: COMPILATION, weight: 86, extend: UNTIL, maxLines: 120, gap: 99,
    re: /^\s*We've found a bug for you!$/, nextLine: /^\s*\S+\.(?:res|re|ml)i?[: ]\d/, end: /^\s*(?:Warning number \d+|Failed to Compile\.)|^Incremental build failed\b|^FAILED:/ },
  // Clang, and GCC before 9, quote the offending source line as it stands (`#include <x.h>`, no `12 |` gutter) right
  // under the diagnostic, then the caret line; clang ends a file's diagnostics with `1 error generated.`. A blank
  // line ends the block, so that only the line right under the diagnostic is read as its quote. Not a build tool's
  // own line printed there instead: make's and CMake's progress (`[ 50%] `), ninja's (`[2/3] `) and its `FAILED: `,
  // the CI's exit line (`Error: Process completed …`) or workflow command (`##[error]…`), nor GCC's scope line of the
  // next diagnostic (`x.cpp: In function '…':`, `At global scope:`), which is all there is under a diagnostic with
  // `-fdiagnostics-plain-output`.
  // A template's error stands under the instantiation GCC names (`x.hpp: In instantiation of '…':`) and the chain of
  // `x.cpp:7:41:   required from …` lines that led to it, down to the caller's line: where the error comes from,
  // taken into the block. Not the scope line of a plain error (`x.c: In function 'main':`): its own line says where.
  // GCC 14 quotes each `required from` line's source under it (`   16 |   out += cell(row);`, `      |  ~~~~^~~~`),
  // three lines a level; past -ftemplate-backtrace-limit (10) it prints the first and last five levels and, between,
  // `x.cpp:8:53:   [ skipping 3 instantiation contexts, use -ftemplate-backtrace-limit=0 to disable ]` (where it skips
  // from, as a `required from` line says): 40 lines take the longest chain it prints. Only those lines are read past,
  // so another compiler's output (make -j) stops it.
  { id: 'cc.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 60, gap: 0, beside: 'pkg-config.not-found',
    re: CC_ERROR_RE,
    lookback: { re: /^\S+: In (?:instantiation|substitution) of [‘'].*[’']:$/, lines: 40, inclusive: true,
      through: /^\S+:\d+:\d+: +(?:recursively )?required (?:from|by) |^ *\d* \| |^\S+:\d+:\d+: +\[ skipping \d+ instantiation contexts/ },
    cont: /^\s*(?:\^|~|\||\d+ \||[\w./-]+:\d+(?::\d+)?: note:|note:|In file included|from \S+:\d+|\d+ errors? generated\.$)/,
    contAfter: { prev: CC_ERROR_RE, re: /^(?!\S+?:\d+(?::\d+)?:\s|\S+: (?:In |At global scope:)|In file included |(?:g?make|ninja)(?:\[\d+\])?: |\[ *\d+%\] |\[\d+\/\d+\] |FAILED: |Error: Process completed |##\[|\d+ errors? generated)\S/ } },
  // cmd/go's missing checksum: `internal/q/redis.go:9:2: missing go.sum entry for module providing package P
  // (imported by Q); to add:` (`go: m@v: missing go.sum entry; to add it:` for a module), the `go get` to run
  // indented below. A dependency the lock file lacks, not a compile error: before go's build rule. The module is
  // read up to its first `@` past its first character (linear; a first `@` is taken, as `\S+@` took it).
  { id: 'go.sum-missing', category: DEPENDENCY, weight: 84, extend: INDENT, maxLines: 6,
    re: /^(?:\S+\.go:\d+:\d+: |go: (?:\S[^\s@]*@\S+: )?)missing go\.sum entry\b/ },
  // cmd/go importing a package that no module it may use provides: `x.go:6:2: no required module provides package P;
  // to add it:` with the `go get P` to run indented below; with -mod=mod, after looking for one, `cannot find module
  // providing package P: …` (the proxy's 404, a private repository it could not read); GOPATH mode's `cannot find
  // package "P" in any of:` with the directories it searched below. A dependency go.mod lacks, not a compile error:
  // before go's build rule.
  { id: 'go.import-missing', category: DEPENDENCY, weight: 84, extend: INDENT, maxLines: 12,
    re: /^(?:(?:\.\.?\/)?[\w./-]+\.go:\d+:\d+: )?(?:no required module provides package \S|cannot find module providing package \S|cannot find package "[^"]*" in any of:$)/ },
  // golangci-lint and staticcheck end an issue with the linter's name (`(errcheck)`, `(SA4006)`); before go's build
  // rule, which would read it as a compiler error. `(typecheck)` is the compiler's own error, reported through it.
  { id: 'golangci.issue', category: LINT, weight: 74, extend: INDENT, re: /^\S+\.go:\d+(?::\d+)?: .* \((?!typecheck\))[A-Za-z][\w-]*\)$/ },
  // go vet heads its findings for a package with `# [pkg]` (the build's own errors come under `# pkg` alone).
  { id: 'go.vet', category: LINT, weight: 80, extend: UNTIL, headNext: true, maxLines: 60, gap: 0,
    re: /^# \[[\w.\/@-]+\]$/, end: /^(?!(?:vet: )?(?:\.\.?\/)?[\w.\/-]+\.go:\d+(?::\d+)?: )/ },
  // go vet's analyzers print their findings in the compiler's shape (`x.go:9:18: …`, under the package's `# pkg` line
  // since the header lost its brackets), as does `go test`, which runs some of them before the tests: told from a
  // compile error by the analyzers' own wording (copylocks, printf, unreachable, assign, bools, structtag, composites,
  // lostcancel and the return it names on a line of its own, nilfunc, shift, stdmethods, whose signatures hold spaces,
  // unsafeptr, unusedresult, httpresponse, loopclosure, errorsas, ifaceassert, stringintconv, atomic, testinggoroutine,
  // sigchanyzer). A static check, not the build: before go's build rule.
  // `vet: x.go:3:2: undefined: y` is the type checker's error, reported through vet: not one of them.
  { id: 'go.vet-finding', category: LINT, weight: 80, extend: LINE,
    re: /^(?:\.\.?[/\\])?[\w./\\-]+\.go:\d+:\d+: (?:.*(?:passes lock by value: |copies lock(?: value)?: | format %\S* (?:has arg|reads arg|has unknown verb|uses non-int|is missing)| call (?:has arguments but no formatting directives|needs \d+ args? but has|has possible (?:Printf )?formatting directive)| arg list ends with redundant newline| arg \S+ is a func value, not called|result of \S+ call not used|\(\d+ bits\) too small for shift of \d+)|non-constant format string in call to |unreachable code$|self-assignment of |(?:redundant|suspect) (?:and|or): |struct field (?:tag .* not compatible with reflect\.StructTag\.Get|\w+ repeats \w+ tag)|\S+ composite literal uses unkeyed fields$|the cancel function (?:returned by|is not used on all paths)|this return statement may be reached without using the \w+ var defined on line \d+|comparison of function \S+ (?:==|!=) nil is always |method \w+\(.* should have signature |possible misuse of (?:unsafe\.Pointer|reflect\.\w+Header)|using \w+ before checking for errors|loop variable \w+ captured by func literal|second argument to errors\.As must be a non-nil pointer|impossible type assertion: |conversion from \S+ to string yields a string of one rune|direct assignment to atomic value|call to \(\*[\w.]+\)\.\w+ from a non-test goroutine|misuse of unbuffered os\.Signal channel)/ },
  // `go vet` reports the type checker's errors under its own name, `vet: x.go:11:3: ttl declared but not used`. On
  // Windows cmd/go names the file in the system's form, `status\weight.go:11:3: …`, `.\main.go:9:2: …`. The type
  // checker explains some errors on tab-indented lines under them (`\thave (number)` / `\twant (int, int)`, `\tSq does
  // not implement Shape (…)`): they are the error's. Under go test the package's header right above its first error
  // (`# pkg [pkg.test]` when a test file does not compile) names the package, and `FAIL pkg [build failed]` closes it.
  { id: 'go.build-error', category: COMPILATION, weight: 80, extend: INDENT,
    re: /^(?:vet: )?(?:\.\.?[/\\])?[\w./\\-]+\.go:\d+:\d+: (?!warning)\S|^can't load package: /,
    lookback: { re: /^# [\w./-]+ \[[\w./-]+\.test\]$/, lines: 1, inclusive: true }, tally: /^FAIL\t\S+ \[build failed\]$/,
    // A Go older than go.mod's `go` line (before 1.21's toolchain check) compiles anyway and, when it fails, says why
    // under the errors: `note: module requires Go 1.22`.
    cont: /^note: module requires Go \S+$/ },
  // cargo quotes a build script that failed whole under its headline (under `Caused by:`, two spaces in since cargo
  // 1.52): `process didn't exit successfully: …`, `--- stdout`, the `cargo:` directives and the environment the script
  // read (cc-rs's `TARGET = Some(…)`, a configure script's `checking for …`), then `--- stderr`, where it says why
  // (a panic, configure's or cc-rs's `error occurred: …`). Of such a block the prediction lists the headline, what
  // follows `--- stderr`, and the errors of a compiler the script ran, which cc-rs echoes to stdout as
  // `cargo:warning=…` lines; a stdout dump runs to hundreds of lines (a CMake build's).
  { id: 'cargo.build-script', category: COMPILATION, weight: 82, extend: UNTIL, maxLines: 1000, gap: 99, refine: true,
    re: /^error: (?:failed to run custom build command for|linking with `[^`]+` failed)/,
    end: /^(?:error(?:\[E\d+\])?: |warning: |\s*Compiling \S|\s*Building \[)/,
    pick: [
      { re: /configure: error: / },
      { re: /thread '[^']*' panicked at/ },
      { re: /undefined reference to|cannot find -l|ld: (?:symbol|library)|unresolved external symbol/ },
      { re: /(?:^|\s)(?:fatal )?error(?:\[\w+\])?: / },
      { re: /^\s*error occurred(?: in cc-rs)?: / },
    ],
    keyLines: { from: /^\s*--- stderr$/, also: /(?:^|\s|=)(?:fatal )?error(?:\[\w+\])?: |configure: error: |undefined reference to|cannot find -l/ },
    // rustc's linker not finding a library (`= note: rust-lld: error: unable to find library -llz4`): see MISSING_LIBRARY_RE.
    categoryFrom: [{ re: MISSING_LIBRARY_RE, category: DEPENDENCY }] },
  // Nix reports a failed derivation as `error: builder for '/nix/store/…drv' failed with exit code 1;` and quotes
  // the build's last lines below it (`       > …`, read past that prefix by their own rules): a status, before rustc's
  // `error: ` rule, which would take the quoted lines into its block.
  { id: 'nix.builder-failed', category: UNKNOWN, weight: 14, extend: LINE, refine: true, statusOnly: true,
    re: /^error: (?:builder for '[^']*' failed with exit code \d+|\d+ dependenc(?:y|ies) couldn't be built|Cannot build '[^']*')/ },
  // Swift Package Manager's resolver (`swift build`, and xcodebuild's own wording), before rustc's `error: ` rule.
  { id: 'swiftpm.resolve', category: DEPENDENCY, weight: 84, extend: INDENT, maxLines: 40,
    re: /^(?:xcodebuild: )?error: (?:Dependencies could not be resolved because|Could not resolve package dependencies:|the package at '[^']*' cannot be accessed|package resolution failed)/ },
  // A lock file the manifest has moved past, where CI installs from it as it is: uv sync --locked, bun install
  // --frozen-lockfile, Poetry, npm ci, Yarn 1's --frozen-lockfile, cargo --locked, Bundler in deployment or frozen
  // mode (its message's first line; pnpm's ERR_PNPM_OUTDATED_LOCKFILE has pnpm.error).
  // npm's error is the message of an `npm error code EUSAGE` (taken in) followed by the packages it found out of sync
  // (`Missing: x@1.2.3 from lock file`, `Invalid: lock file's x@1.0.0 does not satisfy x@^2.0.0`), then the usage.
  { id: 'lockfile.outdated', category: DEPENDENCY, weight: 86, extend: INDENT, maxLines: 40,
    cont: /^npm (?:ERR!|error)(?: (?:Missing|Invalid): \S.*|\s*)$/,
    lookback: { re: /^npm (?:ERR!|error) code EUSAGE$/, lines: 2, inclusive: true, through: /^npm (?:ERR!|error)\s*$/ },
    re: /^(?:npm (?:ERR!|error) `npm ci` can only install packages when your package\.json and |error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`|error: the lock file \S+ needs to be updated but --(?:locked|frozen) was passed|error: cannot update the lock file \S+ because --(?:locked|frozen) was passed|You are trying to install in deployment mode after changing$|error: The lockfile at `[^`]+` needs to be updated, but `--(?:locked|frozen)` was provided|error: lockfile had changes, but lockfile is frozen|(?:Error: )?pyproject\.toml changed significantly since poetry\.lock was last generated|(?:Error: )?poetry\.lock is not consistent with pyproject\.toml)/ },
  // `npm ci` in a project with no lock file: `npm error code EUSAGE`, the message on three lines, then the command's
  // whole usage (npm 7+; `npm ERR! ` before npm 10). The code above it is taken in; the usage is not the failure's.
  { id: 'npm.ci-no-lockfile', category: DEPENDENCY, weight: 86, extend: INDENT, maxLines: 6,
    re: /^npm (?:ERR!|error) The `npm ci` command can only install with an existing package-lock\.json/,
    cont: /^npm (?:ERR!|error) (?:npm-shrinkwrap\.json with lockfileVersion|later to generate a package-lock\.json)/,
    lookback: { re: /^npm (?:ERR!|error) code EUSAGE$/, lines: 2, inclusive: true, through: /^npm (?:ERR!|error)\s*$/ } },
  // pip on a system Python marked EXTERNALLY-MANAGED (PEP 668; ubuntu-24.04 runners): the workflow installs outside
  // a virtual environment. Before rustc's `error: ` rule.
  { id: 'pip.externally-managed', category: CONFIGURATION, weight: 86, extend: LINE, re: /^error: externally-managed-environment$/ },
  // deno check (and the type check of deno test and run): `TS2322 [ERROR]: message`, its second lines, the source line
  // as the file has it (flush left too), the squiggle and `    at file:///path/x.ts:15:9`, a blank line after each
  // (ahead of ruff.diagnostic, whose code shape it has). Deno 1 puts `error: ` before the first (ahead of rustc.error).
  { id: 'deno.type-error', category: COMPILATION, weight: 86, extend: PARAGRAPH, gap: 0,
    re: /^(?:error: )?TS\d{4} \[ERROR\]: \S/ },
  // typos (crate-ci): `error: `teh` should be `the``, then `  --> ./docs/x.md:14:9` and a frame. Before rustc's rule,
  // whose shape it borrows.
  { id: 'typos.typo', category: LINT, weight: 76, extend: INDENT, maxLines: 12, cont: /^\s*\d+ \|/,
    re: /^error: `[^`]+` (?:should be `|is disallowed)/ },
  // A lint denied by `-D warnings` is a linter's finding (clippy's, the compiler's own), except rustdoc's: under
  // `RUSTDOCFLAGS=-D warnings` they fail the documentation build, as javadoc's -Xdoclint errors do.
  // cargo could not fetch a dependency (`error: failed to get `serde` as a dependency of package …`, `failed to
  // download from `…``) and says why in its `Caused by:` chain: a transport error of curl's (`[6] Could not resolve
  // hostname`, `[28] Timeout was reached`; git2's `…; class=Net (12)` under a git index) is the network's, anything
  // else (no such version, `--offline`) the dependencies'. Before rustc.error, which would read it as a compile error;
  // so are a crate's download (`failed to download `serde v1.0.210``) and a git index's update (`failed to update
  // registry `crates-io``, cargo before 1.70's default and a `[registries]` entry over git).
  { id: 'cargo.fetch', category: DEPENDENCY, weight: 82, extend: INDENT, maxLines: 80,
    re: /^error: failed to (?:get `[^`]+` as a dependency of package |download from `|load source for dependency `|download `[^`]+`$|update registry `)/,
    cont: /^Caused by:$/,
    categoryFrom: [{ re: /^\s*\[\d+\] [A-Z]|; class=Net \(\d+\)$/, category: NETWORK }] },
  // cargo refusing a package whose `rust-version` is newer than the toolchain: `error: rustc 1.75.0 is not supported by
  // the following package:` (cargo 1.77+), the packages indented under it (`  tally@0.1.0 requires rustc 1.97`);
  // before, `error: package `x v1.2.0` cannot be built because it requires rustc 1.74 or newer, while the currently
  // active rustc version is 1.70.0`. The toolchain the workflow set up against what a package asks, as npm's EBADENGINE.
  { id: 'cargo.rust-version', category: DEPENDENCY, weight: 86, extend: INDENT, maxLines: 20,
    // Each branch starts with its own words: the literal index keys the rule on `error: r`/`error: p`, not on the
    // ` is not ` that a compiler's message (tsc's `is not assignable`) holds.
    re: /^error: rustc \S+ is not supported by the following packages?:$|^error: package `[^`]+` cannot be built because it requires rustc \S+ or newer/ },
  // cargo where no Cargo.toml is (`error: could not find `Cargo.toml` in `/w/x` or any parent directory`, `error:
  // manifest path `sub/Cargo.toml` does not exist`): the workflow's folder or `--manifest-path`, not the code.
  { id: 'cargo.no-manifest', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^error: (?:could not find `Cargo\.toml` in `[^`]*` or any parent directory|manifest path `[^`]+` does not exist)$/ },
  { id: 'rustc.error', category: COMPILATION, weight: 82, extend: INDENT, maxLines: 80,
    re: /^error(?:\[E\d{4}\])?: (?!could not compile|failed to select a version for |aborting due to|build failed|test failed|Process didn't|pathspec |src refspec |failed to push |Your local changes |RPC failed; |\d+ bytes of body are still expected|cannot lock ref |remote \S+ already exists|could not lock config file |The following untracked working tree files |unable to create file |invalid path '|cannot (?:pull with )?rebase: |could not apply |(?:Merging|Pulling) is not possible|(?:subprocess-exited-with-error|metadata-generation-failed|legacy-install-failure|failed-wheel-build-for-install)$)/,
    cont: /^\s*(?:-->|\||\d+\s*\||= (?:note|help)|\.\.\.|\^)|^(?:note|help): |^(?:process didn't exit|--- std(?:out|err))/,
    categoryFrom: [{ re: /^\s*= (?:note: `-D (?!rustdoc::)[\w:-]+` implied by `-D warnings`|note: `#\[deny\(clippy::|help: for further information visit https:\/\/rust-lang\.github\.io\/rust-clippy\/)/, category: LINT }] },
  { id: 'msvc.error', category: COMPILATION, weight: 84, extend: LINE,
    re: /: (?:fatal )?error (?:C|LNK|RC)\d{4}:/ },
  { id: 'git.conflict-marker', category: COMPILATION, weight: 90, extend: LINE,
    re: /\b(?:[Mm]erge )?[Cc]onflict markers? (?:encountered|in file)|encountered diff marker|version control conflict marker|^\s*(?:<{7}|>{7}) \S+$/ },
  // GNU ld names the function a reference is made from on the line above it (`/usr/bin/ld: main.o: in function
  // `main':`; before binutils 2.32 `main.o: In function `main':`, with no `ld:` in front): where the reference is,
  // taken into the block. A symbol defined twice is `multiple definition of `f'; util.o:util.c:(.text+0x0): first
  // defined here` on one line since 2.32; before, the first definition came on a line of its own under it
  // (`util.o:util.c:(.text+0x0): first defined here`), joined to it as another line of the rule. The section's name
  // holds no `:` or `(`: each `:(` of a long line that never closes is then given up at once, not read to the end.
  { id: 'linker.missing-library', category: DEPENDENCY, weight: 78, extend: LINE, re: MISSING_LIBRARY_RE },
  { id: 'linker.error', category: COMPILATION, weight: 78, extend: LINE,
    lookback: { re: /\bld(?:\.bfd|\.gold|\.exe)?: \S.*: in function [`'‘].*['’]:$|^\S+\.o(?:bj)?: In function [`'‘].*['’]:$/, lines: 1, inclusive: true },
    re: /undefined reference to [`']|Undefined symbols? for architecture|ld: (?:symbol|library) .{0,500} not found|unresolved external symbol|multiple definition of [`']|^\S+:\(\.\w[^\s():]*\): first defined here$/ },
  // LLVM's lld under each of its names (`ld.lld` on ELF, `ld64.lld`, `lld-link`, `wasm-ld`, `rust-lld`): `ld.lld:
  // error: undefined symbol: compute` or `duplicate symbol: f`, where it is referenced or defined on `>>> ` lines under
  // it (`>>> referenced by main.c`, `>>>               main.o:(main)`).
  { id: 'lld.error', category: COMPILATION, weight: 78, extend: INDENT, maxLines: 40, cont: /^>>> /,
    re: /^(?:\S*\/)?(?:ld\.lld|ld64\.lld|lld-link|wasm-ld|rust-lld)(?:\.exe)?: error: / },
  { id: 'linker.exit', category: COMPILATION, weight: 40, extend: LINE, re: /collect2(?:\.exe)?: (?:error: )?ld returned \d+ exit status|clang: error: linker command failed/ },
  // Refined: a `find_package` that finds nothing (`Could NOT find OpenSSL`) is a missing dependency.
  { id: 'cmake.error', category: CONFIGURATION, weight: 86, extend: INDENT, maxLines: 60, gap: 1, refine: true,
    re: /^CMake Error\b/, cont: /^(?:Call Stack \(most recent call first\):|\s)/ },
  // Autoconf's configure: the check that failed is the line above (`checking for WebPDecodeRGBA in -lwebp... no`).
  // A library or package it did not find is a missing dependency: PKG_CHECK_MODULES' `Package requirements (glib-2.0
  // >= 2.56) were not met:`, an AC_CHECK_LIB's own AC_MSG_ERROR (`libwebp is required: install libwebp-dev`, `library
  // 'z' not found`). A compiler that does not work (`C compiler cannot create executables`) stays configuration, and
  // so do autoconf's own helper scripts missing from the checkout (`cannot find required auxiliary files: install-sh
  // config.guess`: `autoreconf -i` was not run).
  // AC_MSG_FAILURE names the build directory on a line of its own first (`configure: error: in `/w/x':`): the
  // message under it is the one shown.
  { id: 'configure.error', category: CONFIGURATION, weight: 80, extend: LINE, re: /^configure: error: /,
    lookback: { re: /^checking .*\.\.\. no$/, lines: 1, inclusive: true }, pick: [{ re: /^configure: error: (?!in [`'])/ }],
    categoryFrom: [{
      re: /^configure: error: (?:Package requirements \(|(?!cannot find required auxiliary files\b).*\b(?:not found|required|install \S+-devel?)\b)/,
      category: DEPENDENCY,
    }] },
  // make's own stop. Scripts probe targets that may not exist (`make clean || true`) and go on: below a failure
  // of the step that failed after it (a later section's output that says nothing more scores 20 + 30 there). On a
  // makefile's line (`Makefile:1: *** recipe commences before first target.  Stop.`, `rules.mk:4: *** missing
  // separator.  Stop.`, a makefile's `$(error …)`; on Windows a makefile may be named with its drive,
  // `D:/a/x/rules.mk:3: …`; indented by a script, or behind Docker Compose's `builder-1  | `) it ends `.  Stop.`;
  // make's located `***` lines that do not (`*** mixed implicit and normal rules: deprecated syntax`) are warnings
  // it goes on after. Anchored: a search through the line would read it again from each `: *** ` in it.
  { id: 'make.no-rule', category: CONFIGURATION, weight: 60, extend: LINE,
    re: /No rule to make target|No targets(?: specified and no makefile found)?\.|^(?:[\w.-]+ +\| )?\s*(?:[A-Za-z]:)?[\w./\\-]+:\d+: \*\*\* .*\.  Stop\.$/ },
  // Nim: `path.nim(27, 15) Error: undeclared identifier: 'x'`; a type mismatch lists the candidates under it at
  // column 0 (`but expected one of:`, `proc …`), then after a blank line `expression: …`.
  // Crystal's compile errors: `In src/app.cr:5:19`, the source line (` 5 | code`) and its caret (`^`, `^--` under a
  // span), then `Error: message`; a syntax error puts `Error:` right under its `In` line. `Error: …` is generic wording
  // (Node's thrown error has it under a caret too, after its own `file.js:3` and code): the headline counts only with
  // Crystal's `In file.cr:L:C` above it, past its source and caret lines. Under `--error-trace` each call on the way
  // down is its own `In …` / `Error: instantiating 'run(Int32)'` (`expanding macro`): frames, the cause the last.
  { id: 'crystal.error', category: COMPILATION, weight: 84, extend: PARAGRAPH, gap: 0,
    re: /^Error: (?!instantiating '|expanding macro)\S/, under: { header: CRYSTAL_IN_RE, through: /^\s*\^|^ *\d+ \|/ }, lookback: { re: CRYSTAL_IN_RE, lines: 6, inclusive: true } },
  { id: 'nim.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 40, re: /^\S+\.nim[sb]?\(\d+, \d+\) Error: \S/,
    cont: /^(?:but expected one of:$|(?:proc|func|template|macro|iterator|method|converter) \S|\d+ other mismatching symbols? |expression: )/ },
  // gfortran: `Error: … at (1)` (`Fatal Error: … at (1)`), its place `src/x.f90:8:10:` up to eight lines above it,
  // over a blank line and the numbered source lines and carets (two of each for a `(1)`/`(2)` pair); with the caret
  // off (`-fno-diagnostics-show-caret`) the place opens the line: `src/x.f90:8:10: Error: … at (1)`.
  { id: 'gfortran.error', category: COMPILATION, weight: 84, extend: LINE, re: /^(?:\S+:\d+:\d+: )?(?:Fatal )?Error: .* at \(1\)/,
    lookback: { re: /^\S+:\d+:\d+:$/, lines: 8, inclusive: true, through: /^$|^ +\d* \| / } },
  // A gfortran program's runtime error: `At line 11 of file src/x.f90` above `Fortran runtime error: …`, then
  // `Error termination. Backtrace:` and its frames (`#3  0x… in heat`, a tab and `at src/x.f90:11`).
  { id: 'gfortran.runtime-error', category: UNKNOWN, weight: 62, extend: UNTIL, gap: 1, maxLines: 60,
    re: /^Fortran runtime error: /, lookback: { re: /^At line \d+ of file \S/, lines: 1, inclusive: true },
    end: /^(?!Error termination\. Backtrace:$|#\d+ +0x|\tat )/ },
  // D's uncaught Throwable (druntime): `core.exception.AssertError@source/x.d(11): message` (`object.Exception@…`,
  // `std.conv.ConvException@…`: a class named …Error or …Exception, which keys the literal index), a rule of dashes
  // and a frame a line (`source/x.d:11 void x.f() [0x…]`, `??:? … [0x…]`; LDC's often without the function,
  // `source/x.d:11 [0x…]`, `source/x.d [0x…]`, `??:? [0x…]`); under -funittest an AssertError from the
  // module's own file is only `x.d(3): [unittest] message`. The runner's `1/1 modules FAILED unittests` follows. A
  // failed assert is a failed test, any other Throwable a runtime error (read from the class, not the message's
  // words: `Unexpected 'x'` is no test's expectation).
  // SBCL's unhandled condition with the debugger disabled (`--script`, `--non-interactive`): `Unhandled
  // SB-INT:SIMPLE-PARSE-ERROR (ASDF's and UIOP's packages hold a `/`: `ASDF/FIND-COMPONENT:MISSING-COMPONENT`) in thread #<SB-THREAD:THREAD "main thread" RUNNING` (the thread's `{1001348003}>:` wrapped
  // onto an indented line), the condition's text indented, `Backtrace for: #<SB-THREAD:THREAD …>` and its numbered
  // frames, down to `unhandled condition in --disable-debugger mode, quitting`. The condition's name need not say
  // error (`Unhandled FILE-DOES-NOT-EXIST in thread …`): the line filter's keyword is `in thread #<SB-THREAD:` (a
  // literal: `unhandled [\w:-]+ in thread`, a class looped inside the automaton, cost 4.6 KB of classify's bundle).
  { id: 'sbcl.unhandled', category: UNKNOWN, weight: 74, extend: UNTIL, maxLines: 200,
    re: /^Unhandled [\w:*+/.%-]+ in thread #<SB-THREAD:THREAD /, end: /^unhandled condition in --disable-debugger mode, quitting$/ },
  // SBCL's compiler (compile-file, ASDF's compile-op): `; caught ERROR:` or `; caught WARNING:` (either makes
  // compile-file report failure, and ASDF stop), the message under it three spaces after the `;`, and above it the
  // place: `; file: /path/x.lisp` (once per file, again after another file's output), `; in: DEFUN NAME` and the
  // form. A STYLE-WARNING fails nothing; `; note:` lines are the optimiser's (NOISE_RE).
  { id: 'sbcl.caught', category: COMPILATION, weight: 80, extend: INDENT, gap: 0, joinsInStep: true, re: /^; caught (?:ERROR|WARNING):$/, cont: /^; {3,}\S/,
    tally: /^; {3}caught \d+ (?:fatal )?ERROR conditions?$/,
    lookback: { re: /^; (?:file|in): \S/, lines: 40, inclusive: true, through: /^;(?: |$)/, farthest: /^; caught / } },
  // DMD's front end (dmd, LDC's ldc2, under dub) prints its errors as `source/app.d(7,27): Error: message` (see
  // nvcc.error, which reads them); a warning fails the build too where warnings are errors (`-w`, dub's default):
  // `source/app.d(9,5): Warning: statement is not reachable`, then `Error: warnings are treated as errors` (`       Use
  // -wi if you wish …` under it), whose block reaches back to the warnings above it.
  { id: 'dmd.warnings-as-errors', category: COMPILATION, weight: 84, extend: INDENT, re: /^Error: warnings are treated as errors$/,
    // (`farthest`: on to the first warning of the list, not the nearest, up to a line that is none of the compiler's.)
    lookback: { re: /^\S+\.di?\(\d+(?:,\d+)?\): Warning: \S/, lines: 100, inclusive: true, through: /^(?:\S+\.di?\(\d+(?:,\d+)?\): |\s)/, farthest: /^(?!\S+\.di?\(\d+(?:,\d+)?\): |\s)/ },
    pick: [{ re: /^\S+\.di?\(\d+(?:,\d+)?\): Warning: \S/ }] },
  { id: 'd.throwable', category: UNKNOWN, weight: 62, extend: UNTIL, maxLines: 200,
    categoryFrom: [{ re: /^(?:core\.exception\.AssertError@|\S+\.d\(\d+\): \[unittest\] )/, category: TEST_FAILURE }],
    re: /^(?:[a-z_]\w*\.)+\w*(?:Error|Exception)@\S*\(\d+\): |^\S+\.d\(\d+\): \[unittest\] /, end: /^(?!-{16}$|\S+(?::[\d?]+)? (?:\S.* )?\[0x[\da-f]+\]$)/,
    tally: /^\d+\/\d+ modules FAILED unittests$/ },
  // dune's `(diff expected actual)` action (an expect or cram test's output against its file): `File "t/x.expected",
  // line 1, characters 0-0:` over the diff tool dune ran (dune 2's `git (internal) (exit 1)` and `(cd _build/default &&
  // … git diff …)` lines, then git's diff; dune 3 prints the diff right under it, or `Error: Files … differ.` when it has
  // no diff tool). A test's failure, where the same diff under a check is a formatter's (diff.unified). dune places
  // the action at the file's start, `line 1, characters 0-0`; read before ocaml.error, as ppx_expect's failure is
  // this action on the test's own `.ml` (against `x.ml.corrected`) and a headline whose next line fails is not
  // tried on later rules.
  { id: 'dune.diff-action', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 300, gap: 99, hunks: true,
    re: /^File "[^"]+", line 1, characters 0-0:$/,
    nextLine: /\(internal\) \(exit|^diff --git |^Error: Files .* differ/, end: /^(?![-+ @\\]|\(cd |index |diff --git |Error: Files |$)/,
    // `dune build @fmt` prints the same block for a file its formatter would change, against `.formatted/<file>`.
    categoryFrom: [{ re: /\/\.formatted\//, category: LINT }] },
  // The same action when patdiff is installed (dune runs `patdiff -keep-whitespace -location-style omake [-ascii]`,
  // print_diff.ml): `------ t/x.expected` over `++++++ t/x.output`, then each hunk's location (`File "t/x.expected",
  // line 2, characters 0-1:`; patdiff's own style `@|-1,3 +1,3 ====`) and its lines marked ` |`, `-|`, `+|` (`!|`
  // for a line changed in place, in colour). dune then prints no location of its own. The location says where.
  // The header names a file, a path without spaces: a script's banner (`------ Build FAILED ------`) is left to the
  // rules after this one, which a headline of a rule with `nextLine` keeps off it.
  { id: 'dune.patdiff', category: TEST_FAILURE, weight: 84, extend: UNTIL, maxLines: 300, gap: 0,
    re: /^-{6} (?=\S*[/.]\w)\S+$/, nextLine: /^\+{6} \S/, end: /^(?![-+ !@]\||File "|\+{6} )/, pick: [{ re: /^File "/ }],
    categoryFrom: [{ re: /\/\.formatted\//, category: LINT }] },
  // OCaml (ocamlc, dune): `File "bin/main.ml", line 5, characters 10-13:`, a code frame, then `Error: …`.
  { id: 'ocaml.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 40, cont: /^(?:\d+ \||Error|Warning)/,
    re: /^File "[^"]+\.(?:ml|mli|mly|mll|re|rei)", lines? \d+(?:-\d+)?, characters \d+-\d+:$/,
    pick: [{ re: /^Error(?: \(warning \d+ \[[\w-]+\]\))?: / }] },
  // An OCaml program's uncaught exception, `Fatal error: exception Assert_failure("test/t.ml", 6, 2)` (PHP's
  // `Fatal error: Uncaught …` reads alike), with OCAMLRUNPARAM=b its `Raised at …`/`Called from …` frames under it.
  // Under `dune test` the test executable's report starts at dune's ` t alias test/runtest (exit 2)`, its output
  // in between: listed by dune's line, the exception and its frames (its key lines), not what the test printed.
  { id: 'ocaml.uncaught', category: UNKNOWN, weight: 82, extend: INDENT, maxLines: 60, refine: true,
    re: /^Fatal error: exception [A-Z][\w.]*(?:\(|$| )/, cont: OCAML_FRAME_RE, keyLines: { also: OCAML_FRAME_RE },
    lookback: { re: /^\s*\S+ alias \S+ \(exit \d+\)$/, lines: 200, inclusive: true } },
  // Elm: `-- TYPE MISMATCH ----- src/Main.elm`, then the explanation (first line named) up to the next report.
  { id: 'elm.error', category: COMPILATION, weight: 84, extend: UNTIL, maxLines: 80, gap: 99,
    re: /^-- [A-Z][A-Z ]*[A-Z] -+ \S+\.elm$/, end: /^(?:-- [A-Z][A-Z ]*[A-Z] -+ \S|Detected (?:errors|problems) in \d+ modules?\.)/,
    pick: [{ re: /^\S/ }] },
  // Elixir 1.15+ logs its errors as diagnostics first (`    error: undefined function f/2 (expected …)`, a code frame,
  // `    └─ lib/x.ex:41:25: M.g/3`), then `== Compilation error in file lib/x.ex ==` and `** (CompileError) lib/x.ex:
  // cannot compile module M (errors have been logged)`, which only say so: the first diagnostic since `Compiling N
  // files (.ex)` (or an umbrella's `==> app`) is named. Earlier releases put the reason in the CompileError line.
  { id: 'elixir.compile-logged', category: COMPILATION, weight: 82, extend: INDENT, maxLines: 10,
    re: /^== Compilation error in file \S+ ==$/, cont: /^\*\* \(CompileError\) \S+: cannot compile (?:module|file)\b/,
    lookback: { re: /^(?:Compiling \d+ files? \(\.ex\)|==> [\w.-]+)$/, lines: 250, inclusive: false },
    pick: [{ re: /^ {4}error: \S/ }] },
  { id: 'elixir.compile', category: COMPILATION, weight: 82, extend: INDENT, re: /^== Compilation error|^\*\* \((?:CompileError|SyntaxError|TokenMissingError)\)/ },
  // Mix's summary under --warnings-as-errors (compile, test, ExDoc) says only that warnings failed the run: the
  // warnings printed since `Compiling N files (.ex)` (or since an umbrella's `==> app`) say which, the first named.
  { id: 'elixir.warnings-as-errors', category: COMPILATION, weight: 84, extend: LINE,
    re: /^(?:ERROR! )?(?:Compilation failed|Test suite aborted after successful execution|Documents have been generated, but generation for [\w, ]+ failed) due to warnings while using the --warnings-as-errors option$/,
    lookback: { re: /^(?:Compiling \d+ files? \(\.ex\)|==> [\w.-]+)$/, lines: 250, inclusive: false },
    pick: [{ re: /^\s*warning: \S/ }] },
  { id: 'swift.error', category: COMPILATION, weight: 82, extend: INDENT, re: /^\S+\.(?:swift|m|mm|h):\d+:\d+: error: / },
  // Meson's configure step: `meson.build:12:0: ERROR: …` (a missing dependency refines to one).
  { id: 'meson.error', category: CONFIGURATION, weight: 82, extend: LINE, refine: true, re: /^(?:\S+\/)?meson\.build:\d+:\d+: ERROR: / },
  // Vite names its plugin (`[vite:esbuild] Transform failed …`) and esbuild prints `file:12:6: ERROR: msg`.
  // Dart Sass (its CLI, sass-loader's `SassError:`): its messages, a `╷ │ ╵` frame and the stylesheet's load stack.
  // TeX's errors (pdfTeX, XeTeX, LuaTeX; LaTeX's `! LaTeX Error: …`, a package's `! Package x Error: …`): `! ` and the
  // message, then where TeX stopped (`l.14 The burst is \burstsize`, the rest of that line indented under it) and,
  // under -halt-on-error, `!  ==> Fatal error occurred, no output PDF file produced!`. A file it cannot find asks for
  // another name first (`Type X to quit …`, `Enter file name:`) and stops (`! Emergency stop.`, `<read *>`). Only the
  // messages a pre-filter keyword reaches (error, undefined, missing, too many, not found): `! ` is no shape of its own.
  // Under `-file-line-error` (latexmk's option, xu-cheng/latex-action's default) the file and line stand in place of
  // `! ` (`./main.tex:14: Undefined control sequence.`, `./main.tex:14:  ==> Fatal error occurred, …`).
  { id: 'tex.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 24,
    re: /^(?:! |\S+:\d+: )(?:LaTeX3? Error: |(?:Package|Class) \S+ Error: |Undefined control sequence\.$|Missing \S+ inserted\.$|Too many \}'s\.$|File `[^']+' not found\.$)/,
    cont: /^(?:l\.\d+ |(?:!|\S+:\d+:) (?: ==> Fatal error|Emergency stop\.$)|Type {1,2}[XH] |or enter new name\. |Enter file name: |<[\w* ]+> ?$)/ },
  // Under -halt-on-error TeX stops at its first error with `!  ==> Fatal error occurred, no output PDF file
  // produced!`: the message above it says what, also those tex.error does not name (`! Double superscript.`, `! TeX
  // capacity exceeded, sorry [input stack size=10000].`, `! Misplaced alignment tab character &.`), which no pre-filter
  // keyword reaches. The stop is the headline; the report starts at the message and shows it first.
  { id: 'tex.fatal', category: COMPILATION, weight: 84, extend: LINE, maxLines: 24,
    re: /^(?:!|\S+\.tex:\d+:)  ==> Fatal error occurred/,
    lookback: { re: /^(?:! |\S+\.tex:\d+: )(?! ==>)\S/, lines: 24, inclusive: true },
    pick: [{ re: /^(?:! |\S+\.tex:\d+: )(?! ==>)\S/ }] },
  // Groovy's compiler (groovyc, Gradle's compileGroovy, a Jenkins pipeline's WorkflowScript): `org.codehaus.groovy.
  // control.MultipleCompilationErrorsException: startup failed:`, then each error (`src/X.groovy: 14: unable to resolve
  // class Foo ` and ` @ line 14, column 21.` under it, or `WorkflowScript: 5: … @ line 5, column 27.` on one line), its
  // code line and caret, a blank line between, down to `3 errors` (Jenkins prints the exception's frames after it).
  // Gradle's compileGroovy prints the exception's message without its name: `startup failed:` alone.
  { id: 'groovy.compile', category: COMPILATION, weight: 84, extend: UNTIL, maxLines: 200,
    re: /^(?:[\w.]*MultipleCompilationErrorsException: )?startup failed:$/, end: /^\d+ errors?$/ },
  // Clojure 1.10+: `Syntax error compiling at (cart/tax.clj:9:27).` (or `… macroexpanding clojure.core/let at (…)`,
  // `… reading source at (…)`, with the exception's class when it is not the usual one), the message on the next line
  // (`Unable to resolve symbol: default-rate in this context`), then where the full report was written.
  { id: 'clojure.syntax-error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 4,
    re: /^Syntax error (?:\([\w.]+\) )?(?:compiling|macroexpanding|reading source)\b.* at \(\S+\)\.$/,
    message: { open: /^Syntax error /, end: /^(?!Syntax error )\S/ } },
  { id: 'sass.error', category: COMPILATION, weight: 80, extend: INDENT, maxLines: 40, cont: /^\s*\d+ [│|]/,
    re: /^(?:Sass)?Error: (?:Undefined (?:variable|mixin|function|operation)|Can't find stylesheet to import|[Ee]xpected (?:"[^"]+"|expression|identifier|selector)|Invalid CSS after|There is no module with the namespace|Incompatible units|Module loop|This (?:file|module) is already being loaded|Private members can't be accessed|Only \d+ arguments? allowed)/ },
  // webpack 5's `ERROR in ./src/index.js 4:15-34`, the message under it (`Module not found: Error: Can't resolve
  // './routes' in '…'`) and what it says about it (the resolver's trace, a loader's output, the code), down to the
  // blank line before the next error. A loader's error goes on past one: webpack prints the stack of babel's
  // `SyntaxError: /path/x.js: Unexpected token, expected "," (3:26)`, whose message holds a blank line and then the
  // code frame (`> 3 | const prices = [1200, 450 990];`, the caret under it), then the parser's frames; css-loader's
  // and postcss-loader's error (a CSS syntax error) is `Module build failed (from …):`, a blank line, `SyntaxError`,
  // a blank line, `(3:3) /path/x.css Unknown word padding`, a blank line and the code frame.
  { id: 'webpack.error-in', category: COMPILATION, weight: 78, extend: PARAGRAPH, gap: 1, maxLines: 120, re: /^ERROR in \S/,
    contAfter: { prev: /^\w*Error: .* \(\d+:\d+\)$|^Module build failed \(from [^)]+\):$|^\w*Error$|^\(\d+:\d+\) \S/, re: /^>? +\d+ \||^\w*Error$|^\(\d+:\d+\) \S/, blank: true } },
  // less-loader's error under it, past two blank lines: the source lines round the error as they stand (three at
  // most), a caret, less's message and `      Error in /path/b.less (line 5, column 1)`, read up from that position
  // to the blank line.
  { id: 'less-loader.error', category: COMPILATION, weight: 60, extend: LINE, re: /^\s+Error in .+\.less \(line \d+, column \d+\)/,
    lookback: { re: /^$/, lines: 8, inclusive: true } },
  // Rolldown (Vite 8's bundler, and its own CLI) under `Build failed with N errors:`: each error's `[CODE] message`
  // (`[UNRESOLVED_IMPORT]`, `[PARSE_ERROR]`, `[MISSING_EXPORT]`), its `╭─[ file:line:col ]` frame indented below, the
  // code and the labels, closed by `───╯` at the line's start (Rolldown's CLI writes the heading after its level:
  // `[error] Build failed with 2 errors:`). Other logs print `[TAG] text` too (Maven's `[ERROR]`), and Vite prints
  // Rolldown's warnings in the same shape (`[EVAL] …`, `[IMPORT_IS_UNDEFINED] …`, in yellow, one under the other's
  // frame) in a build that passes: the headline counts only under the heading, past the errors listed above it.
  { id: 'rolldown.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 40,
    re: /^\[[A-Z]+(?:_[A-Z]+)*\] \S/, cont: /^─+╯$/, under: ROLLDOWN_ERRORS },
  // A plugin's error under the same heading is headed by the plugin (`[plugin acme-env] src/env.js`, `[plugin
  // vite:css-post]`, `[builtin:vite-json] plugin … threw an error`), the error's message at the line's start under it
  // (`RolldownError: …`, `SyntaxError: [lightningcss minify] …` over its code frame, or `Caused by:` over it), then
  // the JavaScript stack or Rust's `Stack backtrace:`: the prediction lists the message and its frame, not the stack.
  // Svelte's and SvelteKit's errors put the docs' link under the message (`https://svelte.dev/e/…`) before the frame,
  // and SvelteKit's own words its message `SvelteKit error: module_removed_lib` under a `[plugin …]` naming no file:
  // a code alone on that line, the message in plain text on the next (`contAfter`).
  { id: 'rolldown.plugin-error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 40,
    re: /^\[(?:plugin [^\]]+\](?: \S|$)|builtin:[\w:-]+\] \S)/, cont: /^(?:Caused by:|(?:[A-Z]\w*)?Error: \S.*|[A-Z]\w* error: \S.*|https:\/\/\S+|\d+ +\| .*)$/,
    contAfter: { prev: /^[A-Z]\w* error: [a-z]+(?:_[a-z]+)+$/, re: /^\S/ },
    pick: [{ re: /^(?:[A-Z]\w*)?Error: \S|^[A-Z]\w* error: \S/ }], keyLines: { belowPick: { end: /^\s+at \S/, lines: 8 }, tail: { lines: 2 } },
    under: ROLLDOWN_ERRORS },
  // miette's diagnostics drawn in ASCII, as swc prints them off a terminal: `  x Expected ';', got ')'`, right under it
  // the frame's `   ,-[src/widget.js:4:1]`, the numbered source lines with `   :    ^` under the one at fault, and
  // `   \`----`. The frame's line is the headline (nothing else in the shape is a keyword); its message, above it, is
  // shown first. A warning's frame is drawn alike under `  ! message` (miette's ASCII theme: `x` error, `!` warning,
  // `>` advice): only an error's counts. A loader that rethrows it (Next.js's next-swc-loader, swc-loader) puts the
  // message behind `Error: ` (`Error:   x Expected '{', got 'interface'`), the frame under it: that line heads it.
  { id: 'miette.ascii-error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 60,
    re: /^\s*,-\[\S+:\d+:\d+\]$|^Error: {3}x \S/, cont: /^\s*(?:\d+ \||:|`-+$)/,
    under: { header: MIETTE_ASCII_ERROR_RE, through: /$^/, alone: /^E/ },
    lookback: { re: MIETTE_ASCII_ERROR_RE, lines: 1, inclusive: true }, pick: [{ re: MIETTE_ASCII_ERROR_RE }] },
  // Angular's builder reports a size budget in esbuild's shape (`✘ [ERROR] bundle initial exceeded maximum budget.
  // Budget 40.00 kB was not met by …`): a check of the output's size, as size-limit's, not the code failing to build.
  // Its webpack builder (build-angular:browser) words the same error `Error: bundle initial exceeded maximum budget. …`.
  { id: 'webpack.error', category: COMPILATION, weight: 78, extend: INDENT, categoryFrom: [{ re: /exceeded maximum budget/, category: LINT }],
    re: /^Error: (?:\S+ )?\S+ exceeded maximum budget\. |^Module (?:not found|build failed)|^\s*\[vite\]: Rollup failed|^✘ \[ERROR\] |^\[vite:[\w-]+\] \S|^\S+:\d+:\d+: ERROR: / },
  // Storybook's builder logs through npmlog: `ERR! Module not found: …` under `ERR! => Failed to build the preview`.
  { id: 'storybook.error', category: COMPILATION, weight: 78, extend: INDENT, refine: true, re: /^ERR! (?!=> |\s)\S/ },
  // svelte-check's human output: the position on its own line, then `Error: message (ts)` and the code.
  { id: 'svelte-check.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 20, re: /^Error: \S.* \((?:ts|js|svelte|css)\)$/,
    lookback: { re: /^\S+\.(?:svelte|[cm]?[jt]s):\d+:\d+$/, lines: 1, inclusive: true } },
  // The Rollup CLI: `[!] RollupError: Could not resolve …` (`[!] Error: …` before Rollup 3, `(plugin x)` before it),
  // then at the line's start the position (`src/x.js (10:0)`) and the code frame's numbered lines (`9:   a: 1,`),
  // under the link to the error's documentation where Rollup has one (`https://rollupjs.org/troubleshooting/#…`).
  { id: 'rollup.error', category: COMPILATION, weight: 82, extend: INDENT, maxLines: 40, re: /^\[!\] (?:\(plugin [^)]+\) )?(?:Rollup)?Error: \S/,
    cont: /^(?:\S+ \(\d+:\d+\)$|\d+: |https:\/\/rollupjs\.org\/\S+$)/ },
  // Next.js's type check: the file's position on its own line, then `Type error: …`.
  { id: 'nextjs.type-error', category: COMPILATION, weight: 84, extend: INDENT, re: /^Type error: \S/,
    lookback: { re: /^\.{0,2}\/?[\w@./-]+\.\w+:\d+:\d+$/, lines: 1, inclusive: true } },
  // A Gradle Kotlin DSL build script that does not compile: `Line 31: …` and `^ Unresolved reference: …` below.
  // A Gradle build that fails while configuring, before any task ran: `A problem occurred configuring project ':app'.`,
  // `A problem occurred evaluating root project 'x'.`, `An exception occurred applying plugin request [id: '…']`,
  // each cause nested below as `> …`, `   > …`; the deepest (the last) says why (`Android Gradle plugin requires Java
  // 17 to run`). The summary under `* What went wrong:` opens it (cascade.gradle-wrong ends before it).
  { id: 'gradle.configuration-failed', category: CONFIGURATION, weight: 80, extend: UNTIL, maxLines: 40, gap: 1, refine: true,
    re: /^(?:A problem occurred (?:configuring|evaluating) (?:root |settings )?(?:project|script|settings)\b|An exception occurred applying plugin request \[id: ')/,
    end: /^(?:\* (?:Try|Exception is|Get more help at)\b|BUILD FAILED\b)/, pick: [{ re: /^\s*> \S/, last: true }] },
  { id: 'gradle.script-compilation', category: COMPILATION, weight: 84, extend: UNTIL, maxLines: 80, gap: 99,
    re: /^Script compilation errors?:$/, end: /^(?:\d+ errors?$|\* Try:|BUILD FAILED)/,
    pick: [{ re: /^\s+\^ \S/ }, { re: /^\s+Line \d+: / }] },
  // Sphinx 8.1+ with -W: the build goes on and ends `build finished with problems, N warnings (with warnings treated as
  // errors).`; the warnings since `Running Sphinx v…` say which, the first named. Before 8.1 the first warning stopped
  // the build: `Warning, treated as error:` and the warning on the next line, named first; with --keep-going it went
  // on and ended `build finished with problems, N warnings.`. The report is the warnings (from the first), what they
  // quote (autodoc's import failure and its exceptions) and the verdict, not the progress lines around them
  // (`reading sources... [ 33%] api`, `writing output...`, `dumping search index...`).
  { id: 'sphinx.warnings-as-errors', category: COMPILATION, weight: 80, extend: LINE,
    re: /^build finished with problems, \d+ warnings?(?: \(with warnings treated as errors\))?\.$/,
    lookback: { re: /^Running Sphinx v\d/, lines: 250, inclusive: false, first: SPHINX_WARNING_RE }, pick: [{ re: /(?:^|: )WARNING: \S/ }],
    keyLines: { also: new RegExp(`${SPHINX_WARNING_RE.source}|^(?:[A-Za-z_]\\w*\\.)*[A-Z]\\w*(?:Error|Exception)(?::|$)|^build finished with problems, `) } },
  { id: 'sphinx.warning-as-error', category: COMPILATION, weight: 80, extend: UNTIL, maxLines: 2, gap: 0,
    re: /^Warning, treated as error:$/, end: /^$/, pick: [{ re: /^(?!Warning, treated as error:$)\S/ }] },
  // MkDocs --strict: `Aborted with 2 warnings in strict mode!` after the build; the `WARNING -  …` lines since
  // `Building documentation` say which, the first named.
  { id: 'mkdocs.strict', category: COMPILATION, weight: 80, extend: LINE, re: /^Aborted with \d+ warnings? in strict mode!$/,
    lookback: { re: /^INFO +- +(?:Building documentation|Cleaning site directory)\b/, lines: 250, inclusive: false }, pick: [{ re: /^WARNING +- +\S/ }] },
  // Python's own: `  File "x.py", line 2` above (`***   File …` from compileall without -q; `  Cell In[1], line 2`
  // and `  File <string>:2` from IPython 8.5+, `  Input In [1]` from 8.0–8.4, so Jupyter, papermill and nbmake), the
  // code four spaces in and its caret between. A file Python cannot decode gets no header (`Non-UTF-8 code starting
  // with …`, `encoding problem: …`). Node prints a `SyntaxError: …` too, under `file.js:2`, the code as written and a
  // blank line: node.exception's.
  { id: 'python.syntax', category: COMPILATION, weight: 70, extend: LINE, re: /^\s*(?:SyntaxError|IndentationError|TabError): /,
    under: { header: /^(?:\*{3})?\s*(?:File "[^"]*", line \d+|File \S.*:\d+$|Cell In ?\[\d+\], line \d+|Input In \[\d+\]$)/, through: /^ {4}/,
      alone: /SyntaxError: (?:Non-UTF-8 code starting with |encoding problem: )/ } },

  // Coq (coqc, coq_makefile's `make`): `File "./theories/x.v", line 19, characters 10-15:` over `Error:` and its message
  // down to a blank line (`In environment`, the hypotheses, `The term "false" has type "bool" while it is expected to
  // have type "nat".`; `Error:  (in proof x): Attempt to save an incomplete proof`). Its warnings take the same place
  // line over `Warning: …`: only an `Error:` right under it counts. OCaml's own place lines name `.ml` files (ocaml.error).
  { id: 'coq.error', category: COMPILATION, weight: 84, extend: PARAGRAPH, gap: 0, maxLines: 40,
    re: /^File "[^"]+\.v", line \d+, characters \d+-\d+:$/, nextLine: /^Error:/ },
  // GNU Bison: `src/x.y:3.20-23: error: symbol ‘FROM’ is used, but …` (line.column, the range's end after the dash,
  // `3.20-4.2` across lines) over a caret excerpt, and the grammar's findings that have no place (`src/x.y: error: 4
  // shift/reduce conflicts [-Werror=conflicts-sr]`). Its warnings fail a run only under -Werror, which prints them so.
  { id: 'bison.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 12,
    re: /^\S+\.(?:y|yy|ypp|yxx)(?::\d+\.\d+(?:-(?:\d+\.)?\d+)?)?: (?:error|fatal error): / },
  // glslangValidator: `ERROR: shaders/x.frag:12: '=' :  cannot convert from …` (`ERROR: 0:12: …` for a source with no
  // name), `'' : compilation terminated` after the first, then `ERROR: 2 compilation errors.  No code generated.`
  { id: 'glslang.error', category: COMPILATION, weight: 84, extend: LINE, re: /^ERROR: \S+:\d+: '[^']*' : /,
    tally: /^ERROR: \d+ compilation errors?\. {2}No code generated\.$/ },
  // Raku's compile errors: `===SORRY!=== Error while compiling /…/x.rakumod (Inventory)` (in red, under CI too), the
  // message (`Undeclared routine:` over `    fail-sku used at line 8`, `Variable '$x' is not declared.`), `at
  // /…/x.raku:3` and the `------> ` excerpt with `⏏` at the place. A module the file loads that does not compile puts
  // its own SORRY line right under the file's: the message is the module's.
  { id: 'raku.sorry', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 20, re: /^===SORRY!===(?: |$)/,
    message: { open: /^===SORRY!===(?: |$)/, end: /^at \S+:\d+$/ }, cont: /^------> / },
  // The Thrift compiler: a parse error, `[ERROR:/…/x.thrift:6] (last token was ',')` with the message on the next line,
  // and its other errors on one, `[FAILURE:/…/x.thrift:3] error: identifier BLUE is unqualified!`. `[WARNING:…]` lines
  // fail nothing. The place is a `.thrift` file's, or one of the compiler's own (`[FAILURE:generation:1] Error: unknown
  // option py:x`, `[FAILURE:arguments:1] Could not open input file …`): a Python logger's `[ERROR:worker.fetch:88] …`
  // (`[%(levelname)s:%(name)s:%(lineno)d]`) is not the compiler's.
  { id: 'thrift.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 2, re: /^\[(?:ERROR|FAILURE):(?:\S+\.thrift|generation|arguments):\d+\] /,
    contAfter: { prev: /^\[ERROR:\S+\.thrift:\d+\] \(last token was /, re: /^\S/ } },
  // flatc: a bare `error:` line, then the place and message indented under it (`  /…/x.fbs:7: 22: error: Cannot assign
  // …`, a space before the column). The place says what.
  { id: 'flatc.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 4, re: /^error:$/,
    nextLine: /^\s+\S+:\d+: \d+: error: /, pick: [{ re: /^\s+\S+:\d+: \d+: error: / }] },
  // AssemblyScript's asc: `ERROR AS200: Conversion from type 'f64' to 'i32' requires an explicit cast.`, `   :`, the
  // source line behind `│`, the range under it and `   └─ in assembly/index.ts(18,23)`; `FAILURE 3 compile error(s)`
  // closes the run. `WARNING AS…` fails nothing. Its TypeScript codes (`ERROR TS2304: Cannot find name 'x'.`) are left
  // to generic.error, whose `error TS` says compilation: a rule for them would be tried on every tsc error line.
  { id: 'asc.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 12, re: /^ERROR AS\d+: /,
    tally: /^FAILURE \d+ (?:parse |compile )?error\(s\)$/ },
  // Less (lessc): `NameError: variable @spacing is undefined in /…/theme.less on line 14, column 12:` (`ParseError:
  // Unrecognised input …`, `ArgumentError`, …; no ` in file` for standard input) over the source lines around the
  // place, each behind its number. Read before python.exception, which the `XError: ` opening is otherwise.
  { id: 'less.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 4, re: /^[A-Z]\w*Error: .* on line \d+, column \d+:$/,
    cont: /^\d+ / },

  // Agda: the place as `/…/src/Vec.agda:17,28-40` (`17,28-18,3` across lines) on a line of its own, the message under
  // it (`n != n₁ of type Nat`, `Incomplete pattern matching for length. Missing cases:`, `Not in scope:`) and `when
  // checking …` down to the next place or a blank line. Its warnings print the same way (`Unreachable clause`) and
  // the run passes on them, printing them again under `———— All done; warnings encountered ————`: a passing step's
  // report ranks 40 lower, below another step's failure. Agda 2.6.4 and later put a dot between line and column
  // and say which on the place line (`/…/Vec.agda:17.28-40: error: [UnequalTerms]`, `…:3.1-10: warning:
  // -W[no]UnknownFixityInMixfixDecl`): only an `error:` is read there. Before 2.6.4 a failed run's warnings and its
  // error look alike, but Agda stops at its first error: the last report is the error (`warning: { lastStops }`);
  // a 2.6.4 report that says `error:` is one wherever it stands (`unless`: a loop's first file's error stays first).
  // The message keys the report with its place (`keyFrom`): a file's place lines are one digit-blind template.
  // A run opens with `Checking M (/…/M.agda).` flush left, each import's indented a space a level: over files in a
  // loop, the report right above the next run's line stopped its own run (`runStart`). A file loaded from its
  // interface (a cached `_build`) prints its warnings only under the `All done` heading (`passedUnder`).
  { id: 'agda.error', category: COMPILATION, weight: 80, extend: PARAGRAPH, gap: 0, maxLines: 40,
    warning: { lastStops: true, unless: /^\S+\.l?agda\S*:\d+\.\d\S*: error: /, runStart: /^Checking \S+ \(\S+\)\.$/, passedUnder: /^———— All done; warnings encountered / },
    keyFrom: /^(?!\S+\.l?agda\S*:\d+[,.]\d)\S/,
    re: /^\S+\.l?agda(?:\.md|\.rst|\.tex|\.org)?:\d+(?:,\d+-(?:\d+,)?\d+$|\.\d+(?:-(?:\d+\.)?\d+)?: error: )/,
    end: /^(?:\S+\.l?agda\S*:\d+[,.]\d+(?:-|: )|———— |Checking \S+ \(\S+\)\.$)/ },
  // SWIG: `swig/geo.i:6: Error: Unable to find 'geo_types.i'`, `…: Error: Syntax error - possibly a missing semicolon
  // (';').` at an interface file's place (a header's, `x.h:3: Error: …`, is gas.error's shape); its `Warning 401: …`
  // lines fail nothing.
  { id: 'swig.error', category: COMPILATION, weight: 84, extend: LINE, re: /^\S+\.(?:i|swg|swig):\d+: Error: / },
  // TypeDoc: `[warning] The signature x has an @param with name "y", which was not used` (`[error] …`), in colour, and
  // `[warning] Found 0 errors and 1 warnings` closing the run. Under --treatWarningsAsErrors (or a validation option
  // that fails on them) its warnings fail the run; without, they fail nothing, so the report weighs as Asciidoctor's
  // warning does: a passing step's ranks below another step's generic error. No keyword reaches a `[warning]` line
  // alone (Maven prints `[WARNING]` on thousands, and the keywords are read in any case), nor a rule its `[error]`
  // lines (sbt prints every error so): the closing line, which says `errors`, takes the report above it back to the
  // first message, shown first. A run that generated the docs (`[info] html generated at ./docs`, `json generated
  // at …`, printed before the closing line) passed: its warnings failed nothing, and its closing line, standing
  // alone, is confirmed by no message (`confirmedBy`). Unless the step fails right under it with exit 5
  // (`confirmedByExit`): under --treatWarningsAsErrors a warning raised while the docs are written fails the run after
  // `generated at` (OutputError in TypeDoc's cli), its output a passing run's line for line. Another status there is
  // the next command's (`typedoc && git diff --quiet --exit-code docs` fails without a word, exit 1). A message about
  // a comment names its place first, as tsc does (`./src/index.ts:2:25 - [warning] The relative path ./guide.md is not
  // a file …`, TypeDoc 0.28), then a blank line, the source line under its number and another blank line.
  { id: 'typedoc.found', category: COMPILATION, weight: 56, extend: LINE, re: /^\[(?:warning|error)\] Found \d+ errors? and \d+ warnings?$/,
    confirmedBy: /^(?:\S+:\d+:\d+ - )?\[(?:warning|error)\] (?!Found \d+ errors? and )/, confirmedByExit: 5,
    lookback: { re: /^(?:\S+:\d+:\d+ - )?\[(?:warning|error)\] /, lines: 200, inclusive: true, through: /^(?:(?:\S+:\d+:\d+ - )?\[(?:warning|error|info)\] (?!\S+ generated at )|\d+ {4}|$)/, farthest: /^\[(?:warning|error)\] Found \d+ errors? and / },
    pick: [{ re: /^(?:\S+:\d+:\d+ - )?\[(?:warning|error)\] (?!Found \d+ errors? and )/ }] },

  // ── linters and formatters ────────────────────────────────────────────────────────────────────────────────
  // luacheck: a file's `Checking src/x.lua   6 warnings` (`1 error`, `Syntax error`), a blank line, then its
  // problems four spaces in, `    src/x.lua:7:9: unused variable x`.
  { id: 'luacheck.problem', category: LINT, weight: 76, extend: LINE, re: /^ {4}\S+\.(?:lua|rockspec|luacheckrc):\d+:\d+(?:-\d+)?: \S/,
    lookback: { re: /^Checking \S+ +(?:\d+ (?:warnings?|errors?)|Syntax error|I\/O error|Critical error)/, lines: 2, inclusive: true } },
  // ESLint's stylish format (yamllint's standard one too): the file's path on a line, then its problems in line order,
  // `  12:5  error  message  rule`; the file's first error reaches back over the warnings above it to the path. The
  // report is listed by the path and its errors (its key lines), not by the warnings between.
  { id: 'eslint.error', category: LINT, weight: 80, extend: LINE, keyLines: { also: /^\s+\d+:\d+\s+(?:error|✖)\s+\S/ },
    re: /^\s+\d+:\d+\s+(?:error|✖)\s+\S/,
    lookback: { re: /^(?:\/|[A-Za-z]:\\|\.{0,2}\/?[\w@.-]+\/)?[\w@./\\-]+\.\w+$/, lines: 40, inclusive: true, through: /^\s+\d+:\d+\s+(?:warning|⚠)\s+\S/ } },
  // ESLint's `--max-warnings` over warnings alone: under its report (each file's path, its `  2:9  warning  …` lines,
  // `✖ 2 problems (0 errors, 2 warnings)`, `  0 errors and 1 warning potentially fixable with the `--fix` option.` when
  // one is), `ESLint found too many warnings (maximum: 0).` (cli.js prints it only
  // when there is no error), exit 1. The verdict takes the report, from the first file's path on, over the warnings
  // the scanner skips, and shows the first warning first. Its paths are absolute (stylish prints each result's
  // filePath): a relative look-alike above the report (`node --version`'s `v22.11.0`) is none of its.
  { id: 'eslint.max-warnings', category: LINT, weight: 80, extend: LINE, re: /^ESLint found too many warnings \(maximum: \d+\)\.$/,
    lookback: { re: /^(?:\/|[A-Za-z]:\\)[\w@./\\-]+\.\w+$/, lines: 200, inclusive: true, farthest: /^ESLint found too many warnings /,
      through: /^$|^\s+\d+:\d+\s+(?:warning|⚠)\s+\S|^✖ \d+ problems? \(0 errors, \d+ warnings?\)$|^ {2}0 errors and \d+ warnings? potentially fixable with the `--fix` option\.$|^(?:\/|[A-Za-z]:\\)[\w@./\\-]+\.\w+$/ },
    pick: [{ re: /^\s+\d+:\d+\s+(?:warning|⚠)\s+\S/ }] },
  // lintrunner: `>>> Lint for path:` then `  Error (MYPY) [attr-defined]` and the message below it.
  { id: 'lintrunner.error', category: LINT, weight: 78, extend: INDENT, maxLines: 40,
    re: /^\s*Error \([A-Z][A-Z0-9_-]*\) \S/, lookback: { re: /^>>> Lint for \S+:$/, lines: 3, inclusive: true } },
  // pydocstyle: where (`pkg/x.py:9 in public method `allow`:`, `pkg/__init__.py:1 at module level:`), then the code
  // and message indented under it (`        D102: Missing docstring in public method`), report after report.
  // One block for the run's reports (one report a block would pass the analysis's limit of ten failures).
  { id: 'pydocstyle.violation', category: LINT, weight: 76, extend: INDENT, maxLines: 400, gap: 0,
    re: PYDOCSTYLE_PLACE_RE, cont: PYDOCSTYLE_PLACE_RE },
  { id: 'lint.pep8-style', category: LINT, weight: 78, extend: LINE,
    re: /^\S+\.(?:py|pyi):\d+:\d+: [A-Z]{1,3}\d{2,4}\b|^\S+\.\w+:\d+:\d+: [CWERF]: |^\S+:\d+:\d+: [CRWEF]\d{4}: / },
  // The tty format quotes the script's line under `In x.sh line 8:` as it stands, often not indented, then the
  // findings indented under it (`     ^-----^ SC2086 (info): …`). The finding says what is wrong, and names the rule:
  // shown first, the location above it in the block, as a compiler's scope line is.
  { id: 'shellcheck', category: LINT, weight: 78, extend: INDENT, re: /^In \S+ line \d+:$|\bSC\d{4}(?: \(\w+\))?:/,
    contAfter: { prev: /^In \S+ line \d+:$/, re: /\S/ }, pick: [{ re: /\bSC\d{4} \((?:error|warning|info|style)\): \S/ }] },
  { id: 'markdownlint', category: LINT, weight: 76, extend: LINE, re: /^\S+\.(?:md|markdown):? ?\d+(?::\d+)?:? (?:error )?MD\d{3}\b/ },
  // markdown-link-check: under each file's `FILE: docs/x.md` its links (`  [✓] a.md`, `  [✖] ../FAQ.md`), then, for a
  // file with dead ones, `  ERROR: 2 dead links found!` over each with its status (`  [✖] ../FAQ.md → Status: 400`):
  // that summary says what failed, the listing where (its file's line taken in, over the links that passed).
  { id: 'mlc.dead-links', category: LINT, weight: 78, extend: LINE, re: /^\s*\[✖\] \S.* → Status: \d+/,
    lookback: { re: /^\s*ERROR: \d+ dead links? found!$/, lines: 1, inclusive: true } },
  { id: 'mlc.dead-link', category: LINT, weight: 70, extend: LINE, re: /^\s*\[✖\] \S+$/, beside: 'mlc.dead-links',
    lookback: { re: /^FILE: \S/, lines: 40, inclusive: true, through: /^\s*\[✓\] / } },
  // yamllint's `github` format (its default under GitHub Actions): a `::group::` per file, an annotation per problem
  // (`::error file=x.yaml,line=5,col=3::5:3 [key-duplicates] …`), in the raw log `##[group]k8s/x.yaml` and
  // `##[error]5:3 [key-duplicates] …` (the rules read an annotation's message). The file's line is taken in, over the warnings above its first error.
  { id: 'yamllint.annotation', category: LINT, weight: 78, extend: LINE, re: /^\d+:\d+ \[[a-z-]+\] \S/,
    lookback: { re: /^##\[group\]\S+\.ya?ml$/, lines: 40, inclusive: true, through: /^##\[warning\]\d+:\d+ \[/ } },
  // awesome_bot, the link checker of the awesome lists: `Issues :-(` announces its report, `> Links ` and each link that
  // failed (`  01. [L0117] 404 https://…`, ` → location` after a redirect, the error of one it could not open), then
  // `> Dupes ` and the duplicated links (`  None ✓` without), down to the blank line before `Wrote results to …`.
  { id: 'awesome-bot.issues', category: LINT, weight: 80, extend: PARAGRAPH, gap: 0, maxLines: 400, headNext: true, re: /^Issues :-\($/ },
  { id: 'perlcritic', category: LINT, weight: 76, extend: LINE, re: /\(Severity: \d\)$/ },
  { id: 'prettier.check', category: LINT, weight: 74, extend: LINE,
    re: /Code style issues (?:found|were found)|^\[warn\] \S+\.\w+$|^[Ww]ould reformat:? \S|^Oh no! .* would be reformatted|^\S+ needs? formatting/ },
  // The change a check wants, as a diff: git's `diff --git a/x b/x` (`git diff --exit-code` after a code generator,
  // pre-commit's --show-diff-on-failure), gofmt -d's and shfmt -d's `--- x.orig` (gofmt's under `diff x.orig x`),
  // rustfmt --check's `Diff in src/x.rs:40:` over each hunk (`Diff in src/x.rs at line 40:` before 1.5). Each file's
  // diff (rustfmt's hunk) is a report of its own, its hunks as long as their headers count (see Rule.hunks). Not
  // isort's `--- /path/x.py:before`: under --check-only its ERROR line reports it (isort.unsorted), and without, isort
  // exits 0 whatever it shows. A dependency manifest or lock file behind the code (`go mod tidy`, `npm install`
  // before the diff) is a dependency failure, as lockfile.outdated's are.
  { id: 'diff.unified', category: LINT, weight: 60, extend: UNTIL, maxLines: 300, gap: 99, hunks: true,
    categoryFrom: [{ re: /^diff --git a\/(?:\S*\/)?(?:go\.(?:mod|sum)|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|poetry\.lock|uv\.lock|Gemfile\.lock|composer\.lock) /, category: DEPENDENCY }],
    re: /^(?:diff --git a\/\S|--- \S+\.orig$|Diff in \S+(?: at line |:)\d+:$)/,
    end: /^(?![-+ @\\]|index [\da-f]|(?:new|deleted) file mode \d|(?:old|new) mode \d|(?:dis)?similarity index \d|(?:rename|copy) (?:from|to) \S|$)/,
    lookback: { re: /^diff \S+\.orig \S+$/, lines: 1, inclusive: true }, pick: [{ re: /^diff \S+\.orig \S+$/ }] },
  { id: 'lint.position', category: LINT, weight: 70, extend: LINE,
    re: /^\s+\d+:\d+\s+(?:⚠\s+)?[A-Z]\w* .*[\w@/-]\)?$/, lookback: { re: /^(?:\/|[A-Za-z]:\\|\.{0,2}\/?[\w@.-]+\/)?[\w@./\\-]+\.\w+$/, lines: 1, inclusive: true } },
  // cpplint: `src/x.cc:12:  { should almost always be at the end of the previous line  [whitespace/braces] [4]` (two
  // spaces after the place and before the category, the confidence 1-5 last; line 0 for a whole-file finding), each
  // file's `Done processing src/x.cc` after its findings and `Total errors found: N` at the end.
  { id: 'cpplint.finding', category: LINT, weight: 76, extend: LINE, re: /^\S+:\d+: {2}\S.* {2}\[[a-z]+\/[\w+-]+\] \[\d\]$/,
    tally: /^Total errors found: \d+$/ },
  // Psalm's console report: `ERROR: InvalidReturnType - src/X.php:42:16 - message (see https://psalm.dev/011)`.
  { id: 'psalm.error', category: LINT, weight: 78, extend: INDENT, re: /^ERROR: [A-Z]\w+ - \S+:\d+:\d+ - / },
  // cfn-lint's warnings and informational findings (`W2510 …`, `I3011 …`, `template.yaml:22:3` below), which Ruff's rule
  // would read as findings that fail the run; its errors (`E3012 …`) are left to that rule, whose shape they share (a
  // rule keyed on `E` and digits would be tried on every line holding `e0`).
  { id: 'cfn-lint.warning', category: LINT, weight: 20, extend: INDENT, maxLines: 4, re: /^[WI]\d{4} \S/,
    cont: /^\S+\.(?:ya?ml|json|template):\d+:\d+$/ },
  // Hugo's template errors: `Error: Error building site: failed to render pages: render of "page" failed:
  // "/path/layouts/_default/single.html:4:3": execute of template failed: template: …` (`ERROR 2026/11/28 07:31:02
  // render of "section" failed: …` logged per page kind first; `parse failed: template: …` for a template that does
  // not parse). The site's sources fail to build, whatever Hugo's words about where. Since Hugo 0.120: `parse of
  // template failed: template: …`, `execute of template failed at <.Params.x>: …`.
  { id: 'hugo.template-error', category: COMPILATION, weight: 84, extend: LINE,
    re: /^(?:Error:|ERROR)(?: \d{4}\/\d\d\/\d\d [\d:]+)? .*: (?:parse(?: of template)?|execute of template) failed(?:: template:| at <[^>]{1,200}>:) / },
  // `reuse lint` (REUSE, fsfe/reuse-action): its sections, `# MISSING LICENSES` (`'GPL-2.0-only' found in:` and the
  // files), `# BAD LICENSES`, `# UNUSED LICENSES`, `# MISSING COPYRIGHT AND LICENSING INFORMATION` (`The following
  // files have no …` and the files), then `# SUMMARY`, and the verdict the run fails on, `Unfortunately, your project
  // is not compliant with version 3.0 of the REUSE Specification :-(`. The verdict takes the report from its first
  // section's heading and shows the first finding. Through the report's own lines only: an upper-case comment of the
  // step's script (`# CHECK LICENSES`, echoed in its header) is not a section.
  { id: 'reuse.not-compliant', category: LINT, weight: 80, extend: LINE,
    re: /^Unfortunately, your project is not compliant with version [\d.]+ of the REUSE Specification :-\($/,
    lookback: { re: /^# [A-Z][A-Z ,]+$/, lines: 400, inclusive: true, farthest: /^Congratulations! Your project is compliant /,
      through: /^(?:$|# |\* |'|The |Could )/ },
    pick: [{ re: /^'[^']+' found in:$|^The following (?:files|licenses) / }] },
  // API Extractor (`api-extractor run`): its messages are `Warning: …` and `Error: …` lines (`Warning: You have changed
  // the API signature for this project. Please copy the file …`, `Warning: dist/x.d.ts:1:1 - (ae-missing-release-tag)
  // …`) under its `Analysis will use the bundled TypeScript version …`, and without --local its warnings fail the run
  // too: its verdict `API Extractor completed with warnings` (`errors`; api-extractor.com's build script example prints
  // `completed with 0 errors and 2 warnings`), exit 1, with them. (With --local the same
  // warnings end in `completed successfully`.) The warnings are lines the scanner skips: the verdict takes them, from
  // the first message under the banner on, and shows that one first.
  { id: 'api-extractor.failed', category: LINT, weight: 80, extend: LINE, re: /^API Extractor completed with (?:errors|warnings|\d+ errors and \d+ warnings)$/,
    lookback: { re: /^Analysis will use the bundled TypeScript version /, lines: 200, inclusive: false, first: /^(?:Warning|Error): /, absorbsFromFirst: true },
    pick: [{ re: /^(?:Warning|Error): / }] },
  // Ruff's full output format: `F401 [*] message`, then ` --> path:3:8` and the code frame. cfn-lint's errors share
  // the headline (`E3012 'thirty' is not of type 'integer'`) and put their place on the line under it
  // (`templates/api.yaml:6:7`), as its warnings do (cfn-lint.warning). cfn-lint sorts its findings by place, so a
  // warning it printed right above an error (`W2001 Parameter Stage not used.`, a blank line apart) is the same
  // report's, and fails the run as well (cfn-lint's exit code sets a bit for warnings).
  // (`when`: only a cfn-lint error, four digits, looks back; Ruff's own codes have three, `F401`, `E501`, and a Ruff
  // finding right after cfn-lint's warnings in one step, `cfn-lint … || rc=$?; ruff check .`, is no report of theirs.)
  // cfn-lint's E0000 is no rule's finding: the template did not parse (YAML's or JSON's syntax, a key given twice),
  // the taxonomy's bad YAML, as Psych's and PyYAML's syntax errors are (categories.ts).
  { id: 'ruff.diagnostic', category: LINT, weight: 76, extend: INDENT, maxLines: 40, categoryFrom: [{ re: /^E0000 \S/, category: CONFIGURATION }],
    re: /^[A-Z]{1,4}\d{3,4} (?:\[\*\] )?\S/, cont: /^\s*(?:-->|\||\d+ \||help:|= )|^\S+\.(?:ya?ml|json|template):\d+:\d+$/,
    lookback: { when: /^E\d{4} /, re: /^[WI]\d{4} \S/, lines: 60, inclusive: true, through: /^(?:[WI]\d{4} \S.*|\S+\.(?:ya?ml|json|template):\d+:\d+|)$/, farthest: /^E\d{4} \S/ } },
  // HLint: `src/X.hs:27:15-42: Warning: Use foldl'` (`(12,5)-(14,7)` for a span of lines), then `Found:` / `Perhaps:`.
  { id: 'hlint.hint', category: LINT, weight: 76, extend: PARAGRAPH, gap: 0, maxLines: 20,
    re: /^\S+\.l?hs:(?:\d+:\d+(?:-\d+)?|\(\d+,\d+\)-\(\d+,\d+\)): (?:Error|Warning|Suggestion): \S/ },
  // CSpell: `docs/x.md:71:12 - Unknown word (kubectx)` (`Forbidden word` for a configured one).
  { id: 'cspell.issue', category: LINT, weight: 76, extend: LINE, re: /^\S+:\d+:\d+ - (?:Unknown|Forbidden) word \(/ },
  // buf lint and buf breaking: `proto/x.proto:10:3:Enum value name …`, no space after the position.
  { id: 'buf.violation', category: LINT, weight: 76, extend: LINE, re: /^\S+\.proto:\d+:\d+:[A-Z]/ },
  // SQLFluff: `== [models/x.sql] FAIL`, then `L:   4 | P:   9 | LT01 | message` per violation.
  { id: 'sqlfluff.violation', category: LINT, weight: 78, extend: UNTIL, maxLines: 120, gap: 0,
    re: /^== \[\S+\] FAIL$/, end: /^(?:== \S|All Finished\b)/, pick: [{ re: /^L: +\d+ \| P: +\d+ \| [A-Z]{1,2}\d{2,3} \| \S/ }] },
  // isort --check-only: `ERROR: /path/x.py Imports are incorrectly sorted and/or formatted.`, with --diff the file's
  // diff below (`--- /path/x.py:before`), down to the first line no diff holds.
  { id: 'isort.unsorted', category: LINT, weight: 76, extend: UNTIL, maxLines: 300, gap: 99, hunks: true,
    re: /^ERROR: \S.* Imports are incorrectly sorted and\/or formatted\.$/, end: /^(?![-+ @\\]|$)/ },
  // isort as a pre-commit hook, which fails the hook for the files it rewrote: `Fixing /abs/path/x.py` (isort's
  // `print(f"Fixing {file_path}")`, the path resolved) for each, under the hook's `- files were modified by this
  // hook`. Not the same line elsewhere: run alone, isort exits 0 after it, and scripts print `Fixing …` of their own.
  { id: 'isort.fixed', category: LINT, weight: 70, extend: INDENT, maxLines: 200, gap: 0,
    re: /^Fixing (?:\/|[A-Za-z]:\\)\S+\.(?:py|pyi|pyx|pxd)$/, cont: /^Fixing (?:\/|[A-Za-z]:\\)\S/,
    under: { header: /^- files were modified by this hook$/, through: /$^/ } },
  // hadolint: `Dockerfile:3 DL3008 warning: …` (`-:3` when read from stdin); its ShellCheck findings as `SC2086`.
  { id: 'hadolint', category: LINT, weight: 76, extend: LINE, re: /^\S+:\d+ (?:DL|SC)\d{4} (?:error|warning|info|style): / },
  // deno lint: `error[no-unused-vars]: message`, then ` --> file:line:col`, the code frame and `= hint:`.
  { id: 'deno.lint', category: LINT, weight: 78, extend: INDENT, maxLines: 20, cont: /^\s*(?:-->|\||\d+\s*\||= hint|docs:)/,
    re: /^error\[[a-z]+(?:-[a-z]+)*\]: \S/ },
  // ansible-lint 6+: `WARNING  Listing 13 violation(s) that are fatal`, then each violation (`yaml[truthy]: message`
  // or a rule without a tag, `no-free-form: message`, its file and line on the next line, a blank line between) down
  // to its advice above the summary table (`Read documentation for instructions on how to ignore …`). One block for
  // the report: one a violation would pass the analysis's limit of ten failures. A `warn_list` rule's violations are
  // listed under the same heading, each ending in `(warning)`, and fail nothing (`Passed …: 0 failure(s), 1
  // warning(s)`, exit 0): the report counts only with a violation that is not one.
  { id: 'ansible-lint.report', category: LINT, weight: 78, extend: UNTIL, maxLines: 400, gap: 99,
    re: /^WARNING +Listing \d+ violation\(s\) that are fatal$/, pick: [{ re: ANSIBLE_LINT_VIOLATION_RE }],
    confirmedBy: /^(?:\S+:\d+: )?[a-z][\w[\]-]*: (?!.*\(warning\)$)/, end: /^Read \S+ for instructions / },
  // ansible-lint: `yaml[truthy]: message`, the file and line on the next line; not a `(warning)`.
  { id: 'ansible-lint', category: LINT, weight: 76, extend: PARAGRAPH, gap: 0, maxLines: 6,
    re: /^[a-z][\w-]*\[[a-z][\w-]*\]: (?!.*\(warning\)$)\S/ },
  // pre-commit: `black.....Failed` and its `- hook id:` / `- exit code:` lines; the hook's own output below keeps its
  // own rules (a mypy error under `mypy.....Failed` is the better line), and is listed with the hook's report.
  { id: 'pre-commit.hook-failed', category: LINT, weight: 78, extend: INDENT, maxLines: 8, wrapsOutput: true,
    re: /^[^.\n]*[^.\s]\.{3,}Failed$/, cont: /^- (?:hook id|exit code|duration|files were modified by this hook)\b/ },
  { id: 'phpstan.error', category: LINT, weight: 78, extend: UNTIL, maxLines: 200, gap: 1,
    re: /^\s*Line\s{2,}\S+\.php\s*$/, end: /^\s*\[(?:ERROR|OK)\]/ },
  // The Dart front end (dart compile, flutter build): `lib/x.dart:42:12: Error: message`, then ` - 'X' is from …`,
  // `Try …` and the code with carets. `\s` around `Error:` keys the literal index on `.dart:`, not on the `5: error`
  // of every C compiler's error line.
  { id: 'dart.compile-error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 30, cont: /^(?: - '|Try )/,
    re: /^\S+\.dart:\d+:\d+:\sError:\s\S/ },
  // dart/flutter analyze: `  error - message - lib/x.dart:12:5 - code` (`•` as separator before Dart 2.12).
  { id: 'dart.analyze', category: LINT, weight: 76, extend: LINE,
    re: /^\s*(?:error|warning|info) [-•] .+ [-•] \S+\.dart:\d+:\d+ [-•] [a-z_]+$/ },
  // terraform fmt -check through setup-terraform's wrapper: the files it would reformat, one a line, under the
  // wrapper's echo of the command (a check that passes lists none, and leaves no block).
  { id: 'terraform.fmt-check', category: LINT, weight: 78, extend: UNTIL, headNext: true, maxLines: 60, gap: 0,
    re: /^\[command\]\S*terraform(?:-bin)? fmt\b.*-check/, end: /^(?![\w./-]+\.(?:tf|tfvars|tftest\.hcl)$)/ },
  // TFLint: `Error: message (rule_name)`, then `  on main.tf line 3:`.
  { id: 'tflint.issue', category: LINT, weight: 76, extend: INDENT, re: /^(?:Error|Notice): .+ \([a-z][a-z0-9]*(?:_[a-z0-9]+)+\)$/ },
  // ESLint's compact formatter: `/path/x.js: line 14, col 7, Error - message (rule)`.
  { id: 'eslint.compact', category: LINT, weight: 78, extend: LINE, re: /^\S.*: line \d+, col \d+, Error - \S/ },
  // ktlint `App.kt:12:1: message (standard:indent)`, detekt `App.kt:14:9: message [LongMethod]`.
  { id: 'kotlin.lint', category: LINT, weight: 76, extend: LINE,
    re: /^\S+\.kts?:\d+:\d+: .+ (?:\([a-z][\w-]*:[a-z][\w-]*\)|\[[A-Z][A-Za-z]+\])$/ },
  // Android Lint: `AndroidManifest.xml:18: Error: message [MissingPermission]`, a code frame below.
  { id: 'android.lint', category: LINT, weight: 78, extend: INDENT, re: /^\S+:\d+: Error: .+ \[[A-Z][A-Za-z]+\]$/ },
  // Credo: `┃ [W] ↗ message` (category letter, priority arrow), `┃       lib/x.ex:21:5 #(Mod.fun)` below it.
  // Biome (`biome ci`/`check`/`lint`): `src/a.ts:14:7 lint/suspicious/noDoubleEquals  FIXABLE  ━━━` heads a
  // diagnostic, its `× message` (`✖` before 2.0) and code frame indented below; `parse` is a syntax error. A file
  // the formatter would change has no position: `src/a.ts format ━━━`, `× Formatter would have printed …` and the diff;
  // nor has one whose imports Biome 1 would sort (`src/a.ts organizeImports ━━━`; Biome 2's is an `assist` with one).
  { id: 'biome.diagnostic', category: LINT, weight: 80, extend: INDENT, maxLines: 40,
    re: /^\S+(?::\d+:\d+ (?:lint|parse|assist|suppressions)(?:\/[\w-]+)*| (?:format|organizeImports))(?: +[A-Z]+)* +━{3,}$/, pick: [{ re: /^\s+[×✖] \S/ }],
    categoryFrom: [{ re: /^\S+:\d+:\d+ parse\b/, category: COMPILATION }] },
  // PHP_CodeSniffer's full report: ` 14 | ERROR | [x] message` rows under `FILE: path` and `FOUND N ERRORS …`.
  { id: 'phpcs.error', category: LINT, weight: 78, extend: INDENT, maxLines: 60,
    re: /^\s*\d+ \| ERROR \| (?:\[[ x]\] )?\S/, cont: /^\s*\d* \| (?:ERROR|WARNING)? *\| /, lookback: { re: /^FILE: \S/, lines: 4, inclusive: true } },
  // `mix format --check-formatted`: Mix's error names the check; the files it would reformat and their diffs follow.
  { id: 'elixir.format-check', category: LINT, weight: 78, extend: INDENT, maxLines: 60, gap: 2,
    re: /^\*\* \(Mix\) mix format failed due to --check-formatted\.?$/, cont: /^(?:The following files are not formatted:$|\S+\.(?:exs?|heex|eex|leex)$)/ },
  // Spotless (Gradle's spotlessCheck, Maven's spotless:check): the files it would reformat, each with its diff.
  { id: 'spotless.violations', category: LINT, weight: 78, extend: INDENT, maxLines: 60,
    re: /^(?:> |\[ERROR\] (?:Failed to execute goal \S+ \S+ on project \S+: )?)?The following files had format violations:$/,
    cont: /^(?:\[ERROR\] )?\s+\S/ },
  { id: 'credo.issue', category: LINT, weight: 76, extend: INDENT, maxLines: 4, cont: /^┃ {3,}\S/, re: /^┃ \[[CDFRW]\] [↑↗→↘↓] \S/ },
  { id: 'lint.problems', category: LINT, weight: 40, extend: LINE, re: /^✖ \d+ problems? \([1-9]\d* errors?|^[1-9]\d* (?:problems?|offenses?|errors?) (?:found|detected)/ },
  // actionlint: `.github/workflows/ci.yml:23:29: message [rule]`.
  { id: 'actionlint', category: LINT, weight: 78, extend: INDENT, maxLines: 20,
    re: /^\S+\.ya?ml:\d+:\d+: .* \[[a-z][\w-]*\]$/, cont: /^\s*(?:\||\d+ \||\^)/ },
  // helm lint: `[ERROR] templates/: template: …` under `==> Linting ./chart` (Maven's `[ERROR]` never names these).
  { id: 'helm.lint-error', category: LINT, weight: 78, extend: LINE,
    re: /^\[ERROR\] (?:templates\/|Chart\.yaml|values\.yaml|values\.schema\.json)\S*: \S/ },
  // libxml2's xmllint (`--noout`, `--schema`): `file.xml:14: parser error : Opening and ending tag mismatch: …`, then
  // the source line as it stands (a tag, a blank line) and a caret under the place; each message is those three lines.
  // A schema's error names its kind (`app.xml:3: element port: Schemas validity error : …`, `Relax-NG validity
  // error`) and quotes no line: a message of one line.
  { id: 'xmllint.error', category: LINT, weight: 76, extend: INDENT, maxLines: 3,
    re: /^\S+:\d+: (?:parser|validity|namespace|element \S+: (?:(?:Schemas|Relax-NG) )?\w+) error : /,
    message: { open: / error : /, end: /^\s*\^$|: (?:Schemas|Relax-NG) \w+ error : / }, tally: /^\S+ fails to validate$/ },
  // PostgreSQL's errors as libpq prints them (psql, a migration tool quoting the server): `ERROR:  message`, two
  // spaces, behind `psql:file.sql:12: ` under -f; `DETAIL:`, `HINT:`, `CONTEXT:`, `LINE 3: …` and its caret follow.
  // A PL/pgSQL CONTEXT's further frames (`SQL statement "…"`, `PL/pgSQL function f() line 3 at PERFORM`) on lines of
  // their own. Under VERBOSITY verbose, `SCHEMA NAME:`, `TABLE NAME:`, `CONSTRAINT NAME:` and `LOCATION:` too; other tools'
  // `FAIL: x` below are not its. Below test runners' and linters' failures: without ON_ERROR_STOP psql goes on (exit 0),
  // and scripts rerun over a database print `ERROR:  relation "x" already exists` before what fails the step.
  { id: 'postgres.error', category: COMPILATION, weight: 72, extend: INDENT, maxLines: 20,
    re: /^(?:psql:\S+ )?ERROR: {2}\S/, cont: /^(?:DETAIL|HINT|CONTEXT|QUERY|LOCATION|[A-Z]+ NAME|LINE \d+): |^\s+\^$|^(?:PL\/pgSQL function|SQL statement) / },
  // The sqlite3 shell reading SQL from a file or stdin (shell.c): `Parse error near line 10: no such column: x`,
  // `Runtime error near line 4: UNIQUE constraint failed: t.name (19)` (`Error: near line 10: …` in older releases), then
  // the statement two spaces in and a caret under the place (`  ^--- error here`, `error here ---^`).
  { id: 'sqlite3.error', category: COMPILATION, weight: 80, extend: INDENT, maxLines: 3,
    re: /^(?:(?:Parse|Runtime) error|Error:) near line \d+: \S/ },
  // GNU gettext's msgfmt (`-c`, `--check-format`): `po/de.po:8: format specifications in 'msgid' and 'msgstr' for
  // argument 1 are not the same`, down to `msgfmt: found 2 fatal errors`; its `warning:` lines fail nothing.
  { id: 'msgfmt.error', category: COMPILATION, weight: 78, extend: LINE, re: /^\S+\.pot?:\d+(?::\d+)?: (?!warning: )\S/,
    tally: /^msgfmt: found \d+ fatal errors?$/ },
  // Not a Ruby backtrace's line (`lib/invoice.rb:6:in `fetch': … (KeyError)`): ruby.exception's, below. A program's
  // own failed check in the shape (a C test harness's `tests/x.c:14: check failed: expr`, UBSan's `src/x.c:48:14:
  // runtime error: …` from the test binary it instruments, Unity's `test/x.c:23:test_push:FAIL: Expected 3 Was 2`)
  // is a failed test, not a linter's finding; Unity's line of a test that passed or was skipped (`…:test_pop:PASS`,
  // `…:IGNORE: why`) is no finding, nor Catch2's `test.cpp:4: warning:` of a WARN() (its message on the next line,
  // where a compiler's is on the same).
  // scan-build's verdict under its findings (`scan-build: 3 bugs found.`, --status-bugs) is their tally.
  // Haxe's `trace` prints a program's values in the shape (`src/Main.hx:15: total: 12.5`); its errors are haxe.error's.
  // CHICKEN's compiler (csc runs `chicken`): `Syntax error: (rates.scm:8) in `let' - unexpected object`, the form
  // tab-indented under it, its `Expansion history:`, then csc's own `Error: shell command terminated with non-zero
  // exit status …` (the cascade). Some name no place, only the form's keyword
  // (`Syntax error (import): cannot import from undefined module`).
  { id: 'chicken.syntax-error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 60, re: /^Syntax error(?:: \(\S+:\d+\) in `| \([^\s()]+\): \S)/ },
  // Guile's uncaught error: `Backtrace:`, the frames (`In wordfreq.scm:` over `     14:7  0 (top-word _)`, the
  // innermost last), a blank line, then the place and the procedure, `wordfreq.scm:14:7: In procedure top-word:`,
  // and the message on the line under it (`In procedure car: Wrong type argument …`, `Unbound variable: x`). What
  // kind of failure it is, the script's work decides. A throw to a key that is no error condition's prints its key
  // and arguments on the place's line: `ice-9/eval.scm:619:8: Throw to key `match-error' with args `(…)'.`
  // Where no frame has a source place, `ERROR:` stands for it (`ERROR: In procedure primitive-load:`, the message under it).
  { id: 'guile.error', category: UNKNOWN, weight: 74, extend: INDENT, refine: true, re: /^(?:\S+:\d+:\d+: (?:In procedure \S+:$|Throw to key `)|ERROR: In procedure \S+:$)/,
    contAfter: { prev: /: In procedure \S+:$/, re: /^\S/ },
    lookback: { re: /^Backtrace:$/, lines: 200, inclusive: true, through: /^(?:In \S.*:$|\s+(?:\d+:\d+\s+)?\d+ \(|$)/ } },
  // Raku's uncaught exception: its message, then a frame a line (`  in sub parse-reading at /…/lib/Temp.rakumod (Temp)
  // line 5`, `in method`, `in code`, …) down to the program's own `  in block <unit> at t/x.rakutest line 5`, the
  // frame every such report ends with (keyword `in block <unit> at `). The message says what; the program decides
  // what kind of failure it is. Under prove, a test file that dies is a cause of its own beside another file's
  // failed tests (Test's `# Failed test` diagnostics are Test::More's, perl.test-failed's). A warning prints its
  // frame the same way under its message, and the frame is the warning's (`under`): Rakudo's own, `Use of
  // uninitialized value of type Any in numeric context`, `Use of Nil in string context`, and in string context `Use of
  // uninitialized value $x of type Int in string context.` over `Methods .^name, .raku, .gist, or .say can be used to
  // stringify it to something meaningful.` (`.perl` before 2019); prove puts `t/x.rakutest .. ` before a file's first
  // line. A script's own `warn` is told from its `die` by nothing printed and stays read.
  { id: 'raku.exception', category: UNKNOWN, weight: 74, extend: LINE, refine: true, beside: 'perl.test-failed', re: /^\s+in block <unit> at \S.* line \d+$/,
    under: { header: /^(?!(?:\S+ \.+ )?(?:Use of (?:uninitialized value|Nil)\b.* context\.?$|Methods \.\^name, .* to stringify it\b))\S/, through: /^\s+in \S+ .* line \d+$/ },
    lookback: { re: /^\S/, lines: 40, inclusive: true, through: /^\s+in \S+ .* line \d+$/ }, pick: [{ re: /^\S/ }] },
  // JSHint's default reporter: `src/x.js: line 3, col 27, Missing semicolon.`, a finding a line, then `3 errors`
  // (it counts every finding an error); on Windows the path starts with its drive (`C:\a\x\src\x.js: line 3, …`).
  // Keyword `: line N, col N, `.
  // ESLint's and CSSLint's compact format shares the shape, each message behind its severity (`…, col 1, Warning -
  // Unexpected console statement. (no-console)`): its warnings fail nothing.
  { id: 'jshint.finding', category: LINT, weight: 76, extend: LINE, re: /^(?:[A-Za-z]:\\)?[^\s:][^:]*: line \d+, col \d+, (?!Warning - )\S/, tally: /^\d+ errors?$/ },
  // puppet-lint: `manifests/init.pp - WARNING: unquoted file mode on line 10 (check: unquoted_file_mode)`, `- ERROR:
  // …` alike; over one file it prints no path (`ERROR: ntp not in autoload module layout on line 1 (check: …)`).
  // Warnings fail a `--fail-on-warnings` run, and nothing without it (exit 0): `warning`, unless an ERROR finding,
  // which fails every run, is among them (one block: the findings are consecutive lines). Keyword `on line N (check: `.
  // Before 3.0 the default format ended at the line (`%{path} - %{KIND}: %{message} on line %{line}`, lib/puppet-lint.rb):
  // read with its path (keyword `.pp - warning: `); without one, `WARNING: … on line 6` is any tool's warning.
  { id: 'puppet-lint.finding', category: LINT, weight: 76, extend: LINE, warning: { unless: /^(?:\S+\.pp - )?ERROR: / },
    re: /^(?:\S+\.pp - (?:ERROR|WARNING): .* on line \d+(?: \(check: \w+\))?|(?:ERROR|WARNING): .* on line \d+ \(check: \w+\))$/ },
  // Verilator: `%Error: rtl/x.v:5:19: Can't find definition of variable: 'dat'`, `%Warning-WIDTH: rtl/x.v:9:17:
  // Operator ASSIGNW expects 4 bits …` (the warning's code after the dash), each with indented lines under it (`: ...
  // In instance x`, the source excerpt, once per code `... For warning description see …`), and `%Error: Exiting due
  // to N error(s)` (`N warning(s)`) closing the run. Before 4.1 (3.x, 4.0xx) its messages name no column (`%Error:
  // rtl/x.v:262: Can't find definition of variable: …`); a Verilated model's own run prints that shape too, `%Error:
  // tb/x.v:3: Verilog $stop` (under `[0] %Error: tb/x.v:3: Assertion failed in TOP.x: …`, verilator.assertion's), so
  // without a column the file must be Verilog's and the message not the model's `Verilog $stop`/`$finish`. Its errors
  // are a design that does not elaborate; its warnings fail a run under -Wall or --lint-only as a linter's findings
  // do, and nothing under -Wno-fatal (cocotb's builds): `warning`, unless its `%Error: Exiting due to N warning(s)`
  // follows (printed only when Verilator stops on them). Keyword `%warning-`. A warning's block is its own indented
  // lines alone (`: ... In instance`, the source and caret, `... For warning description`): a simulation's indented
  // log after it under -Wno-fatal (cocotb's) is the run's, not the warning's.
  { id: 'verilator.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 30,
    re: /^%Error(?:-[A-Z0-9_]+)?: (?:\S+:\d+:\d+: |\S+\.(?:s?v|vh|svh|vlt):\d+: (?!Verilog \$))/, tally: /^%Error: Exiting due to \d+ / },
  { id: 'verilator.warning', category: LINT, weight: 76, extend: UNTIL, maxLines: 30, warning: { stoppedByTally: true },
    end: /^(?!\s+(?::|\.\.\.) |\s*(?:\d+\s*)?\|)/,
    re: /^%Warning-[A-Z0-9_]+: (?:\S+:\d+:\d+: |\S+\.(?:s?v|vh|svh|vlt):\d+: )/, tally: /^%Error: Exiting due to \d+ / },
  // A Verilated model's failed check at run time: `$error`, `$fatal` or a failed immediate assertion print `[62] %Error:
  // tb/x.v:9: Assertion failed in TOP.x: message` (the simulation time in brackets, the scope), then the model stops,
  // `%Error: tb/x.v:9: Verilog $stop` and `Aborting...` (SIGABRT).
  { id: 'verilator.assertion', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 3,
    re: /^\[[^\]\s]+\] %Error: \S+:\d+: Assertion failed in \S+: /, cont: /^%Error: \S+:\d+: Verilog \$stop$|^Aborting\.\.\.$/ },
  // cocotb's regression manager logs each failed test under the simulation time, its level and logger
  // (`   100.00ns INFO     cocotb.regression                  test_counter failed`; 2.0 at WARNING with the test's full
  // name, `… failed: errored with unexpected type` and the like), the exception's traceback indented under the message
  // column: the exception's line says why. Its results table follows, `** … FAIL **` a row.
  { id: 'cocotb.test-failed', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 200,
    re: /^\s*\d+(?:\.\d+)?(?:fs|ps|ns|us|ms|s|step) +(?:INFO|WARNING|ERROR) +cocotb\.regression +\S+ failed(?:: \S.*)?$/,
    pick: [{ re: /^\s+[A-Za-z_][\w.]*(?:Error|Exception|Failure|Failed)(?::|$)/, last: true }] },
  // ERT in batch mode (`ert-run-tests-batch-and-exit`): a failed test's `Test x backtrace:` and frames, then `Test x
  // condition:` with the condition indented under it (`(ert-test-failed ((should (equal …)) :form (equal "2" "3") …))`,
  // a signal's `(wrong-type-argument char-or-string-p nil)`), then `   FAILED  2/4  x (0.000040 sec)`. That line
  // closes the test's report: it takes the report from its first line, shows the condition, which says why, and
  // lists the report from there (the frames are ERT's own and the test's macro expansion). The test before it is
  // no part of it (its `   passed  1/4  x` line).
  { id: 'ert.failed', category: TEST_FAILURE, weight: 84, extend: LINE, re: /^ {3}FAILED {2}\d+\/\d+ {2}\S/,
    lookback: { re: /^Test \S+ (?:backtrace|condition):$/, lines: 400, inclusive: true, through: /^\s|^Test \S+ (?:backtrace|condition):$/,
      farthest: /^\s+(?:passed|FAILED|skipped)\s/ },
    pick: [{ re: /^Test \S+ condition:$/ }], keyLines: { from: /^Test \S+ condition:$/ } },
  // Flow (`flow check`, `flow status`): `Error ------…------ src/x.js:7:6` over each report, a blank line, the message
  // (`Cannot call … [incompatible-type]`), its excerpts and `References:`, down to the next report or `Found N errors`.
  { id: 'flow.error', category: COMPILATION, weight: 84, extend: UNTIL, maxLines: 80, re: /^Error -{4,} \S+:\d+:\d+$/,
    end: /^(?:Error|Warning) -{4,} \S|^Found \d+ errors?$/, tally: /^Found \d+ errors?$/ },
  // Compilers whose errors take the linters' `file:line: message` shape: Haxe (`src/Main.hx:7: characters 5-15 : Float
  // should be Int`; 4.3's pretty format puts `[ERROR] ` first; its warnings, `…: characters 13-14 : Warning : …`, fail
  // nothing; under --interp a program's throw takes the shape at run time, `…: characters 29-34 : Uncaught exception
  // boom`, a program's failure and no compile error), GHDL's analysis (`src/x.vhd:18:16: can't match slice with type std_ulogic` over a caret excerpt; GHDL
  // 3+ and NVC write `src/x.vhd:13:13:error: …`; warnings are `file:l:c:warning: …`), Icarus Verilog
  // (`tb/x.v:6: syntax error`, `tb/x.v:5: error: Unable to bind wire/reg/memory …`, `2 error(s) during elaboration.`)
  // and Emacs's byte-compiler (`slugify.el:4:25: Error: Unused lexical variable `parts'`, a warning under
  // byte-compile-error-on-warn).
  { id: 'haxe.error', category: COMPILATION, weight: 84, extend: INDENT, re: /^(?:\[ERROR\] )?\S+\.hx:\d+: (?:characters|lines) \d+-\d+(?: : (?!Warning : )|$)/,
    categoryFrom: [{ re: /^(?:\[ERROR\] )?\S+\.hx:\d+: (?:characters|lines) \d+-\d+ : Uncaught exception /, category: UNKNOWN }] },
  { id: 'ghdl.error', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 6, re: /^\S+\.vhdl?:\d+:\d+:(?: (?!warning:)\S|error: )/i },
  { id: 'iverilog.error', category: COMPILATION, weight: 84, extend: LINE, re: /^\S+\.(?:s?v|vh|svh):\d+: (?:error: |syntax error$)/, tally: /^\d+ error\(s\) during elaboration\.$/ },
  { id: 'emacs.byte-compile-error', category: COMPILATION, weight: 84, extend: LINE, re: /^\S+\.el:\d+:\d+: Error: / },
  // GNU as: `src/x.s:7: Error: no such instruction: …` (`Fatal error:`) under `src/x.s: Assembler messages:`, no
  // column; for gcc's inline assembly the C source's line (`src/cpu.c:14: Error: no such instruction: …`), or
  // `{standard input}:7: Error:` when it reads a pipe. NASM's `file:line: error:` is cc.error's shape.
  { id: 'gas.error', category: COMPILATION, weight: 84, extend: LINE, re: /^(?:\S+\.(?:s|S|sx|asm|c|cc|cpp|cxx|h|hpp)|\{standard input\}):\d+: (?:Error|Fatal error): / },
  // Asciidoctor's messages: `asciidoctor: ERROR: index.adoc: line 8: include file not found: …`, `asciidoctor:
  // WARNING: …: section title out of sequence: …` (`asciidoctor: FATAL: …`). Under `--failure-level=WARN` a warning
  // fails the run as well; without it the same line fails nothing, so a warning in a step that passed (40 off)
  // weighs less than a generic error line (22) in the step that failed. Keyword `asciidoctor: warning: `.
  { id: 'asciidoctor.error', category: COMPILATION, weight: 80, extend: LINE, re: /^asciidoctor: (?:ERROR|FATAL): \S/ },
  { id: 'asciidoctor.warning', category: COMPILATION, weight: 56, extend: LINE, warning: true, re: /^asciidoctor: WARNING: \S/ },
  // A simulated testbench's failed checks: GHDL's `tb/x.vhd:20:5:@10ns:(assertion failure): message` (`(assertion
  // error)`, or a `report` at those severities), then `…/ghdl-mcode:error: assertion failed`, the process, `error:
  // simulation failed`; Icarus Verilog's vvp on `$error`/`$fatal`: `ERROR: tb/x.v:13: message` (`FATAL: …`) and the
  // indented `Time: 106000 Scope: counter_tb`. Both are `warning`s: GHDL stops only at severity failure unless
  // --assert-level says otherwise (run here: an `(assertion error)` exits 0), and vvp exits 0 after a `$error` (1 after
  // a `$fatal`), which fails a step only through a check of the output; notes, warnings and vvp's `WARNING:`/`INFO:`
  // lines are read by no rule. What stopped the simulator is no warning (`unless`): GHDL's severity failure and its
  // `…:error: assertion failed` (any check under --assert-level), vvp's `FATAL:` (status 1).
  { id: 'ghdl.assertion', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 8,
    warning: { unless: /^\S+\.vhdl?:\d+:\d+:@\S+:\((?:assertion|report) failure\): |^\S+:error: (?:assertion|simulation) failed$/i },
    re: /^\S+\.vhdl?:\d+:\d+:@\S+:\((?:assertion|report) (?:error|failure)\): /i, cont: /^\S+:error: (?:assertion failed|simulation failed)$|^in process \S/ },
  { id: 'iverilog.vvp-check', category: TEST_FAILURE, weight: 84, extend: INDENT, maxLines: 4, warning: { unless: /^FATAL: / }, re: /^(?:ERROR|FATAL): \S+\.(?:s?v|vh|svh):\d+: / },
  // Bazel's failed fetch of an external repository: `ERROR: An error occurred during the fetch of repository 'x':`,
  // the Starlark traceback indented under it, then why (`Error in download_and_extract: java.io.IOException: Error
  // downloading [urls] to …: Unknown host: github.com`); the downloader's `WARNING: Download from <url> failed: class …
  // Unknown host: …`, a line per URL right above, says it first. A dependency that could not be fetched, the reason's
  // words deciding whether the network is why.
  { id: 'bazel.fetch-failed', category: DEPENDENCY, weight: 80, extend: INDENT, maxLines: 20, refine: true,
    re: /^ERROR: An error occurred during the fetch of repository '[^']+':$/, cont: /^Error in \w+: /,
    lookback: { re: /^WARNING: Download from \S+ failed: /, lines: 8, inclusive: true, through: /^WARNING: Download from \S+ failed: /, farthest: /^(?!WARNING: Download from )/ },
    pick: [{ re: /^ERROR: An error occurred during the fetch / }] },
  // Bazel's error at a place in a BUILD file while it loads the package (`ERROR: /…/geo/BUILD:6:5: syntax error at
  // 'copts': expected ,`, `… name 'X' is not defined`), `ERROR: package contains errors: geo` right under it: the
  // build's own description is wrong. Not an action's failure at a target's place (`ERROR: /…/BUILD:9:8: Compiling
  // x.cc failed: (Exit 1) …`), which the compiler's output under it explains, nor one no such line follows.
  { id: 'bazel.build-file', category: CONFIGURATION, weight: 80, extend: INDENT, maxLines: 2, re: /^ERROR: \S*\/BUILD(?:\.bazel)?:\d+:\d+: \S/,
    cont: /^ERROR: package contains errors: /, nextLine: /^ERROR: package contains errors: / },
  // HTML Tidy's messages (`tidy -errors -quiet`): `line 7 column 1 - Error: <pricing-table> is not recognized! …`,
  // `line 8 column 1 - Warning: <img> lacks "alt" attribute`, a message a line in no file's name (one file a run in
  // CI), or behind it under `--show-filename yes` (Tidy 5.8: `index.html: line 7 column 1 - Error: …`). Warnings
  // fail the run too (exit 1; errors 2). Keyword ` - warning: `.
  { id: 'tidy.finding', category: LINT, weight: 76, extend: LINE, re: /^(?:\S+: )?line \d+ column \d+ - (?:Error|Warning): / },
  // gitlint: `1: T1 Title exceeds max length (85>72): "…"`, a violation a line: the commit message's line and the
  // rule's id and message (T… `Title …`, B… `Body …`, the body's line rules B1 to B3 `Line …` and B4 `Second line
  // …`, M1 `Author email …`, the contrib rules CT1 and CC1), under
  // `Commit 2a7f65dc80:` when it lints more than one commit. A violation of no line of the message puts `-` for its
  // number (`-: M1 Author email for commit is invalid: "a@b"`). A user-defined rule's message is the user's own, its
  // id any that does not start with gitlint's reserved R, T, B, M or I; its documentation has them start with UC (a
  // commit rule's) or UL (a line rule's), as read here: `-: UC2 Body does not reference a ticket`. Keywords `N: T|B|CTN
  // Title|Body|Line|Second line ` and `: UC` / `: UL` (after a number or `-`; with the
  // digits the keyword's literals passed the index's union bound, and it would have run on every line); M1 says `invalid`.
  { id: 'gitlint.violation', category: LINT, weight: 76, extend: LINE, re: /^(?:\d+|-): (?:(?:[TB]|CT)\d+ (?:Title|Body|Line|Second line) |M1 Author |CC\d+ Body |U[CL]\d+ \S)/,
    lookback: { re: /^Commit [0-9a-f]{7,40}:$/, lines: 1, inclusive: true } },
  // HTMLHint's default formatter: a file's path three spaces in, then for each finding `      L7 |<excerpt>` and a caret
  // line ending in the message and its rule (`    ^ The id value [ q ] must be unique. (id-unique)`), in colour;
  // `Scanned 2 files, found 3 errors in 2 files (10 ms)` closes the run. No line of the report holds a keyword (a
  // path's `.html` as one cost the bench 5 % more instructions: URLs end so): the closing line, which says `errors`,
  // takes the report above it back to the first file's path, shown first.
  { id: 'htmlhint.errors', category: LINT, weight: 76, extend: LINE, re: /^Scanned \d+ files?, found \d+ errors? in \d+ files? /,
    lookback: { re: /^ {3}\S+$/, lines: 400, inclusive: true, through: /^(?: {3}\S+| {6}L\d+ \|.*|\s+\^ .*|\s*)$/, farthest: /^Scanned \d+ files?, / },
    pick: [{ re: /^ {3}\S+$/ }] },
  // Redocly CLI's `lint` (its `codeframe` format): `[1] api/openapi.yaml:9:5 at #/paths/~1orders/get`, a blank line, the
  // message, a source excerpt, `Error was generated by the path-parameters-defined rule.` and mostly a `Reference:`
  // link; `❌ Validation failed with 2 errors and 1 warning.` closes the run. A problem whose line says `Warning was
  // generated …` fails nothing (the run passes on warnings alone): only an error's counts. Keyword ` at #/`.
  { id: 'redocly.problem', category: LINT, weight: 76, extend: UNTIL, maxLines: 40, gap: 2, re: /^\[\d+\] \S+:\d+:\d+ at #\//,
    end: /^(?:Reference: |\S+: validated in \d)/, confirmedBy: /^Error was generated by the \S+ rule\.$/,
    tally: /^❌ Validation failed with \d+ errors?/ },
  // ESLint's unix format (eslint-formatter-unix) ends each problem with `[Error/rule]`: its message may start with the
  // name it quotes (`'rat' is not defined. [Error/no-undef]`); such a `[Warning/rule]` is no failure. pyflakes' own
  // format has no code, and those of its messages (pyflakes/messages.py) that start with what they quote start with a
  // quote: `tests/a.py:1:1: 'os' imported but unused`, `'from m import *' used; unable to detect undefined names`,
  // `'return' outside function`, `'...'.format(...) has unused arguments at position(s): 1`.
  { id: 'lint.file-line', category: LINT, weight: 32, extend: LINE, tally: /^scan-build: \d+ bugs? found\.$/, re: /^(?![\w./-]+\.hx:)[\w./-]+\.\w{1,10}:\d+(?::\d+)?: ?(?!in [`']|[A-Za-z_]\w*:(?:PASS$|IGNORE\b)|warning:$)(?:[A-Z]?[a-z]+|'.* \[Error\/[\w@/-]+\]$|'[^'\n]{1,200}' (?:imported but unused|may be undefined, or defined from star imports: |used; unable to detect undefined names|only allowed at module level|outside (?:function|loop)|not properly in loop|is always true|should be 'raise NotImplementedError')|'\.\.\.'(?:\.format\(\.\.\.\)| % \.\.\.) (?:has|is|mixes) )/,
    categoryFrom: [{ re: /^[\w./-]+\.\w{1,10}:\d+(?::\d+)?: (?:(?:check|assertion|expectation) failed\b|runtime error: )|^[\w./-]+\.\w{1,10}:\d+:[A-Za-z_]\w*:FAIL\b/i, category: TEST_FAILURE }] },
  { id: 'yaml.parse', category: CONFIGURATION, weight: 68, extend: LINE,
    re: /found character that cannot start any token|did not find expected (?:key|'[^']+'|node content)|mapping values are not allowed|while (?:parsing|scanning) a/ },

  // ── package managers and dependency resolution ────────────────────────────────────────────────────────────
  // node-gyp's failure (its bin/node-gyp.js): `gyp ERR! <command> error`, then `gyp ERR! stack <err.stack>`, whose
  // first line is the error's message (`Error: Could not find any Python installation to use`); System, command,
  // cwd and versions follow. A compiler's error above it (`make` failed) says more and weighs more.
  { id: 'node-gyp.error', category: DEPENDENCY, weight: 72, extend: LINE, re: /^gyp ERR! stack (?:[A-Z]\w*)?Error: / },
  // npm run of a script package.json does not define: the workflow names the wrong script.
  { id: 'npm.missing-script', category: CONFIGURATION, weight: 84, extend: LINE, re: /^npm (?:ERR!|error) Missing script: "[^"]+"$/ },
  // npx of a command no installed package provides, with no terminal to ask on (CI): `npm error npx canceled due to
  // missing packages and no YES option: ["tsc@2.0.4"]`. The project does not install the tool it runs.
  { id: 'npm.npx-missing', category: DEPENDENCY, weight: 80, extend: LINE, re: /^npm (?:ERR!|error) npx canceled due to missing packages / },
  // npm's ERESOLVE report (npm 7+; `npm ERR! ` before npm 10, `npm error ` since): `While resolving:`, `Found:`, then
  // under `Could not resolve dependency:` the dependency that conflicts (`peer react@"^18.0.0" from x@13.1.1`), which
  // says why; the report's blank `npm error` lines are part of it (`npm ERR!` ends in no word character: a `\b` after
  // it would end the report at its second line).
  { id: 'npm.eresolve', category: DEPENDENCY, weight: 80, extend: UNTIL, maxLines: 80, gap: 0,
    re: /^npm (?:ERR!|error) code ERESOLVE$/,
    end: /^(?!npm (?:ERR!|error)(?:\s|$))|^npm (?:ERR!|error) (?:A complete log|For a full report see:|See \S+ for a full report)/,
    pick: [{ re: /^npm (?:ERR!|error) (?:(?:peer|peerOptional|dev|optional) )?(?:@[\w.-]+\/)?[\w.-]+@"[^"]*" from \S/ },
      { re: /^npm (?:ERR!|error) ERESOLVE (?:unable to resolve dependency tree|could not resolve)$/ }] },
  // npm run where no package.json is (a project in a subfolder and no `working-directory`): `npm error code ENOENT`,
  // the syscall, the path, then `enoent Could not read package.json: Error: ENOENT: …`. The workflow's folder, not a
  // dependency: any other ENOENT (a spawned program, a file a package lacks) is read by npm.error.
  { id: 'npm.no-package-json', category: CONFIGURATION, weight: 84, extend: INDENT,
    re: /^npm (?:ERR!|error) code ENOENT$/, cont: /^npm (?:ERR!|error) (?!code ELIFECYCLE|A complete log|Exit status|\s*$)/,
    confirmedBy: /^npm (?:ERR!|error) enoent Could not read package\.json: /, rereadHead: true,
    pick: [{ re: /^npm (?:ERR!|error) enoent Could not read package\.json: / }] },
  { id: 'npm.error', category: DEPENDENCY, weight: 80, extend: INDENT, refine: true,
    re: /^npm (?:ERR!|error) (?:code (?:E404|ETARGET|ERESOLVE|EINTEGRITY|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|ECONNREFUSED|E401|E403|EBADENGINE|ENOENT|EACCES|ENOVERSIONS|ENEEDAUTH)\b|404 |notarget |ERESOLVE )/,
    cont: /^npm (?:ERR!|error) (?!code ELIFECYCLE|errno|A complete log|Exit status|\s*$)/,
    // A tarball that does not match the lock file's hash (`integrity checksum failed … wanted … but got …`) is the
    // dependency's, not a test's comparison.
    categoryFrom: [{ re: /^npm (?:ERR!|error) code EINTEGRITY\b/, category: DEPENDENCY }] },
  // Yarn Berry's errors by code: exception, build, checksum, frozen lockfile, fetch, auth, no candidates. Under
  // --immutable Yarn 4 prints the lockfile's diff in its `┌ Post-resolution validation` section, its added and removed
  // lines as YN0028 errors among the context's YN0000 lines, then `The lockfile would have been modified …`: that line
  // heads the report, the diff above it taken in (under GitHub Actions the section is a `::group::`), and the copy
  // of the diff Yarn repeats after the section is no report of its own.
  { id: 'yarn.berry-error', category: DEPENDENCY, weight: 82, extend: INDENT,
    re: /^➤ YN00(?:01|09|18|28|35|41|46|71|82): (?!(?:│ )?[+-])/,
    lookback: { re: /^➤ YN0000: ┌ /, lines: 200, inclusive: false, through: /^(?:➤ YN00(?:00|28): │|##\[group\]|::group::)/ },
    pick: [{ re: /^➤ YN0028: (?:│ )?The lockfile would have been modified by this install/ }] },
  { id: 'yarn.error', category: DEPENDENCY, weight: 80, extend: LINE, refine: true,
    re: /^error (?:An unexpected error occurred|Couldn't find (?:any versions|package)|Package .* not found|.*: The engine "\w+" is incompatible|Received invalid response from npm|.* not found in the registry)/ },
  // pnpm under `--frozen-lockfile` (CI's default) with a lock file behind package.json: ` ERR_PNPM_OUTDATED_LOCKFILE
  // Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with <ROOT>/package.json`, a note
  // flush left, then `Failure reason:` and which specifiers differ, indented.
  { id: 'pnpm.outdated-lockfile', category: DEPENDENCY, weight: 86, extend: INDENT, maxLines: 12,
    re: /^\s*ERR_PNPM_OUTDATED_LOCKFILE\s/, cont: /^Note that in CI environments this setting is true by default\./ },
  { id: 'pnpm.error', category: DEPENDENCY, weight: 78, extend: LINE, refine: true, re: /\bERR_PNPM_(?!RECURSIVE_RUN_FIRST_FAIL)\w+/ },
  // setuptools 61+ validates `[project]` in pyproject.toml (validate-pyproject): `configuration error: \`project.name\`
  // must be pep508-identifier`, then the rule's DESCRIPTION, the GIVEN VALUE, the OFFENDING RULE and its DEFINITION,
  // each under its heading; the build backend's traceback (`ValueError: invalid pyproject.toml config: …`) follows.
  { id: 'setuptools.pyproject-invalid', category: COMPILATION, weight: 84, extend: INDENT, maxLines: 80,
    re: /^configuration error: `[^`]*` (?:must|cannot) /, cont: /^(?:DESCRIPTION|GIVEN VALUE|OFFENDING RULE|DEFINITION):/ },
  // `twine check` on a distribution whose metadata PyPI would not render: twine 4 logs `ERROR    ` and the message,
  // wrapped under it, below each `Checking dist/x: FAILED`; under `--strict`, `FAILED due to warnings` and the
  // `WARNING  ` lines.
  { id: 'twine.check-failed', category: LINT, weight: 80, extend: INDENT, maxLines: 40,
    re: /^Checking \S+: FAILED(?: due to warnings)?$/, cont: /^(?:ERROR|WARNING) +\S/, pick: [{ re: /^ERROR +\S/ }] },
  // pip's resolver on requirements that cannot all hold: `ERROR: Cannot install a and b because these package
  // versions have conflicting dependencies.`, then `The conflict is caused by:` and the requirements that clash, each
  // on an indented line, its advice, and `ERROR: ResolutionImpossible: …`.
  { id: 'pip.conflict', category: DEPENDENCY, weight: 86, extend: INDENT, maxLines: 60,
    re: /^ERROR: Cannot install .{0,1000} because these package versions have conflicting dependencies\.$/,
    cont: /^(?:The conflict is caused by:$|To fix this you could try to:$|\d+\. \S|ERROR: ResolutionImpossible: )/ },
  // A version pip did not find because it never reached the index: its retry warnings right above (`WARNING: Retrying
  // (Retry(total=0, …)) after connection broken by 'NewConnectionError(…: [Errno -2] Name or service not known')':
  // /simple/numpy/`) are the report's first lines and say why, the network's (a read timeout's too: urllib3's `Read
  // timed out.` is no time limit of the job's). Unless the index answered in the end: `(from versions: 1.26.3, …)`
  // lists what it has, and the version asked for is not among them (`(from versions: none)` is what pip says when it
  // never got an answer).
  { id: 'pip.resolve', category: DEPENDENCY, weight: 86, extend: LINE, refine: true,
    lookback: { re: /^(?!WARNING: Retrying )/, lines: 40, inclusive: false },
    categoryFrom: [{ re: /^WARNING: Retrying .* broken by '(?:NewConnection|ConnectTimeout|ReadTimeout|Proxy|SSL|Protocol)Error/, category: NETWORK, unless: /\(from versions: (?!none\))/ }],
    re: /Could not find a version that satisfies the requirement|No matching distribution found for|ResolutionImpossible|Cannot install .{0,1000} because these package versions have conflicting dependencies|Failed building wheel for|Could not build wheels for|pip's dependency resolver/ },
  // PubGrub's explanation (Poetry, Dart pub, uv's plain form): `Because … depends on …`, up to `version solving failed.`
  { id: 'pubgrub.resolve', category: DEPENDENCY, weight: 84, extend: PARAGRAPH, gap: 0, maxLines: 40,
    re: /^Because (?:no versions? of |only |every version of |your app depends on |[\w.-]+ (?:\([^)]*\) )?(?:depends on|requires) )/ },
  // cabal-install's solver: `Could not resolve dependencies:` (`cabal: ` in front before 3.10), its search below; the
  // first `rejecting: … (conflict: …)` names the constraint that failed.
  { id: 'cabal.resolve', category: DEPENDENCY, weight: 84, extend: INDENT, maxLines: 60,
    re: /^(?:Error: )?(?:cabal(?:\.exe)?: )?Could not resolve dependencies:$/,
    cont: /^(?:\[__\d+\] |trying: |next goal: |rejecting: |skipping: |fail |unknown package: |After searching the rest|Dependency tree exhaustively)/,
    pick: [{ re: /^(?:\[__\d+\] )?rejecting: .*\(conflict: / }] },
  // CPython's `-m` for a module the environment lacks says so on one line, under the interpreter's path:
  // `/…/.tox/py311/bin/python3: No module named pytest`.
  { id: 'python.module-missing', category: DEPENDENCY, weight: 74, extend: LINE,
    re: /^\s*(?:ModuleNotFoundError|ImportError): |^\S*python[\d.]*(?:\.exe)?: No module named \S/ },
  { id: 'conda.resolve', category: DEPENDENCY, weight: 86, extend: INDENT, gap: 1,
    re: /^(?:PackagesNotFoundError|UnsatisfiableError|ResolvePackageNotFound|PackageNotFoundError|LibMambaUnsatisfiableError)\b|^(?:(?:error|critical) +libmamba )?Could not solve for environment specs$/, cont: /^\s+- / },
  { id: 'bundler.error', category: DEPENDENCY, weight: 82, extend: INDENT, refine: true,
    re: /Could not find gem '|Bundler could not find compatible versions|Gem::Ext::BuildError|An error occurred while installing \S+|Could not find \S+ in (?:any of the sources|locally installed gems)|Your bundle is locked to|Bundler::GemNotFound|Gem::MissingSpecError/ },
  // CocoaPods (`pod install`): `[!] CocoaPods could not find compatible versions for pod "X":`, the constraints below.
  { id: 'cocoapods.error', category: DEPENDENCY, weight: 84, extend: PARAGRAPH, gap: 1, maxLines: 30,
    re: /^\[!\] (?:CocoaPods could not find compatible versions for pod|Unable to find a specification for|No podspec found for|CDN: \S+ URL couldn't be downloaded|Unable to add a source with url)/ },
  // `composer install` from a lock file the platform cannot take (the PHP version, a missing extension) says so in
  // words without a keyword, a blank line above its `Problem 1`: the problem pulls it in, and shows it first.
  { id: 'composer.resolve', category: DEPENDENCY, weight: 84, extend: UNTIL, maxLines: 80, gap: 1,
    re: /Your requirements could not be resolved to an installable set of packages|^\s*Problem \d+$|^\s*- (?:The requested package|Root composer\.json requires) /, end: /^\S(?!.*Problem)/,
    lookback: { re: COMPOSER_LOCK_INCOMPATIBLE_RE, lines: 2, inclusive: true }, pick: [{ re: COMPOSER_LOCK_INCOMPATIBLE_RE }] },
  { id: 'maven.resolve', category: DEPENDENCY, weight: 84, extend: LINE, refine: true,
    re: /Could not resolve dependencies for project|Could not find artifact|Could not transfer artifact|Failed to read artifact descriptor|Non-resolvable (?:parent POM|import POM)|Could not resolve all (?:files|dependencies|artifacts) for configuration|Could not resolve [\w.-]+:[\w.-]+:|Could not find [\w.-]+:[\w.-]+:[\w.-]+\.?$|Plugin .{0,500} or one of its dependencies could not be resolved/ },
  // cmd/go (1.21+) refusing a go.mod or go.work that asks for a newer Go than the one set up, under GOTOOLCHAIN=local
  // (`go: go.mod requires go >= 1.23.4 (running go 1.22.12; GOTOOLCHAIN=local)`), or unable to fetch that toolchain.
  // cmd/go where no go.mod is (a module in a subfolder, no `working-directory`): `go: go.mod file not found in current
  // directory or any parent directory; see 'go help modules'`, and for a pattern `pattern ./...: directory prefix .
  // does not contain main module or its selected dependencies`. The workflow's folder, not a dependency.
  { id: 'go.no-main-module', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^(?:go: go\.mod file not found in current directory or any parent directory|pattern \S+: directory prefix \S+ does not contain main module)\b/ },
  { id: 'go.toolchain', category: CONFIGURATION, weight: 86, extend: LINE,
    re: /^go: (?:\S+ requires go >= \S+ \(running go \S+; GOTOOLCHAIN=\S+\)|download go\S+ for \S+: toolchain not available)$/ },
  { id: 'go.module', category: DEPENDENCY, weight: 78, extend: LINE, refine: true,
    // `go: downloading x v1` and `go: finding module for package x` are progress; an error names module@version.
    re: /^go: (?:\S[^\s@]*@\S+: (?:reading|verifying|downloading|finding|unknown revision|invalid version)|module \S+ found|cannot find module|missing go\.sum entry|updates to go\.mod needed)|cannot find package "[^"]*" in any of|no required module provides package|missing go\.sum entry/ },
  { id: 'cargo.resolve', category: DEPENDENCY, weight: 78, extend: INDENT, refine: true,
    re: /failed to select a version for|no matching package named|failed to (?:download|fetch|load source for|get) `|failed to get `\S+` as a dependency|error: failed to (?:parse manifest|run custom build command)/ },
  // A package no repository provides is explained above apt's `E: Package 'x' has no installation candidate` (`Package x
  // is not available, but is referred to by another package.`, what may replace it): taken in.
  { id: 'apt.error', category: DEPENDENCY, weight: 80, extend: LINE, refine: true,
    lookback: { re: /^Package \S+ is not available, but is referred to by another package\.$/, lines: 12, inclusive: true, when: /has no installation candidate/,
      through: /^(?:This may mean that the package|is only available from another source|However the following packages replace it:|\s|$)/ },
    re: /^E: (?:Unable to locate package|Package .* has no installation candidate|Failed to fetch|Unable to fetch|Could not get lock|The repository .* (?:does not have a Release file|is not signed)|Unable to correct problems|Version '[^']*' for '[^']*' was not found|Some index files failed)|^W: Failed to fetch/ },
  // pkg-config asked for a library that is not installed: `Package x was not found in the pkg-config search path.`,
  // its advice on PKG_CONFIG_PATH, and pkgconf's `Package 'x', required by 'virtual:world', not found` (pkg-config
  // 0.29's `No package 'x' found`). A Makefile's `$(shell pkg-config …)` goes on without it to the compiler's missing
  // header, whose error (cc.error, `beside` this rule) is listed after it: the missing package says why. Not of every
  // error after it: where the headers are found all the same (macOS's SDK, a distribution without the .pc) the build
  // fails, if at all, for a reason of its own, and a compile error that names no missing header, library or symbol
  // (`'cfg' undeclared`) ranks above it (`warning.explains`; gcc's and clang's missing header, GNU ld's, lld's and
  // ld64's undefined symbol, ld's missing `-l` library).
  { id: 'pkg-config.not-found', category: DEPENDENCY, weight: 86, extend: INDENT,
    warning: { explains: /\bfatal error: (?:\S+: No such file or directory|'[^']+' file not found)$|\bundefined reference to |\bundefined symbol: |^Undefined symbols for architecture |\bcannot find -l\S/ },
    re: /^Package \S+ was not found in the pkg-config search path\.$|^Package '[^']+', required by '[^']+', not found$/,
    cont: /^(?:Perhaps you should add the directory containing `|to the PKG_CONFIG_PATH environment variable$|Package '[^']+', required by '[^']+', not found$|No package '[^']+' found$)/ },
  // sam build (aws-lambda-builders): `Error: PythonPipBuilder:ResolveDependencies - Could not satisfy the requirement: x`
  // under `Build Failed`, the workflow and its action naming what it was doing (`NodejsNpmBuilder:NpmInstall`,
  // `JavaGradleWorkflow:GradleBuild`); the message decides the category.
  { id: 'sam.build-error', category: UNKNOWN, weight: 82, extend: LINE, refine: true, re: /^Error: [A-Z]\w+:[A-Z]\w+ - \S/ },
  // actions/cache (or cache/restore) with `fail-on-cache-miss: true` and no entry for the key: the job expected a cache
  // an earlier job or run should have saved. Before NuGet's rule, which reads `Failed to restore ` as its own.
  { id: 'gha-cache.miss', category: CONFIGURATION, weight: 86, extend: LINE, re: /^Failed to restore cache entry\. Exiting as fail-on-cache-miss is set\./ },
  { id: 'dotnet.restore', category: DEPENDENCY, weight: 78, extend: LINE, re: /\berror NU\d{4}:|Unable to find package |Failed to restore / },
  // CommonJS names the files that required the module under it, not indented (`Require stack:`, `- /app/server.js`),
  // above the frames. ESM's resolver throws from Node's own code, which Node quotes above the error as for any
  // uncaught one (`node:internal/modules/package_json_reader:314`, `  throw new ERR_MODULE_NOT_FOUND(packageName, …);`):
  // that quote says where in Node it was thrown, the `Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'
  // imported from …` under it what is missing.
  { id: 'node.module-missing', category: DEPENDENCY, weight: 72, extend: INDENT, cont: /^(?:Require stack:$|- [\w./\\:-])/,
    re: /\bCannot find module '|Error: Cannot find package '|(?<!new )ERR_MODULE_NOT_FOUND(?!\()/ },
  // A registry refusing a pull (`pull access denied for x, repository does not exist or may require 'docker login'`):
  // the workflow names an image that is not there or gives no credentials for it, as `denied: requested access to the
  // resource is denied` says to auth.error; a tag the registry lacks (`manifest unknown`) is a version not found.
  { id: 'docker.pull-denied', category: CONFIGURATION, weight: 82, extend: LINE,
    re: /pull access denied for \S+, repository does not exist or may require 'docker login'/ },
  { id: 'docker.pull', category: DEPENDENCY, weight: 82, extend: LINE, refine: true,
    re: /pull access denied for|manifest (?:for \S+ )?unknown|repository does not exist or may require|failed to resolve source metadata for|not found: manifest unknown|Error: No such image:/ },
  // BuildKit cannot find a COPY/ADD source in the build context or the stage it names: the Dockerfile or the context
  // is wrong. Before the shell rule, which would read the trailing `: not found` as a missing command.
  { id: 'docker.missing-source', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^(?:#\d+ )?ERROR: failed to (?:calculate checksum of ref|solve: failed to compute cache key: )/ },
  { id: 'docker.build', category: COMPILATION, weight: 52, extend: INDENT, refine: true,
    re: /^(?:#\d+ )?ERROR: (?:failed to solve|process "|executor failed running)|^ERROR \[[\w ./-]*\d\/\d+\] |^The command '.*' returned a non-zero code: \d+|^failed to solve: / },

  // ── network, TLS, auth and configuration ──────────────────────────────────────────────────────────────────
  // Under a failed lookup or connection: wget's verdict on it, and git's when the clone was a submodule's (`fatal: clone
  // of '…' into submodule path '…' failed`, `Failed to clone '…'. Retry scheduled`). git's `error: RPC failed; curl 92
  // HTTP/2 stream 5 was not closed cleanly` (a clone or fetch over HTTP cut off), which rustc.error leaves to it.
  { id: 'network.error', category: NETWORK, weight: 74, extend: INDENT, maxLines: 60,
    cont: /^(?:wget: unable to resolve|fatal: clone of|Failed to clone) /,
    re: /Could not resolve host|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|Temporary failure in name resolution|Name or service not known|nodename nor servname provided|Connection refused|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection timed out|Network is unreachable|No route to host|SSL certificate problem|certificate verify failed|x509: certificate|unable to get local issuer certificate|TLS handshake (?:timeout|failed)|socket hang up|Could not create connection to|Failed to connect to|Connection reset by peer|\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b|Read timed out|SSLError|Net::(?:ReadTimeout|OpenTimeout)|Could not connect to|unable to access '[^']*':|^error: RPC failed; |: no such host$|: lookup \S+(?: on \S+)?: (?:server misbehaving|read udp \S+: i\/o timeout)$/i },
  // Python HTTP clients' (urllib3/requests) exception names, case-sensitive; wget's dated HTTP status (`2026-11-28
  // 21:15:26 ERROR 404: File not found.`), at a line's start, in wget's own date format (an application's log line
  // `2026-11-28 10:00:00,123 ERROR 404: no such order`, in a passing test's captured output, is not wget's); its 401
  // and 403 a credential the job lacks, as curl.error reads them.
  { id: 'network.python-client', category: NETWORK, weight: 74, extend: INDENT, maxLines: 60,
    categoryFrom: [{ re: /^\S+ \S+ ERROR 40[13]: /, category: CONFIGURATION }],
    re: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR \d{3}: |Max retries exceeded with url|NewConnectionError|ConnectTimeoutError|RemoteDisconnected|Connection aborted|EOF occurred in violation of protocol|\bE(?:HOSTUNREACH|NETUNREACH)\b/ },
  // curl's own error line when network.error does not read its message (`curl: (22) The requested URL returned error:
  // 404` under -f): below a tool's report, since scripts run curl where its failure is not the step's (`|| true`, a retry loop).
  // Not (23), the reader of its output gone (`curl … | head -n1`: `Failure writing output to destination`), which is
  // no network's and fails nothing; a 401 or 403 is a credential the job lacks (auth.error reads it with its reason).
  { id: 'curl.error', category: NETWORK, weight: 45, extend: LINE, re: /^curl: \((?!23\))\d+\) \S/,
    categoryFrom: [{ re: /^curl: \(22\) The requested URL returned error: 40[13]\b/, category: CONFIGURATION }] },
  // Terraform's diagnostics: `│ Error: Unsupported argument` inside a ╷ … ╵ box.
  { id: 'terraform.error', category: CONFIGURATION, weight: 80, extend: UNTIL, maxLines: 60, gap: 99, refine: true,
    re: /^│ Error: \S/, end: /^╵/ },
  // kubectl: the API server's refusal, or the client's own validation.
  // kubeconform: `deploy/web.yaml - Deployment web is invalid: …` (`failed validation: …` when it could not validate).
  { id: 'kubeconform.invalid', category: CONFIGURATION, weight: 80, extend: LINE, re: /^\S+ - (?:[A-Z]\w*(?: \S+)? )?(?:is invalid|failed validation): \S/ },
  // kubeval: `WARN - k8s/x.yaml contains an invalid Deployment (web) - spec.replicas: Invalid type. …` (`ERR` when it
  // could not validate); valid files say `PASS - … contains a valid …`.
  { id: 'kubeval.invalid', category: CONFIGURATION, weight: 80, extend: LINE, re: /^(?:WARN|ERR) +- \S+ contains an invalid [A-Z]\w*/ },
  // Conftest: `FAIL - deploy/web.yaml - main - message` for each policy rule that denied the file.
  { id: 'conftest.failure', category: CONFIGURATION, weight: 80, extend: LINE, re: /^(?:FAIL|ERROR) - \S+ - [\w.]+ - \S/ },
  { id: 'kubectl.error', category: CONFIGURATION, weight: 76, extend: LINE,
    re: /^Error from server(?: \([A-Za-z]+\))?: |^error: error (?:validating|parsing|when (?:creating|applying|retrieving)) / },
  // AWS CDK's stack activity: `Stack | 0/4 | 10:00:26 AM | UPDATE_FAILED | AWS::Lambda::Function | Fn (FnE749) reason`
  // (again under `Failed resources:`, without the progress column); its `❌  Stack failed: … ROLLBACK_COMPLETE` after.
  // Pulumi's `Diagnostics:` lists each resource (`  aws:ec2:SecurityGroup (web-sg):`) with its errors four spaces
  // in (`    error: … resource 'web-sg' has a problem: …`); the stack's own `error: update failed` only says so, and a
  // program that throws names its exception on the lines below its `Running program … failed` line. Every line of a
  // message is printed four spaces in and each resource's messages end with a blank line (printDiagnostics in
  // pulumi/pulumi's pkg/backend/display/progress.go), so only such lines stand between an error and the header.
  { id: 'pulumi.diagnostic', category: CONFIGURATION, weight: 80, extend: INDENT, maxLines: 20,
    re: /^ {4}error: +(?!(?:preview|update|destroy|refresh|import) failed$|an unhandled error occurred|Running program '[^']*' failed with an unhandled exception:$)\S/,
    under: { header: /^Diagnostics:$/, through: /^ {4}|^ {2}\S+ \(.*\):$/ } },
  // Serverless Framework v3 ends a failed deploy with `Error:` and CloudFormation's event: `UPDATE_FAILED: Logical
  // (AWS::Lambda::Function)`, the reason on the next line. Above the Rails reporter's bare `Error:`, which takes it.
  { id: 'serverless.resource-failed', category: CONFIGURATION, weight: 88, extend: PARAGRAPH, gap: 0, maxLines: 8,
    re: /^(?:CREATE|UPDATE|DELETE|IMPORT)_FAILED: \S+ \((?:AWS|Custom)::[\w:]+\)$/ },
  // GoReleaser's end of run: `  ⨯ release failed after 0s  error=git is in a dirty state` (`build failed`, …); a
  // compiler error it quotes below outranks it.
  { id: 'goreleaser.failed', category: CONFIGURATION, weight: 78, extend: LINE, refine: true, re: /^\s*⨯ \w+ failed after [\d.]+m?s\s+error=\S/ },
  // semantic-release's signale log: `[10:11:14 AM] [semantic-release] › ✘  ENOGHTOKEN No GitHub token specified.` (`»`
  // and `×` on Windows), the explanation below; `✘  Failed step "…"` before it names only the step.
  { id: 'semantic-release.error', category: CONFIGURATION, weight: 84, extend: PARAGRAPH, gap: 0, maxLines: 8, refine: true,
    re: /^\[[\d:]+(?: [AP]M)?\] \[semantic-release\](?: \[[^\]]+\])? [›»] [✘×] {2}(?:E[A-Z0-9]{3,} \S|An error occurred while running semantic-release: )/ },
  // actions/checkout asked for a ref the repository does not have (an `##[error]` annotation).
  { id: 'checkout.ref-missing', category: CONFIGURATION, weight: 86, extend: LINE, re: /^A branch or tag with the name '[^']+' could not be found$/ },
  // GitHub refusing a push over HTTPS: the token's permissions (GITHUB_TOKEN with `contents: read`), not the network
  // git's next line (`fatal: unable to access …: 403`) blames.
  { id: 'git.push-denied', category: CONFIGURATION, weight: 84, extend: LINE, re: /^remote: (?:Permission to \S+ denied to \S+|Repository not found\.)$/ },
  // ESLint's crash report: `Oops! Something went wrong! :(`, its version, then what stopped it (`ESLint couldn't find
  // an eslint.config.(js|mjs|cjs) file.`, a plugin it could not find, a rule that threw) and the advice that follows.
  { id: 'eslint.crash', category: CONFIGURATION, weight: 80, extend: UNTIL, maxLines: 20, gap: 2,
    re: /^Oops! Something went wrong! :\($/, end: /^(?:From ESLint v\d|Common causes of this problem include:|If you still have problems|Please see https:)/,
    pick: [{ re: /^(?!ESLint: v?\d|Oops! )\S/ }] },
  // PowerShell 7's ConciseView: `Write-Error: D:\a\x\build.ps1:27` (`Exception:`, `ParserError:`, …), `Line |`, the
  // source and its underline, then `     | message`, which says why. A script's `throw` of a string prints it as a
  // bare `Exception:` after a tool failed: like Windows PowerShell's record (cascade.pwsh-error-record), it closes the report of what failed above.
  { id: 'powershell.error-view', category: UNKNOWN, weight: 76, extend: UNTIL, maxLines: 30, gap: 0, refine: true,
    re: /^(?:[A-Z][\w.-]*)?(?:Error|Exception): (?:[A-Za-z]:\\|\/)\S*\.ps[dm]?1:\d+$/, end: /^(?!Line \||\s*\d* \|)/, pick: [{ re: /^ +\| \S/ }],
    closing: { through: /^(?:Line \||\s*\d* \|)/ } },
  // An AWS CLI / botocore waiter (`aws cloudformation wait stack-create-complete`, `aws lambda wait function-updated`)
  // that reached a failure state: `Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: For
  // expression "Stacks[].StackStatus" we matched expected path: "ROLLBACK_COMPLETE" at least once`; one that gave up
  // waiting says `Max attempts exceeded`.
  { id: 'aws.waiter-failed', category: CONFIGURATION, weight: 82, extend: LINE,
    re: /^Waiter \w+ failed: Waiter encountered (?:a terminal failure state|an unexpected error)\b/ },
  { id: 'aws.waiter-timeout', category: TIMEOUT, weight: 82, extend: LINE, re: /^Waiter \w+ failed: Max attempts exceeded\b/ },
  // The Codecov CLI's log (codecov-action v4+, `error - 2026-03-04 10:14:52,048 -- Upload failed: {"message":"Token
  // required - not valid tokenless upload"}`): a job fails on it under `fail_ci_if_error: true`; the wrapper's `==>
  // Failed to run upload-coverage` after it only says so.
  { id: 'codecov.cli-error', category: UNKNOWN, weight: 78, extend: LINE, refine: true,
    re: /^error - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} -- \S/ },
  { id: 'cdk.resource-failed', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^\S+ \| (?:\d+\/\d+ \| )?\d\d?:\d\d:\d\d(?: [AP]M)? \| (?:CREATE|UPDATE|DELETE|IMPORT)_FAILED +\| \S+ +\| \S/ },
  // actions/upload-artifact with `if-no-files-found: error` (an `##[error]` annotation, which the rules read past;
  // the default, `warn`, leaves a warning): the path names nothing the build wrote.
  { id: 'upload-artifact.no-files', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /^No files were found with the provided path: .*\. No artifacts will be uploaded\.$/ },
  // CodeQL's analysis finding no source of a language it was asked to analyse: the workflow's build is wrong.
  { id: 'codeql.no-source', category: CONFIGURATION, weight: 86, extend: LINE,
    re: /CodeQL detected code written in .{1,100} but could not process any of it/ },
  // Gradle's configuration cache: `- Task `:app:x` of type `T`: invocation of 'Task.project' at execution time is
  // unsupported.` under `N problems were found storing the configuration cache.` (`See https://…` indented below).
  { id: 'gradle.config-cache', category: CONFIGURATION, weight: 84, extend: INDENT, maxLines: 20,
    re: /^- (?:Task `[^`]+` of type `[^`]+`|(?:Build|Settings|Init) file '[^']+'|Plugin '[^']+'|Gradle runtime): .*\b(?:unsupported|not supported|cannot (?:serialize|be serialized|deserialize))\b/ },
  // setup-node / setup-python asked to cache dependencies without the lock file or manifest to key the cache on.
  // A setup-* action asked for a version its manifest lacks for this runner image (setup-python's wording in v2-v4 and
  // v5, setup-node's and setup-go's, setup-java's).
  { id: 'setup.version-missing', category: CONFIGURATION, weight: 86, extend: LINE,
    re: /^(?:The version '[^']+' with architecture '[^']+' was not found for |Version \S+ with arch \S+ not found$|Unable to find (?:Node|Go) version '[^']+' for platform |Could not find satisfied version for SemVer )/ },
  { id: 'setup.cache-config', category: CONFIGURATION, weight: 86, extend: LINE,
    re: /Dependencies lock file is not found in \S|No file in \S+ matched to \[[^\]]*\], make sure you have checked out the target repository|Some specified paths were not resolved, unable to cache dependencies/ },
  // The runner refusing a file command a step wrote (`Unable to process file command 'env' successfully.`, then why:
  // `Invalid format '3.1.3'` for a `$(…)` that captured two lines, `Invalid value. Matching delimiter not found 'EOF'`
  // for a heredoc's delimiter glued to its last line), and an action's program that is not installed (@actions/io's
  // `Unable to locate executable file: pnpm. …`: setup-node's `cache: pnpm` before pnpm is set up): the job's own.
  { id: 'gha.job-config', category: CONFIGURATION, weight: 86, extend: INDENT,
    re: /^Unable to process file command '\w+' successfully\.$|^Unable to locate executable file: \S/,
    cont: /^##\[error\]Invalid (?:format|value|environment variable format) / },
  { id: 'config.missing-input', category: CONFIGURATION, weight: 86, extend: LINE,
    re: /Input required and not supplied|Unable to resolve action|Invalid workflow file|Unrecognized named-value|Unexpected value '|Required property is missing|Can't find 'action\.ya?ml'|is not a valid (?:event|runner)/ },
  { id: 'cloud.credentials', category: CONFIGURATION, weight: 84, extend: LINE,
    re: /\bAccessDenied(?:Exception)?\b|is not authorized to perform|\bExpiredToken(?:Exception)?\b|InvalidClientTokenId|UnrecognizedClientException|security token included in the request is (?:invalid|expired)|Unable to locate credentials|Could not load credentials from any providers|NoCredentialProviders|\bAuthorizationFailed\b|does not have (?:authorization|permission) to perform|\bPERMISSION_DENIED\b|Not authorized to perform sts:AssumeRole|Credentials could not be loaded|Resource not accessible by (?:integration|personal access token)|Bad credentials|Permission denied \(publickey\)|\binvalid_grant\b|request signature we calculated does not match/ },
  { id: 'auth.error', category: CONFIGURATION, weight: 72, extend: LINE,
    re: /Bad credentials|\b401 Unauthorized\b|\b403 Forbidden\b|Authentication failed|Permission to \S+ denied|Resource not accessible by integration|HttpError: Not Found|could not read Username|terminal prompts disabled|denied: requested access to the resource is denied|unauthorized: /i },
  // The shell's own errors at its place in the script: bash's `<script>: line 2: NAME: unbound variable` (set -u),
  // `syntax error near unexpected token `)'`, `syntax error: unexpected end of file`;
  // dash's (GitHub's `shell: sh`) `<script>: 2: NAME: parameter not set` (`${NAME:?}`: bash's `parameter null or not
  // set`, dash's and BusyBox ash's `parameter not set or null`), `Syntax error: ")" unexpected`, `cd: can't cd
  // to x`, `.: cannot open x: No such file`; arithmetic on what is no integer (`$(( ${PY_VERSION} * 10 ))`): bash's `3.11 *
  // 10 : syntax error: invalid arithmetic operator (error token is …)`, dash's `arithmetic expression: expecting …`,
  // BusyBox ash's `arithmetic syntax error`; zsh's `set -u` and `${NAME?}` (`script.sh:3: NAME: parameter not set`, its
  // place with no space, as a compiler's: only that message). A run: script is the workflow's: configuration.
  { id: 'shell.error', category: CONFIGURATION, weight: 74, extend: LINE,
    re: /^\S+:\d+: \S+: parameter not set$|^\S+: (?:line )?\d+: (?:\S+: (?:unbound variable|parameter (?:null or )?not set(?: or null)?)$|[Ss]yntax error[: ]|unexpected EOF while|cd: can't cd|\.: cannot open|arithmetic (?:syntax error|expression: )|.*: syntax error: (?:operand expected|invalid arithmetic operator))/ },
  // make could not run the program a recipe names (`make: clang-18: No such file or directory`), then its `*** [Makefile:5:
  // x] Error 127`: the compiler or tool the job asks for is not on the runner. Before shell.command-not-found, which
  // would read the line without make's. make up to 4.2 says `Command not found` (macOS's 3.81, ubuntu-20.04's 4.2.1).
  { id: 'make.exec-missing', category: CONFIGURATION, weight: 76, extend: INDENT,
    re: /^g?make(?:\[\d+\])?: [^\s:]+: (?:No such file or directory|Permission denied|Command not found)$/,
    cont: /^g?make(?:\[\d+\])?: \*\*\* \[[^\]]+\] Error 12[67]$/ },
  { id: 'shell.command-not-found', category: CONFIGURATION, weight: 74, extend: LINE, re: /: (?:command not found|not found)$|is not recognized as an internal or external command|: No such file or directory$|: Permission denied$/ },
  // Ansible's failed task: `fatal: [host]: FAILED! => {"msg": …}` (or UNREACHABLE!), before git's `fatal: `; the
  // message decides the category (an undefined variable is configuration, a package that will not install a dependency).
  // The task's name is on the `TASK [Render the app config] ****` line above it, an exception that explains it
  // (`An exception occurred during task execution. … The error was: …`) between them.
  { id: 'ansible.task-failed', category: CONFIGURATION, weight: 82, extend: INDENT, refine: true, maxLines: 60,
    re: /^(?:fatal|failed): \[[^\]]{1,200}\]: (?:FAILED|UNREACHABLE)! =>/,
    lookback: { re: /^TASK \[.*\] \*+$/, lines: 3, inclusive: true } },
  // git's errors in a script. A refused push takes the ref lines above it (` ! [rejected]        main -> main (fetch
  // first)`, which hold no keyword) and git's hints below; a merge, rebase or cherry-pick stopped on a conflict is each
  // `CONFLICT (content): Merge conflict in x`, then git's verdict (`Automatic merge failed; …`, `error: could not
  // apply 1a2b3c4... message`) and hints. Its lines only, to the first that is none of git's (a blank, what the script
  // ran next: cargo's status lines are indented, which an `indent` block took); git's lists of files are tab-indented.
  // A push the server's hook refused (` ! [remote rejected] … (protected branch hook declined)`) says why in the hook's
  // `remote: error: …` lines above it (GitHub's `remote: error: GH006: Protected branch update failed for …`): the
  // look-back goes on to the first of them, not past the push's own progress (`Total 3 (delta 0), …`), and shows it
  // first: GitHub's `GH001:`/`GH006:` line first where it has one (GH001's hook prints a `remote: error: Trace: <id>`
  // above it), a trace id never.
  { id: 'git.fatal', category: CONFIGURATION, weight: 70, extend: UNTIL, refine: true,
    pick: [{ re: /^remote: error: GH\d+: / }, { re: /^remote: error: (?!Trace: )/ }],
    re: /^fatal: |^error: (?:pathspec |src refspec |failed to push|Your local changes|cannot lock ref |remote \S+ already exists|could not lock config file |The following untracked working tree files |unable to create file |invalid path '|cannot (?:pull with )?rebase: |(?:Merging|Pulling) is not possible)|^CONFLICT \([\w\/ -]+\): /,
    end: /^(?!\t|CONFLICT \(|Auto-merging |Automatic merge failed; |error: (?:could not apply|[Pp]lease) |hint: |Could not apply )/, lookback: { re: /^ ?! \[(?:remote )?rejected\] |^remote: error: /, lines: 20, inclusive: true, farthest: /^(?:Total \d+ \(delta |Writing objects: |Everything up-to-date$)/ } },
  // error_highlight (Ruby 3.1+) puts under the message a blank line, the code line as the source has it (at column 0
  // in top-level code) and a line of carets, then did_you_mean's `Did you mean?` lines, over the `\tfrom` frames.
  { id: 'ruby.exception', category: UNKNOWN, weight: 72, extend: INDENT, refine: true,
    re: RUBY_EXCEPTION_RE, cont: new RegExp(String.raw`^(?:\s|${RUBY_LOCATION}|\(See full trace|Tasks: |\^+$|Did you mean\? )`),
    contAfter: { prev: RUBY_HIGHLIGHTED_EXCEPTION_RE, re: /\S/, blank: true } },
  { id: 'rake.aborted', category: UNKNOWN, weight: 74, extend: UNTIL, refine: true, headNext: true, maxLines: 60, gap: 0,
    re: /^rake aborted!$/, end: /^(?:\(See full trace|Tasks: TOP)/ },
  // An uncaught Throwable goes on in PHP's own shapes (zend_exceptions.c): `Stack trace:`, its `#0 file.php(12): f()`
  // or `#1 [internal function]: f()` frames down to `#N {main}`, each previous exception as a blank line and `Next
  // Class: message in file.php:7` (`Next Class in file.php:7` without a message) with its own trace, then `  thrown
  // in file.php on line 7` (indented, taken as such).
  // Frames in full: BuildKit's own lines under a failed `RUN` start with `#N ` too.
  // Xdebug (xdebug.mode=develop) adds its own trace: log_errors writes `PHP Stack trace:` and `PHP   1. {main}()
  // /app/x.php:0` frames under the error, display_errors a blank line, `Call Stack:` and frames indented under it
  // (under an uncaught exception, the exception's line again and a blank line first).
  // An uncaught Throwable's message may have lines of any shape (Guzzle's quotes the response's body), down to the
  // one ending at the place it was thrown at. Only PHP's own headline opens one (`Uncaught Class: …`, PHP 5's
  // `Uncaught exception 'Class' with message …`): a program's line in its own words would run on to the block's end.
  // `php -l` closes a file's parse error with `Errors parsing src/x.php`.
  { id: 'php.fatal', category: UNKNOWN, weight: 80, extend: INDENT, refine: true,
    re: PHP_ERROR_RE,
    message: { open: /^(?:[.EFWIRSDN]*PHP )?Fatal error: +Uncaught (?:[\w\\]+: |exception '[\w\\]+' with message )|^Next [\w\\]+: /, end: / in \S+(?::\d+| on line \d+)$|^Stack trace:$/ },
    cont: /^(?:Stack trace:$|#\d+ (?:\{main\}$|\[internal function\]: |.+\(\d+\): )|Next [\w\\]+(?::\s| in \S)|PHP Stack trace:$|PHP +\d+\. \S|Errors parsing \S)/,
    contAfter: { prev: new RegExp(`${PHP_ERROR_RE.source}|${XDEBUG_EXCEPTION_RE.source}`), re: new RegExp(`^Call Stack:$|${XDEBUG_EXCEPTION_RE.source}`), blank: true } },
  // Collision (nunomaduro/collision: Laravel's console, Pest) renders an uncaught exception as its class alone on a
  // line, two spaces in and padded by its red title's space either side (`   Illuminate\Database\QueryException `),
  // a blank line, the message two spaces in, then `  at file:line` over the code around it and the user frames
  // (`  37  artisan:37`, the call six spaces in), a blank line between each (its Writer.php). The class is namespaced
  // or named as an error, with the padding or without it (a log that trimmed it): `   Done ` is no title. The
  // message is the line shown.
  { id: 'php.collision', category: UNKNOWN, weight: 80, extend: INDENT, refine: true, maxLines: 60,
    re: /^ {2,3}(?:(?:[A-Za-z_]\w*\\)+[A-Za-z_]\w* |(?:[A-Za-z_]\w*\\)*[A-Z]\w*(?:Exception|Error) ?)$/,
    cont: /^ {2}\S/, pick: [{ re: /^ {2}(?!at \S+:\d+$)\S/ }] },
  // An Emacs backtrace: every frame two spaces in, as deep as `signal(…)` itself.
  { id: 'elisp.error', category: UNKNOWN, weight: 72, extend: INDENT, refine: true, maxLines: 80, cont: /^ {2}\S/,
    re: /^\s*(?:signal\((?:error|file-error|[\w-]+-error) |Debugger entered--Lisp error: )/ },
  { id: 'elixir.exception', category: UNKNOWN, weight: 72, extend: INDENT, refine: true, re: /^\*\* \([\w.]+\) / },
  // A Python exception named by its module (`json.decoder.JSONDecodeError: …`, `botocore.exceptions.ClientError: …`)
  // without its traceback, before java.exception, whose dotted names it has the shape of: an `…Error` under a root
  // no JVM package has, with its message (its `Error: ` is the literal the dispatch keys it on: a compiler's `error
  // TS2345` line does not try it). As much weight as Java's.
  { id: 'python.module-exception', category: UNKNOWN, weight: 74, extend: INDENT, refine: true, maxLines: 200,
    re: /^(?!(?:java|javax|jdk|sun|com|org|net|io|kotlin|kotlinx|scala|dotty|cats|zio|fs2|sbt|mill|munit|groovy|android|androidx|junit|jakarta|akka|reactor|lombok)\.)(?:[a-z_]\w*\.)+[A-Z]\w*Error: /,
    // Any other root (`de.acme.billing.InvoiceError: …`) is a JVM package's when JVM frames stand under it.
    languageFrom: [{ re: JVM_FRAME_RE, rule: 'java.exception' }] },
  // Jenkins' layout (see JENKINS_TRACE_INTRO_RE): `Caused: `, `Also:   ` and a GitException's quoted output go on
  // the trace, the message above it is pulled in, and an agent that went away (see JENKINS_AGENT_LOST_RE) is the
  // platform's failure wherever in the trace it is named.
  // A Groovy script's uncaught exception: `Caught: java.lang.X: message`, then the exception again over its frames.
  // A failed power assertion is `Caught: Assertion failed: `, a blank line, then `assert x.size() == 3` over its
  // diagram (indented): the same again (`Assertion failed: `) over the frames.
  // A rule of its own, not a continuation of java.exception's that depends on the line above (every line of a JVM
  // trace would then be decoded and scanned). GroovyMain prints the frames under it, `\tat ` (the script's own, or
  // the whole trace with -d and in 2.4), a power assertion's source line over its diagram (`assert x.size() == 3`):
  // a `Caught: json.decoder.JSONDecodeError: …` a script printed itself has neither, and is read by the rules after
  // this one.
  { id: 'groovy.caught', category: UNKNOWN, weight: 74, extend: INDENT, refine: true, maxLines: 200, confirmedBy: /^\tat \S|^assert\b/, rereadHead: true,
    re: /^Caught: (?:(?:[a-z_]\w*\.)+[A-Z]\w*(?:Exception|Error)(?::\s|$)|Assertion failed: ?$)/,
    cont: /^(?:[a-z_]\w*\.)+[A-Z]\w*(?:Exception|Error)(?::\s|$)|^\s*(?:at |\.\.\. \d+ more|Caused by:)|^assert\b/ },
  { id: 'java.exception', category: UNKNOWN, weight: 74, extend: INDENT, refine: true, maxLines: 200,
    re: /^Exception in thread "|^\S+Exception: .* at \S+\.java:\d+|^(?:\[\w+\] |Caused: )?(?:[a-z_]\w*\.)+[A-Z]\w*(?:Exception|Error)(?::\s|$)/,
    cont: /^\s*(?:at |\.\.\. \d+ more|Caused by:)|^\[\w+\]\s+at |^(?:Caused: |Also: {3})\S|^std(?:out|err): |^(?:Please make sure you have the correct access rights|and the repository exists\.)$/,
    interleaved: GIT_EXCEPTION_OUTPUT, lookback: { re: JENKINS_TRACE_INTRO_RE, lines: 120, inclusive: true, through: JENKINS_TRACE_LINE_RE },
    categoryFrom: [{ re: JENKINS_AGENT_LOST_RE, category: INFRASTRUCTURE }] },
  // CPython's faulthandler on a fatal signal (pytest turns it on; `python -X faulthandler`): `Fatal Python error:
  // Segmentation fault` (behind pytest's progress: `.Fatal …`, `tests/x.py::t Fatal …`), a blank line, `Current thread
  // 0x… (most recent call first):` and the frames, innermost first (`  File "x.py", line 6 in f`): where it crashed.
  // Before segfault, which reads the same line without the frames.
  // Under pytest-xdist the worker that crashed prints it, and pytest then reports the test as failed (`worker 'gw1'
  // crashed while running …`): the dump is listed beside that report, which ranks above it.
  { id: 'python.faulthandler', category: UNKNOWN, weight: 80, extend: INDENT, refine: true, maxLines: 120, beside: 'pytest.failed',
    re: /Fatal Python error: (?:Segmentation fault|Aborted|Bus error|Floating point exception|Illegal instruction)/,
    cont: /^(?:Current thread 0x|Thread 0x|Extension modules: )/ },
  // bash's report of a job a signal ended (`<script>: line 3: 30967 Aborted   ./prog`, `bash: 17854 Aborted   ./prog`)
  // names the signal alone; for SIGABRT from assert() glibc's `prog: file.c:12: main: Assertion `…' failed.` right
  // above it says what failed, and is taken in. bash prints the pid in five columns (`line 3:  4242 Aborted`, a
  // runner's four-digit pid) and pads the signal's name to 24 (`Aborted` and 17 spaces): a program's own sentence
  // (`migrate: 12 Aborted transactions rolled back`) has one space after the word.
  { id: 'segfault', category: UNKNOWN, weight: 78, extend: INDENT,
    re: /Segmentation fault|core dumped|\bSIGSEGV\b|\bSIGABRT\b|Bus error|Abort trap|Illegal instruction|^\S+: (?:line \d+: )? *\d+ Aborted {2,}\S/,
    lookback: { re: /: Assertion `.*' failed\.$/, lines: 1, inclusive: true, when: /\d Aborted {2,}\S/ } },
  { id: 'lua.error', category: UNKNOWN, weight: 70, extend: INDENT, refine: true, gap: 1,
    re: /^(?:\S+: )?(?:\[string "[^"]*"\]|\S+\.lua):\d+: /, cont: /^(?:stack traceback:|\s)/ },
  // A Python exception's line without Python's traceback above it (a log cut above it, a runner printing only the
  // last line: papermill's message on Kaggle), before node.exception, which takes any `\w+Error:`: see
  // PY_BARE_EXCEPTION_RE. As much weight as Node's: only the name it reports changes. A JavaScript class named like
  // a Python builtin (`NotImplementedError`) keeps the source line and caret Node prints above it (Python prints none).
  // Ruby's and PHP's builtins of the same names (`RuntimeError`, `KeyError`, `ValueError`) are told by their frames.
  { id: 'python.exception', ...BARE_EXCEPTION_FIELDS, languageFrom: BARE_EXCEPTION_LANGUAGES },
  // An error's class is capitalised: an object's member named like one (`onError: null,`, `isAxiosError: true,`, a
  // handler's name alone) is not an error, and in a dump printed before the error it led over the error itself.
  // Ruby's and PHP's builtins named like none of Python's (`NoMethodError`, `ArgumentError`, PHP's `TypeError`,
  // `DivisionByZeroError`) are told by their frames as python.exception's are: the same fields, the same twins.
  // babel's code frame marks the line at fault with a `>` at the line's start (`> 4 |   });`), the others indented.
  // node:assert's diff under its message goes on at the line's start: `+ actual - expected`, then `+ 'eu-west-1'`,
  // `-   verbose: true` (a value, or a key three spaces in); a shell's `+ npm test` is no value.
  // Vitest's errors outside any test (`⎯⎯ Unhandled Rejection ⎯⎯`, `⎯⎯ Unhandled Error ⎯⎯`, under `Unhandled Errors`):
  // the run fails though its tests passed. The heading, the error, its frames and code frame, shown from the error.
  // Keyed on the heading: an expression keyed on `Error` would be tried on every compiler's error line.
  { id: 'vitest.unhandled', category: TEST_FAILURE, weight: 70, extend: PARAGRAPH, maxLines: 60,
    re: /^⎯+ Unhandled (?:Rejection|Error) ⎯+$/, pick: [{ re: /^\w*Error\b/ }] },
  { id: 'node.exception', category: UNKNOWN, weight: 62, extend: INDENT, refine: true, maxLines: 100, lookback: NODE_THROWN_AT,
    cont: /^(?:> *\d+ \||\+ actual - expected|[+-] (?: {2}|['"\d[{(-]|(?:true|false|null|undefined)$)|This file is being treated as an ES module because )/,
    re: /^\s*(?:Uncaught |Unhandled(?:PromiseRejection)? ?(?:exception|rejection|Error)?:? ?)?(?:TypeError|ReferenceError|SyntaxError|RangeError|AssertionError(?: \[ERR_ASSERTION\])?|Error \[[A-Z_]+\]|[A-Z]\w*Error(?: \[\w+\])?)(?::|$)/,
    languageFrom: BARE_EXCEPTION_LANGUAGES },
  // Puppeteer with no browser where it looks (its download skipped, `~/.cache/puppeteer` not restored): a message of
  // four lines, the last `For (2), check out our guide …`, then the frames. The pipeline's set-up, not the script.
  { id: 'puppeteer.browser-missing', category: CONFIGURATION, weight: 80, extend: INDENT, maxLines: 40, lookback: NODE_THROWN_AT,
    re: /^Error: Could not find (?:Chrome|Chromium|Firefox|chrome-headless-shell) \(ver\. \S+\)\. This can occur if either$/,
    message: { open: /^Error: Could not find /, end: /^For \(2\), check out our guide / } },
  // A plain `Error: …`, generic wording anywhere else, is Node's when its caret stands above it (see NODE_THROWN_AT).
  { id: 'node.uncaught', category: UNKNOWN, weight: 62, extend: INDENT, refine: true, maxLines: 100, lookback: NODE_THROWN_AT,
    re: /^Error: \S/, under: { header: /^\s*\^+$/, through: /$^/ } },
  // jsonlint (zaach's and @prantlf's): `Parse error on line 6, column 3:` (`Error: Parse error on line 6:`), the text
  // around the place, a caret under dashes and what was expected; @prantlf's names the file above it (`File: x.json`).
  // After node.uncaught: other jison parsers' (Handlebars') thrown uncaught, Node's caret above, are Node's reports.
  { id: 'jsonlint.error', category: LINT, weight: 78, extend: PARAGRAPH, gap: 0, maxLines: 5,
    re: /^(?:Error: )?Parse error on line \d+(?:, column \d+)?:$/, lookback: { re: /^File: \S/, lines: 1, inclusive: true } },
]);

/** Generic wording, tried after the cascade rules so `error Command failed` stays boilerplate. */
export const GENERIC_RULES: readonly Rule[] = uniformRules([
  // A script block's error record (`At line:3 char:9` and its `+ ` lines); a script file's (`At /path/build.ps1:27
  // char:5`) opens `cascade.pwsh-error-record` instead, which takes this line with it.
  { id: 'powershell.error', category: UNKNOWN, weight: 50, extend: INDENT, refine: true,
    re: /^(?!\s)(?:\S.*)?(?:failed with exit code \d+|Exception calling ".*")/, cont: /^(?:At line:\d+ char:\d+|\+ |\s)/ },

  // ── CI annotations and generic wording (fallbacks) ────────────────────────────────────────────────────────
  { id: 'gha.error-annotation', category: UNKNOWN, weight: 55, extend: LINE, refine: true,
    re: /^(?:##\[error\]|::error\b[^:]*::)(?!Process completed with exit code|The process '.*' failed with exit code|Error: The process .* failed with exit code|.*exited with code)/ },
  { id: 'timeout.generic', category: TIMEOUT, weight: 56, extend: INDENT,
    re: /\btimed out after \d+|Timed out waiting for|exceeded the timeout of|\btimeout of \d+\s?m?s exceeded|\bTimeoutError\b|timetrap_timeout|deadline exceeded|\btest timed out\b/i },
  // A PHP Throwable's line (`RuntimeException: … in /app/x.php:3`, `App\Billing\InvoiceException: …`, `\` joining
  // PHP's namespaces) and a Ruby error over its backtrace (`Billing::InvoiceError: …`) are that language's: see
  // BARE_EXCEPTION_LANGUAGES.
  { id: 'generic.exception', category: UNKNOWN, weight: 48, extend: INDENT, refine: true, maxLines: 100,
    re: /^\s*(?:[\w$]+(?:[.:]{1,2}|\\))*[A-Z]\w*(?:Error|Exception|Failure|Fault)(?::\s|$)/, languageFrom: BARE_EXCEPTION_LANGUAGES },
  { id: 'generic.error', category: UNKNOWN, weight: 40, extend: INDENT, refine: true,
    re: /^\s*(?:\[(?:ERROR|error|Error|FATAL|fatal|Fatal|ERR)\]|(?:ERROR|Error|error|FATAL|Fatal|fatal|ERR|CRITICAL|Failure|FAILURE|FAIL|Failed|FAILED|fail)\s*[:!|]|(?:ERROR|FATAL|FAIL|FAILED)\b)\s*\S/ },
  { id: 'generic.failed', category: UNKNOWN, weight: 28, extend: INDENT, refine: true, statusOnly: true,
    re: /(?<![\w./-])(?:failed|FAILED|Failed|failure|FAILURE|FAIL|aborted|exceeded|could not|Could not|couldn't|cannot|Cannot|unable to|Unable to|not found|broken|is not defined|does not exist|undefined method)\b/ },
  // npm's `npm error` alone is its blank line between two of its messages, not an error of its own. (Asked after the
  // word: an expression that begins with a look-behind is tried at every position of every line it reads.)
  { id: 'generic.error-word', category: UNKNOWN, weight: 22, extend: INDENT, refine: true,
    re: /\b(?:error|ERROR|Error|errors|fatal|FATAL|exception|Exception|panic)\b(?<!^npm error)/ },
]);

/**
 * Lines that look like failures but are not: warnings, zero counts, echoed flags, app logs at info level, GHC's
 * progress (`[2 of 9] Compiling App.Error ( src/App/Error.hs, … )`: a module's name), jest's `FAIL <file>` suite
 * header (the `●` block below it pulls the header in by look-back), clang-tidy's advice under its findings
 * (`Use -header-filter=.* to display errors from all non-system headers.`), `php -l`'s verdict on a clean file, R CMD check's passed checks (`* checking R files for syntax errors ... OK`), a
 * frame of Nim's stack trace (`…/lib/system/fatal.nim(54) sysFatal`: a procedure's name, the test's verdict under it
 * reports), a TAP test that passed (`ok 2 - handles failure of the upstream service # TODO`), bun test's verdicts on
 * tests that did not fail (`(todo) handles failure of unicode input`; in colour `✓`, `»`, `✎` at the line's start, or
 * behind concurrently's `[web] ` or `[0] `, a prefix no rule reads past) and the header of CUnit's
 * run summary (`Run Summary:    Type  Total    Ran Passed Failed Inactive`: a column), and Flow's server progress while
 * it checks (`Please wait. Server is initializing (collating errors)`). The JUnit 5 console
 * launcher's zero counts name what they count: `[         0 containers failed     ]`, `[         0 tests aborted     ]`.
 * A JUnit XML report's `<testsuite(s) … failures="1" errors="0">` counts its elements (their failures are
 * junit-xml.failure's); an indented report's elements would all be that line's.
 * attw's problems of the resolutions its profile or `--ignore-resolutions` leaves aside (`(ignored per resolution) ⚠️
 * A require call resolved to an ESM JavaScript file, which is an error in Node …`) fail nothing. Nor does GNU Octave's
 * `test` echoing an `%!error` or `%!fail` block as it runs it (`***** error <N must be positive> f (0)`, `***** error
 * id=Octave:x f (0)`, `***** error f (0)`): its failure is the `!!!!! error failed.` under it. A script's own `*****
 * ERROR *****` banner is not that shape, and the expression being case-blind, an echoed statement is read whole, to
 * its closing `)` or `;` (`***** ERROR deploy(prod) failed: …` is a banner).
 */
export const NOISE_RE =
  /^\s*(?:<testsuites?\b|\[\s*\d+ of \d+\] (?:Compiling|Linking) |; note: |npm WARN|npm notice|warning:|WARNING:|\[warn\]|\[WARNING\]|\[WARN\]|Warning:|W: |##\[warning\]|::warning|DEPRECATION|deprecated|\(ignored per resolution\) )|\b(?:0|no|zero|without) (?:(?:containers|tests) )?(?:errors?|failures?|failed|aborted)\b|\b(?:errors?|failures?|failed):?\s*0\b|^\S*\d\d:\d\d:\d\d\S* \[(?:info|debug|notice)\]|found \d+ vulnerabilit|npm audit fix|-Werror|error_reporting|ignore[_-]?errors?|\bon-?error\b|errorprone|--fail-fast|allow_failures|fail_fast|continue-on-error|\bset -e\b|^\s*\+ |^\s*> |^\s*⎯{3,}|^\s*FAIL\s+\S+\.(?:[cm]?[jt]sx?|vue|svelte)(?:\s+\(.*\))?\s*$|^Use -header-filter=\S* to display errors from |^No syntax errors detected in |^\* checking .* \.\.\. OK$|^\S+\.nim\(\d+\) \w+$|^\s*ok \d+ |^(?:\[[\w.:-]+\] )?(?:\((?:pass|skip|todo)\)|[✓»✎]) |^Run Summary: +Type +Total +Ran +Passed +Failed |^Please wait\. Server is |^\*{5} (?:(?:error|warning) (?:<|id=|[a-z_][\w.]* ?\(.*[);]\s*$)|fail ?\(.*[);]\s*$)/i;

/**
 * Boilerplate that follows every failure. Never a root cause while anything more specific exists, and dropped
 * from the result when it is (see issue: "Drop boilerplate that follows every failure"). Each only reports status.
 */
export const CASCADE_RULES: readonly Rule[] = uniformRules(([
  { id: 'cascade.npm', category: UNKNOWN, weight: 12, extend: LINE,
    re: /^npm (?:ERR!|error) |^error Command failed with exit code \d+|^ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|^\s*ELIFECYCLE\s/ },
  // Turborepo's own status lines around a failed task: its exit (`ERROR: command finished with error: …` under the
  // task's prefix, `web#build: command (…) … exited (1)`) and the run's summary (`Failed:    web#build`,
  // ` ERROR  run failed: command  exited (1)`).
  { id: 'cascade.turbo', category: UNKNOWN, weight: 12, extend: LINE,
    re: /^(?:ERROR: command finished with error: |[\w@./-]+#[\w:-]+: command \(|\s*ERROR {1,2}run failed: |Failed: {2,}[\w@./-]+#[\w:-]+)/ },
  // pip's verdict after a subprocess it quoted (`pip.subprocess-error`): its error's reference (`_internal/exceptions.py`)
  // and, for metadata and legacy installs, `× Encountered error while …` pointing back at the quote.
  // setuptools' (and distutils') verdict on a compiler or linker it ran (`error: command '/usr/bin/gcc' failed with
  // exit code 1`, `… with exit status 1` in older distutils), and pip's on a wheel it could not build (`ERROR:
  // Failed building wheel for x`, which `pip.resolve` takes): each closes the report of the error printed above it.
  { id: 'cascade.setuptools', category: UNKNOWN, weight: 30, extend: LINE, re: SETUPTOOLS_COMMAND_FAILED_RE, closing: { through: /$^/ } },
  { id: 'cascade.pip-wheel', category: UNKNOWN, weight: 30, extend: LINE, re: /^\s*ERROR: Failed building wheel for \S+$/, closing: { through: /$^/ } },
  // pypa/build's verdict on a backend hook that failed (`ERROR Backend subprocess exited when trying to invoke
  // build_wheel`): it closes the report of what the backend printed.
  { id: 'cascade.pypa-build', category: UNKNOWN, weight: 30, extend: LINE, re: /^ERROR Backend subprocess exited when trying to invoke \w+$/, closing: { through: /$^/ } },
  { id: 'cascade.pip', category: UNKNOWN, weight: 12, extend: LINE,
    re: /^(?:error: (?:subprocess-exited-with-error|metadata-generation-failed|legacy-install-failure|failed-wheel-build-for-install)|× Encountered error while (?:generating package metadata|trying to install package)\.)$/ },
  // tox 3 after a command of an environment failed: `ERROR: InvocationError for command … (exited with code 1)`, then
  // its summary, one line per environment (`ERROR:   py311: commands failed`, `  lint: commands succeeded`). With
  // more environments to run the summary comes after theirs, its failed environments' lines on their own.
  { id: 'cascade.tox', category: UNKNOWN, weight: 30, extend: LINE,
    re: /^ERROR: InvocationError for command \S.* \(exited with code -?\d+\)$|^ERROR: {2,}\S+: (?:commands failed|InvocationError\b.*)$/,
    closing: { through: /^(?:_{3,} summary _{3,}|ERROR: {2,}\S+: (?:commands failed|InvocationError\b.*)|  \S+: (?:commands succeeded|skipped\b.*)|  congratulations :\))$/ } },
  // make's status lines (`make: *** [Makefile:4: html] Error 1`) each end a target's run: under `make -k` each failed
  // target's report is a cause of its own (`endsRun`), a docs build's warning beside the next target's failed test.
  // BSD make (bmake, FreeBSD's) says it on a line of its own, `*** Error code 1` (` (continuing)` under -k; `*** [x]
  // Error code 1` in parallel mode), then `Stop.` and `bmake: stopped in /dir`.
  { id: 'cascade.make', category: UNKNOWN, weight: 10, extend: LINE, endsRun: true,
    re: /^(?:g?make|mingw32-make|ninja)(?:\[\d+\])?: \*\*\* |^ninja: build stopped|^make(?:\[\d+\])?: \*\*\* Waiting|^\*\*\* (?:\[\S+\] )?Error code \d+/ },
  { id: 'cascade.build-failed', category: UNKNOWN, weight: 14, extend: LINE,
    re: /^(?:FAILURE: Build failed with an exception|BUILD FAILED|\[ERROR\] BUILD FAILURE|\*\* (?:BUILD|TEST|ARCHIVE) FAILED \*\*|Build FAILED\.|error: could not compile|error: aborting due to|error: build failed|error: test failed|Error: Process completed with exit code|Tests? failed\.?$|Testing failed:|Command failed with status)/ },
  { id: 'cascade.summary', category: TEST_FAILURE, weight: 16, extend: LINE,
    re: /^(?:\s*❯ \S+ \(\d+ tests? \| \d+ failed\)|\s*Test Files\s+\d+ failed|\s*(?:FAILED|Failed):\s+\d+ Tests?|\s*\[ERROR\] Found \d+ errors?|FAILED \S+$|Tests?:\s+\d+ failed|Test Suites: \d+ failed|FAILURES!|ERRORS!|Tests run: \d+, Failures: [1-9]|\d+ (?:examples?|tests?|runs?), \d+ (?:failures?|errors?)|[=]+ (?=.*\b\d+ failed\b).* [=]+$|test result: FAILED|\d+ failing$|✖ failing tests:$)/ },
  // cabal's and Stack's verdict after GHC's errors: `Error: [Cabal-7125]` (cabal 3.12+, `Error: cabal: Failed to build
  // shop-0.1.0.0.` before), Stack's `Error: [S-7282]` with its explanation indented below (`--  While building package`
  // before 2.9).
  { id: 'cascade.haskell-build', category: UNKNOWN, weight: 14, extend: INDENT,
    re: /^(?:Error: \[(?:Cabal|S)-\d+\]$|(?:Error: )?cabal(?:\.exe)?: Failed to build |-- {2}While building package )/ },
  // Maven's closing report: the goal that failed, then `[ERROR]` lines (the diagnostics again, its advice), then on
  // Jenkins the job's verdict.
  { id: 'cascade.maven-goal', category: UNKNOWN, weight: 30, extend: LINE, refine: true, re: /^\[ERROR\] Failed to execute goal /,
    closing: { through: /^\[ERROR\]|^Build step '[^']*' marked build as failure$/ } },
  // A PowerShell script's terminating error (a build script's `throw` after a tool failed) is printed as its error
  // record: the message, `At /path/build.ps1:27 char:5`, the statement with a `~~~` marker under it, then
  // `+ CategoryInfo` and `+ FullyQualifiedErrorId`. It closes the report of whatever failed above it in the step. A
  // script block's record (`At line:3 char:9`) is not a script's verdict: a test prints those as its own output.
  { id: 'cascade.pwsh-error-record', category: UNKNOWN, weight: 30, extend: LINE, refine: true,
    re: /^At (?!line:\d)\S.*:\d+ char:\d+$/, lookback: { re: /\S/, lines: 1, inclusive: true },
    closing: { through: /^\s*\+ / } },
  // Gradle's `* What went wrong:` announces the line that sums up the failure (`Execution failed for task ':app:test'.`);
  // the report below that (`> …`, an AAPT `ERROR: …`) is read line by line by its own rules, and so is a summary a
  // rule of its own opens on (`Script compilation error:`): the announcement alone is dropped. The summary names the
  // task that failed, never why: it ranks below generic wording (`generic.failed`), which may say why.
  { id: 'cascade.gradle-wrong', category: UNKNOWN, weight: 26, extend: UNTIL, gap: 0, maxLines: 2, headNext: true, refine: true,
    re: /^\* What went wrong:$/, end: /^(?:Script compilation errors?:$|\* Try:$|A problem occurred (?:configuring|evaluating) |An exception occurred applying plugin request )/ },
] satisfies Rule[]).map((rule) => ({ ...rule, statusOnly: true })));

/**
 * A command that, when it fails, prints nothing but a list, one item a line, which no expression could tell from
 * any other list without knowing what printed it. The step's header names the command (`##[group]Run …`, `$ …`);
 * in a failing step where no rule found anything, its last output lines that are such items name the failure
 * (`LogScanner.addFallback`).
 */
export interface StepListing {
  /**
   * The step's title: its header without `##[group]` (`Run terraform fmt -check`), or the `$ …` line; or the last line
   * of the script a job log's step header lists, read as `Run <line>` (the title it would have as a step of its own).
   */
  readonly command: RegExp;
  readonly item: RegExp;
  /** Lines among the items that are none, passed over like blank lines and left out of the block. */
  readonly pass?: RegExp;
  readonly rule: Rule;
}

export const STEP_LISTINGS: readonly StepListing[] = [
  // terraform fmt -check run without setup-terraform's wrapper (whose `[command]` echo has a rule of its own): the
  // files it would reformat, one a line, and exit status 3. `-check=false` checks nothing.
  { command: /^(?:Run |\$ )terraform(?: -chdir=\S+)? fmt\b.*\s-check(?:=true)?(?:\s|$)/, item: /^[\w./-]+\.(?:tf|tfvars|tftest\.hcl)$/,
    rule: uniformRule({ id: 'terraform.fmt-check', category: LINT, weight: 78, extend: LINE, re: /$^/ }) },
  // remark-cli (a unified engine) under --frail, where its warnings fail the run: vfile-reporter's report, each file's
  // path over its messages (`3:5-3:8  warning  message  rule  remark-lint`), blank lines between, the `⚠ 3 warnings` tally;
  // without --quiet a clean file's `docs/a.md: no issues found` among them. Run by npx, pnpm (exec), yarn or bunx.
  { command: /^(?:Run |\$ )(?:(?:npx|pnpm|yarn|bunx) (?:exec )?)?remark\b.*\s--frail\b/, item: /^(?:\S+\.\w+$|\s*\d+:\d\S* +(?:warning|error) |[⚠✖] \d)/,
    pass: /^\S+: no issues found$/,
    rule: uniformRule({ id: 'vfile.frail', category: LINT, weight: 76, extend: LINE, re: /$^/ }) },
];

/**
 * Every rule in the order the scanner tries them: the table rules, the cascade, the generic wording. A rule's
 * index here is its dispatch position (`positionOf` in dispatch.ts).
 */
export const RULE_TABLE: readonly Rule[] = [...RULES, ...CASCADE_RULES, ...GENERIC_RULES];

/**
 * Lines that say *that* a command failed, never *why*: package-manager and task-runner wrappers, exit statuses,
 * a subprocess error re-raised by its caller, the Zig build runner's `error: while executing test '…', the following
 * test command failed:` (`crashed:` after a panic) and `error: the following command failed with 2 compilation
 * errors:` under the failure or the compiler errors it printed. Whatever rule matched such a line, it ranks as boilerplate.
 */
export const WRAPPER_RE =
  /\[?ELIFECYCLE\]?\s|\bCommand failed with exit code \d+|\bfailed with exit code:? \d+|\bexited with (?:exit )?(?:code|status) \d+|returned non-zero exit status -?\d+|returned a non-zero code: \d+|^(?:Error: )?Process completed with exit code|^error: Recipe `[^`]*` failed|^error: test run failed|subprocess-exited-with-error|InvocationError for command|Command exited with non-zero status|ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|^FAILED: (?:\[code=\d+\] )?\S|^error: script "[^"]*" exited|^Error: Command failed:|did not run successfully\.?$|^(?:\w+\.)*\w*Error: [\w/.-]+ failed!?$|did not complete successfully: exit code: \d+|^\s*note: This error originates from a subprocess|^ERROR: script returned exit code|^error: (?:while executing test '.*', )?the following (?:test |build )?command (?:failed|exited|terminated|crashed)\b/;

/** Section boundaries and exit markers of the CI systems we read. */
export const SECTION_START_RE =
  /^(?:\$ \S|##\[group\]Run |##\[section\]Starting: |\[Pipeline\] (?:sh|bat|powershell|pwsh)\b|~~~ \S|section_start:\d+:)/;

/**
 * Cheap gate for SECTION_START_RE, which is anchored: each alternative's fixed start, so that a line starting with
 * `s` (`src/…`, in a compiler's error list every line) is not tried against the expression.
 */
export function mayStartSection(text: string): boolean {
  switch (text.charCodeAt(0)) {
    case 36: // $
      return text.charCodeAt(1) === 32;
    case 35: // #
      return text.startsWith('##[');
    case 91: // [
      return text.startsWith('[Pipeline] ');
    case 126: // ~
      return text.startsWith('~~~ ');
    case 115: // s
      return text.startsWith('section_start:');
    default:
      return false;
  }
}

export interface ExitMarker {
  /**
   * Exit code when the marker states it; 1 for "failed" without a code. Always a number: a field that holds small
   * integers and, on a later marker, null makes V8 recompile the scanner that reads it.
   */
  code: number;
  /** True for markers that end the whole job (Travis "Done. Your build exited with 1."). */
  jobEnd: boolean;
}

/** Each exit marker and whether it ends the whole job (exported for the line filter, which must know every one). */
export const EXIT_MARKERS: ReadonlyArray<readonly [RegExp, boolean]> = [
  [/^The command ".*" (?:failed and )?exited with (\d+)/, false],
  [/^The command ".*" failed(?: \d+ times)?/, false],
  [/^##\[error\](?:Process completed with exit code (\d+)|.* (?:exited|failed) with (?:exit )?code '?(\d+))/, false],
  [/^(?:Error: )?Process completed with exit code (\d+)/, false],
  [/^ERROR: Job failed: (?:exit code (\d+)|.*)/, true],
  [/^ERROR: script returned exit code (\d+)/, false],
  [/^🚨 Error: The command exited with status (-?\d+)/, false],
  [/^Exited with code (?:exit status )?(\d+)/, false],
  [/^Done\. Your build exited with (\d+)/, true],
  // Jenkins' status is a word, not a code: no group, so the marker reads as "failed" (1). Comparing the captured word
  // with 'FAILURE' made V8 throw away the optimised scanner the first time a status longer than one digit came by.
  [/^Finished: (?:FAILURE|ABORTED)/, true],
];

/** Recognises a line that ends a command/step with an exit status. */
export function matchExitMarker(text: string): ExitMarker | null {
  const c = text.charCodeAt(0);
  // Cheap gate: every marker starts with one of T # P E D F 🚨(\ud83d).
  if (c !== 84 && c !== 35 && c !== 80 && c !== 69 && c !== 68 && c !== 70 && c !== 0xd83d) return null;
  for (const [re, jobEnd] of EXIT_MARKERS) {
    const m = re.exec(text);
    if (!m) continue;
    const raw = statusOf(m);
    const code = raw === undefined ? 1 : Number(raw);
    return { code, jobEnd };
  }
  return null;
}

/**
 * The first group of an exit marker's match that took part: its status. Markers have no group, one or two; reading
 * past the end of a match (`m[1]` of a marker without a group) would be an out-of-bounds read, and V8 throws away
 * the optimised scanner the first time it meets one.
 */
function statusOf(match: RegExpExecArray): string | undefined {
  for (let k = 1; k < match.length; k++) {
    const group = match[k];
    if (group !== undefined) return group;
  }
  return undefined;
}

/** GitHub Actions post-job markers: what follows is clean-up, not the job's own steps. */
export const GHA_POST_RE = /^(?:Post job cleanup\.|Cleaning up orphan processes)$/;

/**
 * Warnings never explain a failure on their own; `error: … [-Werror]` is still an error. kubeval prints the files it
 * finds invalid as `WARN - k8s/x.yaml contains an invalid Deployment …` and exits 1 for them: those are not warnings,
 * nor is ansible-lint's heading of the violations that fail it (`WARNING  Listing 13 violation(s) that are fatal`),
 * nor is ThreadSanitizer's report (`WARNING: ThreadSanitizer: data race (pid=…)`), for which the process exits 66,
 * nor Go's race detector's (`WARNING: DATA RACE`), which fails the test it ran in, nor puppet-lint's finding over one
 * file (`WARNING: … on line 6 (check: double_quoted_strings)`, no path), which fails a `--fail-on-warnings` run.
 *
 * msgfmt's located `po/de.po:2: warning: …` is one too: it exits 1 only for its errors.
 *
 * A compiler's located warning is one too, though it has a linter's shape (`file:line:col: message`): GCC's and
 * Clang's (and GHC's) name the flag that enables it (`src/x.c:7:21: warning: comparison … [-Wsign-compare]`; gfortran
 * capitalises it, `x.f90:3:22: Warning: Unused variable … [-Wunused-variable]` with its caret off), and
 * in a C-family source or header the few without one and the notes under them (`note: declared here`) are the
 * compiler's too. A build that stops does so on an `error:` (`cc.error`), or make and node-gyp say it stopped. Not a
 * linter's warning, which is its finding and fails the run: ShellCheck's, cppcheck's and clang-tidy's in the same
 * shape end in their check's id (`[SC2046]`, `[uninitvar]`), clj-kondo's and Ruby's are no C-family file's.
 */
export const WARNING_RE =
  /^\s*(?:\[WARNING\]|\[WARN\]|WARNING:(?! ThreadSanitizer: | DATA RACE$|.* on line \d+ \(check: \w+\)$)|WARN(?:ING)?\s(?! *- \S+ contains an invalid | *Listing \d+ violation\(s\) that are fatal$)|[Ww]arning:|##\[warning\]|::warning|npm WARN|\S+\.pot?:\d+(?::\d+)?: warning: |W: |warn |\S+?:\d+(?::\d+)?: [Ww]arning: .*\[-W[^\]\s]*\]$|\S+?\.(?:[ch](?:c|pp|xx|\+\+)?|hh|inl|ipp|tcc|mm?|cuh?):\d+(?::\d+)?: (?:warning|note): (?!.*\]$))/;

/** Headings that open a numbered failure list (mocha `3 failing`, PHPUnit `There were 2 failures:`, RSpec `Failures:`). */
export const FAILURE_LIST_RE =
  /^(?:nl)?\s*(?:\d+ failing$|There (?:was|were) \d+ (?:failures?|errors?)|Failures:\s*$|Errors:\s*$|Failed tests:\s*$|Failing tests:\s*$)/;

/** First entry of an unnumbered failure list (vim's `Failures:` report): the paragraph under the heading. */
export const FAILURE_LIST_ITEM_RULE: Rule = uniformRule({
  id: 'test.failure-list', category: TEST_FAILURE, weight: 78, extend: PARAGRAPH, gap: 0, maxLines: 120, re: /\S/,
  // hspec puts the location above the numbered item (`test/XSpec.hs:23:7:` then `1) X.y does z`): the item names it.
  pick: [{ re: /^\s*\d+\) \S/ }],
});

/** Ends a failure list. */
export const FAILURE_LIST_END_RE =
  /^(?:FAILURES!|ERRORS!|OK \(|Tests: \d+|Finished in |\d+ examples?, |Randomized with seed|Failed examples:|Executed \d+|npm ERR!|error Command failed|The command |##\[error\]|Process completed)/;

/** Extension of the generic stack/code-frame continuation used by every `indent` rule. */
export const GENERIC_CONT = STACK_CONT;

/**
 * Keyword pre-filter: a line that matches neither of these cannot start a block, so the rule table is skipped for
 * the ~95 % of lines that are ordinary output. The keyword alternation is anchored at word starts except for the
 * few stems that appear inside identifiers (`TypeError`, `testFailed`): most positions then fail on `\b` at once,
 * which more than doubles throughput (this regex dominated the analyzer's CPU profile). Unit tests check that
 * every rule's sample headline passes. Luacheck's positions (`    src/x.lua:3:7: accessing undefined variable`),
 * hspec's failure locations (`  test/Spec.hs:10:51: `), Go's race report (`WARNING: DATA RACE`) and
 * CPython's `python3: No module named pytest` hold no other keyword, nor npm's echo of a script that runs concurrently
 * behind docker compose's prefix (`app-1  | > concurrently -n lint,typecheck …`, whose task names it teaches): they are
 * keywords here rather than line-start shapes, which the line filter's automaton for line starts would have to read with every other shape and every task
 * prefix (that cost its tables 25 KB of the bundles). Agda's `Checking M (/…/M.agda).` (a run's first line, which ends
 * the report above it: `agda.error`'s `end`) holds none either.
 */
export const PREFILTER_RE =
  /err|fail|exception|\b(?:fatal|fixing (?:\/|[a-z]:\\)|vet: |forbidden|formatting|exceed|expect|panic|traceback|denied|not (?:found|ok|supported|permitted|set|compliant|contain main module)|no (?:such|space|module named|rule to make target|targets\b)|can(?:not|['’]t|cel)|could ?n[o'’]t|un(?:able|bound|defined|resolved|authori|healthy|recognized|expected|satisf|known revision)|refused|timed? ?out|killed|abort|assert|missing|violation|invalid|segmentation|core dumped|memory|rate limit|vulnerab|cve-|ghsa-|[45]0\d\b|severity|critical|should (?:add|remove) these lines|(?:leaks?|bugs) found|reformat|code style|problem|cmake|sig(?:segv|abrt)|health ?check|shutdown signal|lost communication|required|bad credentials|conflict|incompatible|resolve|md\d{3}\b|sc\d{4}|multiple definition|first defined here|dl\d{4}\b|too ?many|exited with|exit code|yn0082|threshold|dead link|(?:format|organizeimports) ━|data race|a few warnings|with warnings|found a bug|caught warning:|in thread #<sb-thread:|concurrently[@ ]|in block <unit> at |installation candidate|server misbehaving)| - warning: |\.lua:\d+:\d+: |\d: (?:[tb]|ct)\d+ (?:title|body|line|second) |: u[cl]| at #\/|: line \d+, col \d+, | on line \d+ \(check: |%warning-|asciidoctor: warning: |\.feature:\d+:in |\.l?hs:\d+:\d+: ?$|\[plugin |[✗✖×✕✘●⎯❱❌«]|\[-\]|,-\[|\.(?:t|pm|pl) line \d|\.l?agda\b|\.pp - warning: |exiting with code [1-9]|no tests ran in | deselected(?:, \d+ warnings?)? in \d/i;

/**
 * Line shapes that start a block without any keyword (pytest headers, numbered failures, lint positions, the files
 * `prettier --check` lists, Cppcheck's findings about no file, ThreadSanitizer's report, memcheck's errors on
 * uninitialised values and its leaks, patdiff's `------ old` header). No digit is spelt out (Cppcheck's `nofile:0:0: ` is
 * read as `nofile:\d+:\d+: `): lines of one digit shape then get one answer (see digit-blind.ts), which the scanner keeps.
 */
export const PREFILTER_START_RE =
  /^(?:_{3,} |E {2}|-- [A-Z][A-Z ]+ -{3}|[\w./\\-]+\.\w+[:(]\d+|(?:[\w.-]+ +\| )?\s*(?:[A-Za-z]:)?[\w./\\-]+:\d+: \*\*\* |\s+\d+:\d+\s|(?:nl)?\s*\d+\) |\s*-{3} FAIL|-{4}(?:--)? |\*(?:\* | What went wrong:$)|In \S+ line \d+|rspec |e: |\s*#\s+Failed|\s*Line\s{2,}|\s*\[-\]|\d+:\d\d \+\d+|[A-Z]{1,4}\d{3,4} |[a-z][\w-]*\[[a-z][\w-]*\]: |┃ \[[A-Z]\] |- (?:Task `|(?:Build|Settings|Init) file '|Plugin '|Gradle runtime: )|# \[|\s*(?:warning|info) [-•] \S|File "[^"]+", lines? \d|Because (?:no versions? of|only|every version of|your app depends on|[\w.-]+ (?:\([^)]*\) )?(?:depends on|requires)) |Issues :-\($| {2}test\w*(?:\(\))?, \S|At \S.*:\d+ char:\d+$|pyproject\.toml changed |poetry\.lock is not |\[command\]\S*terraform(?:-bin)? fmt |You are trying to install in deployment mode |>> Issue: \[|Oops! Something went wrong! :\(|go: \S+ requires go >= |go: download go|Diff in \S|\[warn\] \S+\.\w+$|nofile:\d+:\d+: |WARNING: ThreadSanitizer: |==\d+== (?:Conditional jump |Use of uninitialised |Syscall param |Mismatched free|Source and destination overlap |[\d,]+ (?:\([\d,]+ direct, |bytes in ))|diff --git a\/|--- \S+\.orig$|(?:Unused|Unlisted|Duplicate) [A-Za-z ]+ \(\d+\)$)/;
