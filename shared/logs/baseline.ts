/**
 * A job's normal noise: the templates of the lines a green run of the same job printed. A failure whose first
 * line is also printed when the job passes (a deprecation `ERROR:` a tool always prints, a test that logs an
 * expected exception) is rarely the cause; Datadog's CI failure analysis, LogSage and CiDiff all rank by this.
 *
 * Only lines that could become a failure's first line are kept (those that pass the analyzer's keyword
 * pre-filter), each as a 48-bit hash of its normalised template, so a baseline stays small enough for one
 * DynamoDB item whatever the green log's size: at most {@link MAX_BASELINE_TEMPLATES} hashes of 12 hex
 * characters (≈ 52 KB as a string set).
 */
import { normalizeLine } from './fingerprint.js';
import { forEachLine } from './reader.js';
import { NAMED_LINES_ONLY, passesPrefilter, scanLine } from './dispatch.js';
import type { BaselineLookup, LogSource } from './types.js';

export const MAX_BASELINE_TEMPLATES = 4000;
const HASH_RE = /^[0-9a-f]{12}$/;

/** 48-bit FNV-1a-style hash of a template as 12 hex characters: stable across processes and runtimes. */
export function templateHash(template: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < template.length; i++) {
    const c = template.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).slice(0, 12);
}

export class LogBaseline implements BaselineLookup {
  private readonly hashes = new Set<string>();

  /** Rebuilds a baseline from stored hashes; anything that is not a 12-hex-digit hash is ignored. */
  constructor(hashes: Iterable<string> = []) {
    for (const hash of hashes) {
      if (this.hashes.size >= MAX_BASELINE_TEMPLATES) break;
      if (HASH_RE.test(hash)) this.hashes.add(hash);
    }
  }

  /** Reads a green run's log and keeps the templates of its candidate lines (bounded, first seen first). */
  static async fromLog(source: LogSource, options: { maxBytes?: number } = {}): Promise<LogBaseline> {
    const baseline = new LogBaseline();
    await forEachLine(
      source,
      (_line, text) => {
        if (baseline.hashes.size >= MAX_BASELINE_TEMPLATES) return;
        scanLine(text);
        if (passesPrefilter(text)) baseline.addTemplate(normalizeLine(text));
      },
      options.maxBytes,
      // The scanner's triggers include the prefilter's: a line the filter does not name cannot pass it.
      NAMED_LINES_ONLY,
    );
    return baseline;
  }

  get size(): number {
    return this.hashes.size;
  }

  /** True when a green run printed a line with this normalised template. */
  has(template: string): boolean {
    return this.hashes.size > 0 && this.hashes.has(templateHash(template));
  }

  addTemplate(template: string): void {
    if (template !== '' && this.hashes.size < MAX_BASELINE_TEMPLATES) this.hashes.add(templateHash(template));
  }

  /** Merges another green run's templates (several jobs' runs sampled over time), still bounded. */
  merge(other: LogBaseline): void {
    for (const hash of other.hashes) {
      if (this.hashes.size >= MAX_BASELINE_TEMPLATES) break;
      this.hashes.add(hash);
    }
  }

  /** The stored form: the hashes, sorted so equal baselines serialise equally. */
  toJSON(): string[] {
    return [...this.hashes].sort();
  }
}
