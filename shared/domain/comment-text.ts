/**
 * The part of a comment's Markdown that a person wrote as prose, where a `/guard` command counts. A command in a
 * fenced or indented code block or in an HTML comment is someone showing or quoting it (how to approve, a pasted
 * transcript), not giving it, and GitHub renders none of them as a line of text.
 */
export function proseOf(body: string): string {
  const kept: string[] = [];
  let fence: string | null = null;
  let inHtmlComment = false;
  for (const line of body.split('\n')) {
    if (fence !== null) {
      // A fence closes on a line of at least as many of its characters, and nothing else.
      if (line.trim().startsWith(fence) && /^[`~]+$/.test(line.trim())) fence = null;
      continue;
    }
    let text = line;
    if (inHtmlComment) {
      const end = text.indexOf('-->');
      if (end === -1) continue;
      inHtmlComment = false;
      text = text.slice(end + 3);
    }
    text = text.replace(/<!--.*?-->/g, '');
    const opened = text.indexOf('<!--');
    if (opened !== -1) {
      inHtmlComment = true;
      text = text.slice(0, opened);
    }
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (opening) {
      fence = opening[1]!;
      continue;
    }
    // Four spaces or a tab: an indented code block (or the continuation of a list item, which commands never are).
    if (/^(?: {4}|\t)/.test(text)) continue;
    kept.push(text);
  }
  return kept.join('\n');
}
