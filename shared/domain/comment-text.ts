/**
 * The part of a comment's Markdown that a person wrote as prose, where a `/guard` command counts. A command in a
 * fenced or indented code block or in an HTML comment is someone showing or quoting it (how to approve, a pasted
 * transcript), not giving it, and GitHub does not render it as a line of text. The rules follow CommonMark where
 * it matters for a line that starts with a command: what opens and closes a fence (also inside list items and
 * quotes), and an HTML comment block, which starts a line.
 */

/** A fence opening: list or quote markers, up to three spaces, three or more backticks or tildes, an info string. */
const FENCE_OPEN_RE = /^((?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>[ \t]?)*)( {0,3})(`{3,}|~{3,})(.*)$/;
/** A line inside a quote: its markers, then the rest. */
const QUOTE_PREFIX_RE = /^(?:[ \t]*>[ \t]?)*/;
/** An HTML comment block starts with `<!--` after at most three spaces. */
const HTML_COMMENT_OPEN_RE = /^ {0,3}<!--/;

interface Fence {
  readonly char: string;
  readonly length: number;
  /** Column of the fence's first character: a closing fence may be indented up to three more. */
  readonly column: number;
}

function opensFence(line: string): Fence | null {
  const match = FENCE_OPEN_RE.exec(line);
  if (!match) return null;
  const [, markers = '', spaces = '', fence = '', info = ''] = match;
  // A backtick fence's info string holds no backtick (``` a ` b is inline code, not a fence).
  if (fence.startsWith('`') && info.includes('`')) return null;
  return { char: fence[0]!, length: fence.length, column: markers.length + spaces.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const rest = line.slice(QUOTE_PREFIX_RE.exec(line)?.[0].length ?? 0);
  const indent = rest.length - rest.trimStart().length;
  const body = rest.trim();
  return indent <= fence.column + 3 && body.length >= fence.length && [...body].every((c) => c === fence.char);
}

/** `line` without its code spans (`` `…` ``), where `<!--` is text, not a comment. */
function outsideCodeSpans(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, '');
}

/**
 * Where an inline HTML comment that opens on `lines[at]` (outside code spans) closes: the index of the line
 * holding its `-->`, within the same paragraph (up to a blank line); -1 when it does not open, or never closes
 * (an unclosed `<!--` is shown as text).
 */
function inlineCommentEnd(lines: readonly string[], at: number): number {
  const text = outsideCodeSpans(lines[at]!);
  const open = text.indexOf('<!--');
  if (open === -1 || text.slice(open + 2).includes('-->')) return -1;
  for (let next = at + 1; next < lines.length && lines[next]!.trim() !== ''; next += 1) if (lines[next]!.includes('-->')) return next;
  return -1;
}

export function proseOf(body: string): string {
  const kept: string[] = [];
  let fence: Fence | null = null;
  let inHtmlComment = false;
  const lines = body.split('\n').map((raw) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw));
  for (let at = 0; at < lines.length; at += 1) {
    const line = lines[at]!;
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (inHtmlComment) {
      if (line.includes('-->')) inHtmlComment = false;
      continue;
    }
    fence = opensFence(line);
    if (fence !== null) continue;
    if (HTML_COMMENT_OPEN_RE.test(line)) {
      // The block ends on the line holding `-->`, which may be this one (`<!-->` closes at once).
      inHtmlComment = !line.slice(line.indexOf('<!--') + 2).includes('-->');
      continue;
    }
    // Four spaces or a tab: an indented code block (or a list item's continuation, which a command never is).
    if (/^(?: {4}|\t)/.test(line)) continue;
    kept.push(line);
    // A comment opened inside a paragraph hides the lines up to its `-->` (the text after it continues that line).
    const end = inlineCommentEnd(lines, at);
    if (end !== -1) at = end;
  }
  return kept.join('\n');
}
