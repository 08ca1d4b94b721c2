/**
 * `npx tsx scripts/patch-fp.ts [options] [list-file | dir …]`: how often the patch check refuses code nobody wrote to
 * attack it. Installed packages' code is not a steered model's fix, so each refusal or flag is a false positive unless
 * a reviewer finds a download run, or a call by a hidden name, in it (installers and build scripts do hold some: say
 * which in the report). Two measures, from one list of files:
 *
 * - refusals: files of the kinds a build machine holds (shell scripts, Makefiles, Dockerfiles, YAML, Python,
 *   JavaScript, Ruby, PHP, Perl), `--per-kind` of each spread evenly over the sorted list, offered to the whole
 *   {@link checkPatch} as lines a patch adds, in chunks it would accept by size; files refused for their code are
 *   counted per reason (`--show N` prints N refused lines per reason).
 * - signals: every Ruby, PHP, Python and JavaScript file (up to 512 KB) read by the code signals alone,
 *   {@link languageSignals} (Ruby's and PHP's calls by name) and {@link dangerousCodeSignals} (any language), whole or
 *   as consecutive patches of `--window=N` added lines (a patch changes at most 200); `--list` prints the flagged
 *   paths, to compare two versions of the check; `--languages=ruby,php` reads those only.
 *
 * The files: those listed one a line in a file given as an argument (made once with `find`, so that two versions read
 * the same files; `-` reads the list from stdin), or found under the directories given (default: this checkout's
 * node_modules, /usr/share and /usr/lib). `--only=refusals` or `--only=signals` measures one.
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPatch } from '../shared/analysis/index.js';
import { dangerousCodeSignals, languageSignals } from '../shared/analysis/dangerous-code.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The kinds of file the refusals are counted for, and the extension each is offered to the check as. */
const KINDS: Array<{ name: string; re: RegExp; as: string }> = [
  { name: 'shell', re: /\.(?:sh|bash)$/, as: 'md' },
  { name: 'make', re: /^(?:GNU)?[Mm]akefile$|\.mk$/, as: 'md' },
  { name: 'docker', re: /^(?:Dockerfile|Containerfile)/, as: 'md' },
  { name: 'yaml', re: /\.ya?ml$/, as: 'md' },
  { name: 'python', re: /\.py$/, as: 'py' },
  { name: 'javascript', re: /\.(?:js|mjs|cjs)$/, as: 'js' },
  { name: 'ruby', re: /\.rb$/, as: 'rb' },
  { name: 'php', re: /\.php$/, as: 'php' },
  { name: 'perl', re: /\.(?:pl|pm)$/, as: 'pl' },
];
/** The languages the signals are counted for. */
const LANGUAGES: Record<string, RegExp> = { ruby: /\.rb$/, php: /\.php$/, python: /\.py$/, javascript: /\.js$/ };
const CHUNK_LINES = 100;
const CHUNK_BYTES = 16_000;
/** A file larger than this is generated or minified code, not something a fix PR adds. */
const MAX_FILE_BYTES = 512 * 1024;

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const setting = (name: string) => {
  const at = args.findIndex((arg) => arg.startsWith(`${name}=`));
  return at >= 0 ? args.splice(at, 1)[0]!.slice(name.length + 1) : undefined;
};
const perKind = option('--per-kind', 1500);
const show = option('--show', 0);
/** `--window=N`: read each file as patches of N added lines each (a patch adds at most 200), not whole. */
const window = Number(setting('--window') ?? 0);
const languages = setting('--languages')?.split(',');
const only = setting('--only');
const list = args.includes('--list');
const sources = args.filter((arg) => !arg.startsWith('--'));

/**
 * Files under `directory`; symbolic links are not followed (a link back up the tree is a loop, and what it names is
 * read where it is). Directories whose name starts with a dot are skipped: under node_modules they hold tools' builds
 * and temporary files, not installed packages (`.cache` holds the CLI's own bundles, a set per rebuild kept for an
 * hour, `.vite-temp` the test runner's), and they shifted the evenly spread sample, so two checkouts of the same
 * code measured 40 and 45 refusals of 6,342 (session 49).
 */
function* walk(directory: string): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) yield* walk(path);
    } else if (entry.isFile()) yield path;
  }
}

/** The files to read, sorted: listed in the files given, found under the directories given, or under the defaults. */
function files(): string[] {
  const roots = sources.length > 0 ? sources : [join(ROOT, 'node_modules'), '/usr/share', '/usr/lib'];
  const found = roots.flatMap((source) =>
    source === '-' || statSync(source, { throwIfNoEntry: false })?.isFile()
      ? readFileSync(source === '-' ? '/dev/stdin' : source, 'utf8').split('\n').filter(Boolean)
      : [...walk(source)],
  );
  return found.sort();
}

