/**
 * The streaming failure extractor. Lines go through {@link LogScanner.push} one at a time; the scanner keeps a
 * fixed-size ring of recent lines (for context and look-back), the block being built, and a bounded set of
 * candidate blocks, so memory stays flat however long the log is.
 *
 * Ranking: a block's score is its rule's weight, raised when it sits in the step/command that the CI system
 * reported as failed (`The command "x" exited with 1`, `##[error]Process completed with exit code 1`, or the jobs
 * API's step conclusion), lowered when its step succeeded, when it belongs to the job's set-up or post-job
 * clean-up, when it comes after the job had already ended, and when a green run of the same job printed the same
 * line (the baseline). Ties go to the earlier block: the first cause beats its cascade.
 *
 * Steps: GitHub Actions logs mark each step with `##[group]Run …` (and post steps with `Post job cleanup.`);
 * `gh run view --log` names the step in a column of its own; Travis/GitLab-style logs mark commands with `$ …`.
 * With the jobs API's `steps[]`, a section is mapped to the step whose start time it falls after.
 */
import { refineCategory } from './categories.js';
import { fingerprintOf, normalizeLine, templateHoldsWordOutside, wordsOf } from './fingerprint.js';
import { redactLines, redactorWith, WITHHELD_TEXT, type Redact } from './redact.js';
import { LiteralPatternGate } from './redaction/pattern-gate.js';
import { ANNOUNCES_TASK, isLearntPrefix, npmPrefixEnding, npmPrefixLength, prefixOrAnnouncement, TaskNames, taskPrefixLength } from './task-prefix.js';
import {
  CAPTURED_LOG_RECORD_RE,
  CASCADE_RULES,
  FAILURE_LIST_ITEM_RULE,
  GENERIC_RULES,
  GHA_POST_RE,
  IPYTHON_TRACEBACK_RE,
  LANGUAGE_TWINS,
  matchExitMarker,
  PASSED_REPORT_HEADER_RE,
  PASSED_REPORT_PART_RE,
  PASSING_REPORTS_END_RE,
  PASSING_REPORTS_HEADING_RE,
  PY_CHAIN_LINES,
  PY_GROUP_FRAME_LINE_RE,
  PY_GROUP_TRACEBACK_HEAD_RE,
  PY_PROGRAM_FRAME_RE,
  PY_TRACEBACK_HEAD,
  RULES,
  mayStartSection,
  SECTION_START_RE,
  STEP_LISTINGS,
  uniformRule,
  WRAPPER_RE,
  type Rule,
} from './rules.js';
import { cleanLine, ghCliColumnsOf, ghTimestampAt, headAndTail, type LogReadMeta, opensGhCliLayout, timestampOf } from './reader.js';
import {
  candidatePositions,
  CASCADE_AT,
  closesFailureList,
  continuationTest,
  GENERIC_AT,
  isGenericContinuation,
  isNoise,
  isNoiseLine,
  isWarning,
  knownWalk,
  linePrefixLength,
  mayBeWrapper,
  mayHoldPathHint,
  lineShape,
  opensFailureList,
  passesPrefilter,
  positionOf,
  readPastLearntName,
  rememberWalk,
  ruleAtMatches,
  ruleMatchesText,
  scanLine,
  startLine,
  testRuleAt,
} from './dispatch.js';
import { confidenceOf } from './confidence.js';
import { rawContinuation, rawSummaryPassing, throughLiteral } from './raw-continuation.js';
import { takesContextLine, takesDiffLine } from './diff-hunks.js';
import { nextCandidate } from './literal-index.js';
import { NPM_CASCADE_RULE, NpmOutput } from './npm-output.js';
import { PinnedShape } from './shape.js';
import { leadOf } from './anchored-lead.js';
import type { AnalyzeLogOptions, BaselineLookup, Category, Failure, JobStep, LogAnalysis, LogLine, RankingSignals, StepRef } from './types.js';

/** `step`: the job's own commands; `setup`: the runner preparing the job; `post`: clean-up after the steps. */
type SectionKind = 'setup' | 'step' | 'post';

interface Section {
  readonly id: number;
  readonly title: string;
  readonly kind: SectionKind;
  readonly step: StepRef | null;
  status: 'open' | 'failed' | 'passed';
  /** 0 for the first step that failed, 1 for the second, … */
  failIndex: number;
  /**
   * The last line before the section's own output: its header, or for a GitHub Actions step the `##[endgroup]` that
   * closes the runner's echo of its script (the step's source, not what it printed); moved there when the `gh run
   * view` step column started the section at the header.
   */
  outputFrom: number;
  /** Blocks found in this section that are more than boilerplate. */
  findings: number;
  lastFinding: Block | null;
  /** How many kept blocks of this section share each rank class ({@link LogScanner.rankClass}). */
  keptByRankClass: Map<number, number>;
  /** How many of its runner's sessions said they failed so far (see {@link Rule.endsRun}). */
  runsEnded: number;
}

interface Block {
  rule: Rule;
  /** The rule's dispatch position (see `positionOf`), for the digit-shape memo of its continuation tests. */
  position: number;
  headLine: number;
  headText: string;
  /**
   * The task runner's prefix on the head (see `task-prefix.ts`), '' without one. A block is one task's output: its
   * lines carry the same prefix and are read without it, as the tool printed them.
   */
  taskPrefix: string;
  /** The shape class (`lineShape`) of the head while it is the line the block opened on; 0 once it is not. */
  headShape: number;
  startLine: number;
  endLine: number;
  indent: number;
  /**
   * The first lines of the block (up to MAX_STORED_LINES). A line the block took as raw bytes ({@link
   * LogScanner.skip}) has the text '' (a stored line is never blank) until {@link LogScanner.readStored} reads it
   * from the ring: when the block is kept, or before the ring would lose it. A repeat never reads them.
   */
  lines: LogLine[];
  /** Index in `lines` of the first line whose text is still unread; -1 when none is. */
  unreadFrom: number;
  /**
   * The line at which the ring would lose a line the block still needs: the first context line above it, or the
   * first stored line still unread. {@link LogScanner.readAhead} reads them when that line comes.
   */
  readBy: number;
  lineCount: number;
  blankRun: number;
  /** Lines of another stream passed over since the block's last line (see {@link Rule.interleaved}). */
  interleavedRun: number;
  /**
   * The context lines above the block: null until the block is kept or would lose them from the ring (a repeat
   * never needs them, and in an error-dense log nearly every block is one). Taken above `beforeFrom`: the start
   * line the block opened with, or the line after it when the block drops its announcing first line (`headNext`).
   */
  before: LogLine[] | null;
  beforeFrom: number;
  after: LogLine[];
  afterWanted: number;
  section: Section;
  /**
   * The session of the section's runner it was printed in: how many had said they failed before it (see
   * {@link Rule.endsRun}), or {@link PASSED_SESSION_RUN}.
   */
  run: number;
  /** Its rule's `warning.runStart` line ended it: the tool's next run opened right under it (see `Rule.warning`). */
  stoppedItsRun: boolean;
  /**
   * Unconfirmed (see `Rule.confirmedBy`): the first of its lines not yet read again as under no block. Its lines above
   * were, before they left the ring (see {@link LogScanner.readHeldLines}).
   */
  rereadFrom: number;
  afterJobEnd: boolean;
  annotated: boolean;
  /** Dedupe key within {@link LogScanner.byKey}'s template: rule and (when a line was picked) the headline. */
  key: string;
  /** The head's normalised text. */
  template: string;
  /** The repeats' ranges, and the line each reports (its head, as {@link headLine} is once the block closes). */
  repeats: Array<{ startLine: number; endLine: number; headLine: number }>;
  occurrences: number;
  /** Rank (index in `rule.pick`) of the best line picked so far; Infinity while none. */
  pickRank: number;
  pickLine: number;
  pickText: string;
  inBaseline: boolean;
  /** The head only reports an exit status or a wrapped command's failure: boilerplate whatever its rule. */
  wrapper: boolean;
  /**
   * The line the block opened on, where the literal index read it and found no literal of `WRAPPER_RE` (of
   * `PATH_HINT_RE`, fingerprint.ts) in it, else null: while the head is that text, the expression need not be asked.
   */
  wrapperFreeHead: string | null;
  pathFreeHead: string | null;
  /**
   * The last line added (not clipped: only compared, never kept beyond the next line). Only a rule with `contAfter`
   * reads it, and such a block takes no line as raw bytes, so it is always the last line's text.
   */
  lastText: string;
  /**
   * Another program's output the block quotes, the lines its rule's `interleaved.after` matched and those passed over
   * after them, joined, at most {@link QUOTED_CHARS}: read for the category after the headline (see Rule.interleaved).
   */
  quoted: string;
  /** Whether the last line stored left its rule's `message` open: the next line is the message's (see {@link Rule.message}). */
  inMessage: boolean;
  /** The lines its rule's `keyLines` named so far (see {@link Rule.keyLines}); null for a rule without them. */
  keyLines: number[] | null;
  /** The line its rule's `keyLines.from` matched, from which every line is a key line; 0 while none has. */
  keysFrom: number;
  /** Lines under the picked line its rule's `keyLines.belowPick` still names (see {@link Rule.keyLines}). */
  belowPickLeft: number;
  /** Its last non-blank lines, as many as its rule's `keyLines.tail` (see {@link Rule.keyLines}); null without one. */
  tailLines: number[] | null;
  /** Whether a line of it matched its rule's `confirmedBy`, or its rule has none (see {@link Rule.confirmedBy}). */
  confirmed: boolean;
  /** The run's summary line its rule's `tally` matched after it (see {@link Rule.tally}); 0 while none. */
  tallyLine: number;
  /** The line its rule's `lookback.heading` found above it (see {@link Rule.lookback}); 0 when none. */
  headingLine: number;
  /** The last line of the closing report its headline opens (see {@link Rule.closing}); 0 when it opens none. */
  closedThrough: number;
  /** Of a rule reading a unified diff's hunks ({@link Rule.hunks}): the lines left of each side of the hunk being read, -1 before the first. */
  hunkOld: number;
  hunkNew: number;
}

/** Dispatch positions of the rules whose headline opens a closing report (see {@link Rule.closing}). */
const CLOSING_POSITIONS: readonly number[] = CASCADE_RULES.flatMap((rule, i) => (rule.closing === undefined ? [] : [CASCADE_AT + i]));

/**
 * The closing report a line another rule took opens, if it is one's headline. Asked of every opened block: the
 * literal index rules most of them out for the line it read (in a log of 200,000 distinct compiler errors, ~3 % of
 * the analysis was these six expressions).
 */
function closingRuleOf(text: string): Rule['closing'] {
  for (const at of CLOSING_POSITIONS) if (ruleMatchesText(at, text)) return (CASCADE_RULES[at - CASCADE_AT] as Rule).closing;
  return undefined;
}

/** A block opened on line `headLine` (see {@link LogScanner.openBlock}), with nothing stored in it yet. */
function newBlock(
  rule: Rule,
  headLine: number,
  headText: string,
  taskPrefix: string,
  headShape: number,
  startLine: number,
  indent: number,
  section: Section,
  afterJobEnd: boolean,
  annotated: boolean,
  wrapperFreeHead: string | null,
  pathFreeHead: string | null,
): Block {
  return {
    rule,
    position: positionOf(rule),
    headLine,
    headText,
    taskPrefix,
    headShape,
    startLine,
    endLine: headLine,
    indent,
    lines: [],
    unreadFrom: -1,
    readBy: NO_LINE,
    lineCount: 0,
    blankRun: 0,
    interleavedRun: 0,
    before: null,
    beforeFrom: startLine,
    after: [],
    afterWanted: 0,
    section,
    run: section.runsEnded,
    stoppedItsRun: false,
    rereadFrom: headLine + 1,
    afterJobEnd,
    annotated,
    key: '',
    template: '',
    repeats: [],
    occurrences: 1,
    pickRank: Number.POSITIVE_INFINITY,
    pickLine: 0,
    pickText: '',
    inBaseline: false,
    wrapper: false,
    wrapperFreeHead,
    pathFreeHead,
    lastText: '',
    quoted: '',
    inMessage: false,
    keyLines: rule.keyLines === undefined ? null : [],
    keysFrom: 0,
    belowPickLeft: 0,
    tailLines: rule.keyLines?.tail === undefined ? null : [],
    confirmed: rule.confirmedBy === undefined,
    tallyLine: 0,
    headingLine: 0,
    hunkOld: -1,
    hunkNew: -1,
    closedThrough: 0,
  };
}

/**
 * Writes, once per process, every field of a {@link Block} that the scanner may change after the block is made, on a
 * block nobody uses. V8 compiles code that reads a field no object of its shape has had written since it was made
 * as if the field were a constant, and throws all that code away the first time one is: the first picked line,
 * the first repeat, the first context read early, often megabytes into a log, each cost a recompilation of the
 * scanner's largest functions (`openBlock`, `closeOpen`, `absorb`, the reader's loop they are inlined into).
 * Written here first, those fields are variables from the start. Only the shape matters: the block is dropped.
 */
let blockFieldsWritten = false;
function writeBlockFieldsOnce(section: Section): void {
  const block = newBlock(FALLBACK_RULE, 1, '', '', 0, 1, 0, section, false, false, null, null);
  block.headLine = 2;
  block.headText = 'x';
  block.headShape = 1;
  block.startLine = 2;
  block.endLine = 2;
  block.unreadFrom = 0;
  block.readBy = 0;
  block.lineCount = 1;
  block.blankRun = 1;
  block.interleavedRun = 1;
  block.before = [];
  block.beforeFrom = 2;
  block.afterWanted = 1;
  block.key = 'x';
  block.template = 'x';
  block.occurrences = 2;
  block.pickRank = 0;
  block.pickLine = 1;
  block.pickText = 'x';
  block.inBaseline = true;
  block.wrapper = true;
  block.lastText = 'x';
  block.quoted = 'x';
  block.inMessage = true;
  block.stoppedItsRun = true;
  block.keyLines = [];
  block.keysFrom = 1;
  block.belowPickLeft = 1;
  block.tailLines = [];
  block.confirmed = true;
  block.tallyLine = 1;
  block.closedThrough = 1;
}

/** Line `line` (read as `text`) as the last of a block's quoted output, when its rule's `keyLines.tail` counts it. */
function addToTail(block: Block, line: number, text: string): void {
  const tail = block.tailLines;
  const want = block.rule.keyLines?.tail;
  if (tail === null || want === undefined || want.skip?.test(text) === true) return;
  if (tail.length === want.lines) tail.shift();
  tail.push(line);
}

/** The part of a block's score that its section's outcome does not change (see {@link LogScanner.score}). */
function fixedScore(block: Block): number {
  let score = block.wrapper ? WRAPPER_WEIGHT : block.rule.weight;
  if (block.annotated) score += 5;
  if (block.inBaseline) score -= 35;
  // Set-up and clean-up output (checkout, caches, docker clean-up) explains a failure only when nothing else does.
  if (block.section.kind !== 'step') score -= 45;
  if (block.afterJobEnd) score -= 30;
  return score;
}

/**
 * How far above its list's heading (`Rule.tallyAbove`) a run's summary may be, not counting the lines its `through`
 * matches: Node 22 prints 4 more `ℹ` lines under `ℹ fail N` (and with --experimental-test-coverage its coverage report,
 * all `ℹ` lines, one per file: any length), then a blank.
 */
const TALLY_ABOVE_LINES = 10;
/** How far above a report its `lookback.heading` is looked for: the passed tests of a file over its failed one. */
const HEADING_LINES = 200;
/** Tasks whose run summaries {@link LogScanner.tallySeen} remembers at once (a monorepo's runner runs a few together). */
const TALLY_PREFIXES = 16;

/** The `python.traceback` rule: a notebook runner's traceback over the kernel's is a wrapper (see `demoteRunnerTraceback`). */
const PY_TRACEBACK_RULE = RULES.find((rule) => rule.id === 'python.traceback') as Rule;
/** How many lines from its headline on a closed block's language is read from (see {@link Rule.languageFrom}). */
const LANGUAGE_LINES = 3;

/** The rules a closed block's `languageFrom` may name, by id (see {@link Rule.languageFrom}). */
const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map([...RULES, ...LANGUAGE_TWINS].map((rule) => [rule.id, rule]));
/**
 * Lines a notebook runner's message may quote between its exception and the kernel's traceback: the cell's source
 * (nbclient's `CellExecutionError`) and the cell's output before it raised.
 */
const RUNNER_QUOTE_LINES = 200;
/** A block at least this specific between a runner's traceback and the kernel's is another failure: the two are not one. */
const RUNNER_QUOTE_FINDING_WEIGHT = 50;
/**
 * A runner's exception, which quotes the kernel's traceback below it: its message empty (papermill's
 * `PapermillExecutionError: `) or announcing the quote (nbclient's `… executing the following cell:`). A traceback
 * ending on a whole message (`HTTPError: 403 Client Error: …`) is a script's own failure, however close above.
 */
const RUNNER_EXCEPTION_RE = /^\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception):(?:\s*| .*:\s*)$/;
/** Weight of a block whose head is a wrapper line (see {@link WRAPPER_RE}): with the cascade, below every cause. */
const WRAPPER_WEIGHT = 13;
const EXIT_STATUS_EVIDENCE: ReadonlySet<Category> = new Set(['out_of_memory', 'timeout', 'infrastructure']);

const RING_SIZE = 256;
/** What the GitHub Actions runner writes before an `::error` workflow command's message in the raw log. */
const ANNOTATION = '##[error]';
const MAX_STORED_LINES = 40;
const MAX_TEXT = 500;
const MAX_BLOCKS = 200;
/** More than the rules a scan can meet (the table's, and those made for a log's steps): see `rankClass`. */
const RULE_NUMBERS = 1 << 16;
const DEFAULT_MAX_LINES = 150;
/**
 * {@link Block.readBy} when nothing is left to read: a line number no log reaches, and a small integer (Infinity
 * would turn the field into a double, a new shape for every block, and throw away the code optimised for the old).
 * A log longer than this would only read ahead on every line.
 */
const NO_LINE = 0x3fffffff;
/** A command bash traces under `set -x` (`+ cmd`, `++ cmd` in a substitution), other than the script's own `exit`. */
const XTRACE_RE = /^\++ (?!exit\b)\S/;
/** npm's header over a package's script (`> @shop/web@1.0.0 build`), the package's name in the capture. */
const NPM_SCRIPT_HEADER_RE = /^> ((?:@[\w.-]+\/)?[\w.-]+)@\S+ [\w:.-]+$/;
/** bash's trace of a command, the command's words in the capture. */
const XTRACE_PREFIX_RE = /^\++ (.*\S|)\s*$/;
/**
 * A trap on the script's end (`trap 'docker compose down' EXIT`, `trap cleanup EXIT INT TERM`, `trap "rm -f $f" ERR`,
 * bash's trace of one `+ trap 'rm -f /tmp/x' EXIT`): the command it runs in a capture.
 */
const EXIT_TRAP_RE = /^\s*(?:\++ )?trap (?:'([^']+)'|"([^"]+)"|([\w.:-]+))(?: [A-Z0-9]+)*? (?:EXIT|ERR|0)\b/;
/** The signals a trap line ends with (` ERR`, ` EXIT INT TERM`). */
const TRAP_SIGNALS_RE = /(?: [A-Z0-9]+)+\s*$/;
/**
 * What bash's trace of `command`, a trap's command as the script wrote it, reads (the words after `+ `): a word with
 * a variable (`$SERVER_PID`, `"$WORK"`) is traced expanded, any word, quoted when it holds a space (`'a b'`); a
 * quoted literal without its quotes unless it holds a space. The trap's `kill $SERVER_PID` is traced `kill 11767`.
 * Null for a command of variables alone (`"$CLEANUP"`), which any trace of as many words would match.
 */
