/**
 * `npm run bench:redaction`: CPU time of {@link redactSecrets} on a real CI log and on hostile files of the same size
 * made of base64 (what a step can print to make redaction expensive), in one run, so the ratios share the
 * machine's load. The real log is the largest of the development sets (`GUARD_DATASETS` or `../shared/datasets`,
 * see `datasets.ts`); the hostile files are generated, the same on every run.
 *
 * Each text is redacted whole, as `redaction:fp` does, the last two as an excerpt cut out of a longer log at both
 * ends (a checkout from before cut ends were known reads them whole); the figure is the best CPU time (user +
 * system) of five runs after one warm-up. `--before DIR` measures another checkout of this repository (an earlier
 * commit) on the same texts in the same run, one column each.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { datasetsLocation, noDatasetsMessage } from './datasets.js';
import { seededBytes } from '../test/support/random.js';

/** Which ends of the text are cut out of a longer one: an excerpt's stretch of lines, as the analyzer redacts it. */
interface TextCut {
  atStart: boolean;
  atEnd: boolean;
}
type Redact = (text: string, cut?: TextCut) => string;
const CUT_AT_BOTH_ENDS: TextCut = { atStart: true, atEnd: true };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function largestLog(dir: string): string | null {
  let best: { path: string; size: number } | null = null;
  const visit = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.log')) {
        const size = statSync(child).size;
        if (!best || size > best.size) best = { path: child, size };
      }
    }
  };
  for (const set of ['ci-logs-dev', 'ci-logs-gha-dev']) {
    try {
      visit(join(dir, set));
    } catch {
      // a set that is not there is left out
    }
  }
  return (best as { path: string } | null)?.path ?? null;
}

const randomBytes = seededBytes(0x2545f491);
const printable = (length: number): string => [...randomBytes(length)].map((byte) => String.fromCharCode(32 + (byte % 95))).join('');
const b64 = (data: string | Buffer): string => Buffer.from(data).toString('base64');
/** Cyrillic letters, most of which pass for Latin ones: words of them are folded and read by the token formats. */
const CYRILLIC = 'абвгдежзийклмнопрстуфхцчшщъыьэюяАВЕКМНОРСТХ';
const cyrillicWords = (count: number): string =>
  Array.from({ length: count }, () => [...randomBytes(3 + ((randomBytes(1)[0] as number) % 9))].map((byte) => CYRILLIC.charAt(byte % CYRILLIC.length)).join('')).join(' ');
/** Printable ASCII in full-width forms (U+FF01–U+FF5E), which NFKC folds back. */
const fullWidth = (text: string): string => text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

/** Lines from `line()` up to `size` characters. */
function fill(size: number, line: () => string): string {
  const lines: string[] = [];
  for (let total = 0; total < size; ) {
    const next = line();
    lines.push(next);
    total += next.length + 1;
  }
  return lines.join('\n');
}

function hostileTexts(size: number): Array<[string, string, TextCut?]> {
  return [
    ['one short base64 run of text per line', fill(size, () => b64(printable(18)))],
    ['32 short base64 runs of text per line', fill(size, () => Array.from({ length: 32 }, () => b64(printable(18))).join(' '))],
    ['base64 of text wrapped at 76 columns', fill(size, () => b64(printable(57)))],
    ['base64 of text wrapped at 76 columns behind `app-1  | `', fill(size, () => `app-1  | ${b64(printable(57))}`)],
    ['base64 of base64 of text, one run per line', fill(size, () => b64(b64(printable(120))))],
    ['base64 of random bytes, 76 columns', fill(size, () => b64(randomBytes(57)))],
    ['base64 of random bytes, one 4,000-character run per line', fill(size, () => b64(randomBytes(3000)))],
    ['base64 of text, one 1 MiB run per line', fill(size, () => b64(printable(786_432)))],
    ['base64 of binary made of 8-character strings, 4,000 per run', fill(size, () => b64(Buffer.concat(Array.from({ length: 300 }, () => Buffer.from(`${printable(8)}\0\xff`, 'latin1')))))],
    ['base64 of UTF-16LE text, one 4,000-character run per line', fill(size, () => b64(Buffer.from(printable(1500), 'utf16le')))],
    ['base64 of gzip of text, one 4,000-character run per line', fill(size, () => b64(gzipSync(printable(2900))))],
    ['base64 of gzip of 1 MiB of zeros per line (compression bombs)', fill(size, () => b64(gzipSync(Buffer.alloc(1 << 20))))],
    ['base64 of Zstandard of text, one 4,000-character run per line', fill(size, () => b64(zstdCompressSync(printable(2900))))],
    ['base64 of Zstandard of 1 MiB of zeros per line (compression bombs)', fill(size, () => b64(zstdCompressSync(Buffer.alloc(1 << 20))))],
    ['Cyrillic words (look-alike letters), 12 per line', fill(size, () => cyrillicWords(12))],
    ['full-width text, 80 characters per line', fill(size, () => fullWidth(printable(80)))],
    ['hex of text, one 4,000-character run per line', fill(size, () => Buffer.from(printable(2000)).toString('hex'))],
    ['base64 of text, 76 columns behind a prefix, ends cut', fill(size, () => `app-1  | ${b64(printable(57))}`), CUT_AT_BOTH_ENDS],
    ['base64 of random bytes, 76 columns behind a prefix, ends cut', fill(size, () => `app-1  | ${b64(randomBytes(57))}`), CUT_AT_BOTH_ENDS],
  ];
}

function cpuMs(redact: Redact, text: string, cut?: TextCut): number {
  redact(text, cut);
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run++) {
    const start = process.cpuUsage();
    redact(text, cut);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

async function redactorOf(checkout: string): Promise<Redact> {
  const module = (await import(pathToFileURL(join(checkout, 'shared', 'logs', 'redact.ts')).href)) as { redactSecrets: Redact };
  return module.redactSecrets;
}

async function main(): Promise<number> {
  const location = datasetsLocation();
  const logPath = largestLog(location.dir);
  if (!logPath) {
    console.log(noDatasetsMessage(location));
    return 1;
  }
  const checkouts: Array<[string, Redact]> = [['this checkout', await redactorOf(ROOT)]];
  const before = option('before');
  if (before) checkouts.unshift([`before (${before})`, await redactorOf(resolve(before))]);
  const real = readFileSync(logPath, 'utf8').replace(/\r/g, '');
  const texts: Array<[string, string, TextCut?]> = [[`real log ${logPath.slice(location.dir.length + 1)}`, real], ...hostileTexts(real.length)];
  console.log(`redaction CPU time, best of 5, on ${(real.length / 1e6).toFixed(1)} MB each (ms, and × the real log)`);
  const realMs = checkouts.map(([, redact]) => cpuMs(redact, real));
  for (const [name, text, cut] of texts) {
    const cells = checkouts.map(([label, redact], i) => {
      const ms = text === real ? (realMs[i] as number) : cpuMs(redact, text, cut);
      return `${label}: ${ms.toFixed(0).padStart(5)} ms ${(ms / (realMs[i] as number)).toFixed(1).padStart(5)}×`;
    });
    console.log(`  ${name.padEnd(60)} ${cells.join('   ')}`);
  }
  return 0;
}

process.exitCode = await main();
