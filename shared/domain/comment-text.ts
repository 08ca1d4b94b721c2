import { INCIDENT_ID } from './trigger.js';

/**
 * How every hidden marker in Pipeline Guard's own comments starts (the incident comment's, a command answer's). A
 * comment holding one is ours, and never a command: with a personal token ours are not written by a Bot account.
 */
export const OUR_MARKER_PREFIX = '<!-- pipeline-guard:';

/**
 * The part of a comment's Markdown that a person wrote as prose, where a `/guard` command counts. A command in a
 * fenced or indented code block or in an HTML comment is someone showing or quoting it (how to approve, a pasted
 * transcript), not giving it, and GitHub does not render it as a line of text. So is a command in a quote, or in
 * HTML (a `<pre>` block, an attribute). The rules follow CommonMark where it matters for a line that starts with a
 * command: fences (also inside list items and quotes, which end them when they end), HTML blocks that end at their
 * end marker (comments, `<pre>` and its kin, `<?`, `<!X`, CDATA) and comments inside a paragraph. What this reader
 * does not follow in full hides the rest of its paragraph, up to the next blank line: a quote (a paragraph in it
 * goes on lazily on unquoted lines), any other HTML block, and a code span or HTML tag left open at the end of a
 * line (each may go on over the next lines). When in doubt a line is not prose: a command must then be written
 * plainly, which fails closed (attack-47 I1). Every step is linear in the comment's length (anyone can comment,
 * before any permission is checked). A real Markdown parser is not used for it: marked 16's lexer takes over a
 * minute on 64 KB of `*a ` and overflows the stack on deep quotes.
 */

/** One container marker at the start of a line: a quote's `>` or a list item's bullet or number. */
const CONTAINER_MARKER_RE = /^[ \t]{0,3}(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))/;
const FENCE_RE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
/**
 * The start of an HTML block (after the line's containers), and for those that end at an end marker rather than
 * at a blank line, the marker (CommonMark's HTML blocks 1 to 5). Any other `<` + letter or `/` at the start of a
 * line is taken as a block that ends at a blank line, as CommonMark's 6 and 7 do (and an autolink too: not prose).
 */
const HTML_BLOCK_OPEN_RE = /^ {0,3}<[A-Za-z/?!]/;
const HTML_BLOCKS_ENDING_AT_MARKER: ReadonlyArray<{ open: RegExp; end: RegExp }> = [
  { open: /^ {0,3}<!--/, end: /-->/ },
  { open: /^ {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)/i, end: /<\/(?:pre|script|style|textarea)>/i },
  { open: /^ {0,3}<\?/, end: /\?>/ },
  { open: /^ {0,3}<![A-Za-z]/, end: />/ },
  { open: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/ },
];

/**
 * What closes on the line it opens on, from a `<`: an open or closing tag (CommonMark's grammar; an attribute's
 * quoted value may hold `>`), or something without white space, such as an autolink. Sticky: tried at one `<`.
 */
const TAG_ON_ONE_LINE_RE =
  /<(?:[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^\s"'=<>`]+|'[^'\n]*'|"[^"\n]*"))?)*[ \t]*\/?>|\/[A-Za-z][A-Za-z0-9-]*[ \t]*>|[^\s<>]*>)/y;

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

/**
 * For each line, the last line of its stretch up to a blank line that holds a backtick run of each length: a code
 * span opened on a line closes at the next run of its length in the paragraph, and a paragraph ends at a blank
 * line if not before (so a closer found here may lie beyond the paragraph: the span is then assumed, which fails
 * closed). Read once, forwards.
 */
