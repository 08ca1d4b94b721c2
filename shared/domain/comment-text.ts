import { INCIDENT_ID } from './trigger.js';

/**
 * How every hidden marker in Pipeline Guard's own comments starts (the incident comment's, a command answer's). A
 * comment holding one is ours, and never a command: with a personal token ours are not written by a Bot account.
 */
export const OUR_MARKER_PREFIX = '<!-- pipeline-guard:';

/**
 * The part of a comment's Markdown that a person wrote as prose, where a `/guard` command counts. A command in a
 * fenced or indented code block or in an HTML comment is someone showing or quoting it (how to approve, a pasted
 * transcript), not giving it, and GitHub does not render it as a line of text. The rules follow CommonMark where
 * it matters for a line that starts with a command: fences (also inside list items and quotes, which end them
 * when they end), HTML comment blocks and comments inside a paragraph. When in doubt a line is not prose: a
 * command must then be written plainly, which fails closed. Every step is linear in the comment's length (anyone
 * can comment, before any permission is checked).
 */

/** One container marker at the start of a line: a quote's `>` or a list item's bullet or number. */
const CONTAINER_MARKER_RE = /^[ \t]{0,3}(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))/;
const FENCE_RE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HTML_COMMENT_OPEN_RE = /^ {0,3}<!--/;

/** `text` with tabs expanded to the next multiple of four columns (CommonMark's tab stops). */
function expandTabs(text: string): string {
  let out = '';
  for (const c of text) out += c === '\t' ? ' '.repeat(4 - (out.length % 4)) : c;
  return out;
}

/** A line split into its container markers (quotes and list items, tabs expanded) and the rest. */
interface Contained {
  quotes: number;
  width: number;
  list: boolean;
  rest: string;
}

function containers(line: string): Contained {
  let rest = expandTabs(line);
  let quotes = 0;
  let width = 0;
  let list = false;
  for (let marker = CONTAINER_MARKER_RE.exec(rest); marker !== null; marker = CONTAINER_MARKER_RE.exec(rest)) {
    if (marker[0].includes('>')) quotes += 1;
    else list = true;
    width += marker[0].length;
    rest = rest.slice(marker[0].length);
  }
  return { quotes, width, list, rest };
}

interface Fence {
  readonly char: string;
  readonly length: number;
  /** The quotes around it, and the column its list item's content starts at (0 outside a list). */
  readonly quotes: number;
  readonly contentColumn: number;
  /** Spaces before the opening fence: the closing one may have up to three. */
  readonly indent: number;
}

function opensFence({ quotes, width, list, rest }: Contained): Fence | null {
  const match = FENCE_RE.exec(rest);
  if (!match) return null;
  const [, spaces = '', fence = '', info = ''] = match;
  // A backtick fence's info string holds no backtick (``` a ` b is inline code, not a fence).
  if (fence.startsWith('`') && info.includes('`')) return null;
  return { char: fence[0]!, length: fence.length, quotes, contentColumn: list ? width : 0, indent: spaces.length };
}

/** What a line does to the open `fence`: closes it, stays inside it, or ends its container (and so the fence). */
function inFence(line: string, fence: Fence): 'closes' | 'inside' | 'container-ends' {
  let rest = expandTabs(line);
  for (let quote = 0; quote < fence.quotes; quote += 1) {
    const marker = /^[ \t]{0,3}>[ \t]?/.exec(rest);
    if (!marker) return rest.trim() === '' ? 'inside' : 'container-ends';
    rest = rest.slice(marker[0].length);
  }
  const indent = rest.length - rest.trimStart().length;
  if (fence.contentColumn > 0 && rest.trim() !== '' && indent < fence.contentColumn) return 'container-ends';
  const body = rest.trim();
  const closing = indent - fence.contentColumn <= 3 && body.length >= fence.length && [...body].every((c) => c === fence.char);
  return closing ? 'closes' : 'inside';
}

/**
 * For each line, the index of the first line from it on that holds `-->`, and of the first blank one (lines.length
 * when none): an inline comment closes only within its paragraph. Read once, from the end.
 */
function commentEnds(lines: readonly string[]): { close: number[]; blank: number[] } {
  const close = new Array<number>(lines.length + 1).fill(lines.length);
  const blank = new Array<number>(lines.length + 1).fill(lines.length);
  for (let at = lines.length - 1; at >= 0; at -= 1) {
    close[at] = lines[at]!.includes('-->') ? at : close[at + 1]!;
    blank[at] = lines[at]!.trim() === '' ? at : blank[at + 1]!;
  }
  return { close, blank };
}

/** `line` without its code spans (between runs of backticks), where `<!--` is text, not a comment. */
function outsideCodeSpans(line: string): string {
  return line
    .split(/`+/)
    .filter((_, i) => i % 2 === 0)
    .join('');
}

export function proseOf(body: string): string {
  // Lines as Markdown reads them: a lone CR ends one too (a fence so written is still a fence). U+2028 and U+2029
  // end none, though a JavaScript `^` in multiline mode starts a line after them: they become spaces, so a command
  // after one, in the middle of a rendered line (or of a log line quoted in prose), is not read as written plainly.
  const lines = body.split(/\r\n?|\n/).map((line) => line.replace(/[\u2028\u2029]/g, ' '));
  const ends = commentEnds(lines);
  const kept: string[] = [];
  let fence: Fence | null = null;
  let inHtmlComment = false;
  for (let at = 0; at < lines.length; at += 1) {
    const line = lines[at]!;
    if (fence !== null) {
      const effect = inFence(line, fence);
      if (effect === 'inside') continue;
      fence = null;
      if (effect === 'closes') continue;
      // The container ended, and the fence with it: this line is read afresh.
    }
    if (inHtmlComment) {
      // An HTML comment block ends on the line holding `-->`, blank lines included.
      if (line.includes('-->')) inHtmlComment = false;
      continue;
    }
    const contained = containers(line);
    fence = opensFence(contained);
    if (fence !== null) continue;
    const { rest } = contained;
    if (HTML_COMMENT_OPEN_RE.test(rest)) {
      // `<!-->` closes at once, as does a comment whose `-->` is on its first line.
      inHtmlComment = !rest.slice(rest.indexOf('<!--') + 2).includes('-->');
      continue;
    }
    // Four spaces or a tab: an indented code block (or a list item's continuation, which a command never is).
    if (/^(?: {4}|\t)/.test(line)) continue;
    kept.push(line);
    // A comment opened inside a paragraph (outside code spans) hides the lines up to its `-->`, if it closes before
    // the paragraph ends; an unclosed `<!--` is shown as text.
    const text = outsideCodeSpans(line);
    const open = text.indexOf('<!--');
    if (open !== -1 && !text.slice(open + 2).includes('-->') && ends.close[at + 1]! < ends.blank[at + 1]!) at = ends.close[at + 1]!;
  }
  return kept.join('\n');
}

/**
 * The words after a `/guard` command split into the incident they name first, if they do (`/guard approve gh-1-2-1`,
 * `/guard feedback up gh-1-2-1 …`), and the rest.
 */
export function leadingIncidentId(words: string): { incidentId: string | null; rest: string } {
  const first = words.split(/\s+/)[0] ?? '';
  return INCIDENT_ID.test(first) ? { incidentId: first, rest: words.slice(first.length).trim() } : { incidentId: null, rest: words };
}
