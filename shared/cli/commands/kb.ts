import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ACTION_PHRASES, type KnowledgeEntry, entryConfidence } from '../../knowledge/entry.js';
import { importRows, parseImportFile } from '../../knowledge/import.js';
import type { Learning } from '../../knowledge/learning.js';
import type { KnowledgeStore } from '../../knowledge/store.js';
import { KNOWLEDGE_SCOPE_FORM, listEntries, searchEntries } from '../../knowledge/search.js';
import { CATEGORIES, type Category } from '../../logs/types.js';
import { UsageError, intOption, parseArgs, subcommandError } from '../args.js';
import { type CliIO, forTerminal, nonTextKind, regularFile, textOf } from '../io.js';
import { ValidationError } from '../../errors.js';
import { KB_META } from './meta.js';
import type { Command } from './types.js';
import type { HistoryBackfill } from '../../stores/history-backfill.js';

/** Import files above this are refused: 100k rows of a few hundred bytes each fit with room to spare. */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** Below this many rows a progress bar is noise. */
const PROGRESS_MIN_ROWS = 200;

export type LearningFactory = () => Promise<Learning>;

/** The history keys of incidents stored before session 48, given by `guard kb migrate` (shared/stores/history-backfill.ts). */
export type HistoryBackfillRun = (onPage: (sofar: HistoryBackfill) => void) => Promise<HistoryBackfill>;

/**
 * Tables from the same configuration the functions read (INCIDENTS_TABLE, DYNAMODB_ENDPOINT, AWS credentials). With
 * no DYNAMODB_ENDPOINT, a local runtime running from this directory (`npm start`, found through the file it writes
 * in its data directory) is used. Imported lazily so `guard analyze` does not load the AWS SDK.
 */
const tablesFromEnv = (() => {
  let tables: ReturnType<typeof openTables> | undefined;
  // One client for the knowledge base and the history backfill of one command.
  return () => (tables ??= openTables());
})();

async function openTables() {
  const [{ loadConfig }, { createDocumentClient }, { findLocalRuntime }] = await Promise.all([
    import('../../config.js'),
    import('../../stores/dynamo.js'),
    import('../local-runtime.js'),
  ]);
  const local = process.env.DYNAMODB_ENDPOINT ? null : findLocalRuntime(process.env);
  const env = local
    ? {
        ...process.env,
        DYNAMODB_ENDPOINT: local.dynamodbEndpoint,
        AWS_REGION: local.region,
        INCIDENTS_TABLE: local.tables.incidents,
        BASELINES_TABLE: local.tables.baselines,
        EXPERIMENTS_TABLE: local.tables.experiments,
      }
    : process.env;
  const config = loadConfig(env);
  const client = createDocumentClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) });
  return { config, client };
}

export const learningFromEnv: LearningFactory = async () => {
  const [{ config, client }, { createLearning }, { silentLogger }] = await Promise.all([tablesFromEnv(), import('../../knowledge/learning.js'), import('../../steps/deps.js')]);
  return createLearning({
    client,
    tables: { incidents: config.INCIDENTS_TABLE, experiments: config.EXPERIMENTS_TABLE, baselines: config.BASELINES_TABLE },
    clock: () => new Date(),
    logger: silentLogger,
    ttlDays: config.INCIDENT_TTL_DAYS,
    learnedRetentionDays: config.KNOWLEDGE_RETENTION_DAYS,
  });
};

const historyBackfillFromEnv: HistoryBackfillRun = async (onPage) => {
  const [{ config, client }, { backfillHistoryKeys }] = await Promise.all([tablesFromEnv(), import('../../stores/history-backfill.js')]);
  return backfillHistoryKeys({ client, tableName: config.INCIDENTS_TABLE, onPage });
};

function row(entry: KnowledgeEntry): string {
  const confidence = entry.attempts > 0 ? `${ACTION_PHRASES[entry.action]} ${entry.successes}/${entry.attempts} (≥${entryConfidence(entry).toFixed(2)})` : `${ACTION_PHRASES[entry.action]} (no outcomes yet)`;
  return `${entry.fingerprint}  ${(entry.scope ?? entry.source).padEnd(8)}  ${entry.category.padEnd(14)}  seen ${String(entry.seen).padStart(4)}  ${confidence}  ${forTerminal(entry.title.slice(0, 80))}`;
}