function backtickRunsAhead(lines: readonly string[]): Array<Map<number, number>> {
  const ahead: Array<Map<number, number>> = [];
  let stretch = new Map<number, number>();
  lines.forEach((line, at) => {
    if (line.trim() === '') stretch = new Map();
    for (const run of line.matchAll(/`+/g)) stretch.set(run[0].length, at);
    ahead.push(stretch);
  });
  return ahead;
}

/**
 * Line `at` without its code spans, where `<!--` and `<tag` are text, not HTML, and whether a code span it opens
 * may go on over later lines. As CommonMark pairs them: a backtick run opens a span that the next run of the same
 * length closes; one that no run closes is text, and the runs after it are read afresh.
 */
function codeSpansOf(line: string, at: number, runsAhead: ReadonlyMap<number, number>): { outside: string; open: boolean } {
  const runs = [...line.matchAll(/`+/g)].map((run) => ({ index: run.index, length: run[0].length }));
  /** For each run, the index of the next run of its length on the line (-1 when none). */
  const nextOfLength = new Array<number>(runs.length).fill(-1);
  const latest = new Map<number, number>();
  for (let index = runs.length - 1; index >= 0; index -= 1) {
    nextOfLength[index] = latest.get(runs[index]!.length) ?? -1;
    latest.set(runs[index]!.length, index);
  }
  let outside = '';
  let from = 0;
  for (let index = 0; index < runs.length; index += 1) {
    const run = runs[index]!;
    const closer = nextOfLength[index]!;
    if (closer !== -1) {
      outside += line.slice(from, run.index);
      from = runs[closer]!.index + run.length;
      index = closer;
    } else if ((runsAhead.get(run.length) ?? -1) > at) {
      return { outside: outside + line.slice(from, run.index), open: true };
    }
  }
  return { outside: outside + line.slice(from), open: false };
}

/** Whether `text` (a line outside its code spans) opens an HTML tag, or `<?`/`<!` construct, that it does not close. */
function leavesTagOpen(text: string): boolean {
  for (const start of text.matchAll(/<[A-Za-z/?!]/g)) {
    // An HTML comment is read on its own (see proseOf).
    if (text.startsWith('<!--', start.index)) continue;
    TAG_ON_ONE_LINE_RE.lastIndex = start.index;
    if (!TAG_ON_ONE_LINE_RE.test(text)) return true;
  }
  return false;
}

export function proseOf(body: string): string {
  // Lines as Markdown reads them: a lone CR ends one too (a fence so written is still a fence). U+2028 and U+2029
  // end none, though a JavaScript `^` in multiline mode starts a line after them: they become spaces, so a command
  // after one, in the middle of a rendered line (or of a log line quoted in prose), is not read as written plainly.
  const lines = body.split(/\r\n?|\n/).map((line) => line.replace(/[\u2028\u2029]/g, ' '));
  const ends = commentEnds(lines);
  const runsAhead = backtickRunsAhead(lines);
  const kept: string[] = [];
  let fence: Fence | null = null;
  /** The end marker of the HTML block the line is in (a comment, `<pre>` …), which blank lines do not end. */
  let htmlBlockEnd: RegExp | null = null;
  /** Whether the rest of the paragraph, up to a blank line, is not prose (a quote, an HTML block, an open span). */
  let hiddenToBlank = false;
  for (let at = 0; at < lines.length; at += 1) {
    const line = lines[at]!;
    if (fence !== null) {
      const effect = inFence(line, fence);
      if (effect === 'inside') continue;
      fence = null;
      if (effect === 'closes') continue;
      // The container ended, and the fence with it: this line is read afresh.
    }
    if (htmlBlockEnd !== null) {
      if (htmlBlockEnd.test(line)) htmlBlockEnd = null;
      continue;
    }
    if (line.trim() === '') {
      hiddenToBlank = false;
      continue;
    }
    const contained = containers(line);
    if (contained.quotes > 0) hiddenToBlank = true;
    fence = opensFence(contained);
    if (fence !== null) continue;
    const { rest } = contained;
    if (HTML_BLOCK_OPEN_RE.test(rest)) {
      const block = HTML_BLOCKS_ENDING_AT_MARKER.find(({ open }) => open.test(rest));
      // The end marker may be on the opening line, after the start (`<!-->` closes at once).
      if (block === undefined) hiddenToBlank = true;
      else if (!block.end.test(rest.slice(rest.indexOf('<') + 2))) htmlBlockEnd = block.end;
      continue;
    }
    if (hiddenToBlank) continue;
    const spans = codeSpansOf(line, at, runsAhead[at]!);
    // A span or tag left open may go on over the next lines, and a line indented as code may be a paragraph's
    // continuation that opens one.
    if (spans.open || leavesTagOpen(spans.outside)) hiddenToBlank = true;
    // Four spaces or a tab: an indented code block (or a list item's continuation, which a command never is).
    if (/^(?: {4}|\t)/.test(line)) continue;
    kept.push(line);
    if (hiddenToBlank) continue;
    // A comment opened inside a paragraph (outside code spans) hides the lines up to its `-->`, if it closes before
    // the paragraph ends; an unclosed `<!--` is shown as text.
    const open = spans.outside.indexOf('<!--');
    if (open !== -1 && !spans.outside.slice(open + 2).includes('-->') && ends.close[at + 1]! < ends.blank[at + 1]!) at = ends.close[at + 1]!;
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
