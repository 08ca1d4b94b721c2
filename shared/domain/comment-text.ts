import { withinGitHubCommentLimit } from './comment-limit.js';
import { INCIDENT_ID } from './trigger.js';

/**
 * How every hidden marker in Pipeline Guard's own comments starts (the incident comment's, a command answer's). A
 * comment holding one is ours, and never a command: with a personal token ours are not written by a Bot account.
 */
export const OUR_MARKER_PREFIX = '<!-- pipeline-guard:';

/**
 * What may not come before a `/guard` command line: each of these can open a construct that wraps a later line, so
 * that GitHub shows the command quoted, as code or HTML, or not at all. Whitespace other than space, tab and line
 * ends counts too (NBSP, U+FEFF, U+2028 …: JavaScript's `trim` drops them, Markdown reads them as text), and so do
 * control and format characters.
 */
const MARKUP = /[<>`~[|$\p{Cf}]|[^\P{Cc}\t\n\r]|[^\P{Z} ]|[^\S \t\r\n]/u;

/** A `/guard` command line that counts (`read`), one that is refused because of what comes before it, or none. */
export type CommandLine = { kind: 'read'; match: RegExpExecArray } | { kind: 'refused'; match: RegExpExecArray } | { kind: 'none' };

/**
 * The first line of `body` that `command` matches (a pattern anchored at the line's start, which must be `/guard`),
 * and whether it counts as the maintainer's own prose. A command counts only when GitHub shows it as written, never
 * quoted, as code, inside HTML or not at all: someone showing or quoting a command (how to approve, a pasted
 * transcript, an outsider's words) is not giving it. Modelling Markdown by hand to tell them apart failed twice
 * running (attack-47, then attack-48: HTML elements left open around later blocks, NBSP "blank" lines, link titles
 * and image alts over lines, tab stops, escaped backticks, list-item fences, table rows), and a real GFM parser is
 * super-linear on hostile comments (marked 16: over a minute on 64 KB) and too large. So the rule needs no Markdown
 * model, and refuses what it cannot prove visible:
 *
 * - The line starts with `/guard` at column 0: not indented code, nor a list item's indented content.
 * - Nothing before it holds `<` `` ` `` `~` `[` `|` `$` `>`, nor whitespace other than space, tab and line ends (lines
 *   end at CRLF, CR or LF, as in Markdown). Every construct that can be open at a later line starts with one of them:
 *   a fence (`` ` ``/`~`), an HTML block, element, comment or autolink (`<`), a quote and its lazy continuation (`>`), a
 *   link reference definition, a link's title or an image's alt text, a footnote (`[`), a table (`|`), math (`$`), a
 *   code span (`` ` ``) or strikethrough (`~`). What is left (letters, digits, other punctuation, `*`/`_` emphasis,
 *   `#` headings, `-`/`+`/`1.` list items, `@mentions`, `#123`, URLs without `<>`) opens nothing that hides a line:
 *   emphasis or a setext underline after it leave it shown, and a column-0 line after a list item is at most a lazy
 *   continuation of its paragraph, still shown as the maintainer wrote it. The other whitespace is refused because
 *   Markdown reads it as text where a reader sees a blank line (attack-48 P2).
 * - The body is within GitHub's bound ({@link withinGitHubCommentLimit}): cut to it, a closer past the cut would be
 *   lost (attack-48 P7), so a longer body has no command read at all.
 *
 * What follows the command line does not matter. This gives up commands after markup that hides nothing (a closed
 * code span, `Map<K, V>`): those are refused, and the author is told why (see comment-commands.ts). Linear in the
 * comment's length: each line is tested once by the pattern and once for markup.
 */
export function commandLine(body: string, command: RegExp): CommandLine {
  let plain = withinGitHubCommentLimit(body);
  // Line by line without splitting the body first: an array of a line each (65,536 of `\n`) is a large object in V8,
  // and every young line written into it is remembered for the next collection, which made the same reading four to
  // eight times slower a character past ~16K lines.
  const lineEnd = /\r\n|\r|\n/g;
  for (let start = 0; start <= body.length; start = lineEnd.lastIndex) {
    const end = lineEnd.exec(body);
    const line = body.slice(start, end ? end.index : body.length);
    const match = command.exec(line);
    if (match) return plain ? { kind: 'read', match } : { kind: 'refused', match };
    if (!end) break;
    if (plain && MARKUP.test(line)) plain = false;
  }
  return { kind: 'none' };
}

/**
 * The words after a `/guard` command split into the incident they name first, if they do (`/guard approve gh-1-2-1`,
 * `/guard feedback up gh-1-2-1 …`), and the rest.
 */
export function leadingIncidentId(words: string): { incidentId: string | null; rest: string } {
  const first = words.split(/\s+/)[0] ?? '';
  return INCIDENT_ID.test(first) ? { incidentId: first, rest: words.slice(first.length).trim() } : { incidentId: null, rest: words };
}
