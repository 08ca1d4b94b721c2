import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import type { RemediationAction } from '../domain/incident.js';
import { ValidationError } from '../errors.js';
import { refineCategory } from '../logs/categories.js';
import { fingerprintOf } from '../logs/fingerprint.js';
import { redactSecrets } from '../logs/index.js';
import { CATEGORIES, type Category } from '../logs/types.js';
import type { Clock } from '../ports.js';
import type { ImportedRow, KnowledgeStore } from './store.js';

/** The CSV header `guard kb import` expects (JSON: an array of objects with these keys). */
export const IMPORT_COLUMNS = ['timestamp', 'title', 'description', 'service', 'severity', 'resolution_time', 'solution', 'tags', 'success'] as const;
export const MAX_IMPORT_ROWS = 100_000;
const MAX_FIELD_CHARS = 10_000;

const text = (max: number) => z.pipe(z.string().check(z.maxLength(MAX_FIELD_CHARS)), z.transform((s) => s.trim().slice(0, max)));
const optionalNumber = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((value, ctx) => {
    if (value === '' || value === undefined) return null;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
      ctx.issues.push({ code: 'custom', message: 'must be a non-negative number', input: value });
      return z.NEVER;
    }
    return n;
  }),
);
const successFlag = z.pipe(
  z.union([z.boolean(), z.string().check(z.maxLength(10))]),
  z.transform((value, ctx) => {
    if (typeof value === 'boolean') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'y'].includes(v)) return true;
    if (['false', '0', 'no', 'n'].includes(v)) return false;
    if (v === '') return null;
    ctx.issues.push({ code: 'custom', message: 'must be true/false/yes/no/1/0 or empty', input: value });
    return z.NEVER;
  }),
);

export const importRowSchema = z.strictObject({
  timestamp: z._default(
    z.string().check(
      z.maxLength(40),
      z.refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'must be an ISO date'),
    ),
    '',
  ),
  title: text(200).check(z.refine((s) => s.length > 0, 'must not be empty')),
  description: z._default(text(4_000), ''),
  service: z._default(text(100), ''),
  severity: z._default(text(30), ''),
  resolution_time: z.pipe(z.optional(optionalNumber), z.transform((v) => v ?? null)),
  solution: z._default(text(4_000), ''),
  tags: z._default(z.union([z.string().check(z.maxLength(2_000)), z.array(z.string().check(z.maxLength(50))).check(z.maxLength(20))]), ''),
  success: z.pipe(z.optional(successFlag), z.transform((v) => v ?? null)),
});

export type ImportRow = z.output<typeof importRowSchema>;

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Yields rows as arrays; bounded per field
 * so a file with a missing closing quote cannot swallow the rest of the file into memory.
 */
export function* parseCsv(input: string): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const push = () => {
    if (field.length > MAX_FIELD_CHARS) throw new ValidationError(`CSV field longer than ${MAX_FIELD_CHARS} characters (unclosed quote?)`);
    row.push(field);
    field = '';
  };
  while (i < input.length) {
    const ch = input[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
        if (field.length > MAX_FIELD_CHARS) throw new ValidationError(`CSV field longer than ${MAX_FIELD_CHARS} characters (unclosed quote?)`);
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') push();
    else if (ch === '\n' || ch === '\r') {
      push();
      if (row.some((f) => f !== '')) yield row;
      row = [];
      if (ch === '\r' && input[i + 1] === '\n') i += 1;
    } else field += ch;
    i += 1;
  }
  if (quoted) throw new ValidationError('CSV ends inside a quoted field');
  push();
  if (row.some((f) => f !== '')) yield row;
}

