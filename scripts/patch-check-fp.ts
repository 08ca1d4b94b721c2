/**
 * `tsx scripts/patch-check-fp.ts [--list] [dir …]`: how often the patch check's code signals fire on code nobody wrote
 * to attack it. Reads every Ruby, PHP, Python and JavaScript file under the given directories (default: this checkout's
 * node_modules, /usr/share and /usr/lib: vendored libraries on the build machine) as if a patch added it whole, and
 * prints per language how many files {@link languageSignals} (Ruby's and PHP's calls by name) and
 * {@link dangerousCodeSignals} (any language) flag. A flagged file is a false positive unless a reviewer finds code
 * in it that runs something by a name it hides. `--list` prints the flagged paths, to compare two versions of the check;
 * `--languages=ruby,php` reads those only; `--files=<list>` reads the paths listed in a file instead of walking directories;
 * `--window=200` reads each file as consecutive patches of 200 added lines (the most a patch may change), not whole.
 * It calls the two signal functions directly (Ruby/PHP name tracking, per file and window); `scripts/patch-fp.ts` offers
 * the same kind of files to the whole `checkPatch`, every kind a build machine holds, and counts refusals by reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dangerousCodeSignals, languageSignals } from '../shared/analysis/dangerous-code.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LANGUAGES: Record<string, RegExp> = { ruby: /\.rb$/, php: /\.php$/, python: /\.py$/, javascript: /\.js$/ };
/** A file larger than this is generated or minified code, not something a fix PR adds. */
const MAX_FILE_BYTES = 512 * 1024;

function* files(directory: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry);
    let stat;
    try {
      stat = statSync(path, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (stat?.isDirectory()) yield* files(path);
    else if (stat?.isFile() && stat.size <= MAX_FILE_BYTES) yield path;
  }
}

const args = process.argv.slice(2);
const list = args.includes('--list');
const only = args.find((arg) => arg.startsWith('--languages='))?.slice('--languages='.length).split(',');
const fileList = args.find((arg) => arg.startsWith('--files='))?.slice('--files='.length);
/** `--window=N`: read each file as patches of N added lines each (a patch adds at most 200), not whole. */
const window = Number(args.find((arg) => arg.startsWith('--window='))?.slice('--window='.length) ?? 0);
const directories = args.filter((arg) => !arg.startsWith('--'));
const roots = directories.length > 0 ? directories : [join(ROOT, 'node_modules'), '/usr/share', '/usr/lib'];
/** The files to read: those listed one a line in `--files=<list>` (made once with `find`, to compare versions), or found under the roots. */
function* candidates(): Generator<string> {
  if (fileList === undefined) for (const root of roots) yield* files(root);
  else yield* readFileSync(fileList, 'utf8').split('\n').filter((path) => path !== '' && statSync(path, { throwIfNoEntry: false })?.size! <= MAX_FILE_BYTES);
}
const counts = new Map<string, { files: number; language: number; dangerous: number }>();
{
  for (const path of candidates()) {
    const language = Object.keys(LANGUAGES).find((name) => LANGUAGES[name]!.test(path));
    if (language === undefined || (only !== undefined && !only.includes(language))) continue;
    const count = counts.get(language) ?? { files: 0, language: 0, dangerous: 0 };
    counts.set(language, count);
    count.files += 1;
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const parts = window > 0 ? Array.from({ length: Math.ceil(lines.length / window) }, (_, i) => lines.slice(i * window, (i + 1) * window)) : [lines];
    const byLanguage = [...new Set(parts.flatMap((part) => languageSignals(path, part)))];
    const dangerous = [...new Set(parts.flatMap((part) => dangerousCodeSignals(part.join('\n'))))];
    if (byLanguage.length > 0) count.language += 1;
    if (dangerous.length > 0) count.dangerous += 1;
    if (list && byLanguage.length + dangerous.length > 0) console.log(`${language}\t${[...byLanguage.map((id) => `lang:${id}`), ...dangerous].join(',')}\t${path}`);
  }
}
for (const [language, count] of counts) {
  console.log(`${language}: ${count.files} files, ${count.language} flagged by languageSignals, ${count.dangerous} by dangerousCodeSignals`);
}
