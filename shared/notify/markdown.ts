/**
 * Escaping for text we do not control (log lines, analyzer output, branch names) before it is rendered as
 * GitHub-flavoured Markdown: a log must not be able to inject links, images, mentions, HTML or headings.
 */
import { stripHidden } from '../invisible.js';

const MARKDOWN_SPECIALS = /[\\`*_{}[\]()<>#+\-.!|~=]/g;

/** A run of 7 or more hex digits with a digit and a letter in it: what GitHub links as a commit SHA. */
const HEX_RUN = /\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi;

/**
 * What GitHub turns into links or math in the rendered text (after Markdown, so a backslash escape does not stop
 * it), defused with a zero-width space or an entity; the text reads the same. Mentions (`@user`,
 * `owner/repo@sha`); issue and pull request references (`#12`, `owner/repo#12`, `GH-12`), which put a "mentioned
 * this" entry in another repository's timeline and, after a closing keyword in a PR body, close the issue on merge;
 * commit SHAs, split into runs of six; `http(s)://` and `www.` autolinks; and `$`, the delimiter of GitHub's math (`$…$`,
 * `$$…$$`). Runs after `&` is escaped.
 */
export function defuseReferences(text: string): string {
  return defusePlainReferences(text).replace(/\$/g, '&#36;');
}

/**
 * The mentions, issue references, commit SHAs and URLs of {@link defuseReferences} for text GitHub reads but does
 * not render as Markdown: a commit message or a pull request title, where a closing keyword before an issue's
 * number or its URL (`fixes #12`, `fixes https://github.com/o/r/issues/12`) closes the issue when the commit
 * reaches the default branch.
 */
export function defusePlainReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b')
    .replace(/#(?=[0-9])/g, '#\u200b')
    .replace(/\bGH\\?-(?=[0-9])/gi, (prefix) => `${prefix}\u200b`)
    .replace(HEX_RUN, (run) => run.replace(/[0-9a-f]{6}(?=[0-9a-f])/gi, '$&\u200b'))
    .replace(/https?:\/\//gi, (scheme) => scheme.replace('://', ':\u200b//'))
    // GFM's extended autolink: `www.` then a domain is linked without a scheme.
    .replace(/(?<![A-Za-z0-9])www(?=\\?\.)/gi, (www) => `${www}\u200b`);
}

/** Escapes inline text so it renders literally. Mentions, issue references, commit SHAs and math are defused. */
export function escapeMarkdown(text: string): string {
  const escaped = stripHidden(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    // CommonMark ends a line at \r as well as \n: either could start a heading or a code block.
    .replace(/\r\n?|\n/g, ' ')
    .replace(MARKDOWN_SPECIALS, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;');
  return defuseReferences(escaped);
}

/**
 * A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it.
 * Inside a fence nothing is rendered as Markdown or HTML.
 */
export function codeBlock(lines: readonly string[], language = 'text'): string {
  const body = lines.join('\n').replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
  const longestRun = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

/**
 * Inline code for untrusted text: a code span whose backtick fence is longer than any run inside, with line
 * breaks and bidi controls removed. Inside a code span nothing renders (no links, mentions or HTML).
 */
export function inlineCode(text: string): string {
  const body = text.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // Empty, the span would be "``": no code span but a backtick string, which closes at the next "``" of its paragraph
  // (the fence of a later span whose text holds one backtick) and leaves that span's text rendered as Markdown.
  // Padded, it is a span of spaces.
  const pad = body === '' || body.startsWith('`') || body.endsWith('`') || body.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A sentence of ours that quotes untrusted text between single backticks (as the log engine's diagnosis does):
 * the quotes render as code, everything else is escaped.
 */
export function sentenceWithCode(text: string): string {
  return text
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? inlineCode(part) : escapeMarkdown(part)))
    .join('');
}

/** A link whose URL we built ourselves from a trusted base; the label is escaped. */
export function link(label: string, url: string | null): string {
  if (!url || !/^https:\/\/[^\s()<>]+$/.test(url)) return escapeMarkdown(label);
  return `[${escapeMarkdown(label)}](${url})`;
}
