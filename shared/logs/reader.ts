/**
 * Streaming line reader for CI job logs.
 *
 * Line numbering convention (shared with `../shared/datasets/score.py` and the GitHub UI): line N is the N-th
 * `\n`-separated line of the raw bytes, 1-based. A `\r` never starts a line: `\r\n` endings lose the `\r`, and a
 * lone `\r` (a progress bar rewriting itself) keeps only the last non-empty segment as the line's text.
 *
 * The reader holds one decoded chunk and one partial line at a time, so memory does not depend on the log size.
 * A line longer than {@link MAX_LINE_CHARS} (a minified bundle, a base64 blob, a log that is one line) is analysed
 * as its first {@link LONG_LINE_HEAD} and last {@link LONG_LINE_TAIL} characters joined by {@link LONG_LINE_GAP}:
 * the head holds what a tool printed first (`Error: …` before a payload), the tail what a progress bar rewrote
 * last (`\r` segments). The middle is never joined into one string, so the cost stays linear.
 */
import type { LogLine, LogSource } from './types.js';
import { pairSafeEnd } from '../utf16.js';

// CSI sequences (colours, cursor moves, erase-line), escapes with intermediates (`tput sgr0`'s ESC ( B), two-byte
// escapes and bare ESC bytes. Some CI systems also
// leave SGR remnants such as `[0m` behind after a stripped ESC, and tools that escape control bytes print the ESC
// as a literal `^[` (`^[[31m`), so those go too. A remnant without parameters, `[m` (git's and jansi's reset,
// tput's `(B[m`), is also how ordinary bracketed words start (`[models/x.sql]`, mypy's `[misc]`, `[main 1a2b3c]`,
// `[metadata]`, and a regular expression's `[m-z]`, a unit's `[m/s]`): it is text when a letter, digit, `-`, `_`, `.` or
// `/` follows and its bracket closes before another opens or the line ends.
// A reset glued to the next word (`[mfoo`) or to a closing bracket (Maven's `[[1;34mINFO[m]`) is still removed.
// An operating system command goes whole, its string with it, up to the BEL or ST (`ESC \`) that ends it: the
// hyperlinks rich prints even without a terminal (ansible-lint's `ESC ] 8 ; id=1 ; https://… ESC \ name[play] ESC ] 8
// ; ; ESC \`) would otherwise leave their URL in front of the text. One left open on its line is a two-byte escape.
// The bytes are read the same way by `escapeEnd`, `remnantEnd` and the line filter's pass (line-filter.wat).
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\r\n]*(?:\x07|\x1b\\)|\x1b[ -/]+[0-~]|\x1b[@-Z\\-_]|\x1b|\[(?:[0-9;]{1,12}m|m(?![\w./-][^[\]\r\n]*\]))/g;
// The caret form of a CSI sequence: `^[[`, parameters and a letter as its final byte. `^[[` also opens a regular
// expression's bracket (`grep -E '^[[a-z]+$'`), so a final byte with no parameters before it is taken only for the
// codes printed that way (`^[[m`, `^[[K`, `^[[H`, `^[[J`: grep --color's `^[[m^[[K`, jansi's reset, a screen
// clear), and not where a bracket expression follows and closes as a bare `[m` remnant's test reads it (`^[[mK]`).
// Lines holding a `^[` are read by cleaning alone: the byte readers treat any `^[` as a hazard and the line filter
// names the line (see `CleaningHazards`, line-filter.ts), so this expression has no byte-level twin to keep in step.
const CARET_ANSI_RE = /\^\[\[(?:[0-9;?]{1,12}[A-Za-z]|[HJKm](?![\w./-][^[\]\r\n]*\]))/g;
// GitHub Actions prefixes every line with an ISO-8601 timestamp (`2024-05-01T10:11:12.1234567Z `).
const GHA_TS_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
// Jenkins' Timestamper plugin: on Pipeline jobs it writes each line's time into the log (`[2024-01-02T03:04:05.678Z] `,
// GlobalDecorator's `[yyyy-MM-dd'T'HH:mm:ss.SSS'Z'] `); a copy of a job's console page with the system clock format
// holds `12:34:56  ` in front of each line (a line printed empty keeps the time alone). One timestamp a line: a time
// behind GitHub's is the tool's own.
const PIPELINE_TS_RE = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\](?: |$)/;
const CLOCK_TS_RE = /^\d\d:\d\d:\d\d(?: {2}|\s*$)/;
const BUILDKIT_PREFIX_RE = /^#\d+ \d+\.\d+ /;
/**
 * What {@link cleanLine} may remove from the start of a line, in its order (BOM, timestamp, BuildKit prefix), as
 * an expression source: an anchored expression tested on a cleaned line matches a raw line after this prefix.
 */
export const CLEANED_PREFIX_SOURCE = /* @__PURE__ */ (() =>
  `(?:\\uFEFF)?(?:${[GHA_TS_RE, PIPELINE_TS_RE, CLOCK_TS_RE].map((re) => re.source.slice(1)).join('|')})?(?:${BUILDKIT_PREFIX_RE.source.slice(1)})?`)();
// `gh run view --log` puts the job and the step name in front of the timestamp, tab-separated. It prints each log
// file's bytes as they are, so the line a file opens with (the first of the output) has the file's BOM after the columns.
// The timestamp is the runner's, in UTC with a `Z` (GHA_TS_RE): a tab-separated table whose third column is a time with
// an offset (`git log --format='%h%x09%an%x09%cI'`) is not gh's.
const GH_CLI_PREFIX_RE = /^([^\t]{1,200})\t([^\t]{0,200})\t(?=\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)/;
/**
 * The lines among which gh's layout is looked for: its output pasted into a file or an issue often sits under the
 * command that printed it, a prompt, a blank line. Lower down, a line of gh's shape is a quote (a test's message) and
 * stays text. Deciding at the top keeps the line filter's start-up: it waits for these lines, then filters or not.
 */
