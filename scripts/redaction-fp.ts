/**
 * `npm run redaction:fp`: how often redaction fires on real CI logs that hold no secret.
 *
 * Runs {@link redactSecrets} over every log of the development sets in `../shared/datasets/ci-logs-dev` and
 * `ci-logs-gha-dev` (public build logs: the CI systems masked their secrets before publishing, so a redacted
 * line is a false positive unless a reviewer finds a real credential in it) and prints, per set and per rule,
 * the number of lines redacted and the rate over all lines. `--show N` prints N redacted lines per rule (before
 * and after) for inspection; `--reviewed` subtracts the lines listed in `REVIEWED_TRUE_POSITIVES` below.
 *
 * The same logs measure the prompt-injection detector's false positives: lines of real CI output that it takes
 * for text aimed at automated tools (each one withholds the model's answer for its incident).
 *
 * Options: `--root <dir>` (default `../shared/datasets`, or `GUARD_DATASETS`: `datasets.ts`), `--show N` (default 3).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instructionSignals, looksLikeInstruction } from '../shared/analysis/injection.js';
import { redactSecrets, SECRET_FORMAT_COUNT, SECRET_PATTERNS, stripAnsi } from '../shared/logs/index.js';
import { datasetsLocation } from './datasets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SETS = ['ci-logs-dev', 'ci-logs-gha-dev'];

/**
 * Redacted dev-log lines a reviewer confirmed to hold a real credential: they are true positives and do not count
 * against the false-positive rate. Matched by log file and text so the list survives re-labelled data sets.
 */
