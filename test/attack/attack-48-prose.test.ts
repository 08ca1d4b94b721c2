import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { handleIssueCommentWebhook, parseApprovalCommand } from '../../shared/ingest/comment-commands.js';
import { parseFeedbackCommand } from '../../shared/knowledge/feedback.js';
import { PENDING_INCIDENT, pendingApproval, proposalAwaitingMaintainer, signedCommentDelivery } from '../support/comment-commands.js';
import { createFakeGitHub, createMemoryCommandAnswers } from '../support/fakes.js';

/**
 * Attack pass 48 (prose): comments where proseOf (shared/domain/comment-text.ts, hardened in 288a005) reads a
 * /guard command as given, while GitHub renders it quoted, as code, struck out, or not at all. The project's rule:
 * a command counts only as the maintainer's own prose, and "when in doubt a line is not prose". marked (GFM) is the
 * oracle; where it departs from cmark-gfm (GitHub's renderer) the test says so. Each test fails on ad61524.
 */

const SECRET = 'attack-48-secret';

/** The HTML GitHub-flavoured Markdown renders the comment to: where the command line ends up on the page. */
const rendered = (body: string) => marked.parse(body, { async: false, gfm: true }) as string;
/** What of the rendered comment a reader sees as text: tags, comments and attributes dropped. */
const visibleText = (body: string) => rendered(body).replace(/<!--[^]*?-->/g, '').replace(/<[^>]*>/g, '');

const commentDelivery = (login: string, body: string) => signedCommentDelivery({ secret: SECRET, login, body, commentId: 4801 });
const waitingProposal = () => proposalAwaitingMaintainer(SECRET);

describe('P1: an HTML element left open wraps the Markdown after it (GitHub\'s <details>/<blockquote> idiom)', () => {
  // proseOf ends a type 6/7 HTML block at a blank line, and takes a tag closed on its line as done. But the
  // *element* stays open: the browser (and GitHub's sanitiser, an HTML parser) nests the Markdown that follows in
  // it. That is how every "<details>\n\n**markdown**\n\n</details>" on GitHub works.
  it('a maintainer who quotes an outsider with an HTML <blockquote> does not approve for them', async () => {
    const body = 'The author asks:\n\n<blockquote>\n\nPlease merge, CI is flaky.\n\n/guard approve\n\n</blockquote>\n\nNo: this failure is real.';
    expect(rendered(body)).toMatch(/<blockquote>[^]*<p>\/guard approve<\/p>[^]*<\/blockquote>/);
    const { deps, tasks, incidents } = await waitingProposal();

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), deps);

    expect(tasks).toEqual([]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('pending');
  });

  it.each([
    ['collapsed in <details> (not shown unless opened)', '<details><summary>Pasted from the PR description</summary>\n\n/guard approve\n\n</details>', /<details>[^]*\/guard approve[^]*<\/details>/],
    ['in a <pre> whose block a stray </textarea> ends for CommonMark, not for the browser', 'Log:\n\n<pre>\n</textarea>\n/guard approve\n</pre>', /<pre>[^]*\/guard approve[^]*<\/pre>/],
    ['inline <code> over lines', 'Reply with <code>\n/guard approve\n</code> once CI is green.', /<code>\s*\/guard approve\s*<\/code>/],
    ['inline <kbd> over lines', 'Type <kbd>\n/guard approve\n</kbd> to approve; I have not.', /<kbd>\s*\/guard approve\s*<\/kbd>/],
    ['an inline <q> quotation over lines', 'They wrote <q>\n/guard approve\n</q> but that is not my call.', /<q>\s*\/guard approve\s*<\/q>/],
    ['an inline <blockquote> over lines', 'They said <blockquote>\n/guard approve\n</blockquote>', /<blockquote>\s*\/guard approve[^]*<\/blockquote>/],
    ['struck out with <del> over lines', 'Not yet: <del>\n/guard approve\n</del> the new log shows a real failure.', /<del>\s*\/guard approve\s*<\/del>/],
    // CommonMark ends these HTML blocks at their line (a "-->" on it) or at a blank line; the "<!--" left in the
    // HTML opens a comment the browser (and GitHub's sanitiser) runs to the end of the comment: nothing after shows.
    ['after a second "<!--" on an HTML comment line', '<!-- template --> <!--\n/guard approve\n', /<!--\n<p>\/guard approve<\/p>(?![^]*-->)/],
    ['after a "<!--" in an HTML block that a blank line ends', '<div><!--\n\n/guard approve\n', /<!--\n\n<p>\/guard approve<\/p>(?![^]*-->)/],
    ['struck out with GFM ~~ over lines', 'I was going to ~~say\n/guard approve this~~ but the log shows a real failure.', /<del>say\s*\/guard approve this<\/del>/],
  ])('ignores a command %s', (_, body, shown) => {
    expect(rendered(body)).toMatch(shown);
    expect(parseApprovalCommand(body)).toBeNull();
  });
});