export const GH_CLI_LEAD_LINES = 4;
// The time must be the runner's own, seven digits of fraction (.NET's round-trip format): a table whose third column is
// an API's time (`gh variable list`, `gh api … --jq '… | @tsv'`: `2024-05-01T10:00:00Z`) is not gh's, under a
// command's echo or on the log's first line.
const GH_CLI_LEAD_RE = /^[^\t]{1,200}\t[^\t]{0,200}\t\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z/;

/** `GH_CLI_PREFIX_RE`'s look-ahead over bytes: whether `bytes[i, end)` starts with a BOM or not, then the runner's timestamp. */
export function ghTimestampAt(bytes: Uint8Array, i: number, end: number): boolean {
  if (bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) i += 3;
  if (end - i < 20) return false;
  for (let k = 0; k < 19; k++) {
    const b = bytes[i + k] as number;
    const want = GH_TIME_SHAPE.charCodeAt(k);
    if (want === 100 /* d */ ? b - 48 > 9 || b < 48 : b !== want) return false;
  }
  i += 19;
  if (bytes[i] === 46 /* . */) {
    const digits = ++i;
    while (i < end && (bytes[i] as number) - 48 <= 9 && (bytes[i] as number) >= 48) i++;
    if (i === digits) return false;
  }
  return i < end && bytes[i] === 90 /* Z */;
}
const GH_TIME_SHAPE = 'dddd-dd-ddTdd:dd:dd';

/** Whether `raw`, line `line` of the log, puts it in gh's layout (see {@link GH_CLI_LEAD_LINES}). */
export function opensGhCliLayout(raw: string, line: number): boolean {
  return line <= GH_CLI_LEAD_LINES && GH_CLI_LEAD_RE.test(raw);
}

/**
 * The step name of a `gh run view --log` line (`job<TAB>step<TAB>timestamp text`), or null for any other format.
 * The job log from the REST API has no such column; there the `##[group]Run …` headers mark the steps.
 */
export function ghCliStepOf(raw: string): string | null {
  const tab = raw.indexOf('\t');
  if (tab <= 0 || tab > 200) return null;
  const m = GH_CLI_PREFIX_RE.exec(raw);
  return m ? (m[2] ?? '') : null;
}

/**
 * The job and step columns of a `gh run view --log` line, or null for any other format. gh prints the job's name in
 * the first column: over several jobs (`--log-failed` over a matrix) a step's name repeats, the job's does not.
 */
export function ghCliColumnsOf(raw: string): readonly [job: string, step: string] | null {
  const tab = raw.indexOf('\t');
  if (tab <= 0 || tab > 200) return null;
  const m = GH_CLI_PREFIX_RE.exec(raw);
  return m ? [m[1] ?? '', m[2] ?? ''] : null;
}

/** The GitHub Actions timestamp at the start of a raw line (after a `gh run view` prefix), or null. */
export function timestampOf(raw: string): string | null {
  const m = GH_CLI_PREFIX_RE.exec(raw);
  const line = m ? raw.slice(m[0].length) : raw;
  const ts = GHA_TS_RE.exec(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  return ts ? ts[0].trimEnd() : null;
}

/** Removes ANSI escape sequences (and stray SGR remnants) from a string. */
export function stripAnsi(text: string): string {
  return text.indexOf('\x1b') === -1 && text.indexOf('[') === -1 ? text : text.replace(ANSI_RE, '');
}

/** {@link cleanLine} for a `gh run view --log` line: the job and step columns go too. */
export function cleanGhCliLine(raw: string): string {
  const m = GH_CLI_PREFIX_RE.exec(raw);
  return cleanLine(m ? raw.slice(m[0].length) : raw);
}

/**
 * Turns one raw line (without its `\n`) into display text: drops the `\r` of `\r\n`, keeps the last visible
 * segment of `\r` progress rewrites (and of `ESC[1G` ones, see {@link COLUMN_ONE}), strips ANSI codes, a leading BOM
 * and the GitHub Actions timestamp.
 */
export function cleanLine(raw: string): string {
  // Kept small so V8 inlines it into the splitter's loop (it runs once per line); rare cases live in helpers.
  // An empty line returns at once: reading its first character would be out of bounds, and optimised code that
  // never met one is thrown away when it does.
  if (raw.length === 0) return raw;
  let text = raw;
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  if (text.indexOf('\r') !== -1) text = lastVisibleSegment(text);
  const esc = text.indexOf('\x1b');
  if (esc !== -1 || text.indexOf('[') !== -1) text = stripCodes(text, esc);
  if (text.length === 0) return text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // One call removes any of the timestamps: a call V8's optimised loop never saw made is a deoptimisation when a log's
  // first Timestamper-like line (an application's `12:34:56.789 INFO`) comes, and the loop is compiled again.
  const timestamp = timestampAhead(text);
  if (timestamp !== null) text = text.replace(timestamp, '');
  return text.length > 1 && text.charCodeAt(0) === 35 /* # */ ? stripBuildKitPrefix(text) : text;
}

/** The expression of the timestamp `text` may start with: GitHub's, else a Timestamper prefix (`[…Z] `, `12:34:56  `); null when none may. */
function timestampAhead(text: string): RegExp | null {
  const c0 = text.length === 0 ? 0 : text.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    if (text.length > 20 && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(4) === 45 /* - */) return GHA_TS_RE;
    return text.length > 2 && text.charCodeAt(2) === 58 /* : */ ? CLOCK_TS_RE : null;
  }
  // The `[` is asked last: asked first, the length's test first ran at a log's first `[` line, after V8 had compiled
  // this function (and the cleaning and the ring it is inlined into) without it, and threw them away.
  return text.length > 5 && text.charCodeAt(5) === 45 /* - */ && c0 === 91 /* [ */ ? PIPELINE_TS_RE : null;
}