/** Patches adding `lines` to `src/file.<as>`, each within the check's size and line bounds. */
function patches(lines: string[], as: string): string[] {
  const out: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    out.push([`--- a/src/file.${as}`, `+++ b/src/file.${as}`, `@@ -0,0 +1,${chunk.length} @@`, ...chunk.map((line) => `+${line}`), ''].join('\n'));
    chunk = [];
    bytes = 0;
  };
  for (const raw of lines) {
    // Past the check's line bound a patch is refused for its length, not its code, as past its size bound: not counted.
    const line = raw.slice(0, 2000);
    if (chunk.length >= CHUNK_LINES || bytes + line.length > CHUNK_BYTES) flush();
    chunk.push(line);
    bytes += Buffer.byteLength(line) + 2;
  }
  flush();
  return out;
}

/** Refusals by the whole check, per kind and per reason. */
function countRefusals(paths: readonly string[]): void {
  let total = 0;
  const refused = new Map<string, string[]>();
  for (const kind of KINDS) {
    const matching = paths.filter((path) => kind.re.test(basename(path)));
    const step = Math.max(1, matching.length / perKind);
    let read = 0;
    let flagged = 0;
    for (let i = 0; i < matching.length; i += step) {
      const path = matching[Math.floor(i)]!;
      const text = readFileSync(path, 'utf8');
      if (text.includes('\0')) continue;
      read += 1;
      for (const patch of patches(text.replace(/\r\n?/g, '\n').split('\n'), kind.as)) {
        const check = checkPatch(patch);
        if (check.ok || !/runs something nobody can review|dependency no manifest declares|configures a package manager|out of view/.test(check.reason)) continue;
        flagged += 1;
        const reason = /\(([\w, -]+)\)$/.exec(check.reason)?.[1] ?? (/out of view/.test(check.reason) ? 'out-of-view' : /configures a package manager/.test(check.reason) ? 'manager-setting' : 'added-dependency');
        const line = show > 0 ? patch.split('\n').slice(3).find((added) => !checkPatch(patches([added.slice(1)], kind.as)[0] ?? '').ok) : undefined;
        refused.set(reason, [...(refused.get(reason) ?? []), `${path}: ${(line ?? check.reason).slice(0, 200)}`]);
        break;
      }
    }
    total += read;
    console.log(`${kind.name.padEnd(11)} files ${String(read).padStart(5)}  refused ${String(flagged).padStart(4)}`);
  }
  console.log(`all         files ${String(total).padStart(5)}  refused ${[...refused.values()].reduce((sum, list) => sum + list.length, 0)}`);
  for (const [reason, list] of [...refused].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${reason}: ${list.length}`);
    for (const example of list.slice(0, show)) console.log(`    ${example}`);
  }
}

/** Files flagged by the code signals alone, per language. */
function countSignals(paths: readonly string[]): void {
  const counts = new Map<string, { files: number; language: number; dangerous: number }>();
  for (const path of paths) {
    const language = Object.keys(LANGUAGES).find((name) => LANGUAGES[name]!.test(path));
    if (language === undefined || (languages !== undefined && !languages.includes(language))) continue;
    if ((statSync(path, { throwIfNoEntry: false })?.size ?? Infinity) > MAX_FILE_BYTES) continue;
    const count = counts.get(language) ?? { files: 0, language: 0, dangerous: 0 };
    counts.set(language, count);
    count.files += 1;
    const lines = readFileSync(path, 'utf8').split('\n');
    const parts = window > 0 ? Array.from({ length: Math.ceil(lines.length / window) }, (_, i) => lines.slice(i * window, (i + 1) * window)) : [lines];
    const byLanguage = [...new Set(parts.flatMap((part) => languageSignals(path, part)))];
    const dangerous = [...new Set(parts.flatMap((part) => dangerousCodeSignals(part.join('\n'))))];
    if (byLanguage.length > 0) count.language += 1;
    if (dangerous.length > 0) count.dangerous += 1;
    if (list && byLanguage.length + dangerous.length > 0) console.log(`${language}\t${[...byLanguage.map((id) => `lang:${id}`), ...dangerous].join(',')}\t${path}`);
  }
  for (const [language, count] of counts) {
    console.log(`${language}: ${count.files} files, ${count.language} flagged by languageSignals, ${count.dangerous} by dangerousCodeSignals`);
  }
}

const paths = files();
if (only !== 'signals') {
  console.log(`refusals by checkPatch (up to ${perKind} files a kind, ${CHUNK_LINES}-line patches):`);
  countRefusals(paths);
}
if (only !== 'refusals') {
  console.log(`signals alone (every file, ${window > 0 ? `${window}-line windows` : 'whole'}):`);
  countSignals(paths);
}