/** A repository's full name, as `--scope` also takes it. */
const REPOSITORY_NAME = /^[\w.-]{1,100}\/[\w.-]{1,100}$/;

/**
 * `--scope`: `repo:<id>`, `alarms`, or a repository's full name, looked up among the scopes that learned something
 * (by the name their latest learned write recorded: a renamed repository answers to its new name); refused when
 * several scopes recorded that name.
 */
async function scopeOption(value: string | undefined, knowledge: () => Promise<Pick<KnowledgeStore, 'listScopes'>>): Promise<string | undefined> {
  if (value === undefined || KNOWLEDGE_SCOPE_FORM.test(value)) return value;
  if (!REPOSITORY_NAME.test(value)) throw new UsageError('--scope must be repo:<repository id>, alarms or owner/name');
  const named = (await (await knowledge()).listScopes(Number.POSITIVE_INFINITY)).filter((scope) => scope.repository?.toLowerCase() === value.toLowerCase());
  if (named.length === 0) throw new UsageError(`no learned entry names repository ${value}: give its scope as repo:<repository id>`);
  // A name some repository had before another took it (deleted and created again, renamed, transferred).
  if (named.length > 1) throw new UsageError(`several repositories learned under the name ${value}: give one scope of ${named.map((scope) => scope.scope).join(', ')}`);
  return named[0]!.scope;
}

function categoryOption(value: string | undefined): Category | undefined {
  if (value === undefined) return undefined;
  if (!(CATEGORIES as readonly string[]).includes(value)) throw new UsageError(`--category must be one of ${CATEGORIES.join(', ')}`);
  return value as Category;
}