/**
 * A `\r` progress rewrite shows its last non-empty segment. Read from the end: a progress bar rewritten ten
 * thousand times is one long line, and only its last segments are ever looked at.
 */
function lastVisibleSegment(text: string): string {
  let end = text.length;
  for (;;) {
    const cr = end === 0 ? -1 : text.lastIndexOf('\r', end - 1);
    const seg = text.slice(cr + 1, end);
    if (stripAnsi(seg).trim() !== '') return seg;
    if (cr === -1) return '';
    end = cr;
  }
}

/** `text` without its ANSI codes; `esc` is where its first ESC is (-1 without one). */
function stripCodes(text: string, esc: number): string {
  const plain = text.indexOf('^[') !== -1 ? text.replace(CARET_ANSI_RE, '') : text;
  // Without an ESC (removing a caret escape adds none), all ANSI_RE can remove is an SGR remnant, which starts with a
  // `[` and a digit, `;` or `m`: a line whose every `[` opens a word (`[INFO]`, `[warn]`, `[ERROR]`, a link's `[here]`) is
  // left as it is without running the expression over it.
  if (esc === -1 && !holdsRemnantStart(plain)) return plain;
  // Every spelling ends in a `G`: a native search for one keeps the expression off most coloured lines (2 % of the
  // instructions of a mix of real logs). A string without the sequence comes back from `replace` as it was.
  const redrawn = esc === -1 || plain.indexOf('G') === -1 ? plain : plain.replace(COLUMN_ONE_RE, '\r');
  const drawn = redrawn === plain ? plain : lastVisibleSegment(redrawn);
  return drawn.replace(ANSI_RE, '');
}

/** Whether a `[` in `text` is followed by a digit, `;` or `m`: where an SGR remnant (see {@link ANSI_RE}) may start. */
function holdsRemnantStart(text: string): boolean {
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if ((next >= 48 && next <= 57) || next === 59 || next === 109) return true;
  }
  return false;
}

/**
 * `ESC[1G` moves the cursor to the line's first column, as a `\r` does: what follows draws over what came before it
 * (Bats' pretty formatter redraws a test's `   name` as ` ✗ name`; yarn's and npm's progress lines). Read as one, and
 * so are its other spellings, `ESC[G` and `ESC[0G` (CHA's parameter left out or 0 is its default, 1: ansi-escapes'
 * `cursorLeft`, which log-update's erase ends with, is `ESC[G`), and those spellings zero-padded (`ESC[01G`,
 * `ESC[00G`): the parameter is a decimal number (ECMA-48 5.4.2), so a terminal reads `01` as 1.
 */
