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
  /** How many times the same failure (same rule and normalized headline) occurred, when more than once. */
  occurrences?: number;
  /** Line ranges of the repeated occurrences (at most 20), when {@link occurrences} is set. */
  repeats?: Array<{ startLine: number; endLine: number }>;
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
  lineCount: number;
  bytesRead: number;
  /** True when reading stopped at `maxBytes`. */
  truncated: boolean;
}

export interface AnalyzeLogOptions {
  /** Stop reading after this many bytes (default: unbounded). */
  maxBytes?: number;
  /** Lines of context on each side of a failure block (default 3). */
  contextLines?: number;
  /** Maximum failures returned (default 10). */
  maxFailures?: number;
}

/** Anything the engine can read: a whole string, a Buffer, or a byte/string stream (e.g. a fetch body or fs stream). */
export type LogSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;