function traceOfCommand(command: string): RegExp | null {
  const split = command.split(/\s+/);
  if (split.every((word) => word.includes('$'))) return null;
  const words = split.map((word) => {
    if (word.includes('$')) return "(?:'[^']*'|\\S+)";
    const bare = /^(["'])(.*)\1$/.exec(word)?.[2] ?? word;
    return (/\s/.test(bare) ? `'${bare}'` : bare).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  });
  return new RegExp(`^${words.join(' ')}$`);
}

/** A line of a shell script that defines a function (`cleanup() {`, `function cleanup {`). */
const SHELL_FUNCTION_RE = /^\s*(?:function\s+[\w:.-]+|[\w:.-]+\s*\(\s*\))/;
/** A line of a shell script that bash traces when it runs it: a command, not a comment nor a compound's keyword. */
const SHELL_COMMAND_LINE_RE = /^\s*(?!(?:fi|done|esac|then|else|elif|do|in|\{|\}|;;|#)(?:\s|$))[^\s#]/;
/** A step script that turns bash's trace on (`set -x`, `set -euxo pipefail`, `set -o xtrace`, `bash -x ci.sh`). */
const TRACING_SCRIPT_RE = /\bset -[a-wyz]*x|\bset -o xtrace\b|\bbash -[a-wyz]*x/;
/** Wording of a step that reports its own failure without a recognised format ("Version mismatch …"). */
const COMPLAINT_RE = /\b(?:error|fail(?:ed|ure)?|mismatch|invalid|missing|not found|denied|unable|cannot|can't|refused|exception|abort(?:ed)?|fatal|expected|incorrect|wrong|forbidden)\b/i;
const FALLBACK_RULE: Rule = uniformRule({ id: 'generic.step-output', category: 'unknown', weight: 20, re: /$^/, extend: 'line', refine: true });
const TRAVIS_NOISE_RE = /^(?:travis_(?:time|fold):|section_(?:start|end):|\$ |(?:##)?\[command\]|##\[(?:group|endgroup|section)\]|\[Pipeline\]|Removing intermediate|Step \d+\/\d+ :)/;
const NON_BLANK_RE = /\S/;
/** GitHub Actions step boundaries (in a job log; `$ …` lines there are echoed commands, not steps). */
const GHA_STEP_RE = /^##\[group\]Run /;
/** The step column `gh run view --log` prints for a job whose log archive holds no per-step files (cli/cli#10740). */
const GH_CLI_UNKNOWN_STEP = 'UNKNOWN STEP';
/** Below RING_SIZE, so a header that turns out to be output can be read again from the ring. */
const MAX_STEP_HEADER_LINES = 200;
/**
 * Lines only the runner's echo of a step puts in its header group: the shell it runs the script with, always with
 * the `{0}` that stands for the script's file (`shell: /usr/bin/bash -e {0}`), or the `with:`/`env:` heading of
 * the step's inputs, which the runner prints only when an indented `  name: value` line follows.
 */
const RUNNER_SHELL_RE = /^shell: \S.*\{0\}/;
const RUNNER_INPUTS_RE = /^(?:with|env):$/;
/**
 * A message a step's script echoes as it stands, no expansion in it (`echo "Go code is not formatted:"`): the line
 * it prints is the script's own word on what follows (see {@link LogScanner.echoedAbove}).
 */
const SCRIPT_ECHO_RE = /\becho (?:-[en]+ )?(?:"([^"$`\\]+)"|'([^']+)')/g;
const NO_ECHOES: readonly string[] = [];
/**
 * The lines of a step's script read for a step listing's command (see `LogScanner.addStepListing`): a script longer
 * than that runs its checks early or is a program of its own. The header keeps one line more, so that a script of
 * exactly this many lines is known to end where the header's copy does.
 */
const STEP_SCRIPT_LINES = 20;
const SETUP_STEP_RE = /^(?:Set up job|Set up runner|Initialize containers?)$/i;
const POST_STEP_RE = /^(?:Post |Complete job$|Stop containers$)/i;
const OOM_RULE = RULES.find((r) => r.id === 'infra.oom');
/**
 * Exit 124 is coreutils `timeout` ending the command it ran, which prints nothing of its own: in a step that said
 * nothing else, the exit status is the only word that a time limit ended it. A status: any report above is the failure.
 */
/**
 * @actions/exec's error when a tool an action ran exits non-zero (`The process '/usr/bin/git' failed with exit code
 * 128`), as the action's core.setFailed prints it: an exit marker, which ends the step and closes the report of the
 * tool's own lines above it (git's `fatal: …`), listed after it; when none said what failed, the step's last output
 * does (`Files dist/index.js and … differ`), and the marker is left to be the exit marker it is. Read on that marker only: actions/checkout's retries
 * print the same words before each new attempt, as information.
 */
const ACTIONS_EXEC_RE = /^The process '.+' failed with exit code/;
const ACTIONS_EXEC_RULE: Rule = uniformRule({ id: 'cascade.actions-exec', category: 'unknown', weight: 30, re: /$^/, extend: 'line', closing: { through: /$^/ } });
/** xargs (GNU's, BusyBox's) exits 124 too, when a command it ran exited 255: it says so as it stops, right above the marker. */
const XARGS_255_RE = /^xargs: .+: exited with status 255; aborting$/;

/**
 * rake's status line for a command its `sh` or `ruby` ran that failed (`Command failed with status (1): [ruby
 * tests/yaml.rb...]`: the command cut to its first 42 characters, then `...`, past 45), what rake raises when the
 * Rakefile lets it and prints when the Rakefile catches it to decide for itself; the command is captured.
 */
const RAKE_STATUS_COMMAND_RE = /^Command failed with status \(\d+\): \[(.+?)(?:\.\.\.)?\]$/;
/**
 * A Rakefile's verdict on commands that failed, as rake prints it: a RuntimeError's message bare (`raise "Failed 1
 * tests!!"`), and one that says something failed. Not an exception rake prints behind its class (`KeyError: key not
 * found: "DEPLOY_TOKEN"`, `Errno::ENOENT: …`), a command the Rakefile let fail (its status line as the message), nor a
 * bare message that names what is wrong (`raise "DEPLOY_TOKEN is not set"` in the task after a caught check, rake's
 * `Don't know how to build task 'x'`): those are failures of their own.
 */
const RAKE_VERDICT_RE = /^(?!(?:[A-Z]\w*::)+[A-Z]\w*: |[A-Z]\w*(?:Error|Exception): |Command failed with status \().*(?:[Ff]ail|FAIL|[Ee]rror|ERROR)/;
/** rake's trace of the tasks it runs (`rake --trace`, on standard error): `** Invoke return_code (first_time)`, `** Execute return_code`. */
const RAKE_TRACE_RE = /^\*\* (?:Invoke|Execute) /;
/** The most trace lines read between a status line and the `rake aborted!` under it (a task's chain of prerequisites). */
const RAKE_TRACE_LINES = 20;
/** The `rake aborted!` rule, whose report follows such a status line in either order (see `readRakeVerdict`). */
const RAKE_ABORTED_RULE = RULES.find((rule) => rule.id === 'rake.aborted') as Rule;
/** The line over the cause rake prints under its report (Ruby's `Exception#cause`, see `readRakeVerdict`). */
const RAKE_CAUSED_BY = 'Caused by:';

/** The cascade rule whose lines include rake's status line for a failed command (see `readRakeVerdict`). */
const BUILD_FAILED_RULE = CASCADE_RULES.find((rule) => rule.id === 'cascade.build-failed') as Rule;
const TIMEOUT_EXIT_RULE: Rule = uniformRule({ id: 'exit.timeout-124', category: 'timeout', weight: 40, re: /$^/, extend: 'line', statusOnly: true });
/**
 * Exit 137 when bash named no command it killed (one inside a command substitution, `out=$(timeout -s KILL 60 ./slow)`,
 * gets no job report) in a step whose script runs coreutils `timeout` told to send KILL (`-s KILL`, `--signal=SIGKILL`,
 * `-s 9`, or `-k` after its TERM, among its options before the duration: not `timeout 20m pytest -k slow`'s): the time
 * limit's KILL, the likelier reading than the OOM killer's.
 */
const TIMEOUT_KILL_EXIT_RULE: Rule = uniformRule({ id: 'exit.timeout-kill', category: 'timeout', weight: 40, re: /$^/, extend: 'line', statusOnly: true });
/**
 * `timeout` told to send KILL where a command starts: the line's start, after `;`, `&`, `|`, `(` (and `$(`), a
 * backquote or `{`, past variable assignments and the words that run the command after them (`sudo`, `exec`, `if !`;
 * `sudo -E`, `sudo -u runner`, `nice -n 10` with their options), at the start of the string a shell runs (`bash -c
 * "timeout …"`, `sh -ec '…'`: bash runs a string's one command in its own place, so timeout's 137 is the step's), or
 * after `docker exec` / `docker run` (and compose's, `docker compose` or v1's `docker-compose`, their options with a value
 * before the command too, `-f ci.yml`), their options and the container's, service's or image's name
 * (`ghcr.io/acme/ci:3`): each hands back the command's status (docker's own errors are 125 to 127). Not xargs: a
 * command it ran that a signal killed makes it exit 125. Not a word of another command's arguments (`echo timeout -s
 * KILL …`), nor inside a string (`echo "…; timeout …"` aside), nor in a comment (`# timeout -s KILL 5m ./x`, whose `#`
 * starts no command).
 *
 * Read word by word, not by one expression: whether an option takes a value (`-u runner`) or the next word is the
 * command is not known, and an expression that tried both ways backtracked exponentially on `docker exec -x exec -x …`
 * (9.5 s for 400 characters). Here each word position is tried once as a command's start (memoised), so a line costs
 * linear time in its words.
 */
function runsKillTimeout(live: string): boolean {
  for (const segment of live.split(COMMAND_SEPARATOR_RE)) {
    const words = shellWords(segment);
    if (words.includes('timeout') && segmentRunsKillTimeout(words)) return true;
  }
  return false;
}

/** What a word may be, as a bit each: a command's start, a word in a wrapper's options, in docker's, a container's name. */
const COMMAND = 1;
const WRAPPER_OPTIONS = 2;
const CONTAINER_OPTIONS = 4;
const CONTAINER = 8;

/**
 * Every reading of a command's words at once: what each word may be is set only by words before it, so one pass in
 * order reads them all, each word once (an option with or without a value is two marks ahead, not two walks).
 */
function segmentRunsKillTimeout(words: readonly string[]): boolean {
  const may = new Uint8Array(words.length + 2);
  const add = (at: number, bits: number) => {
    may[at] = (may[at] as number) | bits;
  };
  may[0] = COMMAND;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    const inOptions = (may[i] as number) & (WRAPPER_OPTIONS | CONTAINER_OPTIONS);
    if (inOptions !== 0) {
      // An option list ends where the command (or the container) starts; an option hands on with or without a value.
      if (inOptions & WRAPPER_OPTIONS) add(i, COMMAND);
      if (inOptions & CONTAINER_OPTIONS) add(i, CONTAINER);
      if (OPTION_RE.test(word)) {
        add(i + 1, inOptions);
        if (next !== undefined && !next.startsWith('-')) add(i + 2, inOptions);
      }
    }
    if ((may[i] as number) & CONTAINER && CONTAINER_NAME_RE.test(word)) add(i + 1, COMMAND);
    if (((may[i] as number) & COMMAND) === 0) continue;
    if (word === 'timeout') {
      if (timeoutSendsKill(words, i + 1)) return true;
    } else if (COMMAND_WRAPPERS.has(word)) add(i + 1, WRAPPER_OPTIONS);
    else if (SHELL_KEYWORDS.has(word) || ASSIGNMENT_RE.test(word)) add(i + 1, COMMAND);
    else if (SHELL_RE.test(word)) markShellString(words, i + 1, add);
    else if (word === 'docker' || word === 'docker-compose') {
      const verb = afterComposeOptions(words, word === 'docker' && next === 'compose' ? i + 2 : i + 1);
      if (words[verb] === 'exec' || words[verb] === 'run') add(verb + 1, CONTAINER_OPTIONS);
    }
  }
  return false;
}

const COMMAND_SEPARATOR_RE = /[;&|(`{]/;
const COMMAND_WRAPPERS = new Set(['sudo', 'nice', 'ionice', 'stdbuf', 'setsid', 'exec', 'time', 'nohup', 'command', 'env']);
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!']);
const ASSIGNMENT_RE = /^\w+=/;
const SHELL_RE = /^(?:ba|da|z)?sh$/;
const OPTION_RE = /^-[\w-]/;
const SHELL_STRING_OPTION_RE = /^-[a-z]*c$/;
const CONTAINER_NAME_RE = /^\w[\w./:@-]*$/;
const COMPOSE_OPTION_RE = /^(?:-[fp]|--[a-z-]+)$/;
const COMPOSE_OPTION_WITH_VALUE_RE = /^(?:-[fp]|--[a-z-]+)=[^-]/;
const KILL_SIGNAL_RE = /^(?:sig)?(?:kill|9)$/i;
const GLUED_KILL_SIGNAL_RE = /^(?:-s|--signal=)(?:sig)?(?:kill|9)$/i;
const GLUED_KILL_AFTER_RE = /^(?:-k|--kill-after=)\S/;

/**
 * A segment's words. The quote that opens a shell's string (`sh -c "timeout …"`, `-c"timeout`) is a word of its own,
 * so the string's first word can start a command; other quoted words (`-v "$PWD:/src"`) stay whole.
 */
function shellWords(segment: string): string[] {
  const words: string[] = [];
  for (const word of segment.split(/\s+/)) {
    if (word === '') continue;
    const glued = /^(-[a-z]*c)(['"])(.*)$/.exec(word);
    if (glued) {
      words.push(glued[1] as string, glued[2] as string);
      if (glued[3] !== '') words.push(glued[3] as string);
    } else if (/^['"]./.test(word) && SHELL_STRING_OPTION_RE.test(words[words.length - 1] ?? '')) words.push(word.charAt(0), word.slice(1));
    else words.push(word);
  }
  return words;
}

/** `sh -c "…"`: the shell's options, the last of them `-c` (`-ec`), then a quote: the string's first word is a command. */
function markShellString(words: readonly string[], i: number, add: (at: number, bits: number) => void): void {
  for (; i < words.length && OPTION_RE.test(words[i] as string); i++) {
    const quote = words[i + 1];
    if (SHELL_STRING_OPTION_RE.test(words[i] as string) && (quote === '"' || quote === "'")) add(i + 2, COMMAND);
  }
}

/** Past compose's options before its command (`-f ci.yml`, `--project-name=x`), each with its value: the verb's position. */
function afterComposeOptions(words: readonly string[], i: number): number {
  while (i < words.length) {
    const word = words[i] as string;
    if (COMPOSE_OPTION_WITH_VALUE_RE.test(word)) i++;
    else if (COMPOSE_OPTION_RE.test(word) && words[i + 1] !== undefined && !(words[i + 1] as string).startsWith('-')) i += 2;
    else break;
  }
  return i;
}

/** timeout's options before its duration: `-s KILL`, `-sKILL`, `--signal=SIGKILL`, `-s 9`, `-k 10`, `--kill-after=5`. */
function timeoutSendsKill(words: readonly string[], i: number): boolean {
  while (i < words.length) {
    const word = words[i] as string;
    if (!OPTION_RE.test(word)) return false;
    const next = words[i + 1];
    if (GLUED_KILL_AFTER_RE.test(word) || (GLUED_KILL_SIGNAL_RE.test(word) && next !== undefined)) return true;
    if ((word === '-s' || word === '--signal') && next !== undefined && KILL_SIGNAL_RE.test(next)) return true;
    if ((word === '-k' || word === '--kill-after') && next !== undefined) return true;
    // An option's value is one word that is not an option: one reading, since only an option can follow it.
    i += next !== undefined && !next.startsWith('-') ? 2 : 1;
  }
  return false;
}

/**
 * A heredoc's opening (`cat > run.sh <<EOF`, `<<-'EOF'`): its delimiter. The lines down to it are data, not commands.
 * Not a here-string (`<<< word`) nor a shift (`$((1 << 4))`), which open no body.
 */
const HEREDOC_RE = /(?<!<)<<(?!<)-?\s*(['"]?)([A-Za-z_]\w*)\1/;

/**
 * Whether the step's script (`lines`, as its header echoed them) runs coreutils' `timeout` told to send KILL as a
 * command (see {@link runsKillTimeout}), not in a comment or a heredoc's body.
 */
function scriptRunsKillTimeout(lines: readonly string[]): boolean {
  let heredocEnd: string | null = null;
  for (const line of lines) {
    if (heredocEnd !== null) {
      if (line.trim() === heredocEnd) heredocEnd = null;
      continue;
    }
    const comment = COMMENT_START_RE.exec(line);
    const live = comment === null ? line : line.slice(0, comment.index);
    if (runsKillTimeout(live)) return true;
    heredocEnd = HEREDOC_RE.exec(live)?.[2] ?? null;
  }
  return false;
}

/** A shell comment's `#`: one that starts a word (`a#b` and `${#x}` are not comments). */
const COMMENT_START_RE = /(?:^|\s)#/;

/** `NON_BLANK_RE.test(text)`, without the regex when the line starts with a visible ASCII character (most do). */
function isNonBlank(text: string): boolean {
  if (text.length === 0) return false;
  const c0 = text.charCodeAt(0);
  return (c0 > 32 && c0 < 127) || NON_BLANK_RE.test(text);
}

/** The indentation of `text` from character `from` on (after a task runner's prefix), in spaces and tabs. */
function indentOf(text: string, from = 0): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i - from;
}

/** `line` without `prefix` when it is a line of that task (it carries exactly that prefix), else null. */
function taskBody(prefix: string, line: string): string | null {
  return line.startsWith(prefix) && carriesOwnPrefix(prefix, line) ? line.slice(prefix.length) : null;
}

/**
 * Whether `line`, which starts with `prefix`, carries it as a prefix (a task runner's, or npm's on a script's output
 * (see `npm-output.ts`) alone or behind a task runner's) rather than as the start of a longer one.
 */
function carriesOwnPrefix(prefix: string, line: string): boolean {
  // npm's prefix alone first: a script's output behind it is often thousands of lines, each asked.
  const outer = prefix.length - npmPrefixEnding(prefix);
  if (outer === 0) return true;
  const measured = taskPrefixLength(line);
  if (measured === prefix.length || isLearntPrefix(prefix)) return true;
  // A task's prefix behind docker compose's (see innerTaskPrefixLength): each measured in its place.
  if (outer === prefix.length && measured > 0 && measured < outer && endsComposePrefix(line, measured)) {
    const inner = prefix.slice(measured);
    if (taskPrefixLength(line.slice(measured)) === inner.length || isLearntPrefix(inner)) return true;
  }
  if (outer === prefix.length) return false;
  return taskPrefixLength(line) === outer || isLearntPrefix(prefix.slice(0, outer));
}


/** Whether the task prefix of `text`, `length` characters, is docker compose's (`app-1  | `): it ends in `| `. */
function endsComposePrefix(text: string, length: number): boolean {
  return text.charCodeAt(length - 2) === BAR && text.charCodeAt(length - 1) === 32;
}

const BAR = 124;

/** A line of the task that prints nothing after its prefix (`web:test:`, `web:test: `). */
function isTaskBlankLine(prefix: string, line: string): boolean {
  const bare = prefix.length - 1;
  if (line.length < bare) return false;
  // Compared in place: asked of every line while a task's block is open, a slice of the prefix was a string a line.
  for (let i = 0; i < bare; i++) if (line.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return !isNonBlank(line.slice(bare));
}

/** A blank line of the open block's task (see {@link isTaskBlankLine}): it counts towards the block's gap. */
function isTaskBlank(open: Block, line: string): boolean {
  return open.taskPrefix !== '' && isTaskBlankLine(open.taskPrefix, line);
}

/**
 * Copies a line for long-term storage, cut to MAX_TEXT. Lines are slices of the decoded chunk (up to 1 MB each);
 * keeping a slice would keep its whole chunk alive, so the text is re-materialised as a string of its own.
 */
function clip(text: string): string {
  return own(cut(text));
}

/**
 * A line cut to MAX_TEXT, still sharing the chunk's memory: for a block that may yet turn out a repeat. The cut
 * never splits a run of token characters: redaction comes later and cannot recognise a token's first half
 * (`ghp_` and 29 of its 36 characters would leave a handful of candidates), so a run the cut would split is
 * dropped whole.
 */
function cut(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  let end = MAX_TEXT;
  while (end > 0 && isTokenChar(text.charCodeAt(end)) && isTokenChar(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Letters, digits and the other characters of tokens, keys and base64: `_ - + / = . % ~`. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ||
    code === 95 || code === 45 || code === 43 || code === 47 || code === 61 || code === 46 || code === 37 || code === 126
  );
}

/**
 * Longest line the scanner reads whole. A longer one (a minified bundle, a JSON payload, a line an attacker made
 * long) is read as its first and last {@link SCANNED_LINE_END} characters: the rules' expressions then cost a
 * bounded time per line whatever the line, and the ring of recent lines a bounded memory.
 */
export const SCANNED_LINE_CHARS = 4096;
export const SCANNED_LINE_END = 2048;

function scannedPart(text: string): string {
  return text.length > SCANNED_LINE_CHARS ? headAndTail(text, SCANNED_LINE_END, SCANNED_LINE_END) : text;
}

/** A string that shares no memory with the chunk it was sliced from. */
function own(text: string): string {
  return ` ${text}`.slice(1);
}

/** What a block's head says whatever its digits (see {@link LogScanner.headFacts}). */
interface HeadFacts {
  readonly template: string;
  wrapper: boolean | null;
}

/** Shape classes whose head facts a scanner keeps (the shape table has 512 slots; classes only ever grow). */
const MAX_SHAPES_KEPT = 2048;

/** Result of {@link LogScanner.finish} before redaction: ranked blocks and what the caller needs to build output. */
export interface ScanResult {
  ranked: RankedBlock[];
  tail: LogLine[];
  failedStep: StepRef | null;
  signals: RankingSignals | null;
}

/** A candidate as the ranking left it: its block, score and failure category. */
export interface RankedBlock {
  readonly block: Block;
  readonly score: number;
  readonly category: Category;
}

/**
 * A block and its score, its category decided when first asked: of the hundreds of blocks a long log ranks, only the
 * failures reported and the ranking's rival are asked, and deciding reads a block's text against every refinement
 * (an eighth of the CPU of a 1.8 MB Symfony log's analysis when every ranked block was decided).
 */
class RankedCandidate implements RankedBlock {
  private decided: Category | null = null;

  constructor(
    readonly block: Block,
    public score: number,
  ) {}

  get category(): Category {
    return (this.decided ??= categoryOf(this.block));
  }
}

/** The rule of a bare unified diff (git's, gofmt's): what a check shows would change, not that the check failed. */
const BARE_DIFF_RULE = RULES.find((rule) => rule.id === 'diff.unified') as Rule;
/** The kinds of failure that stop a step by themselves: a compiler's error, a failed test. */
const STEP_STOPPING: ReadonlySet<Category> = new Set(['compilation', 'test_failure']);

/** Whether `block` is a `Rule.warning` report that may not have stopped its tool (no line of it matches `unless`, no tally that says so). */
function mayGoOnPast(block: Block): boolean {
  const warning = block.rule.warning;
  if (warning === undefined || warning === false) return false;
  if (warning === true) return true;
  if (warning.stoppedByTally === true && block.tallyLine !== 0) return false;
  const unless = warning.unless;
  return unless === undefined || !holdsLine(block, unless);
}

/** Whether a line of `block`, its headline included, matches `re` (read without its task prefix). */
function holdsLine(block: Block, re: RegExp): boolean {
  return [block.headText, ...block.lines.map((l) => l.text)].some((text) => re.test(bodyOf(block, text)));
}

/** Whether `block`'s rule says that `later`, a failure after it in its step, is the one it explains (`Rule.warning`'s `explains`). */
function explains(block: Block, later: Block): boolean {
  const warning = block.rule.warning;
  return typeof warning === 'object' && warning.explains !== undefined && holdsLine(later, warning.explains);
}

/**
 * A package runner's line that the script it ran failed, with the script's status: pnpm's (its badge between thin
 * spaces, U+2009, without colour), yarn 1's.
 */
const RUNNER_SCRIPT_FAILED_RE = /^\s*ELIFECYCLE\s+Command failed with exit code (\d+)\.$|^error Command failed with exit code (\d+)\.$/;

/** Where the scanner last asked whether a report stood under a passing run's heading, and the answer. */
interface PassedHeadingMemo {
  readonly section: Section;
  readonly taskPrefix: string;
  readonly line: number;
  readonly under: boolean;
}

/** make's cascade rule: its `make: *** [Makefile:4: html] Error 1` says that target's recipe failed. */
const MAKE_CASCADE_RULE = CASCADE_RULES.find((rule) => rule.id === 'cascade.make') as Rule;
/**
 * Of its lines, the status line for a target whose recipe's command failed: GNU make's (`make[1]: *** [html] Error 1`
 * before 4.0), BSD make's (`*** Error code 1 (continuing)`).
 */
const MAKE_TARGET_FAILED_RE = /\] Error \d+$|^\*\*\* (?:\[\S+\] )?Error code \d+/;

/**
 * ninja's line over a failed edge, its outputs (`FAILED: lint.stamp `): the edge's command follows it, then what the
 * command printed (ninja 1.11, run here), where make prints its status line under the output.
 */
const NINJA_EDGE_FAILED_RE = /^FAILED: \S/;
/** The whole line ninja prints over a failed edge: its outputs, a space after each (1.12+ puts `[code=N] ` first). */
const NINJA_EDGE_HEAD_RE = /^FAILED: (?:\[code=\d+\] )?\S.* $/;

/** Where make says a target failed: the lines of its status lines (each occurrence's), and the first lines of a failed ninja edge's output. */
function makeTargetFailures(ranked: readonly RankedCandidate[]): { statusAt: Set<number>; outputFrom: Set<number> } {
  const statusAt = new Set<number>();
  const outputFrom = new Set<number>();
  for (const { block } of ranked) {
    if (block.rule === MAKE_CASCADE_RULE && MAKE_TARGET_FAILED_RE.test(block.headText)) for (const { headLine } of [block, ...block.repeats]) statusAt.add(headLine);
    else if (block.wrapper && NINJA_EDGE_FAILED_RE.test(block.headText)) outputFrom.add(block.headLine + 2);
  }
  return { statusAt, outputFrom };
}

/**
 * Whether make's status line stands right under `block` (or under a repeat of it): the command that printed it exited
 * non-zero with it as its last words, so it failed that command (Asciidoctor's warnings under --failure-level=WARN,
 * puppet-lint's under --fail-on-warnings). The same tools under the same make without the option print no such line
 * there, and the next target's output follows. ninja says it above the output instead: the block opens the output of
 * an edge it reported `FAILED:` (`ninja -k 0` goes on to the next edge).
 */
function failedItsTarget(block: Block, targetFailed: ReturnType<typeof makeTargetFailures>): boolean {
  const { statusAt, outputFrom } = targetFailed;
  return [block, ...block.repeats].some((copy) => statusAt.has(copy.endLine + 1) || outputFrom.has(copy.startLine));
}

/** Whether `block`'s rule is a `warning: { lastStops }` one (see `Rule.warning`). */
function stopsAtLast(block: Block): boolean {
  const warning = block.rule.warning;
  return typeof warning === 'object' && warning.lastStops === true;
}

/**
 * Of a `warning: { lastStops }` rule's reports, the last in each step: the one its tool may have stopped on. A report
 * printed again is none: Agda prints a passing run's warnings again under `———— All done; warnings encountered`,
 * nor one under that heading alone. With the tool's runs told apart (`warning.runStart`), each run's last report too.
 */
function lastReportsOfStoppingTools(warnings: readonly RankedCandidate[]): Set<Block> {
  const last = new Map<string, Block>();
  const stopped = new Set<Block>();
  for (const { block } of warnings) {
    if (!stopsAtLast(block) || block.repeats.length > 0 || block.run === PASSED_SESSION_RUN) continue;
    if (block.stoppedItsRun) stopped.add(block);
    const key = `${block.section.id} ${block.rule.id}`;
    const seen = last.get(key);
    if (seen === undefined || seen.startLine < block.startLine) last.set(key, block);
  }
  for (const block of last.values()) stopped.add(block);
  return stopped;
}

/**
 * A `lastStops` tool's passing run prints every warning it printed again under its heading (`warning.passedUnder`),
 * or only there when they come from a cache: a report above a report under the heading, of the same rule and step,
 * printed once (no copy under the heading) was none of that run's warnings. It came from an earlier run, which ended
 * on it (Agda's type error, then a cached file's warning under `———— All done`).
 */
function markRunsEndedAbovePassedHeading(warnings: readonly RankedCandidate[]): void {
  const lastPassed = new Map<string, number>();
  for (const { block } of warnings) {
    if (block.run !== PASSED_SESSION_RUN || !stopsAtLast(block)) continue;
    const key = `${block.section.id} ${block.rule.id}`;
    lastPassed.set(key, Math.max(lastPassed.get(key) ?? 0, block.startLine));
  }
  if (lastPassed.size === 0) return;
  for (const { block } of warnings) {
    if (stopsAtLast(block) && block.run !== PASSED_SESSION_RUN && block.repeats.length === 0 && block.endLine < (lastPassed.get(`${block.section.id} ${block.rule.id}`) ?? 0)) block.stoppedItsRun = true;
  }
}

/**
 * A diff its step went on past (`git --no-pager diff` to show what a generator changed, `gofmt -d .` without a check
 * on its output, both exiting 0) did not stop the step, nor did a warning of a tool whose warnings fail a run only
 * under an option (`Rule.warning`: Verilator's under -Wno-fatal, Asciidoctor's without --failure-level): a compiler's
 * error or a failed test printed after it in the step did, and ranks above it, whatever their rules' weights (a C
 * test's own `file:line: check failed:` is in a linter's shape, weighted low; pytest's one-line summary under
 * `--tb=no`). A diff or a warning that ends its step (`git diff --exit-code`, `-Wall` stopping on its warnings) keeps
 * its rank, as does a warning make says failed its target (`make -k` goes on to the next target), and a report that
 * says why one of those failures came (`Rule.warning`'s `explains`: pkg-config's missing package over the compiler's
 * missing header) whatever else follows it (the linker's `collect2: error:` line). Read once, when
 * the scan ends, and only the blocks of a step with such a diff or warning.
 */
function passOutputGoneOnPast(ranked: readonly RankedCandidate[]): void {
  const warnings = ranked.filter((r) => mayGoOnPast(r.block));
  // A warning its tool printed again after its run passed (Agda's `———— All done; warnings encountered`) failed
  // nothing: it ranks as a passed session's report, below a file's error the same step's loop checked before it.
  for (const r of warnings) if (r.block.repeats.length > 0 && stopsAtLast(r.block)) r.score -= 40;
  markRunsEndedAbovePassedHeading(warnings);
  const targetFailedAt = warnings.length === 0 ? { statusAt: new Set<number>(), outputFrom: new Set<number>() } : makeTargetFailures(ranked);
  // A report its tool's next run opened under stopped its own run, as make's status line says of a target's.
  const passable = ranked.filter((r) => r.block.rule === BARE_DIFF_RULE || (warnings.includes(r) && !r.block.stoppedItsRun && !failedItsTarget(r.block, targetFailedAt)));
  if (passable.length === 0) return;
  const lastOfTool = lastReportsOfStoppingTools(warnings);
  // The steps' failures that may have stopped them, asked their category once each: a log may hold hundreds of
  // diffs (a generator's whole output), each compared with these alone.
  const passableSections = new Set(passable.map((d) => d.block.section));
  const firstPassableEnd = passable.reduce((end, d) => Math.min(end, d.block.endLine), Number.POSITIVE_INFINITY);
  const stoppers = ranked.filter((r) => {
    const block = r.block;
    if (!passableSections.has(block.section) || block.startLine <= firstPassableEnd) return false;
    if (block.rule.warning !== undefined && !lastOfTool.has(block)) return false;
    return stopsItsStep(r);
  });
  if (stoppers.length === 0) return;
  for (const gone of passable) {
    const after = stoppers.filter((s) => s.block.section === gone.block.section && s.block.startLine > gone.block.endLine);
    // The step failed on what the report explains (its cascade, `collect2: error: ld returned 1`, with it): it keeps its rank.
    if (after.some((s) => explains(gone.block, s.block))) continue;
    let best = Number.NEGATIVE_INFINITY;
    for (const s of after) if (s.score > best) best = s.score;
    if (best !== Number.NEGATIVE_INFINITY && gone.score >= best) gone.score = best - 1;
  }
}

/** Whether `r` is a failure that stops a step by itself (a compiler's error, a failed test), not a status, a diff or generic wording. */
function stopsItsStep(r: RankedCandidate): boolean {
  const block = r.block;
  if (block.wrapper || block.rule.weight < 20 || block.rule.statusOnly === true || block.rule === BARE_DIFF_RULE || GENERIC_RULES.includes(block.rule)) return false;
  return STEP_STOPPING.has(r.category);
}

/**
 * A job goes on past a failed step only when the step may fail (`continue-on-error: true`, an advisory linter) or
 * the next one runs whatever happened before it (`if: always()`, `failure()`); the runner's log says neither (it
 * writes the step's condition and continue-on-error only as debug lines). A linter changes nothing a later step
 * reads, so a failed test or a compiler's error in a later failed step failed for a reason of its own, and the job
 * went on past the linter's step to it: that failure ranks above the findings of a failed step that printed only a
 * linter's, as a step's own failed test ranks above a linter's warnings it went on past (`passOutputGoneOnPast`).
 * Not above a build's error: a later step's failure may be its consequence (the tests of a build that did not
 * compile), and the first failed step keeps its rank; nor is a compiler's error that a flag made of a warning (rustc's
 * `-D warnings`) a linter's: the build it belongs to stopped. Read once, when the scan ends.
 */
function lintStepGoneOnPast(ranked: readonly RankedCandidate[]): void {
  const failedSteps = new Set<Section>();
  for (const { block } of ranked) if (block.section.kind === 'step' && block.section.status === 'failed') failedSteps.add(block.section);
  if (failedSteps.size < 2) return;
  const inFailedStep = ranked.filter((r) => failedSteps.has(r.block.section) && r.block.rule.weight >= 20 && !r.block.wrapper);
  const lintOnly = new Set(failedSteps);
  // A linter's own report, not a compiler's error read as lint (rustc's under `-D warnings`, clippy's alike: the raw
  // log cannot tell `cargo clippy` from `cargo build` under RUSTFLAGS=-Dwarnings): that build stopped on it.
  for (const r of inFailedStep) if (r.category !== 'lint' || r.block.rule.category !== 'lint') lintOnly.delete(r.block.section);
  if (lintOnly.size === 0) return;
  const stoppers = inFailedStep.filter((r) => !lintOnly.has(r.block.section) && stopsItsStep(r));
  for (const gone of inFailedStep) {
    if (!lintOnly.has(gone.block.section)) continue;
    let best = Number.NEGATIVE_INFINITY;
    for (const s of stoppers) if (s.block.section.failIndex > gone.block.section.failIndex && s.score > best) best = s.score;
    if (best !== Number.NEGATIVE_INFINITY && gone.score >= best) gone.score = best - 1;
  }
}

/** Incremental analyzer. Feed every line in order with {@link push}, then call {@link finish}. */
export class LogScanner {
  private readonly ringLine = new Int32Array(RING_SIZE);
  private readonly ringText: string[] = new Array<string>(RING_SIZE).fill('');
  /** A line the reader skipped ({@link remember}): its raw bytes, decoded and cleaned the first time it is read. */
  private readonly ringBytes: Array<Buffer | null> = new Array<Buffer | null>(RING_SIZE).fill(null);
  private readonly ringStart = new Int32Array(RING_SIZE);
  private readonly ringEnd = new Int32Array(RING_SIZE);
  private open: Block | null = null;
  private readonly blocks: Block[] = [];
  /**
   * Kept blocks by template, then by {@link Block.key}. Template first: the template cache hands the same string
   * out again, and a string that was hashed once is not hashed again.
   */
  private readonly byKey = new Map<string, Map<string, Block>>();
  /**
   * The words (see `wordsOf`) of {@link byKey}'s templates, or more: read from it by the first block dropped unless it
   * repeats a kept one, added to as templates come, read again after a prune (null until then). A new failure whose
   * head holds a word not among them repeats no kept block (see `templateHoldsWordOutside`, {@link closeOpen}).
   */
  private keptWords: Set<string> | null = null;
  /** A small number per rule id, for {@link rankClass}. */
  private readonly ruleNumbers = new Map<string, number>();
  /**
   * What a head says whatever its digits: its template and (once asked) its WRAPPER_RE answer, the same for every
   * head of one digit shape (see `normalizeLine`; WRAPPER_RE is digit-blind). Kept for the last closed block's
   * head, and by shape class (`lineShape`) for heads that are still the line their block opened on.
   */
  private readonly lastHead = new PinnedShape('');
  private lastFacts: HeadFacts = { template: normalizeLine(''), wrapper: null };
  private readonly factsByShape = new Map<number, HeadFacts>();
  private readonly awaiting: Block[] = [];
  /** Kept blocks whose rule has a `tally` not yet seen after them, by rule: a line is tried once per rule. */
  private readonly tallyWanted = new Map<Rule, Block[]>();
  /**
   * A block with a `keyLines.tail` that reached its `maxLines` before the output it quotes ended (a test's output of
   * thousands of lines under CTest's): its tail goes on with the output's lines (see {@link followQuote}); null
   * while none does.
   */
  private quotePastLimit: Block | null = null;
  /** {@link LogScanner.underPassedHeading}'s last answer for each heading, for the report it opened. */
  private readonly passedHeadingMemo = new Map<RegExp, PassedHeadingMemo>();
  /** A rule with `tallyAbove` whose headline opened a block in this section: lines are tried as its list's heading. */
  private tallyListRule: Rule | null = null;
  /**
   * The list its rule's `tallyAbove` headed (see {@link findTallyList}): the summary line above it, and the first line
   * of the last block opened as an entry of it (0: none yet); null outside such a list.
   */
  private tallyList: { rule: Rule; tallyLine: number; entryStart: number } | null = null;
  /**
   * By task prefix (`''` for none), the last line that {@link tallyListRule}'s `tally` matched in this section under
   * it, and how many of that prefix's lines not matching `tallyAbove.through` were read since (the last of them
   * `through`, so that a line read again is not counted again): the summary a heading
   * below under the same prefix may take (see {@link followTallyList}); gone once {@link TALLY_ABOVE_LINES} such
   * lines have passed. Remembered as the lines pass, not looked for in the ring above the heading: a coverage report
   * can be longer than the ring, and tasks running together print between a run's summary and its list.
   */
  private readonly tallySeen = new Map<string, { line: number; passed: number; through: number }>();
  /** Blank lines in a row since {@link quotePastLimit}'s last line. */
  private quoteBlankRun = 0;
  /** The block whose closing report ({@link Rule.closing}) line {@link closingNext} may go on with, or null. */
  private closingReport: Block | null = null;
  /** The lines {@link closingReport} goes on with. */
  private closingThrough: RegExp | null = null;
  /** The line that may go on with {@link closingReport}: the one after its last; -1 once it has ended. */
  private closingNext = -1;
  /** The unscoped lerna / Nx task names this log announced, read past as prefixes from then on. */
  private readonly taskNames = new TaskNames();
  /** Whether {@link taskNames} holds a name, or reads concurrently's prefixes in this step (see {@link idle}). */
  private tasksNamed = false;
  private section: Section;
  private sectionCount = 0;
  private failedCount = 0;
  private jobEnded = false;
  private firstFailed: Section | null = null;
  /** The section of the last ninja `FAILED: out ` line that opened a block (see {@link openBlock}). */
  private ninjaEdgeSection: Section | null = null;
  private inFailureList = false;
  /** The section whose unprefixed lines are pytest's reports of passed tests (see PASSING_REPORTS_HEADING_RE), or null. */
  private passingReportsIn: Section | null = null;
  /** The line of the heading of {@link passingReportsIn}'s reports. */
  private passingReportsFrom = 0;
  /**
   * While reports no pytest line ended are read again: only their headers and their captured log records with the
   * tracebacks those carry open nothing (see rereadUnendedPassingReports, skipsRereadReportLine).
   */
  private rereadingPassingReports = false;
  /** In that re-read: the line of the last captured log record that may carry a traceback (0: none; see skipsRereadReportLine). */
  private carryingRecordLine = 0;
  /** In that re-read: the last line of the traceback a captured log record carries, being left unread (0: none). */
  private recordTracebackEnd = 0;
  /**
   * The open `until` block ended on a headline of its own rule (Composer's next `- Root composer.json requires …`):
   * that line opens the rule's next block whether or not the line filter passes it, as it would have gone on in it.
   */
  private untilHeadline = false;
  private listItemPending = false;
  /** The task prefix of the last heading that opened a failure list (`tests-1  | ` of `tests-1  | Failures:`), or ''. */
  private listHeadingPrefix = '';
  private lastLine = 0;
  /** The line {@link scan} is reading: the one `lineShape` is the shape class of. */
  private scannedLine = 0;
  /** Whether {@link rereadUnconfirmed} is reading a dropped block's lines again. */
  private rereading = false;
  /**
   * The rule of the block {@link rereadUnconfirmed} dropped, not asked again of its lines while they are re-read: none
   * of them confirmed it, so a block of it opened on one would be dropped in turn, and not read again.
   */
  private droppedRule: Rule | null = null;
  /** The reading of a script's output behind npm's prefix with the tools' rules. */
  private readonly npmOutput = new NpmOutput({
    inFailureList: () => this.inFailureList,
    lineNumber: () => this.scannedLine,
    standsUnder: (rule, under, prefix) => this.standsUnder(rule, under, prefix),
  });
  /** The last line a kept block or a repeat reports (see {@link absorbReported}): none at or after it, nothing to absorb. */
  private reportedUpTo = 0;
  /** Per rule with `under`: the last line asked about, with its task prefix, and whether it stood under the header. */
  private readonly underAnswers = new Map<Rule, { line: number; under: boolean; taskPrefix: string }>();
  private readonly contextLines: number;
  /** GitHub Actions job log: steps start at `##[group]Run`, not at `$ `. */
  private gha = false;
  /**
   * Lines still to skip of a `##[group]Run …` header, where GitHub echoes the step's script, shell and env (its
   * source, not its output) until `##[endgroup]`; bounded so a header that never closes cannot hide the step.
   */
  private stepHeaderLeft = 0;
  /** Whether a prune has run: from then on the candidates are a selection anyway (see closeOpen). */
  private pruned = false;
  private stepHeaderFrom = 0;
  /** Whether the current step header showed the runner's `shell:` line or `with:`/`env:` inputs. */
  private stepHeaderEcho = false;
  /** Whether the header's last line was `with:` or `env:` (the runner's inputs if an indented line follows). */
  private stepHeaderInputs = false;
  /** The step a header announces (null in the `gh run view` format, whose columns name steps), and its raw line. */
  private stepHeaderTitle: string | null = null;
  private stepHeaderRaw = '';
  /** The messages the script a step header echoes prints as they stand (see {@link SCRIPT_ECHO_RE}). */
  private stepHeaderEchoes: string[] = [];
  /** Those of the current step, once its header proved the runner's. */
  private scriptEchoes: readonly string[] = NO_ECHOES;
  /** The lines of the script a step header lists, the first {@link STEP_SCRIPT_LINES} and one more (see {@link addStepListing}). */
  private stepHeaderScript: string[] = [];
  /** Those of the current step, once its header proved the runner's. */
  private stepScript: readonly string[] = NO_ECHOES;
  /** `gh run view --log` format: the step is the second column of every line (null while gh names none). */
  private ghCliStep: string | null = null;
  /** `gh run view --log` format: the job column of the last line read (a new job starts a new section). */
  private ghCliJob = '';
  /** Whether the section the step column started has had its runner's header (see {@link startStepOfHeader}). */
  private ghCliHeaderRead = false;
  /** Whether the log is in the `gh run view --log` format (decided on its first lines, as the reader decides). */
  private ghCliFormat = false;
  /** `gh run view --log` format: the step column of the last line read, and that line's columns as bytes (see {@link skip}). */
  private ghCliStepColumn = '';
  private ghCliColumns: Buffer | null = null;
  private readonly steps: readonly JobStep[];
  private readonly baseline: BaselineLookup | null;

  constructor(options: AnalyzeLogOptions = {}) {
    this.contextLines = Math.max(0, options.contextLines ?? 3);
    this.steps = options.steps ?? [];
    this.baseline = options.baseline ?? null;
    this.section = this.newSection('', 'step', null);
    if (!blockFieldsWritten) {
      writeBlockFieldsOnce(this.section);
      blockFieldsWritten = true;
    }
  }

  /** Processes line `line` (1-based, consecutive) with cleaned text `text`; `raw` is the line before cleaning. */
  push(line: number, text: string, raw: string = text): void {
    if (text.length > SCANNED_LINE_CHARS || raw.length > SCANNED_LINE_CHARS) {
      const same = raw === text;
      text = scannedPart(text);
      raw = same ? text : scannedPart(raw);
    }
    const open = this.open;
    if (open !== null && line >= open.readBy) this.readAhead(open);
    this.lastLine = line;
    if (this.ghCliFormat || opensGhCliLayout(raw, line)) this.trackGhCliStep(raw);
    const slot = line % RING_SIZE;
    this.ringLine[slot] = line;
    this.ringText[slot] = text;
    this.ringBytes[slot] = null;
    if (this.awaiting.length > 0) this.feedAfter(line, text);
    if (this.stepHeaderLeft > 0 && this.inStepHeader(line, text)) return;
    this.scan(line, text, raw);
  }

  /**
   * True while a line can change nothing but the ring: no block open or awaiting context, no step header being
   * skipped, no failure-list item pending (in gh's layout, behind the columns of the last line read: see {@link skip}), no task
   * named (a learnt `web: ` is read past on any line, which the line filter cannot tell: naming every `name: `
   * line cost ~0.8 % of the instructions on real logs, so a log that names a task is read whole from there). Then
   * a line that none of the scanner's triggers (`SCANNER_TRIGGERS` in dispatch.ts) can match may be skipped.
   */
  idle(): boolean {
    return this.tallySeen.size === 0 && this.idleButSummary();
  }

  /** {@link idle} but for a remembered run summary ({@link tallySeen}), which a line changes as {@link passesSummary} reads. */
  private idleButSummary(): boolean {
    return this.open === null && this.awaiting.length === 0 && this.stepHeaderLeft === 0 && !this.listItemPending && !this.tasksNamed && this.quotePastLimit === null;
  }

  /**
   * Line `line`, which the line filter did not name, as raw bytes: taken without reading it, and true, while the
   * scanner is {@link idle} (the line is only remembered, for look-back, context and the tail) or when the bytes show
   * that it continues the open block, or is a blank line inside it (see `raw-continuation.ts`); false when it must
   * be read ({@link push}).
   */
  skip(line: number, bytes: Buffer, start: number, end: number): boolean {
    // gh's layout: taken only behind the very columns of the last line read, before gh's timestamp (the step goes on,
    // and the text is what `cleanGhCliLine` leaves), and read from past them as the line filter read it.
    if (this.ghCliFormat && (start = this.pastGhCliColumns(bytes, start, end)) === -1) return false;
    const open = this.open;
    if (open === null) {
      if (!this.idleButSummary() || (this.tallySeen.size > 0 && !this.passesSummary(line, bytes, start, end))) return false;
      this.remember(line, bytes, start, end);
      return true;
    }
    return this.absorb(open, line, bytes, start, end);
  }

  /**
   * Where the text of the raw line `bytes[start, end)` starts, in gh's layout, when the line stays in the step of the
   * last line read (the same job and step columns, then gh's timestamp: what `cleanGhCliLine` strips); else -1.
   */
  private pastGhCliColumns(bytes: Buffer, start: number, end: number): number {
    const columns = this.ghCliColumns;
    if (columns === null || end - start < columns.length || bytes.compare(columns, 0, columns.length, start, start + columns.length) !== 0) return -1;
    return ghTimestampAt(bytes, start + columns.length, end) ? start + columns.length : -1;
  }

  /**
   * Whether the raw line `bytes[start, end)`, not named by the line filter, is taken unread while the scanner is
   * {@link idleButSummary} and remembers a summary: a blank line, counted as {@link scan} counts it (see
   * {@link passTallySeen}), or a line that `tallyAbove.through` matches whatever follows its first characters (a
   * coverage report's `ℹ` lines, any number of them), which {@link followTallyList} passes over. Named lines (the
   * summary, the list's heading) are always read.
   */
  private passesSummary(line: number, bytes: Buffer, start: number, end: number): boolean {
    const passing = rawSummaryPassing(throughLiteral(this.tallyListRule as Rule), bytes, start, end);
    if (passing === 'blank') this.passTallySeen('', line);
    return passing !== 'read';
  }

  /**
   * {@link skip} while a block is open: the line is taken when its bytes show what it is to the block. Kept out
   * of `skip`, which the reader's loop runs once per line: this is the larger part, and the part V8 meets late.
   */
  private absorb(open: Block, line: number, bytes: Buffer, start: number, end: number): boolean {
    // A task's block reads its lines without the task's prefix, which the bytes do not show: they are read.
    if (this.awaiting.length > 0 || this.stepHeaderLeft > 0 || this.listItemPending || open.taskPrefix !== '' || this.quotePastLimit !== null || this.tallySeen.size > 0) return false;
    // A block that names its key lines judges each line by its text and the line before it; one not yet confirmed
    // waits for the line that confirms it.
    // A diff's lines are counted off its hunks (see Rule.hunks).
    if (open.keyLines !== null || !open.confirmed || line === this.closingNext || open.rule.hunks === true) return false;
    const rule = open.rule;
    const taken = rawContinuation(rule, open.position, open.indent, open.pickRank, bytes, start, end);
    // The blank line that closes the block, and the line past its limit, are read: `scan` closes it.
    if (taken === 'read') return false;
    // A blank line that ends the block's message (Rule.message's `blankEnds`) is read: `scan` ends it.
    // Any blank line inside such a rule's message: read by scan, which keeps the message's blank lines (see below).
    if (taken === 'blank' && open.inMessage && rule.message?.blankEnds !== undefined) return false;
    if (taken === 'blank' ? open.blankRun >= (rule.gap ?? 1) : open.lineCount >= (rule.maxLines ?? DEFAULT_MAX_LINES)) return false;
    if (line >= open.readBy) this.readAhead(open);
    this.remember(line, bytes, start, end);
    if (taken === 'blank') {
      open.blankRun++;
      return true;
    }
    // What `append` does, with the text left unread.
    open.blankRun = 0;
    open.interleavedRun = 0;
    open.lineCount++;
    open.endLine = line;
    if (open.lines.length < MAX_STORED_LINES) {
      if (open.unreadFrom === -1) open.unreadFrom = open.lines.length;
      open.lines.push({ line, text: '' });
      if (line + RING_SIZE < open.readBy) open.readBy = line + RING_SIZE;
    }
    return true;
  }

  /** The ring is about to lose a line the open block still needs: the context lines above it, its unread lines. */
  private readAhead(open: Block): void {
    this.takeBefore(open);
    this.readStored(open);
    open.readBy = NO_LINE;
  }

  /** Reads the block's stored lines that were taken as raw bytes (see {@link Block.lines}) from the ring. */
  private readStored(block: Block): void {
    if (block.unreadFrom === -1) return;
    const lines = block.lines;
    for (let k = block.unreadFrom; k < lines.length; k++) {
      const stored = lines[k] as LogLine;
      if (stored.text === '') stored.text = cut(this.ringAt(stored.line) ?? '');
    }
    block.unreadFrom = -1;
  }

  /** Line `line`, not read: only remembered, as raw bytes, for look-back, context and the tail. */
  private remember(line: number, bytes: Buffer, start: number, end: number): void {
    this.lastLine = line;
    const slot = line % RING_SIZE;
    this.ringLine[slot] = line;
    this.ringBytes[slot] = bytes;
    this.ringStart[slot] = start;
    this.ringEnd[slot] = end;
  }

  /** The reader is about to overwrite `memory`: lines remembered as bytes from it are read now. */
  release(memory: ArrayBufferLike): void {
    for (let slot = 0; slot < RING_SIZE; slot++) {
      const bytes = this.ringBytes[slot];
      // A slot left behind by the window is never read again: it lets go of the bytes without reading them.
      if (bytes && bytes.buffer === memory && this.ringAt(this.ringLine[slot] as number) === null) this.ringBytes[slot] = null;
    }
  }

  /**
   * Inside a `##[group]Run …` header GitHub echoes the step's script, shell and env — its source, not its output —
   * until `##[endgroup]`; the runner's echo always names the step's `shell:` or its `with:`/`env:` inputs. A header
   * that ends any other way (another marker, 200 lines, the end of the log), or that closes without either, was
   * output after all (a script's own `::group::Run tests`, a log written by hand, a runner that does not close the
   * group): its lines are read again from the ring.
   */
  private inStepHeader(line: number, text: string): boolean {
    if (text.startsWith('##[endgroup]')) {
      this.stepHeaderLeft = 0;
      // An empty group is an action without inputs; one without the runner's lines, a script's own group.
      if (this.stepHeaderEcho || line === this.stepHeaderFrom) {
        this.startStepOfHeader(line);
        if (this.stepHeaderEchoes.length > 0) this.scriptEchoes = this.stepHeaderEchoes;
        this.stepScript = this.stepHeaderScript;
        if (this.taskNames.learnScript(this.stepScript)) this.tasksNamed = true;
      } else this.rescanStepHeader(line);
      return true;
    }
    if (!text.startsWith('##[') && --this.stepHeaderLeft > 0) {
      if (!this.stepHeaderEcho) {
        this.stepHeaderEcho = (this.stepHeaderInputs && text.startsWith('  ')) || RUNNER_SHELL_RE.test(text);
        this.stepHeaderInputs = RUNNER_INPUTS_RE.test(text);
        if (!this.stepHeaderEcho && this.stepHeaderScript.length <= STEP_SCRIPT_LINES) this.stepHeaderScript.push(text);
        // A spacer (`echo " "`) says nothing: a blank line above a diff is no message about it.
        if (text.includes('echo ')) {
          for (const m of text.matchAll(SCRIPT_ECHO_RE)) {
            const message = (m[1] ?? m[2] ?? '').trim();
            if (message !== '') this.stepHeaderEchoes.push(message);
          }
        }
      }
      return true;
    }
    this.stepHeaderLeft = 0;
    this.startStepOfHeader(this.stepHeaderFrom - 1);
    this.rescanStepHeader(line);
    return false;
  }

  /**
   * Starts the step of the header that ended; its output follows line `outputFrom` (see {@link Section.outputFrom}).
   * In the `gh run view` format the step column started the section already, at the header: its output starts here.
   */
  private startStepOfHeader(outputFrom: number): void {
    const title = this.stepHeaderTitle;
    this.stepHeaderTitle = null;
    if (title === null) return;
    // The column's first header is its step's; a second one under the same name is the next step (two steps of one
    // name in a row, `Run npm test` twice) or a composite's: the job log starts a step at each header, and so does this.
    if (this.ghCliStep !== null && !this.ghCliHeaderRead) {
      this.ghCliHeaderRead = true;
      if (this.section.outputFrom < outputFrom) this.section.outputFrom = outputFrom;
      return;
    }
    this.startSection(title, 'step', this.stepHeaderRaw, this.stepHeaderFrom - 1, outputFrom);
  }

  /** Reads the lines of a step header that turned out to be output, up to `end` (exclusive). */
  private rescanStepHeader(end: number): void {
    for (let l = this.stepHeaderFrom; l < end; l++) {
      const t = this.ringAt(l);
      if (t !== null) this.scan(l, t, t);
    }
  }

  /** Everything {@link push} does with a line besides remembering it. */
  private scan(line: number, text: string, raw: string): void {
    startLine(text);
    this.scannedLine = line;
    if (line === this.closingNext) this.goOnClosing(line, text);
    // A blank line of a task (`app:test:`) counts as blank for the open block and for a quote past its limit of
    // that task; the quote's block is closed by then, so it is asked on its own.
    const blank = !isNonBlank(text);
    let held = this.open;
    // A block that counts only once confirmed has its lines read again as under no block before the first of them
    // not yet read so leaves the ring (readHeldLines), and stays open: a confirming line further down (ansible-lint's
    // report of 90 warnings over its fatal violation) still confirms it. Dropped, it is read again from there on.
    // The distance is asked first, of every open block: V8 throws compiled code away the first time a test it has never
    // seen run runs, here at a log's first unconfirmed block, often megabytes in.
    if (held !== null && line - held.rereadFrom >= RING_SIZE - 2 && !held.confirmed) {
      this.readHeldLines(held, line);
      held = this.open;
    }
    const openBlank = blank || (held !== null && isTaskBlank(held, text));
    const quote = this.quotePastLimit;
    const quoteBlank = quote !== null && (openBlank || isTaskBlank(quote, text));
    if (openBlank || quoteBlank) {
      if (blank) this.passTallySeen('', line);
      // A diff's blank line inside a hunk is a context line whose space was trimmed: counted off the hunk.
      if (held !== null && openBlank && held.rule.hunks === true) takesContextLine(held);
      if (held !== null && openBlank && held.inMessage && held.rule.message?.blankEnds?.test(bodyOf(held, held.headText)) === true) held.inMessage = false;
      // A rule that says which of its messages a blank line ends (Rule.message's `blankEnds`) keeps the others' blank
      // lines, down to their `end` (deno's assertEquals: blank lines around its `[Diff]` line, then the caret).
      const inMessage = held !== null && held.inMessage && held.rule.message?.blankEnds !== undefined;
      if (held !== null && openBlank && !inMessage && ++held.blankRun > (held.rule.gap ?? 1)) this.closeOpen();
      if (quote !== null && quoteBlank && ++this.quoteBlankRun > (quote.rule.gap ?? 1)) this.quotePastLimit = null;
      return;
    }

    const lastWord = this.open;
    // A package runner passes its script's status on with a line of its own between the closing line and the step's
    // exit line (pnpm's ` ELIFECYCLE  Command failed with exit code 5.`, yarn 1's `error Command failed with exit code
    // 5.`): stating the tool's status, it confirms the closing line as the exit line does (see Rule.confirmedByExit).
    if (lastWord !== null && lastWord.rule.confirmedByExit !== undefined && lastWord.endLine === line - 1) {
      const failed = RUNNER_SCRIPT_FAILED_RE.exec(bodyOf(lastWord, text));
      if (failed !== null && Number(failed[1] ?? failed[2]) === lastWord.rule.confirmedByExit) lastWord.confirmed = true;
    }
    const marker = matchExitMarker(text);
    if (marker) {
      this.rereadUnendedPassingReports(line - 1);
      // The tool's closing line right above the step's failure with the tool's status was its last word (see Rule.confirmedByExit).
      if (this.open !== null && this.open.rule.confirmedByExit === marker.code && this.open.endLine === line - 1) this.open.confirmed = true;
      this.closeOpen();
      this.quotePastLimit = null;
      // Exit 137 is SIGKILL, in CI nearly always the OOM killer: the marker is itself the evidence, unless the step
      // already said so (bash's `line 2:  7578 Killed  python3 train.py` right above it names the process), or its script
      // runs a `timeout` that sends KILL (see TIMEOUT_KILL_EXIT_RULE). Exit 124
      // is `timeout`'s, when nothing else in the step said what failed; an action's tool failing closes its report.
      const annotated = text.startsWith(ANNOTATION);
      const status =
        marker.code === 137
          ? this.lastFindingOf(this.section)?.rule.category === 'out_of_memory'
            ? null
            : scriptRunsKillTimeout(this.stepScript) ? TIMEOUT_KILL_EXIT_RULE : OOM_RULE
          : marker.code === 124
            ? this.saidWhatFailed(this.section, line) || this.xargsAborted(line) ? null : TIMEOUT_EXIT_RULE
            : annotated && ACTIONS_EXEC_RE.test(text.slice(ANNOTATION.length)) && this.saidWhatFailed(this.section, line) ? ACTIONS_EXEC_RULE : null;
      if (status) {
        this.openBlock(status, line, text, annotated);
        this.closeOpen();
      }
      this.onExit(line, marker.code, marker.jobEnd);
      return;
    }
    if (this.gha || text.charCodeAt(0) === 35 /* # */) {
      if (this.githubActionsMarker(line, text, raw)) return;
    } else if (mayStartSection(text) && SECTION_START_RE.test(text)) {
      this.startSection(text, 'step', raw);
      return;
    }

    if (this.quotePastLimit !== null) this.followQuote(line, text);
    const open = this.open;
    let again: Rule | null = null;
    if (open) {
      if (this.continues(open, text)) {
        this.append(open, line, text);
        return;
      }
      // (Not a rule whose headline counts only under its tool's line or in a failure list: those are asked again.) The
      // rule's fields are read before `untilHeadline`, on every line that leaves a block, for the reason given above:
      // V8 compiles this function before a log's first `until` block ends.
      again = open.rule.under === undefined && open.rule.inFailureList !== true && this.untilHeadline ? open.rule : null;
      // Only right under it: a line between (a script's own output under its `FAIL: packages/api`) is no harness's.
      if (open.rule.confirmedByNext === true && this.untilHeadline && open.lineCount === 1) open.confirmed = true;
      this.untilHeadline = false;
      if (open.rule.interleaved !== undefined && this.passesOver(open, open.rule.interleaved, text)) return;
      const warning = open.rule.warning;
      if (typeof warning === 'object' && warning.runStart?.test(bodyOf(open, text)) === true) open.stoppedItsRun = true;
      this.closeOpen();
      if (open.tailLines !== null && open.lineCount >= (open.rule.maxLines ?? DEFAULT_MAX_LINES)) {
        this.quotePastLimit = open;
        this.quoteBlankRun = 0;
        this.followQuote(line, text);
      }
    }
    this.lookForHeadline(line, text, again);
  }

  /**
   * The part of {@link scan} for a line that no open block took: whether a rule's headline opens a block on it. Apart
   * from `scan`, so that each is compiled on its own and a path first taken here (a failure list, a run's summary)
   * recompiles only this half.
   */
  private lookForHeadline(line: number, text: string, again: Rule | null): void {
    const itemPending = this.listItemPending;
    this.listItemPending = false;
    scanLine(text);
    // Everything below reads a task runner's output as the tool printed it, without the runner's prefix.
    let prefix = linePrefixLength(text);
    if (prefix === ANNOUNCES_TASK) {
      if (this.taskNames.learn(text)) this.tasksNamed = true;
      prefix = 0;
    } else if (prefix === 0) {
      prefix = this.taskNames.prefixLength(text);
      readPastLearntName(prefix);
    } else if (endsComposePrefix(text, prefix)) {
      prefix += this.innerTaskPrefixLength(text.slice(prefix));
      readPastLearntName(prefix);
    }
    const task = prefix === 0 ? text : text.slice(prefix);
    if (this.tallyWanted.size > 0) this.takeTally(line, task, text.slice(0, text.length - task.length));
    if (this.tallyListRule !== null) this.followTallyList(line, text, task);
    if (prefix === 0 && this.skipsPassingReportLine(line, text)) return;
    // Every block this opens is opened at the one call below: V8 throws compiled code away the first time a call it
    // has never seen run runs, and a second call for a line the pre-filter turns down (an `until` block's next
    // headline without a keyword) first ran megabytes into a log.
    let rule: Rule | null;
    let annotated = false;
    if (!passesPrefilter(task)) {
      rule = again ?? this.listEntryRule(itemPending, text);
    } else {
      if (isWarning(task)) return;
      // The list's state is stored on every line that gets here, not only when it changes: V8 throws away the
      // optimised scanner the first time it takes a store it never saw run, and a log's first failure list comes late.
      const closesList = this.inFailureList && closesFailureList(task);
      const opensList = !closesList && opensFailureList(task) && !this.headsOwnReport(task, prefix);
      this.inFailureList = opensList || (this.inFailureList && !closesList);
      this.listItemPending = opensList;
      this.listHeadingPrefix = opensList ? text.slice(0, prefix) : this.listHeadingPrefix;
      if (opensList) return;

      annotated = prefix === 0 && text.startsWith('##[error]');
      const body = annotated ? text.slice(9) : task;
      rule = this.match(body, annotated ? text : null);
      if (rule !== null && rule === this.droppedRule) rule = this.matchAfter(rule, body, annotated ? text : null);
      if (rule !== null && rule.under !== undefined) rule = this.underOrNext(rule, body, annotated ? text : null, prefix);
      // A script's output behind npm's prefix is read past it with the tools' rules (see npm-output.ts).
      const own = annotated || rule === null ? null : this.npmOutput.readPast(text, task, rule, prefix);
      if (own !== null) {
        rule = own;
        prefix += npmPrefixLength(task, 0);
      }
      rule ??= itemPending ? FAILURE_LIST_ITEM_RULE : null;
    }
    if (rule) this.openBlock(rule, line, text, annotated, prefix);
  }

  /**
   * Whether an unprefixed line is pytest's heading of the tests that passed or stands under it (see
   * PASSING_REPORTS_HEADING_RE): no block opens there. The heading and what ends it are line filter triggers, so both
   * are read however many skipped lines stand between; a section's end ends it too, the lines then read again. pytest
   * behind a task runner's or container's prefix is read as before (its passed tests' headers reported): one state
   * for the unprefixed output only.
   */
  private skipsPassingReportLine(line: number, text: string): boolean {
    if (this.passingReportsIn === this.section) {
      if (!PASSING_REPORTS_END_RE.test(text) || PASSED_REPORT_PART_RE.test(text)) return true;
      this.passingReportsIn = null;
      return false;
    }
    if (this.rereadingPassingReports) return this.skipsRereadReportLine(line, text);
    if (text.charCodeAt(0) !== 61 || !PASSING_REPORTS_HEADING_RE.test(text)) return false;
    this.passingReportsIn = this.section;
    this.passingReportsFrom = line;
    return true;
  }

  /**
   * In the re-read of passed tests' reports no pytest line ended (see rereadUnendedPassingReports): whether `text` is
   * theirs and opens nothing, the rest being read as any output. A passed test's header; a record of its captured log
   * in pytest's format (CAPTURED_LOG_RECORD_RE); and the traceback right under an ERROR or CRITICAL record (blank
   * lines aside), with those chained to it, which the record carries (`log.exception`, `exc_info=True`): a handled
   * exception a passing test logged ranked first above the failure of the command the step ran next, or, alone, hid a
   * `timeout`'s exit 124 as what failed (attack 74d, S74d-2 and S74d-3). The traceback is read when the last of its
   * chain starts in a program's outermost code (PY_PROGRAM_FRAME_RE): the next command's crash, under a record logged
   * without its exception (attack 77, A77-1). Under a record of a lower level (a warning, which seldom carries one) it
   * is read too: a traceback the next program prints itself (`traceback.print_exc()`) has a logged one's form (A77-2).
   */
  private skipsRereadReportLine(line: number, text: string): boolean {
    if (line <= this.recordTracebackEnd) return true;
    if (CAPTURED_LOG_RECORD_RE.test(text)) {
      this.carryingRecordLine = text.startsWith('ERROR') || text.startsWith('CRITICAL') ? line : 0;
      return true;
    }
    // Right under the record: only blank lines between (a message that ends in a newline prints one). The ring is
    // asked, as a line a block or a task's prefix took never comes here.
    const underRecord = this.carryingRecordLine > 0 && this.nextNonBlankRingLine(this.carryingRecordLine + 1) === line;
    this.carryingRecordLine = 0;
    if (underRecord && (text === PY_TRACEBACK_HEAD || PY_GROUP_TRACEBACK_HEAD_RE.test(text))) {
      const chain = this.tracebackChainAt(line);
      if (!PY_PROGRAM_FRAME_RE.test(chain.lastFirstFrame)) {
        this.recordTracebackEnd = chain.end;
        return true;
      }
    }
    return PASSED_REPORT_HEADER_RE.test(text);
  }

  /**
   * The Python traceback whose first line (`Traceback (most recent call last):`, or an exception group's) is the ring's
   * line `head`, with the tracebacks chained to it (`The above exception was the direct cause …`): its last line, and
   * the first frame of the last traceback, the one of the exception that was raised last. Read by form from the ring
   * (the lines the re-read reads next): a traceback's frames are indented and its exception's line is not; every line
   * of an exception group's starts, past its indent, with the `|` or `+` of the group's frame, up to the next group's
   * first line (an indented line without one, a test runner's ` FAIL  src/a.test.js`, is what came next). Cold path:
   * a re-read only.
   */
  private tracebackChainAt(head: number): { end: number; lastFirstFrame: string } {
    for (let at = head; ; ) {
      const group = this.ringAt(at) !== PY_TRACEBACK_HEAD;
      const firstFrame = this.ringAt(at + 1) ?? '';
      let end = at;
      for (let l = at + 1; ; l++) {
        const text = this.ringAt(l);
        if (text === null || !isNonBlank(text) || (group && (!PY_GROUP_FRAME_LINE_RE.test(text) || PY_GROUP_TRACEBACK_HEAD_RE.test(text)))) break;
        if (indentOf(text) === 0) {
          if (!group) end = l;
          break;
        }
        end = l;
      }
      let next = this.nextNonBlankRingLine(end + 1);
      if (!PY_CHAIN_LINES.has(this.ringAt(next) ?? '')) return { end, lastFirstFrame: firstFrame };
      next = this.nextNonBlankRingLine(next + 1);
      const chained = this.ringAt(next) ?? '';
      if (chained !== PY_TRACEBACK_HEAD && !PY_GROUP_TRACEBACK_HEAD_RE.test(chained)) return { end, lastFirstFrame: firstFrame };
      at = next;
    }
  }

  /** The number of the first ring line from `line` on that is not blank (or of the first past the ring's last line). */
  private nextNonBlankRingLine(line: number): number {
    let l = line;
    for (let text = this.ringAt(l); text !== null && !isNonBlank(text); text = this.ringAt(l)) l++;
    return l;
  }

  /**
   * pytest's reports of its passed tests that no line of pytest's ended when their section ends at `upTo` (under
   * `-qq` pytest prints no summary line, and under `-rP` no short summary): whatever the step ran next stands among
   * them, told apart by nothing. Their lines are read again as any output, only the passed tests' headers aside, so
   * that a later command's failure is not lost (the ring's lines: a longer run of them keeps its last ones). Cold path.
   */
  private rereadUnendedPassingReports(upTo: number): void {
    if (this.passingReportsIn !== this.section) return;
    this.passingReportsIn = null;
    // Not within another re-read (rescans do not nest): reports a re-read met are left unread, as before.
    if (this.rereading) return;
    this.rereadingPassingReports = true;
    this.carryingRecordLine = 0;
    this.recordTracebackEnd = 0;
    // What the last line re-read opens stays open: the step's exit line may confirm it (Rule.confirmedByExit).
    this.rescan(Math.max(this.passingReportsFrom + 1, upTo - RING_SIZE + 2), upTo, false);
    this.rereadingPassingReports = false;
  }

  /**
   * The length of a task's prefix at the start of `inner`, a container's line behind docker compose's prefix (a
   * container that runs concurrently, `app-1  | [lint] `, or Turborepo, `app-1  | web:lint: `), 0 without one; learns
   * a task's name from the container's line as from an unprefixed one (npm's echo `> concurrently …`).
   */
  private innerTaskPrefixLength(inner: string): number {
    const length = prefixOrAnnouncement(inner);
    if (length !== ANNOUNCES_TASK) return length || this.taskNames.prefixLength(inner);
    if (this.taskNames.learn(inner)) this.tasksNamed = true;
    return 0;
  }

  /**
   * For a line the pre-filter turns down right under a failure list's heading (`itemPending`): the list's entry rule,
   * or null. A blank line of the heading's task (`tests-1  | ` under `tests-1  | Failures:`: docker compose, stack and
   * `nix build -L` prefix blank lines too) is blank, as an unprefixed one is: the first entry comes below it.
   */
  private listEntryRule(itemPending: boolean, text: string): Rule | null {
    if (!itemPending) return null;
    if (this.listHeadingPrefix !== '' && isTaskBlankLine(this.listHeadingPrefix, text)) {
      this.listItemPending = true;
      return null;
    }
    return FAILURE_LIST_ITEM_RULE;
  }

  /**
   * GitHub Actions structure: `##[group]Run …` starts a step (and its echoed script, skipped up to `##[endgroup]`),
   * `Post job cleanup.` a post step. Returns true when the line was structure, not output. Kept out of
   * {@link push}, which runs once per line and must stay small enough to be optimised.
   */
  private githubActionsMarker(line: number, text: string, raw: string): boolean {
    if (text.charCodeAt(0) === 35 /* # */ && text.startsWith('##[')) {
      if (!this.gha) this.startGha();
      if (GHA_STEP_RE.test(text)) {
        // The step starts once the header shows it is the runner's (see inStepHeader).
        this.stepHeaderTitle = text.slice(9);
        this.stepHeaderRaw = raw;
        this.stepHeaderLeft = MAX_STEP_HEADER_LINES;
        this.stepHeaderFrom = line + 1;
        this.stepHeaderEcho = false;
        this.stepHeaderInputs = false;
        this.stepHeaderEchoes = [];
        this.stepHeaderScript = [];
        return true;
      }
      return false;
    }
    if (!this.gha) return SECTION_START_RE.test(text) ? (this.startSection(text, 'step', raw), true) : false;
    const c0 = text.charCodeAt(0);
    // Cheap gate: the post-job markers start with P or C.
    if ((c0 === 80 || c0 === 67) && this.ghCliStep === null && GHA_POST_RE.test(text)) {
      this.startSection(text, 'post', raw);
      return true;
    }
    return false;
  }

  /**
   * `gh run view --log`: a new value in the step column starts a section. gh's placeholder for a job whose archive
   * holds no per-step files names no step: there the log is read as the job log it is, its headers marking the steps,
   * until a later job's lines name theirs again (gh decides per job).
   */
  private trackGhCliStep(raw: string): void {
    const columns = ghCliColumnsOf(raw);
    if (columns === null) return;
    const [job, step] = columns;
    const first = !this.ghCliFormat;
    if (first || job !== this.ghCliJob || step !== this.ghCliStepColumn) {
      this.ghCliStepColumn = step;
      this.ghCliColumns = Buffer.from(`${job}\t${step}\t`);
    }
    this.ghCliFormat = true;
    // A new job starts with its set-up even where its step has the name of the last job's (a matrix's `Run npm test`).
    const newJob = !first && job !== this.ghCliJob;
    this.ghCliJob = job;
    if (step === GH_CLI_UNKNOWN_STEP) {
      if (this.ghCliStep !== null || newJob) {
        this.ghCliStep = null;
        this.startSection('Set up job', 'setup', raw);
      }
      return;
    }
    if (first) {
      this.startGha();
      this.ghCliStep = step;
      this.section = this.newSection(step, kindOfStepName(step), { number: null, name: step });
      return;
    }
    if (step !== this.ghCliStep || newJob) {
      if (!this.gha) this.startGha();
      this.ghCliStep = step;
      this.ghCliHeaderRead = false;
      this.startSection(step, kindOfStepName(step), raw);
    }
  }

  /** The first GitHub Actions marker: what came before it is the runner's job set-up. */
  private startGha(): void {
    this.gha = true;
    if (this.section.id === 0 && this.section.findings === 0 && this.blocks.length === 0 && this.ghCliStep === null) {
      this.section = this.newSection('Set up job', 'setup', { number: this.steps.length > 0 ? 1 : null, name: 'Set up job' });
    }
  }

  private startSection(title: string, kind: SectionKind, raw: string, startLine: number = this.lastLine, outputFrom: number = this.lastLine): void {
    this.rereadUnendedPassingReports(this.scannedLine - 1);
    this.closeOpen();
    this.scriptEchoes = NO_ECHOES;
    this.stepScript = NO_ECHOES;
    // concurrently's prefix was the step's: the line filter skips lines again after it, unless names were learnt.
    this.tasksNamed = this.taskNames.leaveStep();
    this.quotePastLimit = null;
    this.tallyListRule = null;
    this.tallyList = null;
    this.tallySeen.clear();
    this.inFailureList = false;
    const previous = this.section;
    // A GitHub Actions job only moves to its next step when the previous one passed (or may fail).
    if (this.gha && previous.status === 'open' && this.failedCount === 0) previous.status = 'passed';
    const apiStep = this.steps.length > 0 ? this.stepAt(raw) : null;
    if (apiStep) {
      const apiKind = kindOfStepName(apiStep.name);
      this.section = this.newSection(title, apiKind === 'step' ? kind : apiKind, { number: apiStep.number, name: apiStep.name, startLine }, outputFrom);
      if (apiStep.conclusion === 'success' || apiStep.conclusion === 'skipped') this.section.status = 'passed';
      else if (apiStep.conclusion === 'failure' && this.section.kind === 'step') this.markFailed(this.section, 0, false);
      return;
    }
    const name = this.ghCliStep ?? (kind === 'post' ? 'Post job cleanup' : title.slice(0, 200));
    this.section = this.newSection(title, kind, this.gha ? { number: null, name, startLine } : null, outputFrom);
  }

  /** The jobs API step running at the raw line's timestamp (the last step started at or before it). */
  private stepAt(raw: string): JobStep | null {
    const ts = timestampOf(raw);
    if (!ts) return null;
    const at = Math.floor(Date.parse(ts) / 1000) * 1000;
    if (Number.isNaN(at)) return null;
    let best: JobStep | null = null;
    for (const step of this.steps) {
      if (!step.startedAt) continue;
      const started = Date.parse(step.startedAt);
      if (!Number.isNaN(started) && started <= at && (!best || step.number > best.number)) best = step;
    }
    return best;
  }

  /** The first rule, in table order, that matches; only rules whose literals occur in the line are tested. */
  private match(body: string, annotatedText: string | null): Rule | null {
    const candidates = candidatePositions();
    if (candidates === null) return this.matchAll(body, annotatedText, 0);
    const known = knownWalk(this.inFailureList);
    if (known !== undefined) return known;
    const rule = this.matchAmong(candidates, body, annotatedText, 0);
    rememberWalk(this.inFailureList, rule);
    return rule;
  }

  /**
   * After {@link match} found `rule`, which has `under`: that rule if the line stands under its header, else the next
   * rule that matches (and stands under its header, if it has one). The walk's memo keeps what the expressions answer,
   * the same for every line of a digit shape; whether a line stands under a header depends on the lines above it, so
   * it is asked here, apart from the walk. `prefix`: the length of the task runner's prefix on the line.
   */
  private underOrNext(rule: Rule, body: string, annotatedText: string | null, prefix: number): Rule | null {
    const candidates = candidatePositions();
    let found: Rule | null = rule;
    while (found !== null && found.under !== undefined && !this.standsUnder(found, found.under, prefix)) found = this.matchAfter(found, body, annotatedText, candidates);
    return found;
  }

  /** The first rule after `rule` that matches the line (see {@link underOrNext} and {@link rereadUnconfirmed}). */
  private matchAfter(rule: Rule, body: string, annotatedText: string | null, candidates = candidatePositions()): Rule | null {
    const next = positionOf(rule) + 1;
    return candidates === null ? this.matchAll(body, annotatedText, next) : this.matchAmong(candidates, body, annotatedText, next);
  }

  /**
   * A list heading that is a tool's own headline where it stands under that tool's line (a rule with `under`):
   * publint's `Errors:` under `Linting...`, before the `Suggestions:` that are no failures, opens publint's report.
   */
  private headsOwnReport(body: string, prefix: number): boolean {
    const rule = this.match(body, null);
    return rule?.under !== undefined && this.underOrNext(rule, body, null, prefix) === rule;
  }

  /**
   * Whether the line being scanned stands under `under.header` (see `Rule.under`): read upwards within its section and
   * its task, past blank lines and lines `under.through` matches, the first other line matches the header (or the
   * line itself matches `under.alone`). The answer is kept for the line (per rule), and a later walk that reaches it
   * ends there: in a log of such lines each line is read once, not once per line below it.
   */
  private standsUnder(rule: Rule, under: NonNullable<Rule['under']>, prefix: number): boolean {
    const line = this.scannedLine;
    if (under.alone?.test((this.ringAt(line) ?? '').slice(prefix)) === true) return true;
    const taskPrefix = prefix === 0 ? '' : (this.ringAt(line) ?? '').slice(0, prefix);
    let known = this.underAnswers.get(rule);
    if (known === undefined || known.taskPrefix !== taskPrefix) known = { line: 0, under: false, taskPrefix };
    let answer = false;
    const stop = Math.max(this.section.outputFrom, line - RING_SIZE);
    for (let l = line - 1; l > stop; l--) {
      const raw = this.ringAt(l);
      if (raw === null) break;
      const t = taskPrefix === '' ? raw : (taskBody(taskPrefix, raw) ?? (isTaskBlankLine(taskPrefix, raw) ? '' : null));
      if (t === null) break;
      if (!isNonBlank(t)) continue;
      if (under.header.test(t)) {
        answer = true;
        break;
      }
      if (!under.through.test(t)) break;
      if (l === known.line) {
        answer = known.under;
        break;
      }
    }
    known.line = line;
    known.under = answer;
    this.underAnswers.set(rule, known);
    return answer;
  }

  /** {@link match} walking only the positions from `from` on that the literal index left in (the same order, the same answer). */
  private matchAmong(candidates: Int32Array, body: string, annotatedText: string | null, from: number): Rule | null {
    let noiseChecked = false;
    for (let at = nextCandidate(candidates, from); at !== -1; at = nextCandidate(candidates, at + 1)) {
      if (at < CASCADE_AT) {
        const rule = RULES[at] as Rule;
        if (rule.inFailureList && !this.inFailureList) continue;
        if (testRuleAt(at, body)) return rule;
        continue;
      }
      if (at >= GENERIC_AT + GENERIC_RULES.length) break;
      if (!noiseChecked) {
        if (isNoise(body)) return null;
        noiseChecked = true;
      }
      if (at < GENERIC_AT) {
        if (testRuleAt(at, body)) return CASCADE_RULES[at - CASCADE_AT] as Rule;
        continue;
      }
      const rule = GENERIC_RULES[at - GENERIC_AT] as Rule;
      if (rule.id === 'gha.error-annotation') {
        // Its literals were looked for in the whole line, the annotation included.
        if (annotatedText !== null && testRuleAt(at, annotatedText)) return rule;
        continue;
      }
      if (testRuleAt(at, body)) return rule;
    }
    return null;
  }

  /** {@link match} before the literal index is built: every rule from dispatch position `from` on, in table order. */
  private matchAll(body: string, annotatedText: string | null, from: number): Rule | null {
    for (let i = from; i < RULES.length; i++) {
      const rule = RULES[i] as Rule;
      if (rule.inFailureList && !this.inFailureList) continue;
      if (ruleAtMatches(i, body)) return rule;
    }
    // Noise only vetoes the loose wording rules; a toolchain headline such as `not ok 6 no errors` stands.
    if (isNoise(body)) return null;
    for (let i = Math.max(0, from - CASCADE_AT); i < CASCADE_RULES.length; i++) if (ruleAtMatches(CASCADE_AT + i, body)) return CASCADE_RULES[i] as Rule;
    for (let i = Math.max(0, from - GENERIC_AT); i < GENERIC_RULES.length; i++) {
      const rule = GENERIC_RULES[i] as Rule;
      if (rule.id === 'gha.error-annotation') {
        if (annotatedText !== null && ruleAtMatches(GENERIC_AT + i, annotatedText)) return rule;
        continue;
      }
      if (ruleAtMatches(GENERIC_AT + i, body)) return rule;
    }
    return null;
  }

  private continues(open: Block, line: string): boolean {
    const rule = open.rule;
    if (open.lineCount >= (rule.maxLines ?? DEFAULT_MAX_LINES)) return false;
    // A task's block goes on only with that task's lines, read without the prefix; another task's line ends it.
    const text = open.taskPrefix === '' ? line : taskBody(open.taskPrefix, line);
    if (text === null) return false;
    // The digit-shape memo answers for the text from where it starts on the line.
    const start = line.length - text.length;
    const at = open.position;
    switch (rule.extend ?? 'indent') {
      case 'line':
        if (!continuationTest(at, 0, rule.re, text, start) || isNoiseLine(text, at, start)) return false;
        return rule !== NPM_CASCADE_RULE || !this.npmOutput.endsNpmBlock(line, text, open.taskPrefix.length);
      case 'paragraph': {
        // Past a blank line (as many as its `gap`), a paragraph whose rule has a `contAfter` goes on only with a
        // line that takes (babel's code frame under webpack's error); the next paragraph is the next report.
        // With `end`, a line it matches ends the block (lint-staged's next failed task's `✖ command:`).
        if (rule.end !== undefined && continuationTest(at, 1, rule.end, text, start)) return false;
        const after = rule.contAfter;
        if (open.blankRun === 0 || after === undefined) return true;
        return continuationTest(at, 3, after.re, text, start) && after.prev.test(open.lastText.slice(open.taskPrefix.length));
      }
      case 'until': {
        const inDiff = rule.hunks === true ? takesDiffLine(open, text) : null;
        if (inDiff !== null) return inDiff;
        if (rule.end !== undefined && continuationTest(at, 1, rule.end, text, start)) return false;
        this.untilHeadline = continuationTest(at, 0, rule.re, text, start);
        // The next headline ends the block, also as an annotation's first line (Playwright's GitHub reporter prints
        // each report as one `::error`, which the runner writes as `##[error]` and the report's lines).
        return !this.untilHeadline && !(text.startsWith('##[error]') && rule.re.test(text.slice(9)));
      }
      case 'indent': {
        if ((open.inMessage && rule.message?.stop?.test(text) !== true) || indentOf(text) > open.indent) return true;
        if (isGenericContinuation(line, text, at, start)) return true;
        const after = rule.contAfter;
        // The blank run is compared before `blank` is asked: a log's first `contAfter` with `blank` would otherwise be a
        // second first use (V8 throws compiled code away at a test it has never seen run).
        if (after !== undefined && (open.blankRun > 0 || after.blank !== true) && continuationTest(at, 3, after.re, text, start) && after.prev.test(open.lastText.slice(open.taskPrefix.length))) return true;
        return rule.cont !== undefined && continuationTest(at, 2, rule.cont, text, start);
      }
    }
  }

  /** Opens a block of `rule` on line `line`, whose first `prefix` characters are a task runner's (see task-prefix.ts). */
  private openBlock(rule: Rule, line: number, text: string, annotated: boolean, prefix = 0): void {
    const taskPrefix = prefix === 0 ? '' : own(text.slice(0, prefix));
    // A look-back `when` limits to some of the rule's headlines (cfn-lint's under ruff.diagnostic) reads the line as
    // the rule did: past the task's prefix, or past the runner's `##[error]` on an annotated line.
    let startLine = rule.lookback && (rule.lookback.when === undefined || rule.lookback.when.test(text.slice(annotated ? ANNOTATION.length : prefix))) ? this.lookbackStart(rule, rule.lookback, line, taskPrefix) : line;
    if (rule.hunks === true && this.scriptEchoes.length > 0 && taskPrefix === '') startLine = this.echoedAbove(startLine);
    // Under `ninja -k` the edge that failed above goes on to the next one's `FAILED:`: its output was a run of its own
    // (see `Rule.endsRun`), each failed edge's report listed; ninja's `build stopped` ends the last.
    if (text.startsWith('FAILED: ', prefix) && NINJA_EDGE_HEAD_RE.test(text.slice(prefix))) {
      if (this.ninjaEdgeSection === this.section) this.section.runsEnded++;
      this.ninjaEdgeSection = this.section;
    }
    const block = newBlock(
      rule, line, cut(text), taskPrefix, line === this.scannedLine ? lineShape() : 0, startLine, indentOf(text, prefix), this.section, this.jobEnded, annotated,
      mayBeWrapper(text) ? null : text, mayHoldPathHint(text) ? null : text,
    );
    if (rule.lookback?.heading !== undefined) block.headingLine = this.headingAbove(rule.lookback.heading, startLine, taskPrefix);
    const warning = rule.warning;
    if (typeof warning === 'object' && warning.passedUnder !== undefined && this.underPassedHeading(warning.passedUnder, warning.runStart, line, taskPrefix)) block.run = PASSED_SESSION_RUN;
    if (rule.tallyAbove !== undefined) this.openTallyListEntry(rule, line, taskPrefix, startLine);
    // Whichever rule took the line: Maven's goal line also holds the cause it failed on (`No space left on device`).
    const closing = rule.closing ?? closingRuleOf(text);
    if (closing !== undefined) this.openClosingReport(block, closing, line);
    if (rule === PY_TRACEBACK_RULE) this.demoteRunnerTraceback(line, prefix === 0 ? text : text.slice(prefix));
    block.readBy = startLine - this.contextLines + RING_SIZE;
    if (startLine < line) this.storeLinesAbove(block, startLine, line);
    this.store(block, line, text);
    this.open = block;
    if (rule.endsRun === true) {
      if (rule.runStart !== undefined) this.setAsidePassedSessions(rule.runStart, line, taskPrefix);
      this.section.runsEnded++;
    }
  }

  /**
   * npm's header over the script that printed `block` (`> @shop/web@1.0.0 build`) when another package's header
   * stands above it in the step: a run over workspaces (`npm run build --workspaces`, one after the other), where it
   * names the workspace whose script failed, which npm says again only after the report (`npm error workspace …`).
   * 0 for none, for a step that ran one package's scripts (its name is the repository's), and past the lines the
   * scanner still keeps. Asked of the top failure once, when the scan ends.
   */
  private workspaceScriptAbove(block: Block): number {
    let header = 0;
    let name = '';
    for (let l = block.startLine - 1; l > block.section.outputFrom && this.lastLine - l < RING_SIZE; l--) {
      const text = this.ringAt(l);
      if (text === null) break;
      const script = text.startsWith('> ') ? NPM_SCRIPT_HEADER_RE.exec(text) : null;
      if (script === null) continue;
      if (header === 0) {
        header = l;
        name = script[1] as string;
      } else if (script[1] !== name) return header;
    }
    return 0;
  }

  /**
   * Whether the report opening on line `line` stands under a passing run's heading (`Rule.warning`'s `passedUnder`):
   * going up through the step's lines the scanner still keeps, the heading comes before the line a run opens with.
   */
  private underPassedHeading(heading: RegExp, runStart: RegExp | undefined, line: number, taskPrefix: string): boolean {
    // Read up to the last report it was asked for (its answer holds above it): each line once, not the ring's
    // RING_SIZE lines for each of a log's thousands of reports. Behind a task runner's prefix, that task's lines only.
    const memo = this.passedHeadingMemo.get(heading);
    const upTo = memo !== undefined && memo.section === this.section && memo.taskPrefix === taskPrefix && memo.line < line ? memo.line : -1;
    let under = false;
    for (let l = line - 1; l > this.section.outputFrom && line - l < RING_SIZE; l--) {
      if (l === upTo) {
        under = (memo as PassedHeadingMemo).under;
        break;
      }
      const raw = this.ringAt(l);
      if (raw === null) break;
      const text = taskPrefix === '' ? raw : taskBody(taskPrefix, raw);
      if (text === null) continue;
      if (runStart?.test(text) === true) break;
      if (heading.test(text)) {
        under = true;
        break;
      }
    }
    this.passedHeadingMemo.set(heading, { section: this.section, taskPrefix, line, under });
    return under;
  }

  /**
   * The failed session whose status is on line `line` opened on the last line above it that `runStart` matches: the
   * section's blocks of the current run above that line are of sessions that passed (see {@link Rule.runStart}). Only
   * the ring's lines are looked at; a session longer than the ring keeps them, as before. Under a task runner's prefix
   * (`app-1  | `), the lines and blocks of that task alone: another service's are no session's.
   */
  private setAsidePassedSessions(runStart: RegExp, line: number, taskPrefix: string): void {
    let start = 0;
    for (let l = line - 1; l >= 1 && line - l < RING_SIZE; l--) {
      const raw = this.ringAt(l);
      if (raw === null) break;
      const t = taskPrefix === '' ? raw : taskBody(taskPrefix, raw);
      if (t !== null && runStart.test(t)) {
        start = l;
        break;
      }
    }
    if (start === 0) return;
    const run = this.section.runsEnded;
    for (const block of this.blocks) {
      if (block.section === this.section && block.run === run && block.startLine < start && block.taskPrefix === taskPrefix) block.run = PASSED_SESSION_RUN;
    }
  }

  /**
   * A kernel's IPython traceback opening on line `line` (read as `text`, its task's prefix cut) under a Python
   * traceback whose exception quotes it: the notebook runner re-raising the cell's error (papermill's
   * `PapermillExecutionError`, nbclient's `CellExecutionError` after the cell's source, any runner printing
   * `Traceback (most recent call last):` over an exception whose message is the kernel's traceback). That traceback
   * only says that the runner stopped: it becomes a wrapper, below the cell's own error. Only when nothing a rule
   * finds stands between the two (a cell's source and output, which the runner may quote first, aside), in the
   * same section. Cold path, apart from {@link openBlock}.
   */
  private demoteRunnerTraceback(line: number, text: string): void {
    if (!IPYTHON_TRACEBACK_RE.test(text)) return;
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i] as Block;
      if (block.section !== this.section || line - block.endLine > RUNNER_QUOTE_LINES) return;
      if (block.rule === PY_TRACEBACK_RULE) {
        const head = block.lines[0]?.text.slice(block.taskPrefix.length) ?? '';
        if (!block.wrapper && !IPYTHON_TRACEBACK_RE.test(head) && this.quotesBelow(block)) {
          block.wrapper = true;
          block.section.findings--;
        }
        return;
      }
      if (block.rule.weight >= RUNNER_QUOTE_FINDING_WEIGHT && !block.wrapper) return;
    }
  }

  /**
   * A Rakefile that catches a failed command prints rake's status line for it (`Command failed with status (1): [...]`)
   * and aborts with a verdict of its own (`rake aborted!`, `Failed 1 tests!!`): the verdict says that the command
   * failed, and the command's output above says why. So a `rake aborted!` report next to such a line is a wrapper once
   * the command said what failed (a finding under rake's echo of it: {@link rakeEchoAbove}; a passed command's
   * complaint above says nothing of this one): right under it (`block` is the report, which starts at the line after
   * the announcing one, Rule.headNext with no gap: the status line is two above), or right under the report's closing
   * lines (`block` is the status line's, a cascade): Ruby holds what the Rakefile prints until it exits, behind the
   * report on standard error, when its standard output is a pipe, as in a GitHub Actions step. (Where the Rakefile lets
   * the failure through, the status line is the report's own message, a cascade line.) Only a verdict rake prints bare,
   * a RuntimeError's message (`raise "…"`), that says something failed (see {@link RAKE_VERDICT_RE}): a Rakefile that
   * goes on past a command it caught prints the status line all the same, and the failure it then stops on is one of
   * its own (the next task's KeyError, a command it let fail, `raise "DEPLOY_TOKEN is not set"`). Lines are read past a
   * task runner's prefix, and above `rake aborted!` past `rake --trace`'s lines for the task that raised it. Cold path,
   * apart from {@link closeOpen}, before the block counts as a finding or not.
   */
  private readRakeVerdict(block: Block): void {
    const prefix = block.taskPrefix;
    if (block.rule === RAKE_ABORTED_RULE) {
      if (block.wrapper || !RAKE_VERDICT_RE.test(bodyOf(block, block.headText))) return;
      // Above `rake aborted!`, past `rake --trace`'s lines for the task that raised it (`** Execute return_code`).
      let above = block.startLine - 2;
      while (block.startLine - above <= RAKE_TRACE_LINES && RAKE_TRACE_RE.test(this.taskLineAt(above, prefix))) above--;
      const ran = this.rakeEchoAbove(this.taskLineAt(above, prefix), above, prefix);
      if (ran !== -1 && this.saidWhatFailed(block.section, block.startLine, ran)) block.wrapper = true;
      return;
    }
    const verdict = this.blocks[this.blocks.length - 1];
    if (verdict === undefined || verdict.rule !== RAKE_ABORTED_RULE || verdict.wrapper || verdict.taskPrefix !== prefix) return;
    if (verdict.section !== block.section || block.startLine - verdict.endLine > 3 || !RAKE_VERDICT_RE.test(bodyOf(verdict, verdict.headText))) return;
    // Only rake's closing lines between (`Tasks: TOP => default`, `(See full trace by running task with --trace)`), or
    // its cause section right above the status line: a blank line, then `Caused by:` (a `raise` in the Rakefile's
    // `rescue` of the failed command, whose status line rake prints as the cause).
    for (let l = verdict.endLine + 1; l < block.startLine; l++) {
      const text = this.taskLineAt(l, prefix);
      if ((RAKE_ABORTED_RULE.end as RegExp).test(text)) continue;
      if (l === block.startLine - 1 && text === RAKE_CAUSED_BY) continue;
      if (l === block.startLine - 2 && text === '' && this.taskLineAt(l + 1, prefix) === RAKE_CAUSED_BY) continue;
      return;
    }
    const ran = this.rakeEchoAbove(bodyOf(block, block.headText), verdict.startLine, prefix);
    if (ran === -1) return;
    // Asked with the report set aside: it must not count as what the command said.
    const keptAs = this.rankClass(verdict);
    verdict.wrapper = true;
    if (!this.saidWhatFailed(verdict.section, verdict.startLine, ran)) {
      verdict.wrapper = false;
      return;
    }
    verdict.section.findings--;
    verdict.section.lastFinding = this.lastFindingOf(verdict.section);
    // keepCandidate counted it in the rank class of a finding (rankClass reads `wrapper`): it is kept as a wrapper now,
    // and a prune or absorbReported takes it out of that class.
    const counts = verdict.section.keptByRankClass;
    const keptNow = this.rankClass(verdict);
    counts.set(keptAs, (counts.get(keptAs) ?? 1) - 1);
    counts.set(keptNow, (counts.get(keptNow) ?? 0) + 1);
  }

  /**
   * The line above line `from` where rake echoed the command its status line `status` names (rake prints each command
   * its `sh` and `ruby` run, unless `verbose(false)`; the status line shows it cut to 42 characters and `...`), or -1:
   * none in the ring, or `status` is no such line. What the command printed starts under it.
   */
  private rakeEchoAbove(status: string, from: number, prefix: string): number {
    const command = RAKE_STATUS_COMMAND_RE.exec(status)?.[1];
    if (command === undefined) return -1;
    for (let l = from - 1; l > 0 && from - l < RING_SIZE; l--) {
      if (this.ringLine[l % RING_SIZE] !== l) return -1;
      if (this.taskLineAt(l, prefix).startsWith(command)) return l;
    }
    return -1;
  }

  /** Line `line` of the ring past the task runner's `prefix` (concurrently's `[docs] `), as a block under it reads it; '' when gone or another task's. */
  private taskLineAt(line: number, prefix: string): string {
    const raw = this.ringAt(line);
    return (raw === null ? null : prefix === '' ? raw : taskBody(prefix, raw)) ?? '';
  }

  /** Whether `block` (a Python traceback read at most {@link RUNNER_QUOTE_LINES} lines ago) ends on a runner's exception. */
  private quotesBelow(block: Block): boolean {
    const last = this.ringAt(block.endLine) ?? '';
    return RUNNER_EXCEPTION_RE.test(last.startsWith(block.taskPrefix) ? last.slice(block.taskPrefix.length) : last);
  }

  /**
   * The line above `start` that `heading.re` matches over lines `heading.through` matches only, within the task and
   * {@link HEADING_LINES}; 0 when another line comes first (see {@link Rule.lookback}). Cold path: one rule asks.
   */
  private headingAbove(heading: { re: RegExp; through: RegExp }, start: number, taskPrefix: string): number {
    const limit = Math.min(HEADING_LINES, RING_SIZE - 1, start - 1);
    for (let k = 1; k <= limit; k++) {
      const raw = this.ringAt(start - k);
      const t = raw === null ? null : taskPrefix === '' ? raw : taskBody(taskPrefix, raw);
      if (t === null) return 0;
      if (heading.re.test(t)) return start - k;
      if (!heading.through.test(t)) return 0;
    }
    return 0;
  }

  /**
   * The line a block of `rule` opening on line `line` starts at: the line above it that its `lookback` matches (or
   * the one after it), else `line`. Apart from {@link openBlock} (cold path: few rules look back), so that its
   * compiled code is not thrown away the first time a rule does, or its `through` is first asked.
   */
  private lookbackStart(rule: Rule, lookback: NonNullable<Rule['lookback']>, line: number, taskPrefix: string): number {
    const { re, lines, inclusive, through } = lookback;
    const lead = leadOf(re);
    let startLine = line;
    const limit = Math.min(lines, RING_SIZE - 1, line - 1);
    let k = 1;
    for (; k <= limit; k++) {
      const raw = this.ringAt(line - k);
      if (raw === null) break;
      // Look-back stays within the task: another task's line (or an unprefixed one) ends it as a mismatch would.
      const t = taskPrefix === '' ? raw : (taskBody(taskPrefix, raw) ?? (isTaskBlankLine(taskPrefix, raw) ? '' : null));
      if (t === null) break;
      if (t.startsWith(lead) && re.test(t)) {
        if (k > 1 || lookback.apart !== true) startLine = inclusive ? line - k : line - k + 1;
        if (lookback.farthest === undefined) break;
        continue;
      }
      if (lookback.farthest?.test(t) === true) break;
      // Another headline of the rule is another report, with its own announcing line or none: a `.phpt` FAIL
      // without a diff of its own does not take the previous test's diff and FAIL (see absorbReported).
      if (lines === 1 || (t !== '' && (matchExitMarker(t) || rule.re.test(t))) || (through !== undefined && !through.test(t))) break;
    }
    // Every line within reach was read past: the nearest of them, from the first whole one, are the report's.
    if (k > limit && lookback.atLimit !== undefined) startLine = this.firstAbove(lookback.atLimit, line - limit, line, taskPrefix, line);
    // What the run printed between the announcing line and the first line `first` matches is still its own (a
    // cached environment's `failed`, conf.py's `git describe` failing): absorbed as before, only not listed.
    const announced = startLine;
    if (lookback.first !== undefined && startLine < line) startLine = this.firstAbove(lookback.first, startLine, line, taskPrefix);
    const absorbedFrom = lookback.absorbsFromFirst === true ? startLine : announced;
    if (absorbedFrom < line && this.reportedUpTo >= absorbedFrom) this.absorbReported(absorbedFrom, line);
    return startLine;
  }

  /** The first of lines `from`… above line `line` (of the task `taskPrefix` names) that `first` matches, else `none`. */
  private firstAbove(first: RegExp, from: number, line: number, taskPrefix: string, none = from): number {
    for (let l = from; l < line; l++) {
      const raw = this.ringAt(l);
      if (raw === null) continue;
      const t = taskPrefix === '' ? raw : taskBody(taskPrefix, raw);
      if (t !== null && first.test(t)) return l;
    }
    return none;
  }

  /**
   * A diff opening on line `line` (a check's report, `gofmt -d .`, `git diff --exit-code`) says what would change,
   * not why the step failed on it: a message the step's script echoed right above it (`echo "Go code is not
   * formatted:"` in `if [ -n "$(gofmt -l .)" ]; then …; gofmt -d .; exit 1; fi`) is the script's own word on it, and
   * the report starts there. Only the script's echo as it stands in the step's header, not the same words printed by
   * a tool. Cold path, apart from {@link openBlock}: only in a step whose script echoes, on a diff's first line.
   */
  private echoedAbove(line: number): number {
    const above = line > 1 ? this.ringAt(line - 1) : null;
    if (above === null || !this.scriptEchoes.includes(above.trim())) return line;
    if (this.reportedUpTo >= line - 1) this.absorbReported(line - 1, line);
    return line - 1;
  }

  /**
   * `block`, opening on line `line`, is the headline of a closing report (see {@link Rule.closing}). Cold path, apart
   * from {@link openBlock}.
   */
  private openClosingReport(block: Block, closing: NonNullable<Rule['closing']>, line: number): void {
    block.closedThrough = line;
    this.closingReport = block;
    this.closingThrough = closing.through;
    this.closingNext = line + 1;
  }

  /**
   * Stores the lines `from`… above line `line` that a block's look-back took, before its headline. Cold path, apart
   * from {@link openBlock}: only a block that looked back runs it.
   */
  private storeLinesAbove(block: Block, from: number, line: number): void {
    const pick = block.rule.pick;
    const keeps = block.rule.lookback?.keeps;
    for (let l = from; l < line; l++) {
      const t = this.ringAt(l);
      if (t === null || !NON_BLANK_RE.test(t)) continue;
      if (keeps !== undefined && l > from && !keeps.test(bodyOf(block, t))) continue;
      this.store(block, l, t);
      // A line pulled in above the headline may be the one that says why: `go test -v` prints a test's messages
      // before its `--- FAIL`.
      if (pick && stillPicking(block, pick)) this.considerPick(block, pick, l, t);
    }
  }

  /**
   * A block opening on line `line` took lines `from`… above it by its rule's look-back: a failure reported on one of
   * them was the same report read a line at a time (Elixir's `    error:` diagnostic above its `== Compilation
   * error`, a `.phpt` diff's `001+ ERROR: …` above its `FAIL`, R CMD check's ` ERROR` above `Running the tests in …
   * failed.`), and a line is one failure, not two. A kept block whose reported line (its head, or the line it
   * picked) is among them is dropped, as if it had never been kept; a repeat among them no longer counts for the
   * block it repeats. A failure whose line is above `from` stays, even where a line it went on over was taken too.
   * Occurrences past the twenty repeats a block lists are not placed, and stay counted.
   */
  private absorbReported(from: number, line: number): void {
    const taken = (head: number): boolean => head >= from && head < line;
    const dropped: Block[] = [];
    for (const block of this.blocks) {
      if (taken(block.headLine)) {
        this.unkeep(block);
        dropped.push(block);
        continue;
      }
      // Repeats are listed in line order: only the last ones can be among the lines taken.
      const repeats = block.repeats;
      const last = repeats[repeats.length - 1];
      if (last === undefined || !taken(last.headLine)) continue;
      let left = 0;
      for (const r of repeats) if (!taken(r.headLine)) repeats[left++] = r;
      block.occurrences -= repeats.length - left;
      repeats.length = left;
    }
    if (dropped.length === 0) return;
    keepOnly(this.blocks, new Set(this.blocks.filter((block) => !taken(block.headLine))));
    const left = new Set(this.blocks);
    keepOnly(this.awaiting, left);
    for (const blocks of this.tallyWanted.values()) keepOnly(blocks, left);
    for (const { section } of dropped) if (section.lastFinding !== null && dropped.includes(section.lastFinding)) section.lastFinding = this.lastFindingOf(section);
  }

  /**
   * Undoes what keeping `block` recorded ({@link closeOpen}), before it leaves the candidates: a later failure of its
   * text is a new one. Its section's `findings` stays: only ever compared with zero, and the lines are still found
   * there, by the block that took them (its `lastFinding` is mended by {@link absorbReported}).
   */
  private unkeep(block: Block): void {
    const section = block.section;
    const rankClass = this.rankClass(block);
    section.keptByRankClass.set(rankClass, (section.keptByRankClass.get(rankClass) ?? 1) - 1);
    const sameTemplate = this.byKey.get(block.template);
    if (sameTemplate?.get(block.key) === block) sameTemplate.delete(block.key);
    if (sameTemplate?.size === 0) this.byKey.delete(block.template);
  }

  /**
   * Whether `section`, the step a closing report ({@link Rule.closing}) opening on line `reportLine` is printed in,
   * reported a failure above it that says what failed: a tool's own report anywhere in the step, generic error wording
   * ({@link CLOSED_FINDING_WEIGHT}) only right above the report (the tool's message the script then threw on), not a
   * retry's error the step went on past. Not only that something failed (a test run's summary between the two), nor
   * a word the loosest rules read (`docs/errors.md`). Kept blocks are in the order they closed, a step's together: the
   * walk stops at another step's, and at a block opened before line `since` (the output of one command of the step).
   */
  private saidWhatFailed(section: Section, reportLine: number, since = 0): boolean {
    if (section.findings === 0) return false;
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i] as Block;
      if (block.section !== section || block.startLine < since) return false;
      if (block.rule.weight < CLOSED_FINDING_WEIGHT || block.rule.statusOnly === true || block.wrapper) continue;
      if (!GENERIC_RULES.includes(block.rule) || reportLine - block.endLine <= GENERIC_CLOSED_GAP) return true;
    }
    return false;
  }

  /** Whether one of the 3 lines above the exit marker on line `line` is xargs's `exited with status 255; aborting`. */
  private xargsAborted(line: number): boolean {
    for (let k = 1; k <= 3; k++) {
      const text = this.ringAt(line - k);
      if (text !== null && XARGS_255_RE.test(text)) return true;
    }
    return false;
  }

  /** The last kept block of `section` that is more than boilerplate, or null. */
  private lastFindingOf(section: Section): Block | null {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i] as Block;
      if (block.section === section && block.rule.weight >= 20 && !block.wrapper) return block;
    }
    return null;
  }

  /** Reads the block's context lines above it from the ring (see {@link Block.before}). */
  private takeBefore(block: Block): LogLine[] {
    if (block.before !== null) return block.before;
    const before: LogLine[] = [];
    for (let l = Math.max(1, block.beforeFrom - this.contextLines); l < block.beforeFrom; l++) {
      const t = this.ringAt(l);
      if (t !== null) before.push({ line: l, text: cut(t) });
    }
    block.before = before;
    return before;
  }

  private store(block: Block, line: number, text: string): void {
    // Key lines are the tool's lines, read past the task's prefix as the headline is (`[lint]   3:9  error  …`).
    if (block.keyLines !== null && block.lineCount > 0) this.considerKey(block, block.keyLines, line, bodyOf(block, text));
    // Read as the tool printed it, past the task's prefix (`lint-1  | yaml[truthy]: …`), like the block's headline, and
    // whole as before: a prefixed node:test `✖ name (1.2ms)` headline confirms itself that way (`app:test: ✖ …`), which
    // review-s52-logs.test.ts expects of Turborepo's inline failures, though unprefixed ones are not confirmed.
    const confirmedBy = block.confirmed ? undefined : block.rule.confirmedBy;
    if (confirmedBy !== undefined && (confirmedBy.test(text) || confirmedBy.test(bodyOf(block, text)))) block.confirmed = true;
    block.lineCount++;
    block.endLine = line;
    block.lastText = text;
    const quoteStart = block.rule.interleaved?.after;
    const message = block.rule.message;
    if (quoteStart !== undefined || message !== undefined) {
      const body = bodyOf(block, text);
      if (quoteStart?.test(body) === true) addQuoted(block, body);
      if (message !== undefined) block.inMessage = (block.inMessage || message.open.test(body)) && !message.end.test(body) && (line === block.headLine || message.stop?.test(body) !== true);
    }
    if (block.lines.length < MAX_STORED_LINES) block.lines.push({ line, text: cut(text) });
    const pick = block.rule.pick;
    if (pick && line > block.headLine && stillPicking(block, pick)) this.considerPick(block, pick, line, text);
  }

  /** Whether line `line` (`text`, past the block's task prefix), stored right after the block's last line, is one its rule's `keyLines` name. */
  private considerKey(block: Block, keyLines: number[], line: number, text: string): void {
    const keys = block.rule.keyLines;
    if (keys === undefined) return;
    if (block.keysFrom === 0 && keys.from?.test(text) === true) block.keysFrom = line;
    let belowPick = false;
    if (block.belowPickLeft > 0) {
      if (keys.belowPick?.end?.test(text) === true) block.belowPickLeft = 0;
      else {
        block.belowPickLeft--;
        belowPick = true;
      }
    }
    addToTail(block, line, text);
    const underPick = block.pickRank !== Number.POSITIVE_INFINITY && block.pickLine === block.endLine && keys.underPick?.test(text) === true;
    if (block.keysFrom !== 0 || belowPick || underPick || keys.after?.test(bodyOf(block, block.lastText)) === true || keys.also?.test(text) === true) keyLines.push(line);
  }

  /**
   * Line `line` (non-blank, read as `text`) after {@link quotePastLimit} stopped at its `maxLines`: still the quoted
   * output, whose last lines its tail keeps, until the line its rule's `end` or headline matches (the next test's),
   * a line of another task, or more blank lines in a row than its `gap`. Only the tail's few line numbers are kept.
   */
  private followQuote(line: number, text: string): void {
    const block = this.quotePastLimit as Block;
    const rule = block.rule;
    const body = block.taskPrefix === '' ? text : taskBody(block.taskPrefix, text);
    if (body === null || rule.end?.test(body) === true || rule.re.test(body)) {
      this.quotePastLimit = null;
      return;
    }
    this.quoteBlankRun = 0;
    addToTail(block, line, body);
  }

  private considerPick(block: Block, pick: NonNullable<Rule['pick']>, line: number, text: string): void {
    const limit = Math.min(block.pickRank, pick.length - 1);
    // The block's lines carry its task's prefix (a line pulled in above the head may not: it is read whole).
    const prefix = block.taskPrefix !== '' && text.startsWith(block.taskPrefix) ? block.taskPrefix.length : 0;
    const body = prefix === 0 ? text : text.slice(prefix);
    for (let rank = 0; rank <= limit; rank++) {
      const p = pick[rank];
      if (!p || (p.outdented && indentOf(body) > block.indent) || !p.re.test(body)) continue;
      if (rank < block.pickRank || p.last) {
        block.pickRank = rank;
        block.pickLine = line;
        block.pickText = cut(text);
        block.belowPickLeft = block.rule.keyLines?.belowPick?.lines ?? 0;
      }
      return;
    }
  }

  /** Whether the open block passes over line `text`, another stream's (see {@link Rule.interleaved}). */
  private passesOver(open: Block, interleaved: NonNullable<Rule['interleaved']>, text: string): boolean {
    if (open.interleavedRun >= interleaved.lines) return false;
    const body = open.taskPrefix === '' ? text : taskBody(open.taskPrefix, text);
    if (body === null || !interleaved.re.test(body)) return false;
    if (open.interleavedRun === 0 && interleaved.after !== undefined && !this.lastLineIs(open, interleaved.after)) return false;
    open.interleavedRun++;
    if (interleaved.after !== undefined) addQuoted(open, body);
    return true;
  }

  /** Whether the block's last line (read from the ring if the line filter left it as bytes) matches `re`. */
  private lastLineIs(open: Block, re: RegExp): boolean {
    const last = this.ringAt(open.endLine);
    const body = last === null ? null : open.taskPrefix === '' ? last : taskBody(open.taskPrefix, last);
    return body !== null && re.test(body);
  }

  private append(block: Block, line: number, text: string): void {
    block.blankRun = 0;
    block.interleavedRun = 0;
    this.store(block, line, text);
  }

  private ringAt(line: number): string | null {
    if (line < 1 || line > this.lastLine || this.lastLine - line >= RING_SIZE) return null;
    const slot = line % RING_SIZE;
    if (this.ringLine[slot] !== line) return null;
    const bytes = this.ringBytes[slot];
    if (bytes) {
      this.ringText[slot] = scannedPart(cleanLine(bytes.toString('utf8', this.ringStart[slot], this.ringEnd[slot])));
      this.ringBytes[slot] = null;
    }
    return this.ringText[slot] ?? '';
  }

  private closeOpen(): void {
    const block = this.open;
    if (!block) return;
    this.open = null;
    const nextLine = block.rule.nextLine;
    if (!block.confirmed) return this.rereadUnconfirmed(block);
    if (nextLine !== undefined && !this.hasNextLine(block, nextLine)) return;
    if (block.rule.headNext && !this.dropAnnouncingLine(block)) return;
    const names = block.rule.lookback?.names;
    if (names !== undefined && block.startLine < block.headLine) this.dropMisnamingLine(block, names);
    if (block.rule.languageFrom !== undefined) this.takeLanguage(block, block.rule.languageFrom);
    // Two failures are the same when their headline and their explaining line both match (two go tests failing
    // with the same message are still two failures; thirty identical tracebacks are one).
    const picked = block.pickRank !== Number.POSITIVE_INFINITY;
    // The headline's numbers (durations, counts) differ between repeats of one failure; its words do not, nor its
    // words' place: a run's closing summary repeats a nested test's failure at its own indent (node:test's `failing
    // tests:`). Without a picked line the key is the rule's id itself, a constant string hashed once (picked keys hold
    // a NUL, ids never do, so the two kinds cannot meet).
    block.key = picked ? this.reportPickedLine(block) : block.rule.keyFrom === undefined ? block.rule.id : keyWithLine(block, block.rule.id, block.rule.keyFrom);
    // The head is still the line the block opened on unless a picked line or the next line replaced it.
    // An annotation's copy of a report (Playwright's `github` reporter beside its `list` one) is the same failure as
    // the report: its template leaves the runner's `##[error]` out, as its key does (see reportPickedLine).
    const asRepeat = block.annotated && !picked && !block.rule.headNext;
    const headText = asRepeat ? block.headText.slice(ANNOTATION.length) : block.headText;
    const headShape = picked || block.rule.headNext ? 0 : block.headShape;
    // Without a baseline only the repeat lookup below reads the template: it is built there, where it is needed.
    const facts = this.headFacts(headText, headShape, Boolean(this.baseline));
    // A green run's baseline keeps each line's template as the line stands, `##[error]` and all (see baseline.ts).
    if (this.baseline && facts) block.inBaseline = this.baseline.has(facts.template) || (asRepeat && this.baseline.has(normalizeLine(block.headText)));
    // An exit status is boilerplate, except where the status itself is the evidence (137: the OOM killer).
    // A tool's quote of a subprocess's output says what failed by the output (see `keyLines.tail`), or by its
    // headline when the output is empty (`╰─> [0 lines of output]`), whatever that headline says (pip's `× … did not
    // run successfully.`).
    const quotes = !picked && block.tailLines !== null;
    // Facts not built yet (see below) keep no answer: a head of their shape asks again once, after they are. Nor an
    // annotation's copy: its facts are of the text past `##[error]`, which WRAPPER_RE's anchors do not read alike.
    // Their answer goes to a throw-away object made like HeadFacts: a `{}` has another map, and met first after V8
    // had optimised this method it threw the optimised code away (session 66).
    block.wrapper = block.rule.weight >= 20 && !quotes && !EXIT_STATUS_EVIDENCE.has(block.rule.category) && (((asRepeat ? null : facts) ?? ({ template: '', wrapper: null } as HeadFacts)).wrapper ??= block.headText !== block.wrapperFreeHead && WRAPPER_RE.test(block.headText));
    // A script's error record after a failure its step printed (PowerShell 7's `throw "Packaging failed"` under the
    // tool's own error) says that the script stopped, whatever its message: it closes that failure's report, below it.
    if (!block.wrapper && block.rule.closing !== undefined && !block.rule.statusOnly && this.saidWhatFailed(block.section, block.startLine)) block.wrapper = true;
    // rake's report and its status line for a failed command, in either order: see readRakeVerdict.
    if (block.rule === RAKE_ABORTED_RULE || block.rule === BUILD_FAILED_RULE) this.readRakeVerdict(block);
    // An action or problem matcher reporting an error fails its step even without an exit-code line.
    if (this.gha && block.annotated && this.failedCount === 0 && block.section.kind === 'step') this.markFailed(block.section, block.headLine, false);
    const isCascade = block.rule.weight < 20 || block.wrapper;
    if (!isCascade) {
      block.section.findings++;
      block.section.lastFinding = block;
    }
    // Once the scanner prunes, a block behind MAX_BLOCKS kept ones of its rank class is dropped unless it repeats a
    // kept block (see keepCandidate): a word of its head that no kept template holds says it does not.
    if (
      !facts &&
      this.pruned &&
      (block.section.keptByRankClass.get(this.rankClass(block)) ?? 0) >= MAX_BLOCKS &&
      templateHoldsWordOutside(headText, (this.keptWords ??= new Set([...this.byKey.keys()].flatMap(wordsOf))), headText === block.pathFreeHead)
    ) {
      return;
    }
    const template = (facts ?? (this.headFacts(headText, headShape, true) as HeadFacts)).template;
    block.template = template;
    const sameTemplate = this.byKey.get(template);
    const existing = sameTemplate?.get(block.key);
    if (existing) {
      existing.occurrences++;
      if (existing.repeats.length < 20) existing.repeats.push({ startLine: block.startLine, endLine: block.endLine, headLine: block.headLine });
      if (block.headLine > this.reportedUpTo) this.reportedUpTo = block.headLine;
      return;
    }
    this.keepCandidate(block, template, sameTemplate);
  }

  /**
   * A block dropped because no line of it confirmed its rule (see {@link Rule.confirmedBy}) held its lines unread by
   * the other rules: a failure printed inside it (a compiler's error under a script's `FAIL: lint.sh`, which only
   * looks like automake's harness) is real on its own. Its lines under the headline are read again from the ring, as
   * if no block had been open, and what they open is closed before the line at hand is read; a block they open that is
   * dropped in turn is not read a third time. The ring holds them all: those that left it were read so before
   * (see {@link readHeldLines}). Cold path.
   */
  private rereadUnconfirmed(block: Block): void {
    // Once, not again for a block the re-read opens and drops: nested, a staircase of look-alike headlines (each
    // inside the block above, as tasty's indented `name: FAIL` can be) read each line once per block above it.
    if (this.rereading) return;
    // Its headline too, by the rules after its own, where the rule says so (Rule.rereadHead): a line a later rule
    // reads (`«Deploy» failed: connection refused`, a script's tag in guillemets where cdk.error's one-word codes
    // wanted a stack) is that rule's failure. So are its other lines that rule matches (`«Notify» failed: ECONNRESET`
    // right under it): a block of the dropped rule opened on one would hold the lines under it (a compiler's error)
    // and be dropped unread. Not when its lines were read so while it was open (readHeldLines).
    const fromHead = block.rule.rereadHead === true && block.rereadFrom === block.headLine + 1;
    if (fromHead) this.droppedRule = block.rule;
    this.rescan(fromHead ? block.headLine : block.rereadFrom, block.endLine);
    this.droppedRule = null;
  }

  /**
   * Reads the lines of `block`, the open block, unconfirmed, from its {@link Block.rereadFrom} to the line above `line`
   * (the line at hand) again as under no block, as {@link rereadUnconfirmed} would once it is dropped, before they
   * leave the ring; then `block` goes on, open. What they open is closed, and stays found if `block` is confirmed
   * later (a traceback under a fake heading is the failure either way). Cold path: once a ring's length of lines.
   */
  private readHeldLines(block: Block, line: number): void {
    if (this.rereading) return this.closeOpen();
    this.open = null;
    this.rescan(block.rereadFrom, line - 1);
    block.rereadFrom = line;
    this.open = block;
  }

  /**
   * Scans the ring's lines `from` to `to` again as under no block (the re-reads of {@link rereadUnconfirmed},
   * {@link readHeldLines} and {@link rereadUnendedPassingReports}), closes what they open (unless `closeAtEnd` is
   * false: the last block stays open for the step's exit line to confirm), and gives the line at hand its questions
   * back.
   */
  private rescan(from: number, to: number, closeAtEnd = true): void {
    this.rereading = true;
    const scanned = this.scannedLine;
    for (let l = from; l <= to; l++) {
      const text = this.ringAt(l);
      if (text !== null) this.scan(l, text, text);
    }
    if (closeAtEnd) this.closeOpen();
    this.rereading = false;
    // The line at hand is asked about again: the questions of the lines read since were the memo's last.
    const current = this.ringAt(scanned);
    if (current !== null) startLine(current);
    this.scannedLine = scanned;
  }

  /**
   * `block` becomes the rule of the language its lines show (see {@link Rule.languageFrom}): a Ruby backtrace under
   * `RuntimeError: …`, JVM frames under `de.acme.InvoiceError: …`. The frames are read first: the line filter lets a
   * block take them as raw bytes, unread (`\tat …` lines in a large log). Only the headline and the lines right under
   * it count: a runtime prints an exception's frames with no blank line between, and frames past one (a stored line's
   * number skips it) are another exception's, such as the JVM's under a message quoting a Python worker's traceback
   * with its last newline. Apart from {@link closeOpen}: two rules ask.
   */
  private takeLanguage(block: Block, languageFrom: NonNullable<Rule['languageFrom']>): void {
    const lines = this.languageLines(block);
    for (const { re, rule } of languageFrom) {
      for (const text of lines) {
        if (!re.test(text)) continue;
        block.rule = RULE_BY_ID.get(rule) ?? block.rule;
        return;
      }
    }
  }

  /**
   * The lines {@link takeLanguage} reads: the headline and at most {@link LANGUAGE_LINES} - 1 lines right under it,
   * without the task prefix, read from the ring where the line filter left them as bytes. Not the whole block: a
   * .NET or Go trace under an exception named like Python's matches no language, and reading all its frames cost a
   * log of 20,000 such exceptions (12 MB) 56 % more instructions than reading none, against 9 % for three lines
   * (attack 55, cachegrind: 3.00 G, 1.92 G, 2.10 G). Every language read names itself at once: the place it threw at
   * on the headline (PHP), its first frame or cause right under the message (a message of two lines at most).
   */
  private languageLines(block: Block): string[] {
    const out: string[] = [];
    const lines = block.lines;
    let last = block.headLine - 1;
    for (let k = 0; k < lines.length && out.length < LANGUAGE_LINES; k++) {
      const stored = lines[k] as LogLine;
      if (stored.line < block.headLine) continue;
      if (stored.line !== last + 1) break;
      last = stored.line;
      if (block.unreadFrom !== -1 && k >= block.unreadFrom && stored.text === '') stored.text = cut(this.ringAt(stored.line) ?? '');
      const text = stored.text;
      out.push(text.startsWith(block.taskPrefix) ? text.slice(block.taskPrefix.length) : text);
    }
    return out;
  }

  /**
   * A closing block whose rule picked the line that says why: that line becomes its head, and its key (returned) is
   * its rule and its headline's words. Apart from {@link closeOpen}: many blocks pick nothing, and its first use
   * would otherwise throw away the compiled `closeOpen`.
   */
  private reportPickedLine(block: Block): string {
    const head = block.annotated ? block.headText.slice(ANNOTATION.length) : block.headText;
    const keyFrom = block.rule.keyFrom;
    const headKey = `${block.rule.id}\u0000${head.trimStart().replace(/\d+/g, '0')}`;
    const key = keyFrom === undefined ? headKey : keyWithLine(block, headKey, keyFrom);
    block.headLine = block.pickLine;
    block.headText = block.pickText;
    if (!block.lines.some((l) => l.line === block.pickLine)) block.lines.push({ line: block.pickLine, text: block.pickText });
    return key;
  }

  /**
   * The block {@link closeOpen} closed is no repeat: it becomes a candidate. Apart from `closeOpen` (which every block
   * runs, a repeat included), so that what only a new failure runs is compiled on its own and its first use of a
   * path does not throw away the compiled `closeOpen`.
   */
  private keepCandidate(block: Block, template: string, sameTemplate: Map<string, Block> | undefined): void {
    // Once the scanner prunes (a log with more than 2 × MAX_BLOCKS candidates), a block behind MAX_BLOCKS earlier
    // ones of its rank class is what every later prune drops: it is dropped now, before its texts are copied and
    // its context gathered (in a log of distinct compiler errors, nearly every block). Before the first prune it
    // is kept, since a log that never prunes ranks every candidate at the end.
    const rankClass = this.rankClass(block);
    const keptOfClass = block.section.keptByRankClass.get(rankClass) ?? 0;
    if (this.pruned && keptOfClass >= MAX_BLOCKS) return;
    block.section.keptByRankClass.set(rankClass, keptOfClass + 1);
    if (!sameTemplate) {
      sameTemplate = new Map();
      this.byKey.set(template, sameTemplate);
      if (this.keptWords) for (const word of wordsOf(template)) this.keptWords.add(word);
    }
    sameTemplate.set(block.key, block);
    this.blocks.push(block);
    if (block.rule.tally !== undefined && !this.inTallyList(block)) this.wantTally(block);
    if (block.headLine > this.reportedUpTo) this.reportedUpTo = block.headLine;
    // Only a kept block's texts outlive the chunk they were read from (repeats are counted, never stored).
    this.readStored(block);
    block.headText = own(block.headText);
    block.pickText = own(block.pickText);
    for (const l of block.lines) l.text = own(l.text);
    for (const l of this.takeBefore(block)) l.text = own(l.text);
    for (let l = block.endLine + 1; l <= this.lastLine && block.after.length < this.contextLines; l++) {
      const t = this.ringAt(l);
      if (t !== null) block.after.push({ line: l, text: clip(t) });
    }
    block.afterWanted = this.contextLines - block.after.length;
    if (block.afterWanted > 0) this.awaiting.push(block);
    if (this.blocks.length > MAX_BLOCKS * 2) this.prune();
  }

  /**
   * A block whose headline only announces the failure (`rake aborted!`, see {@link Rule.headNext}) starts at its
   * next line; false when it has none (the block is dropped). Cold path, apart from {@link closeOpen}.
   */
  private dropAnnouncingLine(block: Block): boolean {
    this.readStored(block);
    const next = block.lines[1];
    if (!next) return false;
    block.lines.shift();
    block.lineCount--;
    block.startLine = next.line;
    block.headLine = next.line;
    block.headText = next.text;
    // The announcing line (`rake aborted!`) becomes context: the lines just above what the block shows.
    if (block.before === null) block.beforeFrom = next.line;
    return true;
  }

  /**
   * Drops the line the look-back pulled above the headline when it names what ran then (go test -v's `=== RUN
   * TestRestock`, or any part of `TestSuite/TestRestock`) and the report's own lines name others only (a goroutine TestLevel left running: see the rule's
   * `lookback.names`). A report that names nothing keeps it: the line is all it has.
   */
  private dropMisnamingLine(block: Block, names: { readonly line: RegExp; readonly frame: RegExp }): void {
    this.readStored(block);
    const pulled = block.lines[0];
    const ran = pulled !== undefined && pulled.line < block.headLine ? names.line.exec(bodyOf(block, pulled.text))?.[1]?.split('/') : undefined;
    if (ran === undefined) return;
    let namesOther = false;
    for (const stored of block.lines) {
      const named = stored.line > block.headLine ? names.frame.exec(bodyOf(block, stored.text))?.[1] : undefined;
      if (named !== undefined && ran.includes(named)) return;
      namesOther ||= named !== undefined;
    }
    if (!namesOther) return;
    block.lines.shift();
    block.lineCount--;
    block.startLine = block.headLine;
    if (block.before === null) block.beforeFrom = block.headLine;
  }

  /** Whether the line right under the headline of `block`, still as it opened, matches `nextLine` (see {@link Rule.nextLine}). */
  private hasNextLine(block: Block, nextLine: RegExp): boolean {
    this.readStored(block);
    const below = block.lines.find((stored) => stored.line === block.headLine + 1);
    return below !== undefined && nextLine.test(below.text.slice(block.taskPrefix.length));
  }

  /**
   * Line `line`, the one after the open closing report's last, goes on with it when its rule's `through` matches it;
   * else the report has ended, as it has once a line is skipped: the reader skips no line of it, each holding a word
   * the scanner's triggers look for. Behind a task runner's prefix (docker compose's `tests-1  | `) the report's
   * lines carry the prefix of the line it opened on, read without it.
   */
  private goOnClosing(line: number, text: string): void {
    const block = this.closingReport;
    const body = block === null || block.taskPrefix === '' || !text.startsWith(block.taskPrefix) ? text : text.slice(block.taskPrefix.length);
    if (block !== null && this.closingThrough?.test(body) === true) {
      block.closedThrough = line;
      this.closingNext = line + 1;
    } else {
      this.closingReport = null;
      this.closingNext = -1;
    }
  }

  /**
   * Line `line` (read as `text`) is the run's summary for the waiting blocks whose rule's `tally` it matches, those
   * of the section it is printed in: a run that stopped before its summary does not take the next step's.
   */
  private takeTally(line: number, text: string, prefix: string): void {
    for (const [rule, blocks] of this.tallyWanted) {
      if (rule.tally?.test(text) !== true) continue;
      // Tasks a runner runs together (`app:test: `, `lib:test: `) each print their own summary: a block of another
      // task waits for its own.
      const otherTasks = blocks.filter((block) => prefix !== '' && block.taskPrefix !== '' && block.taskPrefix !== prefix);
      for (const block of blocks) if (block.section === this.section && !otherTasks.includes(block)) block.tallyLine = line;
      if (otherTasks.length > 0) this.tallyWanted.set(rule, otherTasks);
      else this.tallyWanted.delete(rule);
    }
  }

  /**
   * Line `line` (`text`, read past a task's prefix as `task`) after a block of the {@link tallyListRule}: a run's
   * summary it remembers ({@link tallySeen}), or the heading its rule's `tallyAbove` matches, whose list takes the
   * summary printed under the same prefix with fewer than {@link TALLY_ABOVE_LINES} of that prefix's lines besides
   * those `tallyAbove.through` matches between them.
   */
  private followTallyList(line: number, text: string, task: string): void {
    const rule = this.tallyListRule as Rule;
    const above = rule.tallyAbove;
    if (above === undefined) return;
    const prefix = text.slice(0, text.length - task.length);
    if (above.heading.test(task)) {
      const seen = this.tallySeen.get(prefix);
      this.tallySeen.delete(prefix);
      if (seen !== undefined) this.tallyList = { rule, tallyLine: seen.line, entryStart: 0 };
      return;
    }
    if (rule.tally?.test(task) === true) {
      // Re-inserted, so that the first of the map is the prefix whose summary was read longest ago.
      this.tallySeen.delete(prefix);
      if (this.tallySeen.size >= TALLY_PREFIXES) this.tallySeen.delete(this.tallySeen.keys().next().value as string);
      this.tallySeen.set(prefix, { line, passed: 0, through: line });
      return;
    }
    if (this.tallySeen.size > 0 && above.through?.test(task) !== true) this.passTallySeen(prefix, line);
  }

  /** A line under `prefix` between its {@link tallySeen} summary and a heading that may take it, not its `through`. */
  private passTallySeen(prefix: string, line: number): void {
    const seen = this.tallySeen.get(prefix);
    // Once a line: a dropped block's lines are read again (rereadUnconfirmed), its headline among them.
    if (seen === undefined || line <= seen.through) return;
    seen.through = line;
    if (++seen.passed >= TALLY_ABOVE_LINES) this.tallySeen.delete(prefix);
  }

  /**
   * A block of `rule` (with `tallyAbove`) opens on line `line`: within the {@link tallyList}, an entry of it when its
   * rule's `entry` matches the line above; any other ends the list (the next run's own report).
   */
  private openTallyListEntry(rule: Rule, line: number, taskPrefix: string, startLine: number): void {
    this.tallyListRule = rule;
    const list = this.tallyList;
    if (list === null || list.rule !== rule) return;
    const above = line > 1 ? this.ringAt(line - 1) : null;
    const body = above === null || taskPrefix === '' ? above : taskBody(taskPrefix, above);
    if (body !== null && rule.tallyAbove?.entry.test(body) === true) list.entryStart = startLine;
    else this.tallyList = null;
  }

  /** Whether `block`, being kept or counted as a repeat, is the {@link tallyList}'s last entry: it takes its summary. */
  private inTallyList(block: Block): boolean {
    const list = this.tallyList;
    if (list === null || list.rule !== block.rule || list.entryStart !== block.startLine) return false;
    block.tallyLine = list.tallyLine;
    return true;
  }

  private wantTally(block: Block): void {
    const blocks = this.tallyWanted.get(block.rule);
    if (blocks === undefined) this.tallyWanted.set(block.rule, [block]);
    else blocks.push(block);
  }

  /**
   * The {@link HeadFacts} of a closing block's head `text`, whose shape class is `shape` (0: not known), built when
   * `build`; null when they are neither known nor built.
   */
  private headFacts(text: string, shape: number, build: boolean): HeadFacts | null {
    if (shape !== 0) {
      const known = this.factsByShape.get(shape);
      if (known !== undefined) return known;
    }
    if (!this.lastHead.matches(text)) {
      if (!build) return null;
      this.lastHead.pin(text);
      this.lastFacts = { template: normalizeLine(text), wrapper: null };
    }
    if (shape !== 0) {
      if (this.factsByShape.size >= MAX_SHAPES_KEPT) this.factsByShape.clear();
      this.factsByShape.set(shape, this.lastFacts);
    }
    return this.lastFacts;
  }

  private feedAfter(line: number, text: string): void {
    let kept = 0;
    for (const block of this.awaiting) {
      if (line > block.endLine) {
        block.after.push({ line, text: clip(text) });
        block.afterWanted--;
      }
      if (block.afterWanted > 0) this.awaiting[kept++] = block;
    }
    this.awaiting.length = kept;
  }

  /** Keeps the MAX_BLOCKS most promising candidates; earlier blocks win ties (first cause over cascade). */
  private prune(): void {
    this.pruned = true;
    this.keptWords = null;
    const ranked = this.blocks.map((block) => ({ block, score: this.score(block) }));
    ranked.sort((a, b) => b.score - a.score || a.block.startLine - b.block.startLine);
    const kept = new Set(ranked.slice(0, MAX_BLOCKS).map((r) => r.block));
    for (const { block } of ranked.slice(MAX_BLOCKS)) {
      const rankClass = this.rankClass(block);
      const counts = block.section.keptByRankClass;
      counts.set(rankClass, (counts.get(rankClass) ?? 1) - 1);
      const sameTemplate = this.byKey.get(block.template);
      sameTemplate?.delete(block.key);
      if (sameTemplate?.size === 0) this.byKey.delete(block.template);
    }
    keepOnly(this.blocks, kept);
    keepOnly(this.awaiting, kept);
    for (const blocks of this.tallyWanted.values()) keepOnly(blocks, kept);
  }

  private newSection(title: string, kind: SectionKind, step: StepRef | null, outputFrom: number = this.lastLine): Section {
    return { id: this.sectionCount++, title: title.slice(0, 300), kind, step, status: 'open', failIndex: 0, outputFrom, findings: 0, lastFinding: null, keptByRankClass: new Map(), runsEnded: 0 };
  }

  private onExit(line: number, code: number, jobEnd: boolean): void {
    const failed = code !== 0;
    if (jobEnd) {
      if (failed && this.failedCount === 0) {
        // GitLab/Jenkins report the failure once for the whole job: blame the last step that printed something.
        const target = this.section.findings > 0 ? this.section : this.lastSectionWithFindings();
        this.markFailed(target ?? this.section, line);
      }
      this.jobEnded = true;
      return;
    }
    if (!failed) {
      if (this.section.status === 'open') this.section.status = 'passed';
      return;
    }
    this.markFailed(this.section, line);
  }

  private lastSectionWithFindings(): Section | null {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const block = this.blocks[i];
      if (block && block.rule.weight >= 40 && !block.wrapper) return block.section;
    }
    return null;
  }

  private markFailed(section: Section, line: number, explainFromOutput = true): void {
    if (section.status === 'failed') return;
    section.status = 'failed';
    section.failIndex = this.failedCount++;
    if (this.firstFailed === null) this.firstFailed = section;
    if (!explainFromOutput || section !== this.section) return;
    if (section.findings > 0) this.setAsideTrapOutput(section, line);
    if (section.findings === 0) this.addFallback(line);
  }

  /**
   * A traced step whose script a command stopped, its EXIT or ERR trap run after it: what the trap's command printed
   * below its trace (`+ rm /tmp/x.lock`, then `rm: cannot remove …`) is the clean-up's failure, not the script's. When
   * every finding of the step is such output, they become wrappers and the fallback reads the traced command above
   * the trap. Only when the script surely stopped on that command: an ERR trap runs on a failing command alone; an
   * EXIT trap runs as well when the script ends, and bash then exits with the trap's status (its failure is the
   * step's), so the command must be one the script's own lines go on past (see {@link scriptWentOnPast}).
   */
  private setAsideTrapOutput(section: Section, markerLine: number): void {
    if (!this.stepScript.some((t) => TRACING_SCRIPT_RE.test(t))) return;
    const from = Math.max(1, section.outputFrom + 1);
    const untagged = (t: string): string => t.slice(taskPrefixLength(t) || this.taskNames.prefixLength(t));
    const traces: number[] = [];
    for (let l = Math.max(from, markerLine - RING_SIZE + 1); l < markerLine; l++) {
      const t = this.ringAt(l);
      if (t !== null && XTRACE_RE.test(untagged(t))) traces.push(l);
    }
    const handlers = this.trapHandlers(from, markerLine - 1, untagged);
    const at = traces.findLastIndex((l) => handlers.some((h) => h.trace.test(XTRACE_PREFIX_RE.exec(untagged(this.ringAt(l) ?? ''))?.[1] ?? '')));
    const trapLine = traces[at];
    const stopped = traces[at - 1];
    if (trapLine === undefined || stopped === undefined) return;
    const errOnly = handlers.every((h) => h.errOnly);
    const command = XTRACE_PREFIX_RE.exec(untagged(this.ringAt(stopped) ?? ''))?.[1] ?? '';
    if (!errOnly && !this.scriptWentOnPast(command)) return;
    const own = this.blocks.filter((b) => b.section === section && !b.wrapper && b.rule.weight >= 20);
    if (own.length !== section.findings || own.some((b) => b.startLine <= trapLine)) return;
    for (const block of own) block.wrapper = true;
    section.findings = 0;
  }

  /**
   * Whether the step's script, as its header lists it, goes on past the command bash traced as `command`: a line of
   * it traces so, and a command follows it that bash would trace had it run (not `fi`, `done`, a comment). No answer
   * but false for a script that defines a function (the command may be its body's, run by the script's last line)
   * or that the header does not list whole.
   */
  private scriptWentOnPast(command: string): boolean {
    const script = this.stepScript;
    if (script.length > STEP_SCRIPT_LINES || script.some((t) => SHELL_FUNCTION_RE.test(t))) return false;
    const at = script.findIndex((t) => traceOfCommand(t.trim())?.test(command) === true);
    return at >= 0 && script.slice(at + 1).some((t) => SHELL_COMMAND_LINE_RE.test(t));
  }

  /**
   * The failing step printed nothing a rule knows: its last output lines are the best explanation there is. Its
   * header's echo of the script and an action's `[command]` echo are what it ran, not what it printed.
   */
  private addFallback(markerLine: number): void {
    const from = Math.max(1, this.section.outputFrom + 1);
    if (this.addStepListing(markerLine, from)) return;
    const picked: number[] = [];
    for (let l = markerLine - 1; l >= from && markerLine - l < RING_SIZE && picked.length < 5; l--) {
      const t = this.ringAt(l);
      if (t === null) break;
      if (SECTION_START_RE.test(t)) break;
      if (!NON_BLANK_RE.test(t) || TRAVIS_NOISE_RE.test(t)) continue;
      // Read as the tool printed it: a task runner's `web:build: npm ERR! …` is cascade too.
      const body = t.slice(taskPrefixLength(t) || this.taskNames.prefixLength(t));
      if (CASCADE_RULES.some((r) => r.re.test(body))) {
        // Whatever followed the cascade (`info Visit https://yarnpkg.com/…`) is noise; the cause is above it.
        picked.length = 0;
        continue;
      }
      picked.push(l);
    }
    if (picked.length === 0) return;
    picked.reverse();
    // A `+ ` line is a trace only in a traced step: its header turns tracing on, or its last lines hold two traces (a
    // script that sets -x itself). Else it is a markdown list's item or a diff's line below the step's complaint.
    // A task runner's `web:check: + cmd` is a trace too, read without the prefix.
    const untagged = (t: string): string => t.slice(taskPrefixLength(t) || this.taskNames.prefixLength(t));
    const isTrace = (t: string): boolean => XTRACE_RE.test(untagged(t));
    const traced = this.stepScript.some((t) => TRACING_SCRIPT_RE.test(t)) || picked.filter((l) => isTrace(this.ringAt(l) ?? '')).length >= 2;
    if (traced) picked.length = this.beforeExitTrap(picked, from, untagged);
    const first = picked[0] ?? markerLine;
    this.openBlock(FALLBACK_RULE, first, this.ringAt(first) ?? '', false);
    const block = this.open;
    if (!block) return;
    for (const l of picked.slice(1)) this.append(block, l, this.ringAt(l) ?? '');
    // The step's own words for what went wrong, when it has some, explain it better than its first output line. Under
    // `set -x` bash prints each command as `+ cmd` before running it: the last such trace is the command that failed,
    // and what it printed is below it (a `+ exit 1` is no culprit: the script's own message above it says why).
    for (let i = picked.length - 1; i >= 1; i--) {
      const l = picked[i] as number;
      const text = this.ringAt(l) ?? '';
      if (COMPLAINT_RE.test(text) || (traced && isTrace(text))) {
        block.headLine = l;
        block.headText = text;
        block.headShape = 0;
        break;
      }
    }
    this.closeOpen();
  }

  /**
   * How many of a traced step's last lines `picked` (in order) come before its EXIT or ERR trap ran: bash runs the
   * trap's command when the script stops on the failing one and traces it (`+ docker compose down`, `+ cleanup` and
   * the function's commands), below what the failing command printed. The trap's command is read from the script's
   * `trap 'cmd' EXIT` in the step's header or bash's trace of it (`+ trap 'docker compose down' EXIT`, the words
   * expanded), in the step's output up to the picked lines; its last trace among them starts the clean-up. All of
   * them when there is none, or it is the first.
   */
  private beforeExitTrap(picked: readonly number[], from: number, untagged: (t: string) => string): number {
    const handlers = this.trapHandlers(from, picked.at(-1) ?? from, untagged);
    if (handlers.length === 0) return picked.length;
    for (let i = picked.length - 1; i >= 1; i--) {
      const trace = XTRACE_PREFIX_RE.exec(untagged(this.ringAt(picked[i] as number) ?? ''));
      if (trace !== null && handlers.some((h) => h.trace.test(trace[1] as string))) return i;
    }
    return picked.length;
  }

  /**
   * The step's EXIT and ERR traps, from the script's `trap 'cmd' EXIT` in its header or bash's trace of one in its
   * output from line `from` to `last`: what bash's trace of each one's (first) command reads, and whether it is set
   * for ERR alone (run on a failing command only, not at the script's end).
   */
  private trapHandlers(from: number, last: number, untagged: (t: string) => string): Array<{ trace: RegExp; errOnly: boolean }> {
    const trapLines = [...this.stepScript];
    for (let l = Math.max(from, last - RING_SIZE + 1); l <= last; l++) {
      const t = this.ringAt(l);
      if (t !== null && t.includes('trap ')) trapLines.push(untagged(t));
    }
    const handlers: Array<{ trace: RegExp; errOnly: boolean }> = [];
    for (const t of trapLines) {
      const trap = EXIT_TRAP_RE.exec(t);
      const command = (trap?.[1] ?? trap?.[2] ?? trap?.[3])?.split(/;|&&|\|\|/)[0]?.trim();
      const trace = command ? traceOfCommand(command) : null;
      const signals = TRAP_SIGNALS_RE.exec(t)?.[0] ?? '';
      if (trace !== null) handlers.push({ trace, errOnly: / ERR\b/.test(signals) && !/ (?:EXIT|0)\b/.test(signals) });
    }
    return handlers;
  }

  /**
   * The failing step's command prints a list when it fails (see `STEP_LISTINGS`): the items it printed last, above
   * blank lines only, are the failure. False, and nothing opened, when the step is no such command or its output
   * does not end with such items (`terraform fmt -check -diff` ends with a diff).
   */
  private addStepListing(markerLine: number, from: number): boolean {
    // A command on the last line of the step's script is read as the title it would have as a step of its own: the
    // step's output ends with its. Not one above it (`npx remark --frail --quiet docs`, silent when it passes, then a
    // check of generated files listing stale ones), nor in a script longer than the lines the header lists.
    const script = this.stepScript.slice(1).filter((line) => line.trim() !== '');
    const lastCommand = this.stepScript.length <= STEP_SCRIPT_LINES ? script.at(-1) : undefined;
    const titles = lastCommand === undefined ? [this.section.title] : [this.section.title, `Run ${lastCommand}`];
    const listing = STEP_LISTINGS.find((l) => titles.some((title) => l.command.test(title)));
    if (listing === undefined) return false;
    const items: number[] = [];
    for (let l = markerLine - 1; l >= from && markerLine - l < RING_SIZE; l--) {
      const t = this.ringAt(l);
      if (t === null) break;
      // Blank lines are passed over: vfile-reporter puts one between files and above its tally.
      if (listing.item.test(t)) items.push(l);
      else if (NON_BLANK_RE.test(t) && listing.pass?.test(t) !== true) break;
    }
    const last = items[0];
    if (last === undefined) return false;
    const first = items[items.length - 1] as number;
    this.openBlock(listing.rule, first, this.ringAt(first) ?? '', false);
    const block = this.open;
    if (!block) return false;
    for (let l = first + 1; l <= last; l++) {
      const t = this.ringAt(l) ?? '';
      if (listing.pass?.test(t) !== true) this.append(block, l, t);
    }
    this.closeOpen();
    return true;
  }

  private score(block: Block): number {
    let score = fixedScore(block);
    if (block.section.kind === 'step' && this.failedCount > 0) {
      const status = block.section.status;
      if (status === 'failed') score += 30 - Math.min(block.section.failIndex, 2) * 6;
      else if (status === 'passed') score -= 40;
      else score -= 20;
    }
    // Set aside after the block was classed (see rankClass): a prune already kept it by its class's score.
    if (block.run === PASSED_SESSION_RUN) score -= 40;
    return score;
  }

  /**
   * Blocks of one section with one rank class always score alike (the rest of {@link score} depends on the
   * section alone), rank by their start line, and are kept by the final ranking alike (rule, wrapper): of a
   * class, the earliest MAX_BLOCKS outrank every later block at every prune.
   */
  private rankClass(block: Block): number {
    let rule = this.ruleNumbers.get(block.rule.id);
    if (rule === undefined) {
      rule = this.ruleNumbers.size;
      this.ruleNumbers.set(block.rule.id, rule);
    }
    // One number, not a string: closing a block looks its class up, and on a log whose every line is a new
    // failure, building and hashing a string key there was a tenth of the scan. Scores stay within ±1,000.
    return ((fixedScore(block) + 1024) * 2 + (block.wrapper ? 1 : 0)) * RULE_NUMBERS + rule;
  }

  /** Ends the scan and ranks the candidates (best first). */
  finish(): ScanResult {
    if (this.stepHeaderLeft > 0) {
      this.stepHeaderLeft = 0;
      this.startStepOfHeader(this.stepHeaderFrom - 1);
      this.rescanStepHeader(this.lastLine + 1);
    }
    this.rereadUnendedPassingReports(this.lastLine);
    this.closeOpen();
    const ranked = this.blocks.map((block) => new RankedCandidate(block, this.score(block)));
    passOutputGoneOnPast(ranked);
    lintStepGoneOnPast(ranked);
    ranked.sort((a, b) => b.score - a.score || a.block.startLine - b.block.startLine);
    const tail: LogLine[] = [];
    for (let l = this.lastLine; l >= 1 && this.lastLine - l < RING_SIZE && tail.length < 5; l--) {
      const t = this.ringAt(l);
      if (t !== null && NON_BLANK_RE.test(t)) tail.unshift({ line: l, text: clip(t) });
    }
    // A closing report whose message is an exit status (a PowerShell `throw "… failed with exit code 1"`) stays: the
    // report of what failed above it lists it (see `Rule.closing`), below every cause as a wrapper.
    const specific = ranked.filter((r) => r.block.rule.weight >= 20 && (!r.block.wrapper || r.block.closedThrough !== 0));
    const failedStep = this.firstFailed?.step ?? null;
    const kept = specific.length > 0 ? specific : ranked;
    const top = kept[0]?.block;
    if (top !== undefined && top.headingLine === 0) top.headingLine = this.workspaceScriptAbove(top);
    return { ranked: kept, tail, failedStep, signals: kept[0] ? this.signalsOf(kept) : null };
  }

  private signalsOf(ranked: readonly RankedBlock[]): RankingSignals {
    const top = ranked[0] as RankedBlock;
    const block = top.block;
    const rival = ranked.find((r) => r.block.rule.id !== block.rule.id || r.category !== top.category);
    return {
      rule: block.rule.id,
      ruleWeight: block.wrapper ? WRAPPER_WEIGHT : block.rule.weight,
      step: this.failedCount === 0 ? 'unknown' : block.section.status === 'failed' ? 'failed' : 'other',
      baseline: this.baseline ? (block.inBaseline ? 'seen' : 'new') : 'none',
      margin: rival ? top.score - rival.score : 100,
      candidates: ranked.length,
      specificCategory: top.category !== 'unknown' && (!block.rule.refine || block.rule.category !== 'unknown' || refineCategory(block.headText, 'unknown') !== 'unknown'),
      lastInStep: block.section.lastFinding === block,
      generic: GENERIC_RULES.includes(block.rule) || block.rule === FALLBACK_RULE || block.rule === FAILURE_LIST_ITEM_RULE,
      picked: block.pickRank !== Number.POSITIVE_INFINITY,
    };
  }
}

/** {@link Block.run} of a block printed by a runner's session that passed (see `Rule.runStart`). */
const PASSED_SESSION_RUN = -1;

/** The weight of generic error wording (`generic.error`): the least a failure a closing report closes has. */
const CLOSED_FINDING_WEIGHT = 40;
/** Lines from generic error wording down to a closing report that closes it: right above it, a line between at most. */
const GENERIC_CLOSED_GAP = 2;

/**
 * A block its rule's `keyLines.from` never matched in quotes no part that says why apart from the rest (rustc's link
 * failure under cargo's build-script headline, a build script that wrote nothing to stderr): listed whole up to this
 * many lines; a longer one (a script's stdout dumping its environment) by its first and last lines
 * ({@link unkeyedEnds}).
 */
const UNKEYED_WHOLE_LINES = 40;
/** Of a long block `keyLines.from` never matched in: the lines under its headline that say what ran, … */
const UNKEYED_HEAD_LINES = 4;
/** … and its last lines, where what it quotes stopped. */
const UNKEYED_TAIL_LINES = 20;

/** The key lines of a long block its rule's `keyLines.from` never matched in: its `also` lines, its first and last. */
function unkeyedEnds(block: Block, keyLines: readonly number[]): number[] {
  const lines = new Set(keyLines);
  for (let l = block.startLine + 1; l <= block.startLine + UNKEYED_HEAD_LINES; l++) lines.add(l);
  for (let l = block.endLine - UNKEYED_TAIL_LINES + 1; l <= block.endLine; l++) lines.add(l);
  return [...lines].sort((a, b) => a - b);
}

/** Whether a later line may still be picked: nothing found yet at the first rank, or that rank takes its last match. */
function stillPicking(block: Block, pick: NonNullable<Rule['pick']>): boolean {
  return block.pickRank > 0 || pick[0]?.last === true;
}

/**
 * Removes from `list`, in place, the blocks not in `kept`. In place rather than a new array in the field: V8 compiles
 * code that reads a field no one has written since the object was made as if the field were constant, and the
 * first write throws that code away (the scanner's hottest functions, the first time a long log is pruned).
 */
function keepOnly(list: Block[], kept: ReadonlySet<Block>): void {
  let n = 0;
  for (const block of list) if (kept.has(block)) list[n++] = block;
  list.length = n;
}

function kindOfStepName(name: string): SectionKind {
  if (SETUP_STEP_RE.test(name)) return 'setup';
  if (POST_STEP_RE.test(name)) return 'post';
  return 'step';
}

/** How much of another program's output a block keeps to read its category from (see {@link Block.quoted}). */
const QUOTED_CHARS = 2000;

/**
 * A name the quoted program gives (a file, `app/assets/stylesheets/theme.css`, `.eslintrc.json`; a URL; a ref,
 * `refs/heads/spec/x`): one with a path's separator or an extension. git lists each file it could not write, and a
 * file's name is no word of why: `stylesheets` is no lint failure, `spec/` no test's.
 */
const QUOTED_NAME_RE = /(?<![^\s'"])[^\s'"]*(?:[/\\]|\.\w)[^\s'":]*/g;

/**
 * A line of `block` without the task's prefix, as the tool printed it (`nix build -L`'s `libtiler> `, docker compose's
 * `lint-1  | `). A line pulled in above the head may not carry the prefix (see considerPick).
 */
function bodyOf(block: Block, text: string): string {
  return text.startsWith(block.taskPrefix) ? text.slice(block.taskPrefix.length) : text;
}

/** `key` with the block's first line `keyFrom` matches (see {@link Rule.keyFrom}), when one does. */
function keyWithLine(block: Block, key: string, keyFrom: RegExp): string {
  const keyLine = block.lines.find((l) => keyFrom.test(bodyOf(block, l.text)))?.text ?? '';
  return keyLine === '' ? key : `${key}\u0000${keyLine}`;
}

/** Adds `text`, a line of another program's output the block quotes, to what it keeps of it. */
function addQuoted(block: Block, text: string): void {
  if (block.quoted.length < QUOTED_CHARS) block.quoted = block.quoted === '' ? cut(text) : `${block.quoted}\n${cut(text)}`;
}

/**
 * The category follows the evidence line: a rule's own `categoryFrom` lines in the block decide first (the picked
 * head, which may stand past the lines a block stores, or one of those), then the picked head (a traceback's
 * exception, a pytest `E` line), then another program's output the block quotes (see Rule.interleaved), then the
 * rest of the block, then the step's title.
 */
function categoryOf(block: Block): Category {
  const readings = block.rule.categoryFrom;
  if (readings !== undefined) {
    const texts = [block.headText, ...block.lines.map((l) => l.text)].map((text) => bodyOf(block, text));
    for (const { re, category, unless } of readings) {
      if (texts.some((text) => re.test(text))) return unless !== undefined && texts.some((text) => unless.test(text)) ? block.rule.category : category;
    }
  }
  if (!block.rule.refine) return block.rule.category;
  const own = refineCategory(block.headText, 'unknown');
  if (own !== 'unknown') return own;
  const quoted = block.quoted === '' ? 'unknown' : refineCategory(block.quoted.replace(QUOTED_NAME_RE, ''), 'unknown');
  if (quoted !== 'unknown') return quoted;
  // The head too: a traceback's picked exception line may stand past its first lines, and no refinement matched it
  // above, so it adds only what the title's reading asks of the text (`OWN_CODE_ERROR_RE`, categories.ts).
  return refineCategory([block.headText, ...block.lines.slice(0, 6).map((l) => l.text)].join('\n'), block.rule.category, block.section.title);
}

/**
 * How an analysis redacts its excerpts: `redactSecrets` running only the line patterns whose literals the excerpt
 * holds (redaction/pattern-gate.ts). An analysis redacts each stretch of each failure and each step name on its own,
 * and with every pattern tried at every position that was a fifth of a job log's analysis.
 */
const redactExcerpt: Redact = redactorWith(new LiteralPatternGate());

/**
 * Redacts an excerpt's lines in log order, one stretch of consecutive lines at a time: text that runs over lines (a
 * private key, base64 wrapped by `base64`) reads whole, and the lines around a gap (a block is stored to its first
 * MAX_STORED_LINES lines, its context comes after its end) are not read as if they followed each other. A stretch
 * is cut out of the log at its start unless it starts at line 1, and at its end unless it ends at `lastLine`, the
 * log's last line when the log was read to its end: base64 wrapped over a cut end is read only in part, and is
 * masked (see `TextCut` in redaction/cut-blobs.ts).
 */
function redactLogLines(lines: readonly LogLine[], redact: Redact, lastLine: number): LogLine[] {
  const out = new Array<LogLine>(lines.length);
  let stretch: Array<LogLine & { index: number }> = [];
  const redactStretch = (): void => {
    if (stretch.length === 0) return;
    const cut = { atStart: (stretch[0] as LogLine).line > 1, atEnd: (stretch.at(-1) as LogLine).line < lastLine };
    const texts = redactLines(
      stretch.map((l) => l.text),
      redact,
      cut,
    );
    stretch.forEach((l, k) => {
      out[l.index] = { line: l.line, text: texts[k] ?? WITHHELD_TEXT };
    });
    stretch = [];
  };
  for (const l of lines.map((line, index) => ({ ...line, index })).sort((a, b) => a.line - b.line)) {
    const last = stretch.at(-1);
    if (last !== undefined && l.line !== last.line + 1) redactStretch();
    stretch.push(l);
  }
  redactStretch();
  return out;
}

/**
 * A step with its name redacted: the name is the step's `run:` command when the workflow gives it none
 * (`Run AWS_ACCESS_KEY_ID=… npm test`), and it reaches the diagnosis sentence, the PR comment and the incident.
 */
function redactStep(step: StepRef | null | undefined, redact: Redact): StepRef | null {
  if (!step) return null;
  return { ...step, name: redactLines([step.name], redact)[0] ?? WITHHELD_TEXT };
}

/**
 * Builds the public {@link Failure} for a ranked block: redacted lines and context, fingerprint of the redacted text.
 * `lastLine` is the log's last line when the log was read to its end (see {@link redactLogLines}).
 */
export function toFailure(rankedBlock: RankedBlock, redact: Redact = redactExcerpt, lastLine: number = NO_LINE): Failure {
  const { block, score, category } = rankedBlock;
  const head = block.lines.find((l) => l.line === block.headLine) ?? { line: block.headLine, text: block.headText };
  const ordered = [head, ...block.lines.filter((l) => l.line !== block.headLine)];
  const redacted = redactLogLines([...ordered, ...(block.before ?? []), ...block.after], redact, lastLine);
  const lines = redacted.slice(0, ordered.length);
  const context = redacted.slice(ordered.length).sort((a, b) => a.line - b.line);
  const withheld = lines.some((l) => l.text === WITHHELD_TEXT);
  const { fingerprint, template } = fingerprintOf(
    withheld ? `${block.rule.id}\n${normalizeLine(block.headText)}` : lines.slice(0, 4).map((l) => l.text).join('\n'),
  );
  const failure: Failure = {
    rule: block.rule.id,
    category,
    startLine: block.startLine,
    endLine: block.endLine,
    lines,
    context,
    score,
    fingerprint,
    template: withheld ? WITHHELD_TEXT : template,
  };
  const step = redactStep(block.section.step, redact);
  if (step) failure.step = step;
  if (block.inBaseline) failure.inBaseline = true;
  if (block.occurrences > 1) {
    failure.occurrences = block.occurrences;
    failure.repeats = block.repeats.map((r) => ({ startLine: r.startLine, endLine: r.endLine }));
  }
  if (block.taskPrefix !== '' && lines[0]?.text.startsWith(block.taskPrefix)) failure.taskPrefix = block.taskPrefix;
  if (block.keyLines !== null) {
    if (block.tailLines !== null && block.pickRank === Number.POSITIVE_INFINITY) failure.keyLines = [...new Set([...block.keyLines, ...block.tailLines])].sort((a, b) => a - b);
    else if (block.rule.keyLines?.from === undefined || block.keysFrom !== 0) failure.keyLines = [...block.keyLines];
    else if (block.endLine - block.startLine >= UNKEYED_WHOLE_LINES) failure.keyLines = unkeyedEnds(block, block.keyLines);
  }
  if (block.tallyLine !== 0) failure.tallyLine = block.tallyLine;
  if (block.headingLine !== 0) failure.headingLine = block.headingLine;
  if (block.closedThrough !== 0) failure.closedThrough = block.closedThrough;
  // Only a failure of a session that then said it failed: nox goes on to its next sessions, and one that passes
  // (`Session docs was successful.`) may print a complaint that failed nothing (pip's resolver's) after the last.
  // make's own lines (a sub-make's `make[1]: Target 'all' not remade because of errors.` before the outer make's
  // status) are no target's report: a run of them alone is listed by no line of its own.
  if (block.run !== PASSED_SESSION_RUN && block.run < block.section.runsEnded && !MAKE_OWN_LINE_RE.test(bodyOf(block, block.headText))) failure.run = block.run;
  return failure;
}

/** A line make prints of itself (GNU make's `make[1]: …`, `gmake: …`, BSD make's `*** Error code 1`), not a recipe's command's. */
const MAKE_OWN_LINE_RE = /^(?:g?make|mingw32-make)(?:\[\d+\])?: |^\*\*\* (?:\[\S+\] )?Error code /;

/** Assembles the {@link LogAnalysis} from a finished scan. */
export function buildAnalysis(
  scan: ScanResult,
  read: LogReadMeta,
  options: AnalyzeLogOptions = {},
  redact: Redact = redactExcerpt,
): LogAnalysis {
  const maxFailures = Math.max(1, options.maxFailures ?? 10);
  // The last line numbered, not the count a person reads: after a final line break that is the empty line following
  // it, so redaction still takes an excerpt ending on the last line of text as cut there (base64 wrapped over it masked).
  const lastLine = read.truncated ? NO_LINE : read.lastLine;
  const meta = { lineCount: read.lineCount, bytesRead: read.bytesRead, truncated: read.truncated };
  const failures = scan.ranked.slice(0, maxFailures).map((r) => toFailure(r, redact, lastLine));
  const top = failures[0];
  if (top) {
    return {
      failures,
      category: top.category,
      evidence: top.lines[0] ?? null,
      fingerprint: top.fingerprint,
      template: top.template,
      ...meta,
      step: top.step ?? redactStep(scan.failedStep, redact),
      ...(scan.signals ? { signals: scan.signals, confidence: confidenceOf(scan.signals) } : {}),
    };
  }
  const tail = redactLogLines(scan.tail, redact, lastLine);
  const withheld = tail.some((l) => l.text === WITHHELD_TEXT);
  const { fingerprint, template } = fingerprintOf(tail.map((l) => l.text).join('\n'));
  return {
    failures: [],
    category: 'unknown',
    evidence: null,
    fingerprint,
    template: withheld ? WITHHELD_TEXT : template,
    ...meta,
    step: redactStep(scan.failedStep, redact),
    confidence: 0,
  };
}