/** Parses an import file (CSV with the header above, or a JSON array) into raw row objects. */
export function parseImportFile(content: string, format: 'csv' | 'json'): Array<Record<string, unknown>> {
  if (format === 'json') {
    let data: unknown;
    try {
      // A byte-order mark is skipped as in a CSV: Windows tools (PowerShell 5's Out-File -Encoding utf8) write one.
      data = JSON.parse(content.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ValidationError(`the JSON file does not parse: ${(error as Error).message}`);
    }
    if (!Array.isArray(data)) throw new ValidationError('the JSON file must hold an array of rows');
    if (data.length > MAX_IMPORT_ROWS) throw new ValidationError(`more than ${MAX_IMPORT_ROWS} rows; split the file`);
    return data as Array<Record<string, unknown>>;
  }
  const rows = parseCsv(content.replace(/^\uFEFF/, ''));
  const first: IteratorResult<string[]> = rows.next();
  const header: string[] | undefined = first.done ? undefined : first.value.map((h: string) => h.trim().toLowerCase());
  if (!header) throw new ValidationError('the CSV file is empty');
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ValidationError(`the CSV header lacks ${missing.join(', ')} (expected ${IMPORT_COLUMNS.join(',')})`);
  const out: Array<Record<string, unknown>> = [];
  for (const cells of rows) {
    if (out.length >= MAX_IMPORT_ROWS) throw new ValidationError(`more than ${MAX_IMPORT_ROWS} rows; split the file`);
    out.push(Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
  }
  return out;
}

function tagsOf(row: ImportRow): string[] {
  const raw = Array.isArray(row.tags) ? row.tags : row.tags.split(/[;,|]/);
  const tags = raw.map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (row.service) tags.push(`service:${row.service.toLowerCase()}`);
  if (row.severity) tags.push(`severity:${row.severity.toLowerCase()}`);
  return [...new Set(tags)].slice(0, 20);
}

/** Maps a validated row to a knowledge entry description and an outcome. Text is redacted before it is stored. */
export function entryFromRow(row: ImportRow) {
  const title = redactSecrets(row.title);
  const description = redactSecrets(row.description);
  const { fingerprint, template } = fingerprintOf(`${title}\n${description}`);
  const tags = tagsOf(row);
  const tagged = tags.find((t): t is Category => (CATEGORIES as readonly string[]).includes(t));
  const category: Category = tagged ?? refineCategory(`${title} ${description}`, 'unknown', tags.join(' '));
  const solution = redactSecrets(row.solution);
  const fix = solution.split(/\r?\n|;\s+/).map((s) => s.trim()).filter(Boolean).slice(0, 10);
  // Solutions that say "re-run"/"retry" describe the automatic action; anything else was a human fix.
  const action: RemediationAction = /\b(re-?r[au]n|retr(y|ied)|restart(ed)? the (job|build|pipeline))\b/i.test(solution) ? 'rerun_failed_jobs' : 'comment_only';
  const importId = createHash('sha256').update(JSON.stringify([row.timestamp, row.title, row.description, row.service, row.solution, row.success])).digest('hex').slice(0, 32);
  const at = row.timestamp ? new Date(row.timestamp) : new Date(0);
  return { fingerprint, importId, at, description: { template, category, title, fix, action, source: 'imported' as const, tags }, outcome: { action, success: row.success } };
}

export interface ImportSummary {
  rows: number;
  imported: number;
  duplicates: number;
  /** Rows another import is counting now (or left less than half a minute ago): import the file again to finish them. */
  held: number;
  /** Rows that failed validation, every one counted. */
  invalid: number;
  /** Why the first {@link LISTED_INVALID_ROWS} of them failed, by row number (a file of bad rows is not copied whole). */
  invalidRows: Array<{ row: number; reason: string }>;
}

const LISTED_INVALID_ROWS = 100;

/**
 * Imports rows: each valid row adds one outcome to the entry of its fingerprint (rows describing the same failure
 * aggregate); invalid rows are reported by number and skipped; a row imported before is skipped (idempotent), and one
 * an import killed before it counted it is counted (KnowledgeStore.importOutcome).
 */
export async function importRows(
  store: KnowledgeStore,
  rows: ReadonlyArray<Record<string, unknown>>,
  options: { onProgress?: (done: number, total: number) => void; concurrency?: number; clock?: Clock } = {},
): Promise<ImportSummary> {
  const clock = options.clock ?? (() => new Date());
  const summary: ImportSummary = { rows: rows.length, imported: 0, duplicates: 0, held: 0, invalid: 0, invalidRows: [] };
  let next = 0;
  let done = 0;
  // Rows are identified by their content (importId): a copy of a row this file already holds is a duplicate, whether
  // or not the copy before it has been counted yet. Sent to the store while the first is in flight, it found the
  // first's claim and was reported held, which tells the operator to import the file again for nothing.
  const inThisFile = new Set<string>();
  const worker = async () => {
    while (next < rows.length) {
      const index = next++;
      const parsed = importRowSchema.safeParse(rows[index]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        summary.invalid += 1;
        if (summary.invalidRows.length < LISTED_INVALID_ROWS) summary.invalidRows.push({ row: index + 1, reason: `${issue?.path.join('.') || '(row)'}: ${issue?.message ?? 'invalid'}` });
      } else {
        const entry = entryFromRow(parsed.data);
        let imported: ImportedRow = 'duplicate';
        if (!inThisFile.has(entry.importId)) {
          inThisFile.add(entry.importId);
          imported = await store.importOutcome(entry.fingerprint, entry.description, entry.importId, entry.outcome, entry.at, clock());
        }
        if (imported === 'imported') summary.imported += 1;
        else if (imported === 'held') summary.held += 1;
        else summary.duplicates += 1;
      }
      done += 1;
      options.onProgress?.(done, rows.length);
    }
  };
  // A few writes in flight: fast enough for 10k rows, gentle on on-demand capacity.
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, 32)) }, worker));
  return summary;
}
