import { stripHidden } from '../../invisible.js';
import { LINE_PATTERNS } from './patterns.js';
import { replacedFromRewritten, RewrittenWindows } from './rewritten-windows.js';

/**
 * A JSON `\uXXXX` escape, behind any number of backslashes (one more level of JSON inside a JSON string doubles them):
 * `{"\u0070assword":…}`, a secret escaped letter by letter, `\u0067hp_…` in a message. No pattern reads through one.
 * And JSON's `\/`, which PHP's json_encode and others write for every slash: `https:\/\/user:password@host` is no
 * URL to the URL rules (attack-49 F).
 */
/** What Go's encoding/json escapes by default, besides quotes, backslashes and control characters. */
const GO_HTML_ESCAPED = '<>&';
// From the first backslash of a run only: tried at each, a run of backslashes with no escape after it was read again
// from every one of them (quadratic: 0.9 s for 32 KB of `\`).
const UNICODE_ESCAPE = /(?<!\\)\\+(?:u([0-9A-Fa-f]{4})|\/)/g;

/**
 * What the escaped UTF-16 unit `code` reads as for the patterns: the character, '' for a hidden one (a zero-width
 * space splitting a token), or null to leave the escape as it is written: a quote, a backslash or a control character
 * decoded would change where the strings around it end, and a lone surrogate is no character.
 */
function unescapedChar(code: number): string | null {
  if (code < 0x20 || code === 0x22 || code === 0x27 || code === 0x5c || (code >= 0x7f && code < 0xa0)) return null;
  if (code >= 0xd800 && code < 0xe000) return null;
  const char = String.fromCharCode(code);
  return stripHidden(char) === '' ? '' : char;
}

/**
 * `text` with the secrets written with JSON `\uXXXX` or `\/` escapes replaced: each line holding an escape that decodes to a
 * character ({@link unescapedChar}; surrogate pairs to theirs) is decoded and read by every line pattern, after the
 * plain pass, so what is found there is new; it is replaced where it stands in `text` (the escapes it covers with it),
 * the rest of the line kept as written. Linear: a line without such an escape costs nothing more.
 */
export function redactUnicodeEscapes(text: string): string {
  if (text.indexOf('\\') === -1) return text;
  const decoded = new RewrittenWindows();
  let lineEnd = -1;
  let copied = 0;
  UNICODE_ESCAPE.lastIndex = 0;
  for (let escape = UNICODE_ESCAPE.exec(text); escape !== null; escape = UNICODE_ESCAPE.exec(text)) {
    // An escaped slash reads as the code of `/`.
    let code = escape[1] === undefined ? 0x2f : parseInt(escape[1], 16);
    let end = escape.index + escape[0].length;
    let char: string | null;
    const low = code >= 0xd800 && code < 0xdc00 ? /^\\+u(d[c-f][0-9a-f]{2})/i.exec(text.slice(end, end + 16)) : null;
    if (low !== null) {
      code = ((code - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00) + 0x10000;
      end += low[0].length;
      char = String.fromCodePoint(code);
      UNICODE_ESCAPE.lastIndex = end;
    } else {
      char = unescapedChar(code);
    }
    if (char === null) continue;
    if (escape.index > lineEnd) {
      // A line is read again only for an escape that can hide part of a secret (`{"\u0070assword"…`, `\u0067hp_…`, a
      // hidden character): not for escaped accents or emoji, which no pattern reads, nor for the `<`, `>` and `&` Go's
      // encoding/json escapes in every URL and tag it logs (that cost 3.3 times a plain log's time on such a log).
      if (char.length > 0 && (char.charCodeAt(0) >= 0x80 || GO_HTML_ESCAPED.includes(char))) continue;
      if (lineEnd >= 0) decoded.keep(text, copied, lineEnd);
      const lineStart = text.lastIndexOf('\n', escape.index) + 1;
      lineEnd = text.indexOf('\n', escape.index);
      if (lineEnd === -1) lineEnd = text.length;
      decoded.open();
      copied = lineStart;
    }
    decoded.keep(text, copied, escape.index);
    decoded.rewrite(char, escape.index, end);
    copied = end;
  }
  if (lineEnd === -1) return text;
  decoded.keep(text, copied, lineEnd);
  return replacedFromRewritten(text, decoded, LINE_PATTERNS, false);
}
