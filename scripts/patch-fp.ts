/**
 * `find /usr/share /usr/lib node_modules -type f | npx tsx scripts/patch-fp.ts`: how often the patch check's code rules
 * refuse ordinary code. Every file listed (one path a line, on stdin or in the file named) of the kinds a build machine holds (shell scripts,
 * Makefiles, Dockerfiles, YAML, Python, JavaScript, Ruby, PHP, Perl) is offered to {@link checkPatch} as lines a
 * patch adds, in chunks it would accept by size, and the files refused for their code are counted per reason.
 * Installed packages' code is not a steered model's fix, so each refusal is a false positive unless a reviewer finds
 * a download run in it (installers and build scripts do hold some: say which in the report).
 *
 * `scripts/patch-check-fp.ts` reads Ruby, PHP, Python and JavaScript with the code signals alone, per file and window
 * (`--list` to compare two versions' flagged files).
 *
 * Options: `--per-kind N` (default 1500, files read per kind, spread evenly over the sorted list), `--show N`
 * (default 0, refused lines printed per reason).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkPatch } from '../shared/analysis/index.js';

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
const CHUNK_LINES = 100;
const CHUNK_BYTES = 16_000;

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const perKind = option('--per-kind', 1500);
const show = option('--show', 0);
const list = args[0] ?? '/dev/stdin';

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
    const line = raw.slice(0, 2000);
    if (chunk.length >= CHUNK_LINES || bytes + line.length > CHUNK_BYTES) flush();
    chunk.push(line);
    bytes += Buffer.byteLength(line) + 2;
  }
  flush();
  return out;
}

const files = readFileSync(list, 'utf8').split('\n').filter(Boolean).sort();
let total = 0;
const refused = new Map<string, string[]>();
for (const kind of KINDS) {
  const matching = files.filter((path) => kind.re.test(basename(path)));
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
      if (check.ok || !/runs something nobody can review|dependency no manifest declares/.test(check.reason)) continue;
      flagged += 1;
      const reason = /\(([\w, -]+)\)$/.exec(check.reason)?.[1] ?? 'added-dependency';
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
