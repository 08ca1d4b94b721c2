/**
 * The log engine's contract with the rest of Pipeline Guard. The classify stage, the CLI and the benchmark
 * only use these types and the functions exported from `shared/logs/index.ts`.
 */

/** The fixed failure taxonomy. Documented in README.md ("Failure categories"). */
export const CATEGORIES = [
  'test_failure',
  'compilation',
  'lint',
  'dependency',
  'infrastructure',
  'timeout',
  'out_of_memory',
  'network',
  'security_scan',
  'configuration',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One log line: 1-based number in the raw bytes (N-th `\n`-separated line) and its cleaned, redacted text. */
export interface LogLine {
  line: number;
  text: string;
}

/** One distinct failure found in a log. */
export interface Failure {
  /** Rule that matched, e.g. `pytest.failed`, `tsc.error`, `infra.oom-killed`. */
  rule: string;
  category: Category;
  /** First and last line of the failure block (1-based, inclusive). */
  startLine: number;
  endLine: number;
  /** The failure lines themselves, most telling first line at index 0. Redacted. */
  lines: LogLine[];
  /** A few lines around the block for the reader. Redacted. */
  context: LogLine[];
  /** Ranking score; higher is more likely the root cause. */
  score: number;
  /** Stable hash of {@link template}. */
  fingerprint: string;
  /** Normalized text (numbers, hashes, paths, durations masked) for similarity search. */
  template: string;
  /** The job step the failure was printed in, when the log or the jobs API marks steps. */
  step?: StepRef;
  /** True when the failure's first line also appears in a green run of the same job (see {@link LogBaseline}). */
  inBaseline?: boolean;
  /** How many times the same failure (same rule and normalized headline) occurred, when more than once. */
  occurrences?: number;
  /** Line ranges of the repeated occurrences (at most 20), when {@link occurrences} is set. */
  repeats?: Array<{ startLine: number; endLine: number }>;
  /**
   * The task runner's prefix on the block's lines (`web:lint: `, `packages/core test: `, or `web: ` once the log
   * named `web` a task), which the rules read past, when the failure is one task's output. Only as it stands in the
   * redacted headline: it tells nothing the lines do not.
   */
  taskPrefix?: string;
  /**
   * Which of the step's runner's sessions printed it, counted by the sessions that failed before it (nox's `nox >
   * Session lint failed.`, see `Rule.endsRun`); only for a failure printed before such a line (in a session that
   * said it failed, or one before it), not for one of the sessions after the last.
   */
  run?: number;
  /**
   * When the block is a test's whole captured output, the lines of it besides its first and its head that say what
   * failed (the picked error's location, a panic's message), in log order: what the prediction lists of the block.
   */
  keyLines?: number[];
  /** The run's summary line after the report (`Summary [ 9.8s] 396 tests run: 395 passed, 1 failed`), when printed. */
  tallyLine?: number;
  /** The line above the report naming what it is about, apart from it (Octave's `>>>>> /path/file.m`; `Rule.lookback`'s `heading`). */
  headingLine?: number;
  /** The last line of the closing report the failure's headline opens (Maven's `Failed to execute goal` and its advice). */
  closedThrough?: number;
}

/** A step of a job: its number (from the jobs API or a `gh run view` log) and name. */
export interface StepRef {
  number: number | null;
  name: string;
  /** The log line the step's output starts at, when known: GitHub's `#step:N:M` links count lines from it. */
  startLine?: number;
}

/** One entry of the jobs API's `steps[]` (GET /repos/{owner}/{repo}/actions/jobs/{job_id}). */
export interface JobStep {
  number: number;
  name: string;
  /** `success`, `failure`, `cancelled`, `skipped`, or null while running. */
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

/** Templates of the lines a green run of the same job printed; lines found here are rarely a failure's cause. */
export interface BaselineLookup {
  has(text: string): boolean;
}

export interface LogAnalysis {
  /** All distinct failures, most likely root cause first. */
  failures: Failure[];
  /** Category of the most likely root cause, or `unknown`. */
  category: Category;
  /** The line that decided {@link category}, if any. */
  evidence: LogLine | null;
  /** Fingerprint of the most likely root cause (or of the log's tail when nothing matched). */
  fingerprint: string;
  template: string;
  /** Lines as a person counts them: a final line break ends the last line, and an empty log has none. */
  lineCount: number;
  bytesRead: number;
  /** True when reading stopped at `maxBytes`. */
  truncated: boolean;
  /** The step that failed (the step of the top failure, else the first step marked failed), when steps are known. */
  step?: StepRef | null;
  /** What the ranking of the top failure rests on; {@link LogAnalysis.confidence} is computed from it. */
  signals?: RankingSignals;
  /** Calibrated probability (0–1) that the first failure line is the one that explains the failure. */
  confidence?: number;
}

/** The evidence behind the top failure, each independent of the others. */
export interface RankingSignals {
  /** The top failure's rule. */
  rule: string;
  /** Weight of the top failure's rule (80–95 a self-explaining failure … 20 generic step output). */
  ruleWeight: number;
  /** Whether the top failure sits in the step the CI system reported as failed. */
  step: 'failed' | 'other' | 'unknown';
  /** Whether the top failure is new compared with a green run of the job. */
  baseline: 'new' | 'seen' | 'none';
  /** Score lead over the best failure of another kind (0 when it is alone). */
  margin: number;
  /** Distinct failures found. */
  candidates: number;
  /** Whether the category comes from the rule or the line itself rather than a guess from generic wording. */
  specificCategory: boolean;
  /** Whether the top failure is the last one its step printed before failing (the cause tends to end a step). */
  lastInStep: boolean;
  /** Whether only generic wording matched (`error:`, `failed`), no toolchain's own format. */
  generic: boolean;
  /** Whether the rule found its explaining line inside a structured block (a traceback's exception, an `E` line). */
  picked: boolean;
}

export interface AnalyzeLogOptions {
  /** Stop reading after this many bytes (default: unbounded). */
  maxBytes?: number;
  /** Lines of context on each side of a failure block (default 3). */
  contextLines?: number;
  /** Maximum failures returned (default 10). */
  maxFailures?: number;
  /** The job's steps from the jobs API: map log lines to steps by time and take each step's conclusion. */
  steps?: readonly JobStep[];
  /** A green run's line templates: failures whose first line is among them are ranked below new ones. */
  baseline?: BaselineLookup;
  /**
   * The log's size in bytes when known before reading it (a file's size, a download's Content-Length). A log of
   * a few megabytes or more then gets the line filter from its first line, instead of once it has shown it is long:
   * the lines read before it cost more, and the code V8 optimised meanwhile is thrown away when it arrives. The
   * analysis is the same either way.
   */
  expectedBytes?: number;
}

/**
 * Anything the engine can read: a whole string, a Buffer, or a byte/string stream (e.g. a fetch body or fs stream).
 * A stream may reuse a chunk's memory once the next chunk is asked for (`fileChunks` in the CLI does): the reader
 * is done with a chunk by then, and copies the bytes of lines it skipped but may still read (see `LineSplitter`).
 */
export type LogSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;
