/**
 * Private-key blocks in a stream of lines seen one at a time (the log scanner's window).
 */
import { redactSecrets } from '../redact.js';
import { taskPrefixLength } from '../task-prefix.js';

/** The text a line inside a private-key block is replaced with when lines are redacted one at a time. */
export const PRIVATE_KEY_LINE = '[REDACTED:private-key]';
/** The line that opens a private-key block (a trigger of the line filter: the filter below must see it). */
export const PRIVATE_KEY_BEGIN_RE = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const PRIVATE_KEY_END_RE = /-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
/**
 * A line that can be part of a key's body: base64 (possibly quoted, indented or followed by a `\n` escape, as in
 * source code), a PEM header (`Proc-Type:`, `DEK-Info:`) or a blank line. A 4096-bit RSA key is 51 lines, a PGP
 * private key block of that size about 110.
 */
const PRIVATE_KEY_BODY_RE = /^\s*(?:["'`+]\s*)?(?:[A-Za-z0-9+/]{1,128}={0,2}(?:\\n)?|(?:Proc-Type|DEK-Info|Comment|Version):.*)?\s*["'`,;+)]*\s*$/;
const MAX_PRIVATE_KEY_LINES = 400;

/** A docker compose service's prefix (`web-1  | `). */
const COMPOSE_PREFIX_RE = /^[\w.-]+\s*\| /;

/** The prefix a task runner puts on a line of one task's output (Turborepo, docker compose), null without one. */
function streamPrefixOf(text: string): string | null {
  const task = taskPrefixLength(text);
  if (task > 0) return text.slice(0, task);
  return COMPOSE_PREFIX_RE.exec(text)?.[0] ?? null;
}

/**
 * Redaction for a stream of lines seen one at a time (the log scanner keeps only a window of them, so a key
 * block's BEGIN line may be far from the lines an excerpt shows). It remembers whether the stream is inside a
 * `-----BEGIN … PRIVATE KEY-----` block and replaces every line up to the END line, however long the block.
 * Other lines pass unchanged: excerpts are redacted again, as a whole, when they are built.
 */
export class PrivateKeyLineFilter {
  private insideKey = false;
  private linesInside = 0;
  /** What came before `-----BEGIN` on its line: body lines carry the same prefix (`web-1  | `, a timestamp). */
  private prefixLength = 0;
  /** The BEGIN line's task prefix (`web:build: `, `web-1  | `), when it has one: the key is that task's output. */
  private stream: string | null = null;
  private bodySeen = false;

  constructor() {
    // V8 compiles code that reads a field no object of its shape has had changed since it was made as if the field
    // were a constant, and throws that code away the first time one is: the first key's BEGIN line, often far into
    // a log, cost a recompilation of the reader's loop (`emitFiltered`) and the line gate. Changed here, on every
    // filter made, the field is a variable from the start.
    this.insideKey = true;
    this.insideKey = false;
  }

  /** True from a key's BEGIN line to its END line: every line read in between is blanked. */
  get inside(): boolean {
    return this.insideKey;
  }

  filter(text: string): string {
    if (!this.insideKey) {
      // Every log line passes here: a plain substring search first, the pattern only when it can match.
      const begin = text.indexOf('-----BEGIN');
      if (begin === -1 || !PRIVATE_KEY_BEGIN_RE.test(text)) return text;
      this.insideKey = !PRIVATE_KEY_END_RE.test(text.slice(begin + 10));
      this.linesInside = 0;
      this.prefixLength = begin;
      this.stream = streamPrefixOf(text) === text.slice(0, begin) && begin > 0 ? text.slice(0, begin) : null;
      this.bodySeen = false;
      return redactSecrets(text);
    }
    if (PRIVATE_KEY_END_RE.test(text)) {
      this.insideKey = false;
      return PRIVATE_KEY_LINE;
    }
    this.linesInside += 1;
    if (this.linesInside > MAX_PRIVATE_KEY_LINES) {
      this.insideKey = false;
      return this.filter(redactSecrets(text));
    }
    // Parallel tasks (Turborepo, docker compose) print interleaved, each line under its own task's prefix: another
    // task's line neither belongs to the key nor ends it. Ended there, the key's body lines that follow reached the
    // excerpts as they were.
    if (this.stream !== null && !text.startsWith(this.stream)) {
      const other = streamPrefixOf(text);
      if (other !== null && other !== this.stream) return redactSecrets(text);
    }
    // Once a body line was seen, the key runs to its END line (within the bound above), whatever its lines hold.
    if (this.bodySeen) return PRIVATE_KEY_LINE;
    const rest = text.length > this.prefixLength ? text.slice(this.prefixLength) : text;
    if (PRIVATE_KEY_BODY_RE.test(text) || PRIVATE_KEY_BODY_RE.test(rest)) {
      if (/[A-Za-z0-9+/]{16}/.test(rest)) this.bodySeen = true;
      return PRIVATE_KEY_LINE;
    }
    // A BEGIN line with no key after it (a source constant found by grep, a secret scanner's report) must not
    // blank the rest of the log: the key ends at the first line that cannot start one.
    this.insideKey = false;
    return this.filter(redactSecrets(text));
  }
}