const REVIEWED_TRUE_POSITIVES: Array<{ file: string; text: RegExp; why: string }> = [
  { file: 'open-source-ios-apps', text: /DANGER_GITHUB_API_TOKEN=[0-9a-f]{40}/, why: 'a 40-hex GitHub token exported in clear' },
  { file: 'awesome-ios', text: /DANGER_GITHUB_API_TOKEN=[0-9a-f]{40}/, why: 'a 40-hex GitHub token exported in clear' },
  { file: 'Microsoft@vscode', text: /PUBLIC_GITHUB_TOKEN=[0-9a-f]{40}/, why: 'a 40-hex GitHub token exported in clear' },
  { file: 'luvit@luvit', text: /Authorization: token [0-9a-f]{40}/, why: 'a GitHub token in a recorded request' },
  { file: 'rails@rails', text: /base64 --decode <<< "ZXhwb3J0IFNBVUNFX0FDQ0VTU19LRVk9/, why: 'a Sauce Labs access key (a UUID), base64-encoded' },
  { file: '', text: /X-Amz-Credential=AKIA[A-Z0-9]{16}.*X-Amz-Signature=/, why: 'a pre-signed S3 URL: key id and signature' },
  { file: 'luvit@luvit', text: /Master-Key: [0-9A-F]{96}/, why: 'a TLS session master key printed by openssl s_client' },
  { file: 'pytest-pandas', text: /POSTGRES_PASSWORD=postgres/, why: 'the database password of the job, in clear' },
  // Found by attack 49's rules (class L): the passwords of the jobs' own test services, in clear, as the row above.
  { file: 'processone@ejabberd', text: /IDENTIFIED BY 'ejabberd_test'|WITH PASSWORD 'ejabberd_test'/, why: "the test database user's password, in clear" },
  { file: 'symfony@symfony', text: /ldap(?:add|modify|search|delete)? .*-w symfony\b/, why: "the test LDAP server's bind password, in clear" },
];

interface Hit {
  where: string;
  before: string;
  after: string;
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? (process.argv[at + 1] as string) : fallback;
}

function logFiles(setDir: string): string[] {
  const files = new Set<string>();
  for (const row of readFileSync(join(setDir, 'labels.jsonl'), 'utf8').split('\n')) {
    if (!row.trim()) continue;
    const record = JSON.parse(row) as { log_file: string; pass_log_file?: string | null };
    files.add(record.log_file);
    if (record.pass_log_file) files.add(record.pass_log_file);
  }
  return [...files].sort();
}

function main(): number {
  const root = option('root', '');
  const datasets = root ? resolve(ROOT, root) : datasetsLocation().dir;
  const show = Number(option('show', '3'));
  const ids = SECRET_PATTERNS.map((p) => p.id);
  console.log(`redaction: ${SECRET_FORMAT_COUNT} token formats + ${new Set(SECRET_PATTERNS.filter((p) => p.kind === 'generic').map((p) => p.id)).size} generic rules (${ids.length} patterns)`);
  let allLines = 0;
  let allHits = 0;
  let allReviewed = 0;
  let allInstructionLike = 0;
  for (const set of SETS) {
    const setDir = join(datasets, set);
    if (!existsSync(join(setDir, 'labels.jsonl'))) {
      console.log(`${set}: not found under ${datasets}, skipped`);
      continue;
    }
    const byRule = new Map<string, Hit[]>();
    let lines = 0;
    let hits = 0;
    let reviewed = 0;
    const instructionLike: Hit[] = [];
    const started = Date.now();
    for (const file of logFiles(setDir)) {
      const raw = readFileSync(join(setDir, file), 'utf8').replace(/\r/g, '');
      const before = stripAnsi(raw).split('\n');
      const after = redactSecrets(raw).split('\n');
      if (before.length !== after.length) throw new Error(`${file}: redaction changed the number of lines`);
      lines += before.length;
      for (let i = 0; i < before.length; i++) {
        const b = before[i] ?? '';
        const a = after[i] ?? '';
        if (looksLikeInstruction(b.slice(0, 2000))) {
          instructionLike.push({ where: `${set}:${file}:${i + 1}`, before: b.slice(0, 200), after: instructionSignals(b.slice(0, 2000)).join(',') });
        }
        if (!a.includes('[REDACTED:')) continue;
        const where = `${set}:${file}:${i + 1}`;
        if (REVIEWED_TRUE_POSITIVES.some((r) => file.includes(r.file) && r.text.test(b))) {
          reviewed += 1;
          continue;
        }
        hits += 1;
        for (const rule of new Set([...a.matchAll(/\[REDACTED:([a-z0-9-]+)\]/g)].map((m) => m[1] as string))) {
          const list = byRule.get(rule) ?? [];
          list.push({ where, before: b.slice(0, 300), after: a.slice(0, 300) });
          byRule.set(rule, list);
        }
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `\n${set}: ${lines} lines; ${hits + reviewed} redacted: ${reviewed} held a secret (reviewed), ${hits} held none` +
        ` — false positives ${((100 * hits) / Math.max(1, lines)).toFixed(4)} % of all lines, ` +
        `${((100 * hits) / Math.max(1, hits + reviewed)).toFixed(1)} % of redacted lines (${seconds.toFixed(1)} s)`,
    );
    for (const [rule, list] of [...byRule.entries()].sort((x, y) => y[1].length - x[1].length)) {
      console.log(`  ${rule}: ${list.length} line(s)`);
      for (const hit of list.slice(0, show)) console.log(`    ${hit.where}\n      - ${hit.before}\n      + ${hit.after}`);
    }
    console.log(`  injection detector: ${instructionLike.length} line(s) of ordinary CI output flagged (${((100 * instructionLike.length) / Math.max(1, lines)).toFixed(4)} %)`);
    for (const hit of instructionLike.slice(0, show)) console.log(`    ${hit.where} [${hit.after}]\n      ${hit.before}`);
    allInstructionLike += instructionLike.length;
    allLines += lines;
    allHits += hits;
    allReviewed += reviewed;
  }
  console.log(
    `\ntotal: ${allLines} lines; ${allHits + allReviewed} redacted, ${allReviewed} with a secret, ${allHits} without — ` +
      `false-positive rate ${((100 * allHits) / Math.max(1, allLines)).toFixed(4)} % of lines, ` +
      `${((100 * allHits) / Math.max(1, allHits + allReviewed)).toFixed(1)} % of redacted lines`,
  );
  console.log(`injection detector: ${allInstructionLike} of ${allLines} lines flagged (${((100 * allInstructionLike) / Math.max(1, allLines)).toFixed(4)} %)`);
  return 0;
}

process.exitCode = main();
