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
import { knownLiteralsOf, LITERAL_PREFIX_CHARS, LiteralGate, LiteralIndex, type KnownLiterals } from '../literal-index.js';
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
 * Characters of text a process redacts before the automaton is built: building it takes 15–20 ms of CPU (~650
 * literals, its WebAssembly pass compiled), and against running every pattern it saved ~0.25 µs a character (session
 * 55), so it paid from about 64K characters; looking for the literals with `includes` first (below) only makes the
 * texts before it cheaper. A one-line log's analysis (`guard analyze`, a cold Lambda's first small log) never builds
 * it; a warm process builds it during its third job log or so, as the line filter waits for 2 MB of log (dispatch.ts).
 */
export const GATE_AFTER_CHARS = 65_536;

/**
 * The longest text whose patterns' literals are looked for with `includes` before the automaton is built: each pattern
 * asked reads the text once per literal, ~650 readings in all, where the automaton reads it once; past an excerpt's
 * usual size every pattern is run instead, as before the gate. Without this bound a 128K-character line of `npm config
 * set ` took 27 ms through the gate against 12.5 ms running every pattern, and the attack suites' hostile lines of
 * 16K–128K characters, run through it in the test suite, grew with exponent 1.8–2.2 where running the patterns stays
 * linear (alone, in a script, the same line grew linearly; the suite's case was not explained). Excerpts are 20 lines.
 */
const LITERALS_ASKED_UP_TO = 4096;

/**
 * The gate over the literal index, built from the literals the generated module stores once the process has read
 * `afterChars` characters through it; until then the same literals looked for with `includes` (LiteralGate): a
 * pattern that is never run is never compiled either, and V8 compiles each the first time it runs (146 of them on a
 * one-line log's excerpt, ~15 ms).
 */
export class LiteralPatternGate implements PatternGate {
  private index: LiteralIndex | null = null;
  private literalGate: LiteralGate | null = null;
  /** Whether the text read is short enough for {@link literalGate} (see {@link LITERALS_ASKED_UP_TO}). */
  private asksLiterals = false;
  private charsRead = 0;

  constructor(private readonly afterChars = GATE_AFTER_CHARS) {}

  read(text: string): void {
    if (this.index === null) {
      this.charsRead += text.length;
      if (this.charsRead <= this.afterChars) {
        this.asksLiterals = text.length <= LITERALS_ASKED_UP_TO;
        if (this.asksLiterals) (this.literalGate ??= new LiteralGate(patternLiterals())).read(text);
        return;
      }
      this.index = new LiteralIndex(LINE_PATTERN_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', patternLiterals());
      this.literalGate = null;
    }
    this.index.scan(text);
  }

  may(index: number): boolean {
    if (this.index !== null) return this.index.may(index);
    return !this.asksLiterals || this.literalGate === null || this.literalGate.may(index);
  }
}

/** The literals of {@link LINE_PATTERN_EXPRESSIONS} (see knownLiteralsOf), read once a process. */
let knownLiterals: KnownLiterals | null = null;

function patternLiterals(): KnownLiterals {
  return (knownLiterals ??= knownLiteralsOf(REDACTION_PATTERN_LITERALS, LINE_PATTERN_EXPRESSIONS, 'the redaction\'s pattern gate'));
}