export const COLUMN_ONE = '\x1b[1G';
export const COLUMN_ONE_SPELLINGS: readonly string[] = [COLUMN_ONE, '\x1b[G', '\x1b[0G', '\x1b[01G'];
const COLUMN_ONE_RE = /\x1b\[0*1?G/g;

/**
 * BuildKit's plain progress (`docker buildx build`) prefixes a build step's output with `#<step> <seconds> `:
 * without it, the tools' own lines (`npm ERR! …`, `error: …`) are read as they would be outside Docker.
 */
function stripBuildKitPrefix(text: string): string {
  const d1 = text.charCodeAt(1);
  return d1 >= 48 && d1 <= 57 ? text.replace(BUILDKIT_PREFIX_RE, '') : text;
}

const CR_BYTE = 13;
const ESC_BYTE = 27;
const HASH_BYTE = 35;
const BRACKET_BYTE = 91;
const CLOSE_BRACKET_BYTE = 93;
const BEL_BYTE = 7;
const BACKSLASH_BYTE = 92;

/**
 * End of the ANSI sequence starting with the ESC at `i`, as `cleanLine`'s expression reads it: a CSI sequence
 * (`ESC [ params intermediates final`), else an operating system command up to its BEL or `ESC \\` (a hyperlink),
 * else an escape with intermediates (`ESC ( B`), else a two-byte escape, else the bare ESC.
 */
export function escapeEnd(bytes: Uint8Array, i: number, end: number): number {
  let j = i + 1;
  if (j < end && bytes[j] === CLOSE_BRACKET_BYTE) {
    const close = commandEnd(bytes, j + 1, end);
    if (close !== -1) return close;
  }
  if (j < end && bytes[j] === BRACKET_BYTE) {
    j++;
    let b = bytes[j] as number;
    // Parameters [0-9;?], intermediates [ -/], final [@-~]: disjoint sets, so the greedy reading is the only one.
    while (j < end && ((b >= 48 && b <= 57) || b === 59 || b === 63)) b = bytes[++j] as number;
    while (j < end && b >= 32 && b <= 47) b = bytes[++j] as number;
    if (j < end && b >= 64 && b <= 126) return j + 1;
  }
  // An escape with intermediates (ESC [ -/]+ [0-~]): `tput sgr0` prints ESC ( B, which must not leave `(B` behind.
  j = i + 1;
  if (j < end && (bytes[j] as number) >= 32 && (bytes[j] as number) <= 47) {
    while (j < end && (bytes[j] as number) >= 32 && (bytes[j] as number) <= 47) j++;
    if (j < end && (bytes[j] as number) >= 48 && (bytes[j] as number) <= 126) return j + 1;
  }
  const next = bytes[i + 1] as number;
  if (i + 1 < end && ((next >= 64 && next <= 90) || (next >= 92 && next <= 95))) return i + 2;
  return i + 1;
}

/**
 * End of an operating system command's string starting at `j` (after `ESC ]`): past the BEL or `ESC \\` that ends
 * it, or -1 when another ESC, a line break or `end` comes first.
 */
function commandEnd(bytes: Uint8Array, j: number, end: number): number {
  for (; j < end; j++) {
    const b = bytes[j] as number;
    if (b === BEL_BYTE) return j + 1;
    if (b === ESC_BYTE) return j + 1 < end && bytes[j + 1] === BACKSLASH_BYTE ? j + 2 : -1;
    if (b === 10 || b === CR_BYTE) return -1;
  }
  return -1;
}

/**
 * End of an SGR remnant (`[0m`, `[31;1m`, `[m`) starting with the `[` at `i`, or -1 when there is none: a `[m`
 * that starts a bracketed word is text (see {@link ANSI_RE}). `end` may lie past the line's end (the line filter
 * passes a chunk's): the bracket must close before a `\n` or `\r` too.
 */
export function remnantEnd(bytes: Uint8Array, i: number, end: number): number {
  let j = i + 1;
  const limit = Math.min(end, j + 13);
  let b = bytes[j] as number;
  while (j < limit && ((b >= 48 && b <= 57) || b === 59)) b = bytes[++j] as number;
  if (!(j < end && j - i - 1 <= 12 && b === 109)) return -1;
  return j > i + 1 || !startsBracketedWord(bytes, j + 1, end) ? j + 1 : -1;
}

/** Whether `bytes[k]` can start a bracketed word (`\w`, `.`, `/`, `-`) and a `]` follows before any `[`, line break or `end`. */
function startsBracketedWord(bytes: Uint8Array, k: number, end: number): boolean {
  if (k >= end || !startsWord(bytes[k] as number)) return false;
  for (let j = k + 1; j < end; j++) {
    const b = bytes[j] as number;
    if (b === CLOSE_BRACKET_BYTE) return true;
    if (b === BRACKET_BYTE || b === 10 || b === CR_BYTE) return false;
  }
  return false;
}

/** `[\w./-]` of a byte. */
function startsWord(b: number): boolean {
  const lower = b | 0x20;
  return (lower >= 97 && lower <= 122) || (b >= 45 && b <= 57) || b === 95;
}

/**
 * The first byte at or after `i` that {@link cleanLine}'s escape expression keeps (`end` when none is left): ANSI
 * sequences and SGR remnants are stepped over as that expression removes them, left to right. For a line without
 * a `^[` (cleaning removes those first, in a pass of its own; see {@link rawTextStart}).
 */
export function keptFrom(bytes: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const b = bytes[i] as number;
    if (b === ESC_BYTE) i = escapeEnd(bytes, i, end);
    else if (b === BRACKET_BYTE) {
      const after = remnantEnd(bytes, i, end);
      if (after === -1) return i;
      i = after;
    } else return i;
  }
  return end;
}

/** End of the raw line `bytes[start, end)`'s text: before its last byte when that is the `\r` of a `\r\n`. */
export function textEnd(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === CR_BYTE ? end - 1 : end;
}

/**
 * Whether raw lines hold what makes {@link cleanLine} read more than the bytes at hand: a `\r` before the line's
 * last byte (a progress bar's segments: the text is one of them), an `ESC[1G` or another spelling of it (the same, see
 * {@link COLUMN_ONE}) or a
 * `^[` caret escape (removed in a pass of its
 * own, before the escape sequences, so it changes what they are). Asked of the lines of one buffer in order, as a
 * reader meets them: each search runs natively, on from where the last one stopped. The column-one sequence is found
 * by one search for the `G` every spelling ends with, the bytes before each `G` within the line then read: a search
 * per spelling read each buffer three times over (~1 % of the analyzer's instructions on a mix of real logs), and a
 * search for the ESC stops far more often (a coloured line's every colour; a `G` is some ten times rarer).
 */
export class CleaningHazards {
  private bytes: Uint8Array | null = null;
  private searchedFrom = 0;
  private nextCr = 0;
  private nextCaretEscape = 0;
  private nextG = 0;

  /** Whether the raw line `bytes[start, end)` (without its `\n`; a last `\r` is no hazard) holds a hazard. */
  in(bytes: Buffer, start: number, end: number): boolean {
    if (bytes !== this.bytes || start < this.searchedFrom) {
      this.bytes = bytes;
      this.nextCr = -1;
      this.nextCaretEscape = -1;
      this.nextG = -1;
    }
    this.searchedFrom = start;
    const last = textEnd(bytes, start, end);
    if (this.nextCr < start) this.nextCr = found(bytes.indexOf(CR_BYTE, start), bytes.length);
    if (this.nextCr < last) return true;
    if (this.nextCaretEscape < start) this.nextCaretEscape = found(bytes.indexOf(CARET_ESCAPE, start), bytes.length);
    if (this.nextCaretEscape + 1 < last) return true;
    if (this.nextG < start) this.nextG = found(bytes.indexOf(G_BYTE, start), bytes.length);
    for (; this.nextG < last; this.nextG = found(bytes.indexOf(G_BYTE, this.nextG + 1), bytes.length)) {
      if (endsColumnOne(bytes, this.nextG, start)) return true;
    }
    return false;
  }
}

