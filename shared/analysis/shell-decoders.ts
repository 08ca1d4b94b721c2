/**
 * A shell's decoders and what runs their output (attack-48 T, attack-51): the command a diff shows is not the one that
 * runs. The pipe into a shell is read in `dangerous-code.ts` (SHELL_DECODED, with its shells); the forms here need no
 * shell's name: the decoded text substituted where a command stands, written to a file a later command runs, and
 * PowerShell's encoded command.
 */

/** How far the rest of a line is read: PATCH_LIMITS.maxLineChars (`patch.ts`), past which a line is refused. */
const LINE_CHARS = 500;

/**
 * A shell command that decodes what it is given: base64 or base32 `-d` in any flag group, `basenc`, `xxd -r`, `openssl`
 * decoding, `uudecode`, `rev` and `tac` (a text reversed, by characters or by lines), a rot13 `tr`, `printf`/`echo -e`
 * of escapes, a decompressor.
 */
export const SHELL_DECODER = String.raw`(?:\b(?:base(?:64|32)|basenc)(?:\s+-\S+)*?\s+(?:-[a-z]*d[a-z]*|--decode)\b|\bxxd(?:\s+-\S+)*?\s+-[a-z]*r|\bopenssl\s+(?:enc|base64)\b[^|\n]{0,80}?\s-d\b|(?<![\w.\/-])(?:uudecode|rev|tac|gunzip|[bx]?zcat|zstdcat|unxz|unzstd|bunzip2)(?![\w.-])|\b(?:gzip|bzip2|xz|zstd|lzma|brotli)(?:\s+-\S+)*?\s+-[a-z]*d|\btr\s+["']?(?:[a-z]-[a-z]){2}["']?\s+["']?(?:[a-z]-[a-z]){3}|\b(?:printf|echo\s+-e)\s+[^|\n]{0,${LINE_CHARS}}?\\(?:x[\da-f]|[0-3][0-7]{2}))`;

/**
 * A decoder's output substituted where a command stands, so the shell runs it (attack-51: `os.system("$(echo … |
 * base64 -d)")`): at a line's or a command's start, or opening a call's string (`system("$(…`). Not a substitution
 * given to a command or a name (`echo "$(…)"`, `KEY="$(…)"`). Blanks after the start are a line's only (`[ \t]`), so a
 * run of line breaks is not read again from each of them.
 */
export const DECODED_AS_COMMAND = /* @__PURE__ */ (() =>
  new RegExp(String.raw`(?:^|[;&|\n]|\b(?:then|do|else)\s|\([ \t]*["'\x60])[ \t]*["']?\$\([^\n)]{0,${LINE_CHARS}}${SHELL_DECODER}`, 'i'))();

/** A decoder's output redirected into a file, its name in group 1 (`base64 -d > /tmp/p`, `| xxd -r -p >> run.sh`). */
const DECODED_SAVED = /* @__PURE__ */ (() => new RegExp(String.raw`${SHELL_DECODER}[^\n;&|]{0,${LINE_CHARS}}?\d?>>?\s*["']?([^\s;&|"'\x60<>()]+)`, 'gi'))();
/**
 * A command that runs a file, its name in group 1 or 2: a shell or an interpreter given it (options first), `source`
 * or `.`, or the file itself where a command stands (`/tmp/p`, `./p`).
 */
const RUNS_A_FILE = /(?:(?<![\w.-])(?:(?:ba|z|da|k)?sh|source|\.|python[\d.]*|node|perl|ruby|php)(?:\s+-\S+)*\s+["']?([^\s;&|"'\x60<>()]+)|(?:^|[;&|]\s*)["']?([.~]?\/[^\s;&|"'\x60<>()]+))/g;

/** A relative path as the shell resolves it: `./run.sh` is `run.sh`. */
const samePath = (path: string): string => path.replace(/^(?:\.\/)+/, '');

/**
 * Whether `text` writes a shell decoder's output to a file and runs that file later on the same line (attack-51:
 * `echo … | base64 -d > /tmp/p && sh /tmp/p`). Each decoder is read to the end of its line, at most {@link LINE_CHARS}.
 */
export function decodedFileRuns(text: string): boolean {
  for (const saved of text.matchAll(DECODED_SAVED)) {
    const file = samePath(saved[1]!);
    const from = saved.index + saved[0].length;
    const rest = text.slice(from, from + LINE_CHARS).split('\n', 1)[0]!;
    for (const run of rest.matchAll(RUNS_A_FILE)) if (samePath((run[1] ?? run[2])!) === file) return true;
  }
  return false;
}

/** What PowerShell takes before an option: `-`, `/`, and the en dash, em dash and horizontal bar (attack-52: `–enc`). */
const POWERSHELL_DASH = '[-/\u2013\u2014\u2015]';
/** Every prefix of PowerShell's `-EncodedCommand` it takes for the option (`-e`, `-en`, `-enc`, …), and its alias `-ec`. */
const ENCODED_COMMAND_OPTION = /* @__PURE__ */ (() => `(?:ec|${[...'encodedcommand'].map((_, at, all) => all.slice(0, at + 1).join('')).join('|')})`)();

/**
 * PowerShell given its encoded command (attack-51): the command runs from base64 UTF-16 the diff never shows as code,
 * whatever follows the option (a literal, a name, a joined string), in a command string or an argument list, the
 * option in any case, after `-` or `/`, with its value after a blank or a colon. Not an option after `-File`, which
 * is the script's own.
 */
export const POWERSHELL_ENCODED = /* @__PURE__ */ (() =>
  new RegExp(String.raw`\b(?:pwsh|powershell)(?:\.exe)?\b(?:(?!${POWERSHELL_DASH}f(?:ile)?\b)[^\n;&|]){0,200}?(?<=[\s,"'\[])["']?${POWERSHELL_DASH}${ENCODED_COMMAND_OPTION}(?=[\s:"',\]]|$)`, 'i'))();
