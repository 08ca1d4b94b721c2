/**
 * Which line patterns can match a text, from one pass over it: the literal index (literal-index.ts) over the
 * required literals of {@link LINE_PATTERNS}. 138 of the 142 patterns name text every match must hold (`atlasv1`,
 * `xox`, one of `secret`/`token`/`api_key`/…), and a short excerpt holds few of them, but every pattern without a
 * literal prefix is otherwise tried at every position: on an analysis's 20-line excerpts that made redaction cost
 * ~0.5 ms an excerpt, a fifth of a job log's analysis. The index only ever says "maybe", so a pattern it passes over
 * cannot match, and the redaction is the same as running every pattern (see `applyLinePatterns` in ../redact.ts,
 * which reads the text again after any replacement, whose marker can hold a later pattern's literal).
 *
 * Only what already bundles the literal index (the analyzer: classify, the CLI, the local runtime) redacts through
 * the gate; the other bundles run every pattern, as before.
 */
import { REDACTION_PATTERN_LITERALS } from '../line-filter.generated.js';
import { expressionsKey, LITERAL_PREFIX_CHARS, LiteralIndex, readLiterals, type KnownLiterals } from '../literal-index.js';
import { storedData, storedDataStale } from '../stored.js';
import { LINE_PATTERNS } from './patterns.js';

/** The expressions the gate reads, by position in {@link LINE_PATTERNS}. */
export const LINE_PATTERN_EXPRESSIONS: readonly RegExp[] = LINE_PATTERNS.map((pattern) => pattern.re);

/** Says which of {@link LINE_PATTERNS} can match a text. */
export interface PatternGate {
  /** Reads `text`; until the next read, {@link may} is false only for patterns that cannot match it. */
  read(text: string): void;
  /** After {@link read}: can `LINE_PATTERNS[index]` match the text read? */
  may(index: number): boolean;
}

/**
 * Characters of text a process redacts before the gate is built: building it takes 15–20 ms of CPU (the automaton
 * of ~650 literals, its WebAssembly pass compiled), and it saves ~0.25 µs a character, so it pays from about 64K
 * characters. A one-line log's analysis (`guard analyze`, a cold Lambda's first small log) never builds it; a warm
 * process builds it during its third job log or so, as the line filter waits for 2 MB of log (dispatch.ts).
 */
export const GATE_AFTER_CHARS = 65_536;

/**
 * The gate over the literal index, built from the literals the generated module stores once the process has read
 * `afterChars` characters through it; until then it rules out nothing.
 */
export class LiteralPatternGate implements PatternGate {
  private index: LiteralIndex | null = null;
  private charsRead = 0;

  constructor(private readonly afterChars = GATE_AFTER_CHARS) {}

  read(text: string): void {
    if (this.index === null) {
      this.charsRead += text.length;
      if (this.charsRead <= this.afterChars) return;
      this.index = buildIndex();
    }
    this.index.scan(text);
  }

  may(index: number): boolean {
    return this.index === null || this.index.may(index);
  }
}

/** The index over {@link LINE_PATTERN_EXPRESSIONS}, from the stored literals when they were read from these very expressions. */
function buildIndex(): LiteralIndex {
  const stored = storedData(REDACTION_PATTERN_LITERALS, expressionsKey(LINE_PATTERN_EXPRESSIONS));
  let known: KnownLiterals;
  if (stored !== null) known = JSON.parse(stored.toString('utf8')) as KnownLiterals;
  else known = typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ? storedDataStale('the redaction\'s pattern gate') : readLiterals(LINE_PATTERN_EXPRESSIONS);
  return new LiteralIndex(LINE_PATTERN_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', known);
}