/** A one-line progress bar on stderr, redrawn in place; only on a terminal. */
function progressBar(stream: NodeJS.WriteStream) {
  let last = -1;
  return (done: number, total: number) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === last && done !== total) return;
    last = percent;
    const width = 30;
    const filled = Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${done}/${total} rows`);
    if (done === total) stream.write('\n');
  };
}

/**
 * Why a file cannot be a CSV or JSON import, from its first bytes: compressed (an exported `history.csv.gz`), or
 * binary. Read as text such a file only got "the CSV header lacks timestamp, title, …", which sends the user to
 * check the columns of a file that is fine once decompressed. Null for text.
 */
export function notAnImportFile(head: Uint8Array, path: string): string | null {
  switch (nonTextKind(head)) {
    case 'gzip':
      return `${path} is a gzip archive: decompress it first (gunzip -k ${path}) and import the file inside`;
    case 'zip':
      return `${path} is a zip archive: unzip it and import the CSV or JSON file inside`;
    case 'binary':
      return `${path} looks binary (NUL bytes), not a CSV or JSON file`;
    case null:
      return null;
  }
}

/** Reads and checks the file before the tables are reached, so a wrong file is said so without a running runtime. */
async function runImport(path: string, args: ReturnType<typeof parseArgs>, io: CliIO, factory: LearningFactory): Promise<number> {
  const info = await regularFile(path);
  if (info.size > MAX_IMPORT_BYTES) throw new UsageError(`${path} is larger than ${MAX_IMPORT_BYTES} bytes; split it`);
  const format = args.values.get('format') ?? (extname(path).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
  const bytes = await readFile(path);
  const problem = notAnImportFile(bytes.subarray(0, 8192), path);
  if (problem) throw new ValidationError(problem);
  const rows = parseImportFile(textOf(bytes), format);
  const learning = await factory();
  const tty = process.stderr.isTTY === true && !args.flags.has('quiet');
  const summary = await importRows(learning.knowledge, rows, {
    ...(tty && rows.length >= PROGRESS_MIN_ROWS ? { onProgress: progressBar(process.stderr) } : {}),
  });
  io.out(`imported ${summary.imported} of ${summary.rows} rows (${summary.duplicates} already imported, ${summary.invalid} invalid)`);
  if (summary.held > 0) io.out(`${summary.held} rows are being imported by another import, or were left by one that stopped in the last 30 seconds: run this import again in a minute to finish them`);
  const listed = summary.invalidRows.slice(0, 20);
  for (const bad of listed) io.err(`row ${bad.row}: ${bad.reason}`);
  if (summary.invalid > listed.length) io.err(`… and ${summary.invalid - listed.length} more invalid rows`);
  return summary.invalid > 0 ? 1 : 0;
}

/** `guard kb …`: the knowledge base from the command line. */
export function createKbCommand(factory: LearningFactory = learningFromEnv, historyBackfill: HistoryBackfillRun = historyBackfillFromEnv): Command {
  return {
    ...KB_META,
    async run(argv: readonly string[], io: CliIO) {
      const [sub, ...rest] = argv;
      const args = parseArgs(rest, { values: ['format', 'category', 'limit', 'scope'], flags: ['json', 'quiet'] });
      const category = categoryOption(args.values.get('category'));
      const scope = await scopeOption(args.values.get('scope'), async () => (await factory()).knowledge);
      const limit = intOption(args, 'limit', 50);
      switch (sub) {
        case 'import': {
          if (args.positionals.length !== 1) throw new UsageError('kb import needs exactly one file');
          return runImport(args.positionals[0] as string, args, io, factory);
        }
        case 'export': {
          io.out(JSON.stringify(await listEntries((await factory()).knowledge, category, scope), null, 2));
          return 0;
        }
        case 'list': {
          const entries = (await listEntries((await factory()).knowledge, category, scope)).slice(0, limit);
          if (args.flags.has('json')) io.out(JSON.stringify(entries, null, 2));
          else for (const entry of entries) io.out(row(entry));
          return 0;
        }
        case 'search': {
          const text = args.positionals.join(' ').trim();
          if (!text) throw new UsageError('kb search needs some text');
          if (text.length > 1_000) throw new UsageError('search text is longer than 1000 characters');
          const results = searchEntries(await listEntries((await factory()).knowledge, category, scope), text, limit);
          if (args.flags.has('json')) io.out(JSON.stringify(results, null, 2));
          else if (results.length === 0) io.out('no matching entries');
          else for (const { entry, score } of results) io.out(`${score.toFixed(2)}  ${row(entry)}`);
          return 0;
        }
        case 'migrate': {
          const knowledge = (await factory()).knowledge;
          const total = { retired: 0, reset: 0, forgotten: 0, complete: true };
          for (const each of CATEGORIES) {
            const sweep = await knowledge.sweepOldLearned(each, new Date());
            total.retired += sweep.retired;
            total.reset += sweep.reset;
            total.forgotten += sweep.forgotten;
            total.complete &&= sweep.complete;
          }
          io.out(`retired ${total.retired} learned entries of the old layout (out of the index now, deleted by DynamoDB TTL within days)`);
          if (total.reset > 0) io.out(`cleared what learning had added to ${total.reset} imported entries (their counts, votes and learned fix)`);
          if (total.forgotten > 0) io.out(`forgot the import rows of ${total.forgotten} of them: import your history files again (guard kb import <file>) to count those rows on shared entries`);
          // Each run scans the whole incidents table: it waits for the run that finishes the knowledge base.
          if (!total.complete) {
            io.out('stopped before the end of the knowledge base (bounded per run): run `guard kb migrate` again');
            return 0;
          }
          const tty = process.stderr.isTTY === true && !args.flags.has('quiet');
          const history = await historyBackfill((sofar) => {
            if (tty) process.stderr.write(`\rhistory: ${sofar.scanned} items read, ${sofar.keyed} incidents keyed`);
          });
          if (tty) process.stderr.write('\n');
          io.out(`put ${history.keyed} incidents stored before the upgrade into their repository's (or the alarms') history`);
          if (history.keyless > 0) io.out(`${history.keyless} incidents name neither a repository id nor an alarm: they stay in no history`);
          return 0;
        }
        default:
          throw subcommandError('kb', sub, ['import', 'export', 'list', 'search', 'migrate']);
      }
    },
  };
}

export const kbCommand = createKbCommand();