const CARET_ESCAPE = /* @__PURE__ */ Buffer.from('^[');
const G_BYTE = 0x47;

/** Whether the `G` at `g` ends a column-one sequence ({@link COLUMN_ONE_SPELLINGS}) that starts at `start` or after. */
function endsColumnOne(bytes: Uint8Array, g: number, start: number): boolean {
  // Read back from the G: an optional 1, then any number of zeros, then `ESC[`.
  let at = g - 1;
  if (bytes[at] === 0x31 /* 1 */) at--;
  while (at > start && bytes[at] === 0x30 /* 0 */) at--;
  return at - 1 >= start && bytes[at] === 0x5b /* [ */ && bytes[at - 1] === ESC_BYTE;
}

function found(at: number, none: number): number {
  return at === -1 ? none : at;
}

/**
 * Where the text {@link cleanLine} makes of the raw line `bytes[start, end)` (without its `\n`) begins, read from
 * the bytes without decoding or cleaning them: the first byte of the text, after what cleaning removes from the
 * front (escape sequences, a GitHub Actions timestamp); {@link keptFrom} then walks the text's next bytes. `end`
 * (or `end - 1` before a last `\r`) for an empty text; -1 when only cleaning can tell: a BOM, a BuildKit prefix
 * (`#…`), a timestamp that may be all the text. For a line that holds no {@link CleaningHazards}.
 */
export function rawTextStart(bytes: Uint8Array, start: number, end: number): number {
  const last = textEnd(bytes, start, end);
  let at = keptFrom(bytes, start, last);
  if (at === last) return last;
  const b0 = bytes[at] as number;
  if (b0 === 0xef) return -1;
  if (b0 >= 48 && b0 <= 57) {
    const after = timestampEnd(bytes, at, last);
    if (after === -2) return -1;
    if (after !== -1) at = after;
    else if (mayBeTimestamper(CLOCK_SHAPE, bytes, at, last)) return -1;
  } else if (b0 === BRACKET_BYTE && mayBeTimestamper(PIPELINE_SHAPE, bytes, at, last)) return -1;
  return at < last && bytes[at] === HASH_BYTE ? -1 : at;
}

/** The start of a Timestamper clock, `\d\d:\d\d:\d\d` (CLOCK_TS_RE), and of its Pipeline timestamp, `[\d{4}-` (PIPELINE_TS_RE). */
const CLOCK_SHAPE = '00:00:00';
const PIPELINE_SHAPE = '[0000-';

/**
 * Whether the kept bytes from `at` start like a Timestamper prefix (`shape`, 0 for a digit), and, for the clock, no
 * visible character follows the seconds (`12:34:56.789 [info]` is an application's own line, left as it is): only
 * cleaning tells whether it is one. Stopping short of that lets the many lines that start like one (an Erlang or
 * logback line's time, ninja's `[3/10]`) be read from their bytes.
 */
function mayBeTimestamper(shape: string, bytes: Uint8Array, at: number, end: number): boolean {
  const i = shapeEnd(shape, bytes, at, end);
  return i !== -1 && (shape !== CLOCK_SHAPE || i >= end || !isVisibleAscii(bytes[i] as number));
}

/** The kept byte after the kept bytes from `at` that read `shape` (0 stands for a digit), -1 when they do not. */
function shapeEnd(shape: string, bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  for (let k = 0; k < shape.length; k++) {
    if (i >= end) return -1;
    const c = bytes[i] as number;
    const want = shape.charCodeAt(k);
    if (want === 48 ? !(c >= 48 && c <= 57) : c !== want) return -1;
    i = keptFrom(bytes, i + 1, end);
  }
  return i;
}

/** `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`: 0 stands for a digit. */
const TIMESTAMP_SHAPE = '0000-00-00T00:00:00';

/**
 * Where the text goes on after a GitHub Actions timestamp at its kept byte `at` (as {@link GHA_TS_RE} reads the
 * cleaned text), -1 when there is none, -2 when the timestamp may be the whole text (cleaning removes one only
 * from a text over 20 characters).
 */
function timestampEnd(bytes: Uint8Array, at: number, end: number): number {
  let i = shapeEnd(TIMESTAMP_SHAPE, bytes, at, end);
  if (i === -1) return -1;
  let characters = TIMESTAMP_SHAPE.length;
  if (i < end && bytes[i] === 46 /* . */) {
    // `(?:\.\d+)?Z`: the fraction counts only with a digit and a `Z` after it.
    let j = keptFrom(bytes, i + 1, end);
    let digits = 0;
    while (j < end && (bytes[j] as number) >= 48 && (bytes[j] as number) <= 57) {
      digits++;
      j = keptFrom(bytes, j + 1, end);
    }
    if (digits === 0 || j >= end || bytes[j] !== 90) return -1;
    characters += 1 + digits;
    i = j;
  }
  if (i >= end || bytes[i] !== 90 /* Z */) return -1;
  characters++;
  const next = keptFrom(bytes, i + 1, end);
  if (characters === 20 && next >= end) return -2;
  return next < end && bytes[next] === 32 ? keptFrom(bytes, next + 1, end) : next;
}

/** Whether byte `b`, a byte of the cleaned text, is a visible character: printable ASCII other than a space. */
export function isVisibleAscii(b: number): boolean {
  return b > 32 && b < 127;
}

