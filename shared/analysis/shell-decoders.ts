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
 * decoding, `uudecode`, `rev` and `tac` (a text reversed, by characters or by lines), a rot13 `tr` (its sets bracketed
 * or not), `printf`/`echo -e` of escapes and ANSI-C `$'\x..'` quoting, a decompressor or an archive printed (`unzip
 * -p`), `iconv` from a wide encoding (attack-52: UTF-16 bytes are no text a reviewer reads).
 */
export const SHELL_DECODER = String.raw`(?:\b(?:base(?:64|32)|basenc)(?:\s+-\S+)*?\s+(?:-[a-z]*d[a-z]*|--decode)\b|\bxxd(?:\s+-\S+)*?\s+-[a-z]*r|\bopenssl\s+(?:enc|base64)\b[^|\n]{0,80}?\s-d\b|(?<![\w.\/-])(?:uudecode|rev|tac|gunzip|[bx]?zcat|zstdcat|unxz|unzstd|bunzip2)(?![\w.-])|\b(?:gzip|bzip2|xz|zstd|lzma|brotli|lz4|lzip|pigz)(?:\s+-\S+)*?\s+-[a-z]*d|\bunzip(?:\s+-\S+)*?\s+-[a-z]*p|\biconv\b[^|\n;&]{0,80}?\b(?:utf-?(?:16|32|7)|ucs-?[24])|\btr\s+["']?\[?(?:[a-z]-[a-z]){2}\]?["']?\s+["']?\[?(?:[a-z]-[a-z]){3}|(?:\b(?:printf|echo\s+-e)\s+[^|\n]{0,${LINE_CHARS}}?|\$'[^'\n]{0,${LINE_CHARS}}?)\\(?:x[\da-f]|[0-3][0-7]{2}))`;

/** {@link SHELL_DECODER} anywhere: every text the patterns built on it match holds one, and alone it is read faster. */
export const SHELL_DECODER_ANYWHERE = /* @__PURE__ */ (() => new RegExp(SHELL_DECODER, 'i'))();

/**
 * A decoder's output substituted where a command stands, so the shell runs it (attack-51: `os.system("$(echo … |
 * base64 -d)")`): at a line's or a command's start, or opening a call's string (`system("$(…`), also after a prefix that
 * runs the command it is given (`sudo`, `exec`, `env A=b`: attack-52), and in backticks opening a string or after a
 * word, the decoder given input (`` system('`echo … | base64 -d`') ``; a doc's inline code, `` | `base64 -d` | ``, is
 * not). Not a substitution given
 * to a command or a name (`echo "$(…)"`, `KEY="$(…)"`). Blanks after the start are a line's only (`[ \t]`), so a run of
 * line breaks is not read again from each of them; the backtick is matched before the look-behind that reads the
 * blanks before it, so a run of blanks is not read back from each of its positions.
 */
export const DECODED_AS_COMMAND = /* @__PURE__ */ (() =>
  new RegExp(
    String.raw`(?:^|[;&|\n]|\b(?:then|do|else)\s|\([ \t]*["'\x60])[ \t]*(?:(?:sudo|doas|exec|env|nohup|command|nice|time)(?:[ \t]+(?:-\S+|\w+=\S*))*[ \t]+)*["']?(?:\$\([^\n)]{0,${LINE_CHARS}}|\x60(?<=(?:["']|\w[ \t]+)\x60)[^\n\x60]{0,${LINE_CHARS}}?\|[ \t]*)${SHELL_DECODER}`,
    'i',
  ))();

/**
 * A decoder's output written to a file, its name in group 1: redirected (`base64 -d > /tmp/p`, `| xxd -r -p >> run.sh`)
 * or through `tee` (attack-52).
 */
const DECODED_SAVED = /* @__PURE__ */ (() =>
  new RegExp(String.raw`${SHELL_DECODER}[^\n;&|]{0,${LINE_CHARS}}?(?:\d?>>?|\|\s*tee(?:\s+-\S+)*)\s*["']?([^\s;&|"'\x60<>()]+)`, 'gi'))();
/**
 * A command that runs a file, its name in group 1 or 2: a shell or an interpreter given it (options first), `source`
 * or `.`, a prefix that runs what it is given (`exec`, `sudo`, `env`, `nohup`), or the file itself where a command
 * stands (`/tmp/p`, `./p`).
 */
const RUNS_A_FILE = /(?:(?<![\w.-])(?:(?:ba|z|da|k)?sh|source|\.|python[\d.]*|node|perl|ruby|php|exec|sudo|env|nohup)(?:\s+-\S+)*\s+["']?([^\s;&|"'\x60<>()]+)|(?:^|[;&|]\s*)["']?([.~]?\/[^\s;&|"'\x60<>()]+))/g;

/**
 * A file as the name it is run by: its last part, since a `cd` between the write and the run (`cd /tmp && … > p && sh
 * /tmp/p`) makes two spellings of one file (attack-52); two files of one name in two directories are rare in one patch.
 */
const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Whether `text` writes a shell decoder's output to a file and runs that file after it, on the same line or a later one
 * (attack-51: `echo … | base64 -d > /tmp/p && sh /tmp/p`; attack-52: the run in the next `os.system`). Each decoder is
 * read to the end of its line, at most {@link LINE_CHARS}; the files run are read once, so the reading stays linear.
 */
export function decodedFileRuns(text: string): boolean {
  const savedAt = new Map<string, number>();
  for (const saved of text.matchAll(DECODED_SAVED)) {
    const file = fileName(saved[1]!);
    if (file !== '' && !savedAt.has(file)) savedAt.set(file, saved.index + saved[0].length);
  }
  if (savedAt.size === 0) return false;
  for (const run of text.matchAll(RUNS_A_FILE)) if (run.index >= (savedAt.get(fileName((run[1] ?? run[2])!)) ?? Infinity)) return true;
  return false;
}

/** What PowerShell takes before an option: `-`, `/`, and the en dash, em dash and horizontal bar (attack-52: `–enc`). */
const POWERSHELL_DASH = '[-/\u2013\u2014\u2015]';
/** Every prefix of PowerShell's `-EncodedCommand` it takes for the option (`-e`, `-en`, `-enc`, …), and its alias `-ec`. */
const ENCODED_COMMAND_OPTION = /* @__PURE__ */ (() => `(?:ec|${[...'encodedcommand'].map((_, at, all) => all.slice(0, at + 1).join('')).join('|')})`)();

/**
 * PowerShell given its encoded command (attack-51): the command runs from base64 UTF-16 the diff never shows as code,
 * whatever follows the option (a literal, a name, a joined string), in a command string or an argument list, the
 * option in any case, after `-` or `/`, with its value after a blank or a colon, or an option a format fills in
 * (`'pwsh -{} {}'.format('enc', b)`, `-%s`: attack-52). Not an option after `-File`, which is the script's own.
 */
export const POWERSHELL_ENCODED = /* @__PURE__ */ (() =>
  new RegExp(String.raw`\b(?:pwsh|powershell)(?:\.exe)?\b(?:(?!${POWERSHELL_DASH}f(?:ile)?\b)[^\n;&|]){0,200}?(?<=[\s,"'\[])["']?${POWERSHELL_DASH}(?:${ENCODED_COMMAND_OPTION}|\{\w{0,20}\}|%[sr])(?=[\s:"',\]]|$)`, 'i'))();
