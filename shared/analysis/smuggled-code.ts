import { dangerousCodeSignals, languageSignals } from './dangerous-code.js';
import { DOWNLOAD_PROGRAMS, DOWNLOADER_NAMES, GH_DOWNLOADS } from './downloaders.js';
import { shellReadings } from './shell-reading.js';
import { TEXT_EXTENSIONS } from './text.js';

/**
 * Code a fix PR could carry past its approver although every line of it is in the diff: text the interpreter decodes
 * into other statements (a declared source encoding), text pushed out of the approval's view, and writes that change
 * what later steps of the job run (GitHub Actions' environment files, files tools load by convention). Each is read
 * here as a signal id, as {@link dangerousCodeSignals} reads a download run, so that the patch check and the fix
 * commit's whole-file reading refuse them the same way (attack pass 12).
 */

/**
 * Python's coding declaration (PEP 263), as its tokenizer matches it on line 1 or 2; Ruby's magic comment
 * (`# encoding: x`, `# -*- coding: x -*-`, `# vim: set fileencoding=x :`) is the same pattern, also on line 1 or 2.
 */
const CODING_DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/**
 * The encodings whose reading of a file is the text the check reads: UTF-8 (the diff's own), ASCII, and Latin-1, in
 * every spelling Python's codec registry and tokenizer accept for them (normalised as {@link normalEncodingName}).
 * Everything else is refused: UTF-7 and `unicode_escape` turn a comment's `+AAoA…-` or `\u000a…` into statements, and
 * a multi-byte encoding whose second byte may be ASCII (Shift_JIS, GBK, Big5) swallows the `\` or quote after a lead
 * byte, so that a string the diff shows closed is still open (or the other way round).
 */
const READABLE_ENCODINGS = new Set([
  'utf_8', 'utf8', 'u8', 'utf', 'utf8_ucs2', 'utf8_ucs4', 'cp65001', 'utf_8_sig',
  'ascii', 'us_ascii', '646', 'ansi_x3.4_1968', 'ansi_x3_4_1968', 'ansi_x3.4_1986', 'cp367', 'csascii', 'ibm367', 'iso646_us', 'iso_646.irv_1991', 'iso_ir_6', 'us',
  'latin_1', 'latin1', 'latin', 'l1', 'iso_8859_1', 'iso8859_1', 'iso8859', '8859', 'cp819', 'csisolatin1', 'ibm819', 'iso_8859_1_1987', 'iso_ir_100', 'iso_latin_1',
  // Ruby's names for the same: its default, and raw bytes (ASCII-compatible, one byte a character).
  'ascii_8bit', 'binary',
]);

/**
 * An encoding's name as Python looks it up: lower case, runs of anything but letters, digits and `.` one `_`
 * (`encodings.normalize_encoding`), and Emacs's line-ending suffix dropped (`utf-8-unix`, which the tokenizer
 * reads as `utf-8`).
 */
function normalEncodingName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_(?:unix|dos|mac)$/, '');
}

/** The files a declared encoding changes the reading of: Python's (`.pyi` stubs are parsed too) and Ruby's. */
const DECLARES_ENCODING = /\.(?:py|pyi|pyw|rb|rake|ru|gemspec)$/i;

/** Why a declaration is refused, as a signal id. */
export const SOURCE_ENCODING = 'source-encoding';

/**
 * {@link SOURCE_ENCODING} when `firstLines` (a file's lines 1 and 2) declare an encoding other than UTF-8, ASCII or
 * Latin-1 for a Python or Ruby file `path`; null otherwise. Both lines are read whatever the first holds (Python reads
 * the second only after a comment or a blank line, Ruby only after a shebang): reading more only refuses more.
 */
export function declaredEncodingSignal(path: string, firstLines: ReadonlyArray<string | undefined>): string | null {
  if (!DECLARES_ENCODING.test(path)) return null;
  for (const line of firstLines.slice(0, 2)) {
    const name = line === undefined ? undefined : CODING_DECLARATION.exec(line)?.[1];
    if (name !== undefined && !READABLE_ENCODINGS.has(normalEncodingName(name))) return SOURCE_ENCODING;
  }
  return null;
}