/**
 * Receives every line as it is read. `text` is already cleaned with {@link cleanLine}; `raw` is the line as read
 * (without its `\n`), for the few callers that need what cleaning removes (timestamps, a `gh run view` step column).
 */
export type LineSink = (line: number, text: string, raw: string) => void;

/**
 * Splits complete lines `bytes[from, to)` and names those a sink must read: one entry per line, in order, the
 * offset of its `\n` from `from`, with {@link NAMED} set (the entry is negative) for a named line.
 */
export interface LineNamer {
  /** With `gh`, each line is read from past its gh job and step columns (see `LineFilter.flag`). */
  flag(bytes: Buffer, from: number, to: number, gh?: boolean): Int32Array;
}

/** The bit of a {@link LineNamer} entry that names its line. */
export const NAMED = 0x80000000 | 0;

/**
 * Lets a sink leave lines unread (see `line-filter.ts`). A line the filter does not name is offered to `skip` as
 * raw bytes; a line the sink takes there is never decoded or cleaned, every other line goes to the sink as usual.
 */
export interface LineGate {
  /** The filter, once the log is long enough to be worth it (`bytesRead` so far); null reads every line. */
  filter(bytesRead: number): LineNamer | null;
  /**
   * Line `line`, which the filter did not name, as raw text `bytes[start, end)`: true when the sink took it without
   * reading it (to decode and clean if asked later), false to have it read. In gh's layout the filter read the line
   * from past its second tab: the sink takes it only when those columns are gh's (as `cleanGhCliLine` strips them).
   */
  skip(line: number, bytes: Buffer, start: number, end: number): boolean;
  /**
   * The reader is about to overwrite `memory`, which held bytes it passed to {@link skip}: a skipped line still
   * kept from it must be read now.
   */
  release(memory: ArrayBufferLike): void;
}

