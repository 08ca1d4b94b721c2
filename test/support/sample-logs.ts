import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetsLocation } from '../../scripts/datasets.js';

/*
 * The sample logs the line filter's whole-corpus comparisons read (test/unit/logs/line-filter*.test.ts): the three
 * comparisons were one file of ~48 s of CPU, a serial chain of ~96 s in a full run on 2 cores (session 72), and are
 * now three files that each read the logs themselves.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATASETS = datasetsLocation().dir;

export type SampleLog = { name: string; bytes: Buffer };

let sampleLogsRead: SampleLog[] | null = null;

/**
 * Sample logs: the repository's, and the development sets when they sit beside the checkout. Read once a file
 * (~140 MB with the sets; no test writes to them).
 */
export function sampleLogs(): SampleLog[] {
  sampleLogsRead ??= readSampleLogs();
  return sampleLogsRead;
}

/**
 * The tests that analyse every sample log two ways do so in {@link CORPUS_PARTS} tests, each over one part of them
 * (consecutive logs): the whole corpus in one test took ~20 s of CPU on a quiet machine, and timed out at 120 s in a
 * CI run on a busy one. Every log is in exactly one part. The parts are about equal in bytes plus
 * {@link LOG_WEIGHT_BYTES} a log: a log's analysis costs about as much as that many bytes more (session 71, testing
 * every rule on each log: by bytes alone the last of four parts, 409 small logs, took twice the first). Eight parts:
 * the heaviest, with the two logs of cidiff/assertj_1944 (2.2 s of the every-rule walk between them), took ~5 s.
 */
export const CORPUS_PARTS = 8;
const LOG_WEIGHT_BYTES = 50_000;

export function sampleLogPart(part: number): SampleLog[] {
  const logs = sampleLogs();
  const weight = (log: SampleLog): number => log.bytes.length + LOG_WEIGHT_BYTES;
  const total = logs.reduce((sum, log) => sum + weight(log), 0);
  let before = 0;
  return logs.filter((log) => {
    // The part a log's first byte falls in.
    const at = Math.min(CORPUS_PARTS - 1, Math.floor((before * CORPUS_PARTS) / total));
    before += weight(log);
    return at === part;
  });
}

export const PARTS = Array.from({ length: CORPUS_PARTS }, (_, part) => ({ part, title: `part ${part + 1} of ${CORPUS_PARTS}` }));

function readSampleLogs(): SampleLog[] {
  const files: string[] = readdirSync(join(ROOT, 'events', 'logs')).map((f) => join(ROOT, 'events', 'logs', f));
  for (const set of ['ci-logs-dev', 'ci-logs-gha-dev']) {
    const dir = join(DATASETS, set);
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && /\.(?:log|txt)$/.test(e.name)) files.push(join(e.parentPath, e.name));
    }
  }
  // The toolchain fixtures after the rest, so the tests that take the first few logs take the same ones.
  const fixtures = join(ROOT, 'test', 'fixtures', 'toolchains');
  const toolchains = readdirSync(fixtures).filter((f) => f.endsWith('.log')).sort().map((f) => join(fixtures, f));
  return [...files.sort(), ...toolchains].map((f) => ({ name: f.slice(ROOT.length - 4), bytes: readFileSync(f) }));
}

/** A stream in uneven chunks, so lines and UTF-8 characters straddle chunk boundaries. */
export async function* chunked(bytes: Buffer): AsyncGenerator<Uint8Array> {
  const sizes = [4093, 1, 65536, 7, 16384];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length] as number;
    yield new Uint8Array(bytes.subarray(at, at + size));
    at += size;
  }
}