/**
 * Perl's ways to read the rest of a file as something else: a source filter (`use Filter::Util::Call`, core since 5.8,
 * and `filter_add`, which hand the source text to a function that returns the code Perl runs; Filter::Simple's
 * `FILTER { … }`) and `use encoding`, which decoded the source before 5.26 and still may with `Filter => 1`. What the
 * diff shows below one is not what runs. `require encoding` only loads the module, as `open.pm` does.
 */
const PERL_SOURCE_FILTER = /^\s*use\s+(?:encoding\b|Filter::\w)|\bfilter_add\s*\(|\bFILTER(?:_ONLY)?\s*\{/m;
const PERL_FILE = /\.(?:pl|pm|t)$/i;

/**
 * Java reads its `\uXXXX` escapes before anything else, anywhere in the file: `// note \u000a exec(…)` is a comment
 * and, on the next line javac sees, a statement. An escaped line break is a compile error inside a literal, so it
 * is only ever that trick. A `\` counts only after an even number of backslashes (`"\\u000a"` is text), as in javac.
 */
const JAVA_ESCAPED_LINE_BREAK = /(?<!\\)(?:\\\\)*\\u+000[adAD]/;
export const ESCAPED_LINE_BREAK = 'escaped-line-break';

/** Blank characters the approval's code block shows as blank: space, tab, and the Unicode space separators. */
const BLANK = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;

/** Where text after a long run of blanks starts out of view, and how long a run must be to count (see {@link pushedOutOfView}). */
export const OUT_OF_VIEW = {
  /** Columns of blanks in a row, leading indentation included (a tab is 8 columns or fewer, to its stop). */
  blankRun: 32,
  /**
   * The column (tabs to stops of 8, as GitHub shows them) from which text is past the right edge of a comment's
   * unwrapped code block on a laptop screen (about 100 columns) or nearly: the approval shows the diff there.
   */
  column: 80,
} as const;

/**
 * Whether `line` has text that a run of at least {@link OUT_OF_VIEW}.blankRun blanks pushes to column
 * {@link OUT_OF_VIEW}.column or further: `TIMEOUT = 30` and 400 spaces before `; exec(…)` shows the approver
 * `TIMEOUT = 30`. Aligned comments and tables have such runs but end well inside the view: of 6,341 files of
 * installed packages, 43 have a run of 32 blanks before more text, 3 put that text at column 80 or further.
 */
export function pushedOutOfView(line: string): boolean {
  let column = 0;
  let run = 0;
  for (const char of line) {
    if (BLANK.test(char)) {
      const width = char === '\t' ? 8 - (column % 8) : char === '\u3000' ? 2 : 1;
      column += width;
      run += width;
      continue;
    }
    if (run >= OUT_OF_VIEW.blankRun && column >= OUT_OF_VIEW.column) return true;
    run = 0;
    column += 1;
  }
  return false;
}

/**
 * GitHub Actions' files that change later steps: `$GITHUB_ENV` sets their environment (`BASH_ENV`, `NODE_OPTIONS`,
 * `LD_PRELOAD` run code in every one), `$GITHUB_PATH` which programs their commands find, and `$GITHUB_OUTPUT` the
 * step outputs that workflows put into `run:` scripts and `if:` conditions through `${{ }}`. Also the runner's
 * directory holding them, the workflow commands that did the same (`::set-env`, `::add-path`, `::set-output`,
 * `::save-state`: a test prints them and the runner obeys), the switch that turns the first two back on, and the
 * toolkit's calls that write the files (`core.exportVariable`, `core.addPath`). `$GITHUB_STEP_SUMMARY` is only shown.
 */
const ACTIONS_FILE = /\bGITHUB_(?:ENV|PATH|OUTPUT)\b|_runner_file_commands|::(?:set-env|add-path|set-output|save-state)\b|\bACTIONS_ALLOW_UNSECURE_COMMANDS\b|\bexportVariable\s*\(|\bcore\s*\.\s*addPath\s*\(/i;
/**
 * In documentation only the forms a command reads the variables by count (`>> $GITHUB_ENV`, `-o "${GITHUB_PATH}"`,
 * PowerShell's `$env:GITHUB_ENV`, cmd's `%GITHUB_ENV%`), and the workflow commands: prose may name the variables, and a
 * reader copies a command, not a sentence.
 */
const ACTIONS_FILE_WRITE = /\$\{?GITHUB_(?:ENV|PATH|OUTPUT)\b|\$env:GITHUB_(?:ENV|PATH|OUTPUT)\b|%GITHUB_(?:ENV|PATH|OUTPUT)%|_runner_file_commands|::(?:set-env|add-path|set-output|save-state)\b|\bACTIONS_ALLOW_UNSECURE_COMMANDS\b/i;
export const ACTIONS_ENVIRONMENT_FILE = 'actions-environment-file';

/** The downloaders run as commands. */
const DOWNLOADERS = String.raw`(?:${DOWNLOADER_NAMES})(?:\.exe)?\b`;
/**
 * A downloader where documentation runs it: at the start of a line (after a prompt), after a shell operator or in
 * inline code. Prose names curl and its configuration file in one sentence ("defaults for curl can be kept in
 * ~/.curlrc") without downloading anything.
 */
const DOCUMENTED_DOWNLOAD = new RegExp(String.raw`(?:^\s*(?:[$#>]\s+)?|[;&|\x60(]\s*)(?:sudo\s+)?${DOWNLOADERS}`, 'i');
/** A download on a line: a downloader run as a command, or a library call that fetches a URL. */
const DOWNLOAD = new RegExp(String.raw`(?<![\w$@.-])${DOWNLOADERS}|\b${GH_DOWNLOADS}\b|\b(?:urlretrieve|urlopen|download_?file|downloadstring)\s*\(|\b(?:requests|httpx|session|client|http|https|axios|got)\s*\.\s*get\s*\(|(?<![.\w$])(?:fetch|got|axios)\s*\(`, 'i');
/**
 * Files a tool loads by their name or place, without anything naming them: pytest's `conftest.py` and test files,
 * Python's start-up customisation and `.pth` files (a line starting `import` runs), a package's `__init__.py`,
 * anything under `node_modules/` or `site-packages/` (what `require` and `import` resolve), git hooks, shell and tool
 * start-up files (`~/.bashrc`, `/etc/profile.d/`, `.curlrc`), the test files of Go, RSpec and the JavaScript runners,
 * `/etc/ld.so.preload` (loaded into every program), the directories on `PATH` (a download over `npm` keeps its mode),
 * `.github/`, the build files CI runs (`Makefile`, `package.json`, `setup.py`, scripts) and the configuration that is
 * code a tool loads by name (`vitest.config.ts`, `.envrc`, `noxfile.py`): what the fix-PR
 * allow-list keeps a patch from writing, a download must not write either.
 */
const LOADED_BY_CONVENTION = new RegExp(
  String.raw`(?:^|[\s"'\x60=(/\\:,{])(?:(?:` +
    [
      String.raw`(?:conftest|sitecustomize|usercustomize|__init__)\.py`,
      String.raw`[\w.-]*\.pth`,
      String.raw`test_[\w.-]*\.py|[\w.-]+_test\.(?:py|go)|[\w.-]+_spec\.rb|[\w.-]+\.(?:test|spec)\.[cm]?[jt]sx?`,
      String.raw`\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zshenv|zprofile|zlogin|kshrc|cshrc|tcshrc|pythonrc(?:\.py)?|irbrc|pryrc|npmrc|yarnrc(?:\.yml)?|pypirc|netrc|gitconfig|curlrc|wgetrc)`,
      String.raw`pip\.conf|ld\.so\.preload`,
      String.raw`(?:gnu)?makefile|[\w.-]+\.mk|package\.json|setup\.py|setup\.cfg|pyproject\.toml|gemfile|rakefile|build\.gradle(?:\.kts)?|pom\.xml|cmakelists\.txt|dockerfile|[\w.-]+\.(?:sh|bash)`,
      // Code a tool loads by its name from the directory it runs in: `vitest.config.ts`, `.eslintrc.cjs`, direnv's `.envrc`.
      String.raw`[\w-]+\.config\.[cm]?[jt]s|\.\w+rc\.[cm]?js|\.envrc|(?:gulp|grunt|jake)file\.[cm]?[jt]s|(?:nox|fab|dodo)file\.py|vagrantfile|jenkinsfile`,
    ].join('|') +
    // A directory on PATH holding the downloader itself (`/usr/bin/curl`) is where it runs from, not where it saves.
    String.raw`)(?![\w.-])|(?:node_modules|site-packages|dist-packages|profile\.d|\.ssh|\.github)\/|(?:(?:usr\/)?(?:local\/)?s?bin|\.local\/bin)\/(?!(?:${DOWNLOAD_PROGRAMS})(?![\w.-]))|\.git\/hooks\/)`,
  'i',
);
export const DOWNLOAD_TO_LOADED_PATH = 'download-to-loaded-path';

/**
 * Pages GitHub Pages (or a docs site) serves, the HTML a Markdown page or a component holds, and the scripts that write
 * or load one: a script element whose source (`src`, SVG's `href`/`xlink:href`) is another host (`https://…`, `//…`,
 * written with an HTML entity or an escape), a `data:` URL, or any address once a `<base href>` names another host; one
 * made by `createElement('script')` (also given `{ src }` by `Object.assign`) or written into an iframe's `srcdoc`;
 * a worker's `importScripts`, jQuery's `getScript` and the `useScript`/`loadScript` helpers of one, and jQuery's `ajax`
 * told its `dataType` is a script (run whatever its URL). Each runs in every visitor's browser what nobody reviewed.
 * A tag's attributes are read across lines, as HTML and JSX allow.
 */
const PAGE_FILE = /\.(?:html?|md|mdx|vue|svelte|astro|[cm]?[jt]sx?)$/i;
const ELSEWHERE = String.raw`\s*["'\x60]?\s*(?:[a-z][\w+.-]*(?::|&)|\/\/|&|\\)`;
/**
 * A module from another host (attack-48 U): an import map's address (every `import 'react'` then loads it), a dynamic
 * import or a worker given one past comments (Vite's `/* @vite-ignore *\/`), through `new URL(…)`, or by a name given
 * one earlier in the text (`const u = 'https://…'; import(u)`, typed too: `const u: string =`). An import given the
 * URL itself on its line is URL_IMPORT's (patch.ts); one given it on the next line is read here (attack-52), and
 * so is a function importing its parameter called with one (`const load = (u) => import(u); load('https://…')`).
 */
const MODULE_OPENING = String.raw`\b(?!import[ \t]*\([ \t]*["'\x60](?:https?|npm|jsr):)(?:import|new\s+(?:shared)?worker)\s*\(\s*(?:\/\*[^*]{0,200}\*\/\s*)*`;
/**
 * Another host, as a module is named: a scheme with `//` (not a runtime's own `node:fs`; its slashes escaped too,
 * `https:\/\/`), `//`, an entity, an escape or a `data:` URL; `//` in quotes only, since out of them it opens a comment
 * (attack-52 false refusals: `const p = // the bundle`).
 */
const HOST = String.raw`\s*(?:["'\x60]\s*(?:[a-z][\w+.-]*:\\?\/\\?\/|\/\/|&|\\|data:)|[a-z][\w+.-]*:\/\/|&|\\)`;
/** `new URL(path, ` up to its base (attack-51: `new URL('/x.js', 'https://…')` resolves to the base's host). */
const URL_BASE = String.raw`new\s+url\s*\(\s*(?:"[^"\n]*"|'[^'\n]*'|\x60[^\x60\n]*\x60|[\w$.]+)\s*,`;
/**
 * The module's address given as a name given another host: alone, in parentheses or `String(…)`, first in a joined
 * string or a template (attack-51: `import(u + '')`, `` import(`${u}`) ``), or as `new URL`'s base.
 */
const NAMED_ADDRESS = String.raw`(?:${URL_BASE}\s*|\x60\$\{\s*|(?:\(|string\s*\()\s*){0,3}\1(?![\w$])`;
/** A TypeScript type annotation between a name and its `=` (`u: string`, `u: URL | string`), optional. */
const TYPE_ANNOTATION = String.raw`(?:\s*:(?![:=])[^=\n;]{1,80}?)?`;
/**
 * What a name's value may open with before the address (attack-52): `String(`, `new URL(`, an array joined later
 * (`['https://…', 'x.js'].join('/')`), an object's property (`{ src: 'https://…' }`, destructured or read as `cfg.src`).
 */
const VALUE_OPENING = String.raw`(?:\s*(?:string\s*\(|new\s+url\s*\(|\[|\{[^{}\n]{0,200}?:)){0,2}`;
const MODULE_FROM_ELSEWHERE = String.raw`${MODULE_OPENING}(?:string\s*\(\s*)?(?:new\s+url\s*\(\s*|${URL_BASE})?${HOST}|\b([A-Za-z_$][\w$]*)\s*\}?${TYPE_ANNOTATION}\s*=${VALUE_OPENING}${HOST}[^]{0,2000}?${MODULE_OPENING}${NAMED_ADDRESS}|\b([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*=>\s*\{?\s*(?:return\s+)?(?:await\s+)?${MODULE_OPENING}\3(?![\w$])[^]{0,2000}?\b\2\s*\(${HOST}`;
const REMOTE_SCRIPT_TAG = new RegExp(
  String.raw`<script\b[^>]{0,300}?\s(?:src|(?:xlink:)?href)\s*=\s*\{?${ELSEWHERE}|<base\b[^>]{0,300}?\shref\s*=${ELSEWHERE}|createelement\s*\(\s*["']script["']\s*\)[^]{0,300}?(?:\.\s*src\s*=|setattribute\s*\(\s*["']src["']\s*,|\bsrc["']?\s*:)${ELSEWHERE}|\b(?:importscripts|getscript|usescript|loadscript)\s*\(\s*["'\x60]${ELSEWHERE}|\.\s*ajax\s*\([^;]{0,400}?\bdatatype\s*:\s*["']script|\ssrcdoc\s*=[^>]{0,600}?script\b[^>]{0,300}?\ssrc\s*=\s*(?:&quot;|&#\w+;)?${ELSEWHERE}|<script\b[^>]{0,300}?\stype\s*=\s*["']?importmap\b[^<]{0,2000}?:${HOST}`,
  'i',
);
/**
 * A module imported from another host ({@link MODULE_FROM_ELSEWHERE}), read only in a text that opens a module
 * ({@link MODULE_OPENED}): each name given an address is followed for 2,000 characters to an import of it, which over
 * the attack rows' pages was 82% of this reading's time (session 70: 5.5 of 6.7 s over 4,064 texts, most with no import).
 */
const MODULE_IMPORT_FROM_ELSEWHERE = new RegExp(MODULE_FROM_ELSEWHERE, 'i');
const MODULE_OPENED = new RegExp(MODULE_OPENING, 'i');
/** Whether `text` loads a script or a module from another host: {@link REMOTE_SCRIPT_TAG}, {@link MODULE_IMPORT_FROM_ELSEWHERE}. */
const loadsRemoteScript = (text: string): boolean => REMOTE_SCRIPT_TAG.test(text) || (MODULE_OPENED.test(text) && MODULE_IMPORT_FROM_ELSEWHERE.test(text));
export const REMOTE_SCRIPT_TAG_SIGNAL = 'remote-script-tag';

/** Quoted literals joined by `+` (`'https:' + '//x'`), one chain at a time, with no escape or quote of another kind inside. */
const JOINED_LITERALS = /(?:'[^'\\\n]*'|"[^"\\\n]*")(?:\s*\+\s*(?:'[^'\\\n]*'|"[^"\\\n]*"))+/g;
/** `text` with each chain of {@link JOINED_LITERALS} written as the one literal it makes (attack-51: a host in pieces). */
const literalsJoined = (text: string): string => text.replace(JOINED_LITERALS, (chain) => `'${[...chain.matchAll(/'([^']*)'|"([^"]*)"/g)].map((piece) => piece[1] ?? piece[2]).join('')}'`);
/** A name given another host's address as a literal: the name in group 1, the literal in group 2. */
const GIVEN_ADDRESS = /(?<![\w$.])([A-Za-z_$][\w$]*)(?:\s*:(?![:=])[^=\n;]{1,80}?)?\s*=\s*((["'\x60])\s*(?:[a-z][\w+.-]*:\/\/|\/\/)[^"'\x60\n]*\3)/gi;
/** A name given another name's value, alone (`u = host`): the names in groups 1 and 2. */
const GIVEN_NAME = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)(?=\s*(?:[,;)\n]|$))/g;
/** How many names given names are followed from an address (`a = 'https://…'; b = a; c = b`). */
const NAME_STEPS = 3;
/**
 * `text` with each name given a name given an address (attack-51's chained row: `host = 'https://…', u = host`) given
 * the address itself, so the module reading finds the address where the name is imported. Each step reads the text once.
 */
function addressesThroughNames(text: string): string {
  let read = text;
  for (let step = 0; step < NAME_STEPS; step++) {
    const addresses = new Map([...read.matchAll(GIVEN_ADDRESS)].map((given) => [given[1]!, given[2]!]));
    if (addresses.size === 0) return read;
    const next = read.replace(GIVEN_NAME, (all, name: string, value: string) => (addresses.has(value) ? `${name} = ${addresses.get(value)!}` : all));
    if (next === read) return read;
    read = next;
  }
  return read;
}

/**
 * The ids of what `lines` (of `path`) do to the job around them: write GitHub Actions' environment files
 * ({@link ACTIONS_ENVIRONMENT_FILE}), download onto a path a tool loads by convention ({@link DOWNLOAD_TO_LOADED_PATH}:
 * `curl -o tests/conftest.py`, `urlretrieve(u, site + "/x.pth")`, on one line), in a page load a script from elsewhere
 * ({@link REMOTE_SCRIPT_TAG_SIGNAL}), in Java hide a line break in an
 * escape ({@link ESCAPED_LINE_BREAK}), or in Perl read the rest of the file through a source filter ({@link SOURCE_ENCODING}). A variable's name is read as written and as a shell reading builds it
 * (`"GITHUB_" + "ENV"`).
 */
export function jobChangingSignals(path: string, lines: readonly string[]): string[] {
  const text = lines.join('\n');
  const found = new Set<string>();
  const reading = shellReadings(text.normalize('NFKC'));
  const forms = [text, text.normalize('NFKC'), reading?.words ?? '', reading?.quoted ?? ''];
  const actions = TEXT_EXTENSIONS.test(path) ? ACTIONS_FILE_WRITE : ACTIONS_FILE;
  if (forms.some((form) => actions.test(form))) found.add(ACTIONS_ENVIRONMENT_FILE);
  const download = TEXT_EXTENSIONS.test(path) ? DOCUMENTED_DOWNLOAD : DOWNLOAD;
  if (forms.some((form) => form.split('\n').some((line) => download.test(line) && LOADED_BY_CONVENTION.test(line)))) found.add(DOWNLOAD_TO_LOADED_PATH);
  if (PAGE_FILE.test(path) && [text, addressesThroughNames(literalsJoined(text))].some(loadsRemoteScript)) found.add(REMOTE_SCRIPT_TAG_SIGNAL);
  if (/\.java$/i.test(path) && lines.some((line) => JAVA_ESCAPED_LINE_BREAK.test(line))) found.add(ESCAPED_LINE_BREAK);
  if (PERL_FILE.test(path) && PERL_SOURCE_FILTER.test(text)) found.add(SOURCE_ENCODING);
  return [...found];
}

/** Every signal the patch check reads in `lines` of `path`: dangerous code, the language's own checks, and {@link jobChangingSignals}. */
export function codeSignals(path: string, lines: readonly string[]): string[] {
  return [...new Set([...dangerousCodeSignals(lines.join('\n')), ...languageSignals(path, lines), ...jobChangingSignals(path, lines)])];
}

/**
 * The signals `after` has that `before` has not, for two readings of one path: the lines a diff shows of a file before
 * and after it, or the whole file. An added line is read with the code around it (`$f = "sys";` there already, `$g = $f
 * . "tem"; $g($x);` added), and what was there already does not refuse a fix next to it. Signals are compared by id: a
 * second download run composed beside one the file already has is left to the added lines' own reading.
 */
export function newSignals(path: string, before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before.length === 0 ? [] : codeSignals(path, before));
  return codeSignals(path, after).filter((signal) => !old.has(signal));
}