/**
 * Incremental splitter: feed it chunks in order, it calls `sink` once per completed line. Chunks may split a
 * UTF-8 sequence or a `\r\n` pair anywhere; the streaming decoder and the pending partial line take care of that.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private partial = '';
  /** A line over MAX_LINE_CHARS so far: its head, and the pieces that hold (at least) its last LONG_LINE_TAIL. */
  private longHead: string | null = null;
  private longTail: string[] = [];
  private longTailChars = 0;
  private lineNo = 0;
  /** Decided on the first lines: `gh run view --log` output prefixes every line with its job and step. */
  private clean: (raw: string) => string = cleanLine;
  /** Whether the layout is still undecided: none of the first {@link GH_CLI_LEAD_LINES} lines read yet is gh's. */
  private layoutOpen = true;
  /** Bytes consumed so far. */
  bytes = 0;
  /** The line filter rests until this many bytes have been read (see {@link pushFiltered}). */
  private unfilteredUntil = 0;
  /** Lines the filter saw, and of those read, over the stretch being judged (see {@link pushFiltered}). */
  private readonly judged = { bytes: 0, lines: 0, read: 0 };
  /**
   * Where filtered slices are copied before the pass (see {@link push}), used in turn; allocated with the filter.
   * Skipped lines are kept as views of these, so the chunks a stream hands over are garbage once read.
   */
  private slices: Buffer[] = [];
  private nextSlice = 0;
  /** The slice being read, and per slice whether the gate kept a skipped line from it since it was filled. */
  private currentSlice = 0;
  private readonly heldSlices = new Uint8Array(FILTER_SLICES);

  constructor(
    private readonly sink: LineSink,
    private readonly gate: LineGate | null = null,
  ) {}

  /** Number of lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  /**
   * Whether {@link end} emitted an empty last line: the one after a final line break (or the whole of an empty
   * log), which the sink reads, but which is no line of the log as a person (or `wc -l`) counts them.
   */
  endedEmpty = false;

  push(chunk: Uint8Array | string): void {
    let text: string;
    if (typeof chunk === 'string') {
      this.bytes += Buffer.byteLength(chunk);
      text = chunk;
    } else {
      this.bytes += chunk.byteLength;
      // The filter reads complete lines in the cleanLine format, and the first lines decide the format: read them
      // alone, so the rest of the first chunk (a whole short log, read in one chunk) may be filtered too.
      while (this.layoutOpen && this.gate !== null) {
        const lineEnd = chunk.indexOf(10) + 1;
        if (lineEnd === 0 || lineEnd === chunk.byteLength) break;
        this.decode(chunk.subarray(0, lineEnd));
        chunk = chunk.subarray(lineEnd);
      }
      const filter =
        this.gate !== null && !this.layoutOpen && this.bytes >= this.unfilteredUntil ? this.gate.filter(this.bytes) : null;
      if (filter) {
        // In slices: the pass copies its input into WebAssembly memory, which never shrinks.
        for (let at = 0; at < chunk.byteLength; at += FILTER_SLICE) this.pushFiltered(this.slice(chunk, at), filter);
      } else this.decode(chunk);
      return;
    }
    this.consume(text);
  }

  /**
   * `chunk[at, at + FILTER_SLICE)` copied into the next of a few slices the splitter owns. A skipped line is kept
   * as a view of its slice for a while (the sink's look-back); a view of the chunk would keep the whole chunk
   * alive instead, long enough for V8 to promote it, and a big log's chunks then piled up as external memory
   * until a full collection (8 MB of the CLI's peak on a 500 MB log). Copying costs ~1 ms per 10 MB.
   */
  private slice(chunk: Uint8Array, at: number): Buffer {
    if (this.slices.length === 0) this.slices = Array.from({ length: FILTER_SLICES }, () => Buffer.allocUnsafeSlow(FILTER_SLICE));
    const k = this.nextSlice;
    const slice = this.slices[k] as Buffer;
    this.nextSlice = (k + 1) % FILTER_SLICES;
    // Asked only of a slice that lent bytes to a skipped line: a source of tiny chunks fills a slice per chunk.
    if (this.heldSlices[k] === 1) {
      (this.gate as LineGate).release(slice.buffer);
      this.heldSlices[k] = 0;
    }
    this.currentSlice = k;
    const part = chunk.subarray(at, at + FILTER_SLICE);
    slice.set(part);
    return slice.subarray(0, part.byteLength);
  }

  private decode(bytes: Uint8Array): void {
    // Decode in small slices: a decoded string over ~128 KB goes straight to V8's large-object space, which
    // only a full GC frees, and a 1 GB log then inflates peak RSS by tens of megabytes.
    for (let at = 0; at < bytes.byteLength; at += DECODE_SLICE) {
      this.consume(this.decoder.decode(bytes.subarray(at, at + DECODE_SLICE), { stream: true }));
    }
  }

  /**
   * The chunk's complete lines go through the filter; what comes before the first `\n` (the end of a line begun
   * in an earlier chunk) and after the last (the start of the next) goes through the decoder as usual. UTF-8
   * never uses the byte `\n` inside a character, so the decoder holds nothing across the filtered part.
   */
  private pushFiltered(bytes: Buffer, filter: LineNamer): void {
    const first = bytes.indexOf(10);
    if (first === -1) {
      this.decode(bytes);
      return;
    }
    this.decode(bytes.subarray(0, first + 1));
    const last = bytes.lastIndexOf(10);
    if (last > first) this.emitFiltered(bytes, first + 1, last + 1, filter);
    if (last + 1 < bytes.byteLength) this.decode(bytes.subarray(last + 1));
    // Where most lines have to be read anyway (a log of nothing but errors) the pass is pure overhead: rest it
    // for a while, then look again. Judged over a stretch of the log, not a slice: a long failure block makes
    // one slice look error-dense.
    this.judged.bytes += bytes.byteLength;
    if (this.judged.bytes >= JUDGED_STRETCH) {
      if (this.judged.read > this.judged.lines * 0.75) this.unfilteredUntil = this.bytes + UNFILTERED_STRETCH;
      // Reset in place: V8 compiles code that reads a field never written since its object was made as if it were
      // constant, so a new object in the field would throw away the reader's optimised loop.
      this.judged.bytes = 0;
      this.judged.lines = 0;
      this.judged.read = 0;
    }
  }

  /** The complete lines of `bytes[from, to)`: named ones (and all while the sink is busy) are read, the rest skipped. */
  private emitFiltered(bytes: Buffer, from: number, to: number, filter: LineNamer): void {
    const gate = this.gate as LineGate;
    const gh = this.clean !== cleanLine;
    const lines = filter.flag(bytes, from, to, gh);
    let start = from;
    let skipped = 0;
    for (let index = 0; index < lines.length; index++) {
      const entry = lines[index] as number;
      const nl = from + (entry & ~NAMED);
      // A line that may be over MAX_LINE_CHARS is read now, cut to its head and tail as every long line is.
      if (entry >= 0 && nl - start <= MAX_LINE_CHARS && gate.skip(this.lineNo + 1, bytes, start, nl)) {
        this.lineNo++;
        skipped++;
      } else {
        const raw = bytes.toString('utf8', start, nl);
        if (raw.length > MAX_LINE_CHARS) this.emit(raw);
        else this.sink(++this.lineNo, gh ? cleanGhCliLine(raw) : cleanLine(raw), raw);
      }
      start = nl + 1;
    }
    if (skipped > 0) this.heldSlices[this.currentSlice] = 1;
    this.judged.lines += lines.length;
    this.judged.read += lines.length - skipped;
  }

  /** Flushes the decoder and emits the last line (a file ending in `\n` has a final empty line, as in `split`). */
  end(): void {
    const rest = this.decoder.decode();
    if (rest) this.consume(rest);
    const last = this.takePartial('');
    this.endedEmpty = last === '';
    this.emit(last);
  }

  /** Adds a piece of a line whose end has not been read yet. */
  private appendPartial(piece: string): void {
    if (this.longHead === null) {
      if (this.partial.length + piece.length <= MAX_LINE_CHARS) {
        this.partial += piece;
        return;
      }
      const all = this.partial + piece;
      this.longHead = all.slice(0, LONG_LINE_HEAD);
      this.longTail = [all.slice(LONG_LINE_HEAD)];
      this.longTailChars = all.length - LONG_LINE_HEAD;
      this.partial = '';
    } else {
      this.longTail.push(piece);
      this.longTailChars += piece.length;
    }
    // Drop whole pieces from the front while the rest still covers the tail.
    let first = this.longTail[0];
    while (first !== undefined && this.longTailChars - first.length >= LONG_LINE_TAIL) {
      this.longTail.shift();
      this.longTailChars -= first.length;
      first = this.longTail[0];
    }
  }

  /** The whole line: what was pending plus `end` (the text before its `\n`). */
  private takePartial(end: string): string {
    if (this.longHead === null) {
      const line = this.partial ? this.partial + end : end;
      this.partial = '';
      return line;
    }
    this.longTail.push(end);
    const tail = this.longTail.join('');
    const line = `${this.longHead}${LONG_LINE_GAP}${tail.slice(tail.length - LONG_LINE_TAIL)}`;
    this.longHead = null;
    this.longTail = [];
    this.longTailChars = 0;
    return line;
  }

  private emit(raw: string): void {
    if (raw.length > MAX_LINE_CHARS) raw = headAndTail(raw, LONG_LINE_HEAD, LONG_LINE_TAIL);
    if (this.layoutOpen) {
      if (opensGhCliLayout(raw, this.lineNo + 1)) this.clean = cleanGhCliLine;
      this.layoutOpen = this.clean === cleanLine && this.lineNo + 1 < GH_CLI_LEAD_LINES;
    }
    this.sink(++this.lineNo, this.clean(raw), raw);
  }

  private consume(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl === -1) {
      this.appendPartial(text);
      return;
    }
    const sink = this.sink;
    if (this.partial || this.longHead !== null) {
      this.emit(this.takePartial(text.slice(0, nl)));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (this.layoutOpen && nl !== -1) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    const clean = this.clean;
    while (nl !== -1) {
      if (nl - start > MAX_LINE_CHARS) {
        this.emit(text.slice(start, nl));
      } else {
        const raw = text.slice(start, nl);
        sink(++this.lineNo, clean(raw), raw);
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.appendPartial(text.slice(start));
  }
}

/** Bytes the line filter reads at a time, and the number of slices a splitter recycles (see `LineSplitter.slice`). */
const FILTER_SLICE = 64 * 1024;
const FILTER_SLICES = 8;
/** How much of a log the line filter's usefulness is judged over, and how long it rests when it let most through. */
const JUDGED_STRETCH = 4 * 1024 * 1024;
const UNFILTERED_STRETCH = 8 * 1024 * 1024;
/** Bytes decoded at a time (see {@link LineSplitter.push}). */
const DECODE_SLICE = 16 * 1024;

/** Longest line analysed whole; minified bundles and base64 blobs exceed this (see the module comment). */
export const MAX_LINE_CHARS = 1 << 20;
/** Characters kept from the start of a longer line. */
export const LONG_LINE_HEAD = 256 * 1024;
/** Characters kept from the end of a longer line. */
export const LONG_LINE_TAIL = MAX_LINE_CHARS - LONG_LINE_HEAD;
/** Stands for the skipped middle of a longer line (no keyword, no digit: rules and fingerprints ignore it). */
export const LONG_LINE_GAP = ' … ';

/** `text`'s first `head` and last `tail` characters, joined by {@link LONG_LINE_GAP}. */
export function headAndTail(text: string, head: number, tail: number): string {
  return `${text.slice(0, head)}${LONG_LINE_GAP}${text.slice(text.length - tail)}`;
}

/** What reading a log found besides its lines. */
export interface LogReadMeta {
  bytesRead: number;
  /** Lines as a person (or `wc -l`) counts them: a final line break ends the last line, and an empty log has none. */
  lineCount: number;
  /** The number of the last line the sink read: after a final line break, the empty line that follows it. */
  lastLine: number;
  truncated: boolean;
}

/**
 * Feeds a {@link LogSource} into `sink` line by line, stopping after `maxBytes` (the chunk that crosses the limit
 * is cut so no more than `maxBytes` are decoded). Returns the bytes read and whether the limit cut the log short.
 * With a `gate`, lines it lets the sink skip go to `gate.skip` instead of `sink`.
 */
export async function forEachLine(
  source: LogSource,
  sink: LineSink,
  maxBytes = Number.POSITIVE_INFINITY,
  gate: LineGate | null = null,
): Promise<LogReadMeta> {
  const splitter = new LineSplitter(sink, gate);
  let truncated = false;
  const feed = (chunk: Uint8Array | string): boolean => {
    const room = maxBytes - splitter.bytes;
    if (room <= 0) {
      truncated = true;
      return false;
    }
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (size > room) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      splitter.push(bytes.subarray(0, room));
      truncated = true;
      return false;
    }
    splitter.push(chunk);
    return true;
  };
  if (typeof source === 'string' || source instanceof Uint8Array) {
    // Big in-memory inputs are still fed in slices so the per-chunk cost stays flat.
    const step = 1 << 20;
    for (let i = 0; i < source.length; ) {
      // A string's slice ends before a surrogate pair it would split: each half alone counts as a 3-byte U+FFFD.
      const end = typeof source === 'string' ? pairSafeEnd(source, i + step) : i + step;
      const piece = typeof source === 'string' ? source.slice(i, end) : source.subarray(i, end);
      if (!feed(piece)) break;
      i = end;
    }
  } else {
    for await (const chunk of source) {
      if (!feed(chunk)) break;
    }
  }
  splitter.end();
  return { bytesRead: splitter.bytes, lineCount: splitter.lines - (splitter.endedEmpty ? 1 : 0), lastLine: splitter.lines, truncated };
}

/** Async iterator over the cleaned lines of a log, for callers that want lines rather than an analysis. */
export async function* readLines(source: LogSource, options: { maxBytes?: number } = {}): AsyncGenerator<LogLine> {
  let batch: LogLine[] = [];
  const pending: LogLine[][] = [];
  const splitter = new LineSplitter((line, text) => {
    batch.push({ line, text });
    if (batch.length >= 1024) {
      pending.push(batch);
      batch = [];
    }
  });
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> =
    typeof source === 'string' || source instanceof Uint8Array ? [source] : source;
  for await (const chunk of chunks) {
    const room = maxBytes - splitter.bytes;
    if (room <= 0) break;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    splitter.push(bytes.byteLength > room ? bytes.subarray(0, room) : bytes);
    while (pending.length > 0) yield* pending.shift() ?? [];
  }
  splitter.end();
  pending.push(batch);
  while (pending.length > 0) yield* pending.shift() ?? [];
}