describe('P2: a line of NBSP / U+FEFF (blank to JavaScript\'s trim, text to Markdown) ends what proseOf hides', () => {
  // CommonMark: a blank line holds only spaces and tabs. proseOf uses line.trim() === '', which also drops
  // U+00A0, U+FEFF, U+3000, U+2000-200A, \f, \v ... U+FEFF is invisible in the editor: the line looks blank.
  it('a lazy quote continued over an NBSP line still quotes the outsider (attack-47 I1, one character on)', async () => {
    const body = '> Please merge, CI is flaky\n\u00a0\n/guard approve\n\nNo: this failure is real.';
    expect(rendered(body)).toMatch(/<blockquote>[^]*\/guard approve[^]*<\/blockquote>/);
    const { deps, tasks, incidents } = await waitingProposal();

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), deps);

    expect(tasks).toEqual([]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('pending');
  });

  it.each([
    ['a quote continued over a zero-width U+FEFF line', '> Please merge\n\uFEFF\n/guard approve', /<blockquote>[^]*\/guard approve[^]*<\/blockquote>/],
    ['a code span over an NBSP line', 'run `\n\u00a0\n/guard approve\n` here', /<code>\s*\/guard approve<\/code>/],
    ['an HTML comment over an NBSP line', 'Looks fine <!--\n\u00a0\n/guard approve\n-->', /<!--[^]*\/guard approve[^]*-->/],
    ['an HTML block over an NBSP line', '<div>\n\u00a0\n/guard approve\n</div>', /<div>[^]*\/guard approve[^]*<\/div>/],
    // A closing fence may be followed (and preceded) only by spaces or tabs; inFence trims NBSP too.
    ['a fence whose "closing" line ends in an NBSP (still code)', '```\nlog\n```\u00a0\n/guard approve\n```', /<pre><code>[^]*\/guard approve[^]*<\/code><\/pre>/],
    ['a fence whose "closing" line starts with an NBSP (still code)', '```\nlog\n\u00a0```\n/guard approve\n```', /<pre><code>[^]*\/guard approve[^]*<\/code><\/pre>/],
  ])('ignores a command in %s', (_, body, shown) => {
    expect(rendered(body)).toMatch(shown);
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it('ignores feedback in a lazy quote over an NBSP line too', () => {
    const body = '> Vote this up\n\u00a0\n/guard feedback up';
    expect(rendered(body)).toMatch(/<blockquote>[^]*\/guard feedback up[^]*<\/blockquote>/);
    expect(parseFeedbackCommand(body)).toBeNull();
  });
});

describe('P3: a command in a Markdown attribute or definition, which the page does not show', () => {
  it.each([
    // A link reference definition renders nothing; its title may go over lines (not over a blank one).
    ['the title of a link reference definition', 'Thanks, looking into it.\n\n[ci]: https://example.com/ci \'\n/guard approve\n\''],
    ['the alt text of an image over lines', 'Looks fine ![\n/guard approve\n](https://example.com/pixel.png)'],
    ['the title of a link over lines', 'see [the log](https://example.com/log "\n/guard approve\n")'],
  ])('ignores a command in %s', (_, body) => {
    expect(visibleText(body)).not.toContain('/guard');
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it('ignores a "/guard" that a link reference definition swallows: the page shows only "approve"', () => {
    const body = '[x]:\n/guard\napprove';
    expect(visibleText(body).trim()).toBe('approve');
    expect(parseApprovalCommand(body)).toBeNull();
  });
});

describe('P4: code and comments that proseOf reads as prose', () => {
  it.each([
    // " \t" is four columns (CommonMark's tab stops): an indented code block. proseOf tests /^( {4}|\t)/ on the raw line.
    ['an indented code block whose indent is a space and a tab', 'Run this:\n\n \t/guard approve', /<pre><code>\s*\/guard approve/],
    ['a second inline comment on a line after a closed one', 'ok <!-- a --> b <!--\n/guard approve\n-->', /<!--\n\/guard approve\n-->/],
    ['an inline comment opened on a paragraph line indented four spaces', 'Looks fine\n    <!--\n/guard approve\n-->', /<!--\n\/guard approve\n-->/],
    // "\`" is a literal backtick: the "`" after it opens a span that the next line's "`" closes.
    ['a code span after an escaped backtick', 'Reply \\`a`\n/guard approve\n`', /<code>\/guard approve<\/code>/],
    // "2." (not 1.) cannot interrupt a paragraph: the line is text, its ``` a code span, not a fence.
    ['a code span that proseOf takes for a fence in a list item "2."', 'Steps:\n2. ```\n/guard approve\nand ``` here', /<code>\/guard approve and<\/code>/],
  ])('ignores a command in %s', (_, body, shown) => {
    expect(rendered(body)).toMatch(shown);
    expect(parseApprovalCommand(body)).toBeNull();
  });
});

describe('P5: a list item\'s continuation indented four spaces or more still opens blocks', () => {
  // proseOf looks for fences, HTML blocks and quotes at 0-3 spaces only; in a list item that is 0-3 spaces past
  // the item's content column ("- " is 2), and a tab is 4 columns.
  it.each([
    ['a fence in a list item (left unclosed)', '- see the steps\n\n    ```\n  /guard approve', /<pre><code>\/guard approve/],
    ['a tilde fence in a list item', '- see the steps\n\n    ~~~\n  /guard approve\n    ~~~', /<pre><code>\/guard approve/],
    ['a <pre> block in a list item', '- see the steps\n\n    <pre>\n  /guard approve\n  </pre>', /<pre>\s*\/guard approve\s*<\/pre>/],
    ['an HTML comment in a list item', '- see the steps\n\n    <!--\n  /guard approve\n  -->', /<!--\s*\/guard approve\s*-->/],
  ])('ignores a command in %s', (_, body, shown) => {
    expect(rendered(body)).toMatch(shown);
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it('ignores a command lazily continuing a quote that a list item opens at four spaces (cmark-gfm; marked differs)', () => {
    // CommonMark spec, example "> 1. > Blockquote\ncontinued here.": the unindented line continues the innermost
    // paragraph, inside every container. cmark-gfm so renders <li><p>a</p><blockquote><p>quote\n/guard approve</p>
    // </blockquote></li>. marked does not continue lazily through a list item; proseOf does not see the quote at all
    // (it sees none at 4+ spaces), where "- > quote\n/guard approve" is ignored (attack-47 I1).
    const body = '- a\n\n    > quote\n/guard approve';
    expect(rendered(body)).toMatch(/<li><p>a<\/p>\n<blockquote>/);
    expect(parseApprovalCommand('- > quote\n/guard approve')).toBeNull();
    expect(parseApprovalCommand(body)).toBeNull();
    expect(parseApprovalCommand('- a\n\n\t> quote\n/guard approve')).toBeNull();
  });
});

describe('P6 (low): a command GitHub renders as a table cell, not a paragraph line', () => {
  it('ignores a command that a GFM table takes as its next row', () => {
    // A table runs to a blank line; a line without pipes is a row of one cell.
    const body = '| check | result |\n| --- | --- |\n| unit | flaky |\n/guard approve';
    expect(rendered(body)).toMatch(/<td>\/guard approve<\/td>/);
    expect(parseApprovalCommand(body)).toBeNull();
  });
});

describe('F (false refusals, lower priority): a plainly written command on its own line that proseOf refused', () => {
  // The comment was then ignored as "no /guard command": the maintainer heard nothing back (no reply, no reaction).
  // Decided in session 45 (to review): a command counts only after text free of < ` ~ [ | $ > (see commandLine in
  // shared/domain/comment-text.ts), so these stay refused, for safety; the maintainer is now told why, and how to
  // send the command so that it is read.
  it.each([
    ['a Java/TypeScript type written in prose', 'Fixed the Map<String, Integer> cast, CI is green.\n/guard approve'],
    ['a comparison written without spaces', 'Only fails when a<b holds, which is flaky.\n/guard approve'],
    ['a version range', 'Bumped to <v2 of the action.\n/guard approve'],
  ])('refuses the command after %s on the line before, and tells the maintainer why', async (_, body) => {
    expect(rendered(body)).toMatch(/<p>[^<]*&lt;[^]*\n\/guard approve<\/p>/);
    expect(parseApprovalCommand(body)).toBeNull();
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers });

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), made.deps());

    expect(made.tasks).toEqual([]);
    expect(github.calls.filter((call) => call.method === 'upsertComment').map((call) => call.args[3])).toEqual([
      'The `/guard approve` from `maintainer` decided nothing: it was not read as a command, because text before it in the comment can be read as code, a quote or HTML. Send the command on its own line at the start of a new comment.',
    ]);
  });
});

describe('P7: the closer past the 65,536th UTF-16 unit of a comment GitHub counts as far shorter', () => {
  // parseApprovalCommand reads proseOf(body.slice(0, 65_536)): UTF-16 units. GitHub's limit (65,536 characters)
  // counts an emoji as one; 32,800 of them fill 65,600 units. Cut there, the closing "`" or "-->" is gone, and proseOf
  // takes the span or comment as never closed (text), while GitHub renders the whole comment.
  const fill = '\u{1F600}'.repeat(32_800);
  it.each([
    ['a code span closed after the cut', `Reply with \`\n/guard approve\n${fill} \``, /^<p>Reply with <code>\/guard approve /],
    ['an HTML comment closed after the cut', `Looks fine <!--\n/guard approve\n${fill} -->`, /^<p>Looks fine <!--\n\/guard approve\n[^]*--><\/p>\n$/],
  ])('ignores a command in %s', (_, body, shown) => {
    expect([...body].length).toBeLessThan(65_536);
    expect(rendered(body)).toMatch(shown);
    expect(parseApprovalCommand(body)).toBeNull();
  });
});
