import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { REMEDIATION_ACTIONS, type RemediationAction } from '../domain/incident.js';
import { CATEGORIES, type Category } from '../logs/types.js';
import { VersionedWriteConflictError } from '../errors.js';
import { type CountMark, countOnce, markClauses, markedOn, marksOfClaim, noteRelease, releaseMark } from '../stores/count-marks.js';
import { type VersionedRevision, conditionalWrite, readPages, reviseVersioned, updateExpression } from '../stores/dynamo.js';
import { INCIDENT_INDEXES } from '../stores/tables.js';
import { type ActionStats, ENTRY_LIMITS, type KnowledgeEntry, type KnowledgeSource, bestAction } from './entry.js';
import { type FixChange, type FixOutcome, type FixRecord, fixRecordSchema, fixRetired, moveFixOutcome, storedFixRecord } from './fix-record.js';
import type { LearnedKey, LearnedScope } from './scope.js';

/**
 * Knowledge entries live in the incidents table (DESIGN: "knowledge entries live here too"), under `KB#<fingerprint>`:
 * an imported entry, shared by every scope on purpose, as `ENTRY`; what one scope (a repository, or the alarms: see
 * scope.ts) learned as `ENTRY#<scope>`, read by that scope's incidents alone (attacker's pass 50, L2: one shared
 * entry taught every repository another's fix and showed a private repository's failure line on a public pull
 * request). The category index is partitioned the same way: `<category>` for the shared entries, `<category>#<scope>`
 * for a scope's, so a lookup reads one page of each. A learned entry expires (`expiresAt`, the table's TTL)
 * `learnedRetentionDays` after it last was seen or learned something; an imported one never does.
 *
 * Before this layout every entry was `ENTRY`, learned ones included, mixing the repositories: those (source not
 * `imported`) are no longer read, and leave the category index and expire when a lookup meets them
 * ({@link KnowledgeStore.retireOldLearned}) or `guard kb migrate` sweeps them.
 *
 * Counters are only ever changed with `ADD`; descriptive fields are written with `if_not_exists`. A learned fix is
 * the fix record's (see fix-record.ts), revised by its outcomes with writes conditional on its version.
 */
const ENTRY_SK = 'ENTRY';
/**
 * The scopes that learned something, one item each (`SCOPE#<scope>`, with the repository's name and when it last
 * learned), for the operator's views to list: the category index is partitioned per scope, so nothing else lists
 * them. A store writes a scope's item once a day (UTC) at most (see {@link scopeNotes}), and each expires the
 * retention after the end of the day it was last written: it outlives its scope's every entry (by a day at most).
 */
const SCOPES_PK = 'KB#SCOPES';
/** Scopes a store remembers having noted today ({@link scopeNotes}); past this it forgets them all and notes again. */
const NOTED_SCOPES_KEPT = 1_000;
/**
 * The scopes {@link KnowledgeStore.listScopes} reads at most, in pages of {@link SCOPES_PAGE}: a deployment watching
 * more repositories than this that all learned within the retention lists only the first by scope order.
 */
export const MAX_SCOPES = 20_000;
const SCOPES_PAGE = 1_000;
/** Writes of a fix record tried before an outcome is dropped: a fingerprint's outcomes rarely race. */
const FIX_WRITE_ATTEMPTS = 3;
/** Candidates read per similarity lookup: one GSI page, whatever the size of the knowledge base. */
export const MAX_CANDIDATES = 50;

/** The item of an entry: a scope's learned one, or (scope null) the shared, imported one. */
export function entryKey(fingerprint: string, scope: string | null = null) {
  return { pk: `KB#${fingerprint}`, sk: scope ? `${ENTRY_SK}#${scope}` : ENTRY_SK };
}

/** The category index's partition of a scope's entries, or (scope null) of the shared ones. */
export function categoryPartition(category: Category, scope: string | null): string {
  return scope ? `${category}#${scope}` : category;
}

/** Whether a shared item (`ENTRY`) is a learned entry of the old layout: every repository's, never read again. */
function oldLearned(item: Record<string, unknown>): boolean {
  return item.sk === ENTRY_SK && item.source !== 'imported';
}

/**
 * A shared item as it may be read. An import never writes a fix record: one on a shared item was written by learned
 * outcomes before learned entries were kept per scope (an imported entry without a fix of its own took the fix some
 * repository's analysis proposed), so that fix is not shown.
 */
function sharedView(item: Record<string, unknown>): Record<string, unknown> {
  return item.sk === ENTRY_SK && item.fixRecord !== undefined ? { ...item, fix: [], fixRecord: undefined } : item;
}

/**
 * An import met an old-layout learned entry holding more import rows than it forgets at once: `guard kb migrate`
 * forgets them over as many runs as it takes; the import counts its row after that.
 */
export class OldLayoutImportRowsError extends Error {
  constructor(fingerprint: string) {
    super(`fingerprint ${fingerprint} holds an old-layout learned entry with too many import rows to forget during an import: run \`guard kb migrate\` first, then import again`);
    this.name = 'OldLayoutImportRowsError';
  }
}

/** Import rows (`IMPORT#<id>`) read and deleted at a time by the migration. */
const IMPORT_ROWS_PAGE = 100;
/** Pages of one entry's import rows the migration deletes before it leaves the rest to its next run. */
const IMPORT_ROW_PAGES = 100;

/**
 * Whether an imported entry holds what only learning writes, from before learned entries were kept per scope: a fix
 * record (the import writes none), votes, or more sightings or outcomes than its import rows (an import row counts
 * one sighting and at most one outcome). Such counts mix every repository's with the import's and cannot be told
 * apart (an import row keeps no outcome).
 */
function learnedOnImported(item: Record<string, unknown>, importRows: number): boolean {
  const attempts = REMEDIATION_ACTIONS.reduce((sum, action) => sum + num(item[attemptsAttr(action)]), 0);
  return item.fixRecord !== undefined || item.fixVersion !== undefined || num(item.feedbackUp) > 0 || num(item.feedbackDown) > 0 || num(item.seen) > importRows || attempts > importRows;
}

/** The fingerprint of an entry item (`KB#<fingerprint>`). */
function fingerprintOf(item: Record<string, unknown>): string {
  return String(item.pk).slice('KB#'.length);
}

/** Whether TTL has expired the item, which DynamoDB deletes only some time (up to days) later. */
function expired(item: Record<string, unknown>, now: Date): boolean {
  return typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= now.getTime();
}

const attemptsAttr = (action: RemediationAction) => `attempts_${action}`;
const successesAttr = (action: RemediationAction) => `successes_${action}`;

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function fromEntryItem(item: Record<string, unknown>): KnowledgeEntry {
  const actions: KnowledgeEntry['actions'] = {};
  for (const action of REMEDIATION_ACTIONS) {
    const attempts = num(item[attemptsAttr(action)]);
    if (attempts > 0) actions[action] = { attempts, successes: Math.min(attempts, num(item[successesAttr(action)])) };
  }
  const fallback = (REMEDIATION_ACTIONS as readonly string[]).includes(item.action as string) ? (item.action as RemediationAction) : 'comment_only';
  const best = bestAction(actions, fallback);
  const category = (CATEGORIES as readonly string[]).includes(item.category as string) ? (item.category as Category) : 'unknown';
  const fixRecord = fixRecordSchema.safeParse(item.fixRecord).data;
  const scope = typeof item.sk === 'string' && item.sk.startsWith(`${ENTRY_SK}#`) ? item.sk.slice(ENTRY_SK.length + 1) : null;
  return {
    fingerprint: String(item.kbFingerprint ?? ''),
    source: (item.source as KnowledgeSource) ?? 'learned',
    ...(scope ? { scope } : {}),
    ...(scope && typeof item.kbRepository === 'string' ? { repository: item.kbRepository } : {}),
    template: String(item.template ?? ''),
    category,
    title: String(item.title ?? ''),
    // A retired fix (it fails more often than it works) is kept on its record, and not shown until it is replaced.
    fix: fixRecord?.current && fixRetired(fixRecord.current) ? [] : Array.isArray(item.fix) ? (item.fix as unknown[]).map(String) : [],
    ...(fixRecord?.current ? { fixOutcomes: { successes: fixRecord.current.successes, failures: fixRecord.current.failures } } : {}),
    prevention: typeof item.prevention === 'string' ? item.prevention : null,
    action: best.action,
    attempts: best.attempts,
    successes: best.successes,
    actions,
    seen: num(item.seen),
    feedbackUp: num(item.feedbackUp),
    feedbackDown: num(item.feedbackDown),
    lastSeen: typeof item.kbLastSeen === 'string' ? item.kbLastSeen : null,
    tags: Array.isArray(item.tags) ? (item.tags as unknown[]).map(String) : [],
  };
}

/** Descriptive fields of a new entry; written only where absent. */
export interface EntryDescription {
  template: string;
  category: Category;
  title?: string;
  fix?: string[];
  prevention?: string | null;
  action?: RemediationAction;
  source: KnowledgeSource;
  tags?: string[];
}

/**
 * The description an incident's sighting or outcome gives its entry: never a fix, which only an import writes with
 * the description; an incident's proposal reaches the entry through its fix record ({@link KnowledgeStore.moveFixOutcome}).
 */
export type LearnedDescription = Omit<EntryDescription, 'fix'> & { fix?: never };

export interface KnowledgeStore {
  /** The entry `scope` learned of the fingerprint, or (scope null) the shared one. */
  get(fingerprint: string, scope?: string | null): Promise<KnowledgeEntry | null>;
  /** Entries of one category that `scope` learned, or (null) the shared ones, most recently seen first, at most `limit` (one query page). */
  listByCategory(category: Category, limit?: number, scope?: string | null): Promise<KnowledgeEntry[]>;
  /**
   * {@link listByCategory}, the fingerprints of the old layout's learned entries the shared page held (not returned
   * as entries), for {@link retireOldLearned}, and whether the page holds the whole partition.
   */
  listWithOldLearned(category: Category, limit: number, scope: string | null): Promise<{ entries: KnowledgeEntry[]; oldLearned: string[]; whole: boolean }>;
  /**
   * The scopes that learned something and have not expired, most recently learning first: at most `limit`, chosen
   * among all of them (up to {@link MAX_SCOPES}).
   */
  listScopes(limit: number): Promise<LearnedScope[]>;
  /** Every category, newest first per category; bounded by `limitPerCategory`. */
  listAll(limitPerCategory?: number, scope?: string | null): Promise<KnowledgeEntry[]>;
  /**
   * Takes old-layout learned entries (shared `ENTRY` items whose source is not `imported`) out of the category index
   * and expires them now, for TTL to delete; an imported entry is left as it is. One with import rows (an import
   * before the upgrade counted them on it) is left for {@link sweepOldLearned}, which forgets them first: a lookup
   * deletes nothing. How many it retired.
   */
  retireOldLearned(fingerprints: readonly string[], at: Date): Promise<number>;
  /**
   * The migration of one category's shared partition, page by page (at most `maxPages` of `pageSize`): retires its
   * old-layout learned entries, forgetting their import rows so that importing the file again counts them on a shared
   * entry, and clears from each imported entry what learning added to it before the upgrade (see
   * {@link learnedOnImported}), forgetting its import rows too. `complete` is false when it stopped before the end.
   */
  sweepOldLearned(category: Category, at: Date, bounds?: { maxPages?: number; pageSize?: number }): Promise<MigrationSweep>;
  /** Counts one more sighting, creating the entry (source `learned`) if it is new; with `mark`, once per mark. */
  recordSeen(key: LearnedKey, description: LearnedDescription, at: Date, mark?: CountMark): Promise<void>;
  /**
   * One outcome of `action` against this failure: `ADD attempts 1` and `ADD successes 1` if it worked. With `action`
   * null the outcome teaches the entry its description but not an action's record. The fix the incident proposed
   * gets its outcome through {@link moveFixOutcome}. With `mark`, once per mark (shared/stores/count-marks.ts).
   */
  recordOutcome(key: LearnedKey, description: LearnedDescription, action: RemediationAction | null, success: boolean, at: Date, mark?: CountMark): Promise<void>;
  /**
   * An incident's outcome of the fix it proposed changed from `from` to `to` (null: none; a first outcome comes from
   * null) on the entry's fix record (see fix-record.ts), which may revise the fix. With `mark`, once per mark: a
   * record that carries it is left as it is (`ignored`).
   */
  moveFixOutcome(key: LearnedKey, fix: string[], from: FixOutcome | null, to: FixOutcome | null, at: Date, mark?: CountMark): Promise<FixChange>;
  /** Adds to the entry's vote counters, if it exists; with `mark` (a vote change's), once per mark. */
  recordFeedback(key: LearnedKey, up: number, down: number, mark?: CountMark): Promise<void>;
  /**
   * Counts one imported history row on its entry, once: `importId` (a hash of the source row) is claimed (`now`), then
   * counted with the row's mark (shared/stores/count-marks.ts), so importing a file twice counts nothing twice and an
   * import killed between a row's claim and its counts loses nothing. Answers `imported` when this call recorded it
   * counted, `duplicate` when an import before it did, `held` when another import claimed it less than
   * {@link IMPORT_CLAIM_HOLD_MS} ago and has not recorded it counted yet (it will, or its claim goes stale and an
   * import after that counts it). The marks stay on the entry for the mark window: about 45 bytes a row, so some 9,000
   * rows of one fingerprint imported within 9 hours reach DynamoDB's item limit.
   */
  importOutcome(fingerprint: string, description: EntryDescription, importId: string, outcome: { action: RemediationAction; success: boolean | null }, at: Date, now: Date): Promise<ImportedRow>;
}

/**
 * What {@link KnowledgeStore.sweepOldLearned} did to a category: entries retired, imported entries cleared, entries
 * whose import rows it forgot (their files' rows count again when imported again), whether it reached the end.
 */
export interface MigrationSweep {
  retired: number;
  reset: number;
  forgotten: number;
  complete: boolean;
}

/** What importing one history row did (KnowledgeStore.importOutcome). */
export type ImportedRow = 'imported' | 'duplicate' | 'held';

/**
 * How long a row's import claim keeps other imports off it: far longer than one row's four writes take, so an import
 * that meets a claim this young meets one still being counted; an older claim not recorded counted is one an import
 * left when it stopped.
 */
export const IMPORT_CLAIM_HOLD_MS = 30_000;

/**
 * Where the store is, and how long a learned entry is kept after it last was seen or learned something
 * (KNOWLEDGE_RETENTION_DAYS); `clock` dates the writes that are given no time (a vote's) and the reads' expiry.
 */
export interface KnowledgeStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  learnedRetentionDays: number;
  clock?: () => Date;
}

type EntryItemKey = ReturnType<typeof entryKey>;

/** The TTL a learned entry's write at `at` gives it. */
function learnedExpiry(options: KnowledgeStoreOptions, at: Date): number {
  return Math.floor(at.getTime() / 1000) + options.learnedRetentionDays * 86_400;
}

/** The SET clause (and its names and values) that a learned entry's write refreshes its expiry with. */
function refreshExpiry(options: KnowledgeStoreOptions, at: Date, names: Record<string, string>, values: Record<string, unknown>): string {
  names['#expiresAt'] = 'expiresAt';
  values[':expiresAt'] = learnedExpiry(options, at);
  return '#expiresAt = :expiresAt';
}

async function updateEntry(
  options: { client: DynamoDBDocumentClient; tableName: string },
  key: EntryItemKey,
  change: { sets: string[]; adds: string[]; names: Record<string, string>; values: Record<string, unknown>; condition?: string },
) {
  const { sets, adds, names, values, condition } = change;
  await options.client.send(
    new UpdateCommand({
      TableName: options.tableName,
      Key: key,
      UpdateExpression: updateExpression({ set: sets, add: adds }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(condition ? { ConditionExpression: condition } : {}),
    }),
  );
}

/**
 * {@link updateEntry} once per `mark` (shared/stores/count-marks.ts); without one, every time. True when it counted;
 * with a mark, false also when `condition` failed.
 */
async function updateEntryOnce(
  options: { client: DynamoDBDocumentClient; tableName: string },
  key: EntryItemKey,
  change: { sets: string[]; adds: string[]; names: Record<string, string>; values: Record<string, unknown>; condition?: string },
  mark: CountMark | undefined,
): Promise<boolean> {
  if (!mark) {
    await updateEntry(options, key, change);
    return true;
  }
  const marked = markClauses(mark);
  const { sets, adds, names, values, condition } = change;
  const counted = await countOnce(() =>
    options.client.send(
      new UpdateCommand({
        TableName: options.tableName,
        Key: key,
        UpdateExpression: updateExpression({ set: sets, add: [...adds, marked.add], remove: [marked.remove] }),
        ConditionExpression: condition ? `${condition} AND ${marked.condition}` : marked.condition,
        ExpressionAttributeNames: { ...names, ...marked.names },
        ExpressionAttributeValues: { ...values, ...marked.values },
      }),
    ),
  );
  noteRelease(mark, options.client, options.tableName, key);
  return counted;
}

/**
 * The writes a vote makes on an entry: its feedback counters and the outcome of the fix an incident proposed. Apart
 * from the rest of the store so that ingest, which records `/guard feedback`, carries only them (its bundle is held
 * to the Lambda bound).
 */
export function createEntryFeedback(options: KnowledgeStoreOptions): Pick<KnowledgeStore, 'recordFeedback' | 'moveFixOutcome'> {
  return entryFeedback(options, scopeNotes(options));
}

/** {@link createEntryFeedback}, noting its scopes through `noteScope` (a store's one {@link scopeNotes}). */
function entryFeedback(options: KnowledgeStoreOptions, noteScope: NoteScope): Pick<KnowledgeStore, 'recordFeedback' | 'moveFixOutcome'> {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());

  /**
   * Outcomes of a proposed fix on the entry's fix record: read, revised (`revise`, pure) and written back if no other
   * writer changed it meanwhile (`fixVersion`), else read again; after a few lost races the outcome is dropped, as
   * an outcome lost between a claim and its count is (undercounting is the safer error).
   */
  async function reviseFixRecord(key: LearnedKey, at: Date, revise: (record: FixRecord) => { record: FixRecord; change: FixChange }, mark?: CountMark): Promise<FixChange> {
    const itemKey = entryKey(key.fingerprint, key.scope);
    try {
      return await reviseVersioned({
        what: `the fix record of ${key.fingerprint} (${key.scope})`,
        attempts: FIX_WRITE_ATTEMPTS,
        read: async () => (await client.send(new GetCommand({ TableName: tableName, Key: itemKey, ConsistentRead: true }))).Item,
        revise: (item): VersionedRevision<FixChange> => {
          // An entry whose expiry passed is gone, whatever its fix record said (DynamoDB deletes it later).
          const record = item && !expired(item, clock()) ? storedFixRecord(item) : null;
          if (!item || !record || (mark && markedOn(item, mark))) return { answer: 'ignored' };
          const { record: revised, change } = revise(record);
          if (change === 'ignored') return { answer: change };
          const version = typeof item.fixVersion === 'number' ? item.fixVersion : 0;
          const fixChanged = change === 'first' || change === 'replaced';
          // The version condition also keeps the mark's: the record was read without it.
          const marked = mark ? markClauses(mark) : null;
          const write = () =>
            client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: itemKey,
                UpdateExpression: updateExpression({
                  set: ['fixRecord = :record', 'fixVersion = :next', 'expiresAt = :expiresAt', ...(fixChanged ? ['fix = :fix'] : [])],
                  ...(marked ? { add: [marked.add], remove: [marked.remove] } : {}),
                }),
                ConditionExpression: version === 0 ? 'attribute_not_exists(fixVersion)' : 'fixVersion = :version',
                ...(marked ? { ExpressionAttributeNames: marked.names } : {}),
                ExpressionAttributeValues: {
                  ':record': revised,
                  ':next': version + 1,
                  ':expiresAt': learnedExpiry(options, at),
                  ...(version === 0 ? {} : { ':version': version }),
                  ...(fixChanged ? { ':fix': revised.current?.fix ?? [] } : {}),
                  ...(marked ? { ':countMarkSet': marked.values[':countMarkSet'] } : {}),
                },
              }),
            );
          return { answer: change, write };
        },
      });
    } catch (error) {
      if (error instanceof VersionedWriteConflictError) return 'ignored';
      throw error;
    } finally {
      // A write that never happened leaves nothing to release: the DELETE of an absent mark changes nothing.
      noteRelease(mark, client, tableName, itemKey);
    }
  }

  return {
    async moveFixOutcome(key, proposed, from, to, at, mark) {
      const fix = proposed.slice(0, ENTRY_LIMITS.fixSteps).map((step) => step.slice(0, ENTRY_LIMITS.fixStep));
      const change = fix.length > 0 ? await reviseFixRecord(key, at, (record) => moveFixOutcome(record, fix, from, to, at), mark) : 'ignored';
      if (change !== 'ignored') await noteScope(key, at);
      return change;
    },

    async recordFeedback(key, up, down, mark) {
      if (up === 0 && down === 0) return;
      const names: Record<string, string> = { '#up': 'feedbackUp', '#down': 'feedbackDown' };
      const values: Record<string, unknown> = { ':up': up, ':down': down };
      const at = clock();
      const sets = [refreshExpiry(options, at, names, values)];
      // Feedback on a failure that never reached knowledge lookup, or whose entry expired, has no entry to attach to.
      if (await updateLearnedEntry(options, entryKey(key.fingerprint, key.scope), { sets, adds: ['#up :up', '#down :down'], names, values, condition: 'attribute_exists(pk)' }, mark)) await noteScope(key, at);
    },
  };
}

/**
 * SET clauses that fill descriptive fields only where absent (plus the GSI keys). An absent fix is left out
 * entirely: only an import writes one here; outcomes write theirs through the fix record.
 */
function describe(options: KnowledgeStoreOptions, description: EntryDescription, fingerprint: string, scope: string | null, at: Date, names: Record<string, string>, values: Record<string, unknown>, seenNow: boolean): string[] {
  const fix = (description.fix ?? []).slice(0, ENTRY_LIMITS.fixSteps).map((step) => step.slice(0, ENTRY_LIMITS.fixStep));
  const fields: Record<string, unknown> = {
    kbFingerprint: fingerprint,
    kind: 'knowledge',
    template: description.template.slice(0, ENTRY_LIMITS.template),
    category: description.category,
    kbCategory: categoryPartition(description.category, scope),
    source: description.source,
    title: (description.title ?? description.template.split('\n')[0] ?? '').slice(0, ENTRY_LIMITS.title),
    ...(fix.length > 0 ? { fix } : {}),
    ...(description.prevention ? { prevention: description.prevention.slice(0, ENTRY_LIMITS.prevention) } : {}),
    action: description.action ?? 'comment_only',
    tags: (description.tags ?? []).slice(0, ENTRY_LIMITS.tags).map((tag) => tag.slice(0, ENTRY_LIMITS.tag)),
    createdAt: at.toISOString(),
    ...(seenNow ? {} : { kbLastSeen: at.toISOString() }),
  };
  const sets: string[] = [];
  let n = 0;
  for (const [key, value] of Object.entries(fields)) {
    names[`#d${n}`] = key;
    values[`:d${n}`] = value;
    sets.push(`#d${n} = if_not_exists(#d${n}, :d${n})`);
    n += 1;
  }
  if (seenNow) {
    names['#lastSeen'] = 'kbLastSeen';
    values[':lastSeen'] = at.toISOString();
    sets.push('#lastSeen = :lastSeen');
  }
  if (scope) sets.push(refreshExpiry(options, at, names, values));
  return sets;
}


/** The SET clause that names a learned entry's repository (display only: the latest name it learned under). */
function nameRepository(key: LearnedKey, names: Record<string, string>, values: Record<string, unknown>): string[] {
  if (!key.repository) return [];
  names['#repository'] = 'kbRepository';
  values[':repository'] = key.repository;
  return ['#repository = :repository'];
}

function outcomeAdds(action: RemediationAction, success: boolean, names: Record<string, string>, values: Record<string, unknown>): string[] {
  names['#att'] = attemptsAttr(action);
  names['#suc'] = successesAttr(action);
  values[':one'] = 1;
  values[':success'] = success ? 1 : 0;
  return ['#att :one', '#suc :success'];
}

const update = (options: KnowledgeStoreOptions, key: EntryItemKey, sets: string[], adds: string[], names: Record<string, string>, values: Record<string, unknown>, mark?: CountMark) =>
  updateEntryOnce(options, key, { sets, adds, names, values }, mark);

/**
 * A learned entry's {@link updateEntryOnce}, onto a live entry or a new one. An entry whose expiry has passed is gone
 * for every read, but DynamoDB's TTL deletes it only up to days later: a write onto it would revive the counters, fix
 * record and votes it expired with. The write is refused then, the expired item deleted (only if still expired), and
 * the write made again onto nothing: the entry starts afresh. True when it counted.
 */
async function updateLearnedEntry(
  options: KnowledgeStoreOptions,
  key: EntryItemKey,
  change: { sets: string[]; adds: string[]; names: Record<string, string>; values: Record<string, unknown>; condition?: string },
  mark: CountMark | undefined,
): Promise<boolean> {
  const now = Math.floor((options.clock ?? (() => new Date()))().getTime() / 1000);
  const live = {
    ...change,
    names: { ...change.names, '#expiresAt': 'expiresAt' },
    values: { ...change.values, ':liveAt': now },
    condition: [change.condition, '(attribute_not_exists(#expiresAt) OR #expiresAt > :liveAt)'].filter(Boolean).join(' AND '),
  };
  // Refused by its condition: the caller's, the mark's (counted before) or the expiry's; only the last deletes and
  // writes again. Which one is read back from the item. A live item holding the mark refused the mark's (the caller's,
  // a vote's that the entry exists, holds on a live item); a live item without it was expired when it refused this
  // write, and another write restarted it since: this one counts onto the fresh entry (once more, still conditional
  // on the mark). Dropped as refused, that sighting or vote was lost. A missing item refused a caller's condition that
  // needs it (a vote), and writing again would only be refused again; otherwise it was an expired item another write
  // deleted first, and this write creates it afresh.
  const write = async () => (await conditionalWrite(() => updateEntryOnce(options, key, live, mark))) === true;
  if (await write()) return true;
  const current = (await options.client.send(new GetCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }))).Item;
  if (current && !(typeof current.expiresAt === 'number' && current.expiresAt <= now)) return !(mark && markedOn(current, mark)) && write();
  if (!current && change.condition) return false;
  await conditionalWrite(() =>
    options.client.send(
      new DeleteCommand({
        TableName: options.tableName,
        Key: key,
        ConditionExpression: '#expiresAt <= :liveAt',
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':liveAt': now },
      }),
    ),
  );
  // Once more whether the delete was refused or not: refused, another write deleted the expired item first and this
  // one counts onto the fresh entry (or onto nothing, whose own condition decides). Still bounded: two writes, a read
  // and a delete.
  return write();
}

/**
 * The scope's item in the list of scopes that learned something ({@link SCOPES_PK}), moved only forward in time, on
 * a write that extends one of its entries' expiry: it expires the retention after the end of `at`'s day (UTC), so
 * after every entry written that day. A write that knows no repository name (a vote) leaves the one recorded.
 */
async function noteScope(options: KnowledgeStoreOptions, key: LearnedKey, at: Date): Promise<void> {
  const endOfDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
  const repository = key.repository ? ', #repository = :repository' : '';
  await conditionalWrite(() =>
    options.client.send(
      new UpdateCommand({
        TableName: options.tableName,
        Key: { pk: SCOPES_PK, sk: `SCOPE#${key.scope}` },
        UpdateExpression: `SET #kind = :kind, #scope = :scope, #lastLearned = :at, #expiresAt = :expiresAt${repository}`,
        ConditionExpression: 'attribute_not_exists(#lastLearned) OR #lastLearned <= :at',
        ExpressionAttributeNames: { '#kind': 'kind', '#scope': 'kbScope', '#lastLearned': 'lastLearned', '#expiresAt': 'expiresAt', ...(repository ? { '#repository': 'kbRepository' } : {}) },
        ExpressionAttributeValues: { ':kind': 'knowledge-scope', ':scope': key.scope, ':at': at.toISOString(), ':expiresAt': learnedExpiry(options, endOfDay), ...(repository ? { ':repository': key.repository } : {}) },
      }),
    ),
  );
}

/** Notes a learned write of `key`'s scope at `at` in the list of scopes (see {@link scopeNotes}). */
type NoteScope = (key: LearnedKey, at: Date) => Promise<void>;

/**
 * {@link noteScope}, once per scope and day (UTC) of `at` for one store, and again when the repository's name changes:
 * issue #15 (every learned write wrote the scope's item, one UpdateItem per incident). The day's first write's item
 * expires after every entry written that day, and every learned write extends its entry's expiry only to its own
 * time plus the retention, so skipping the day's later ones loses no scope from the list. What it costs: the item's
 * `lastLearned` is the time of the first learned write of its latest day that each store (each process) made, not of
 * the very latest, and a scope whose entries all expired stays listed up to a day longer.
 */
function scopeNotes(options: KnowledgeStoreOptions): NoteScope {
  const noted = new Map<string, { day: string; repository: string | null }>();
  return async (key, at) => {
    const day = at.toISOString().slice(0, 10);
    const last = noted.get(key.scope);
    if (last && last.day >= day && (!key.repository || key.repository === last.repository)) return;
    await noteScope(options, key, at);
    if (noted.size >= NOTED_SCOPES_KEPT) noted.clear();
    noted.set(key.scope, { day, repository: key.repository ?? last?.repository ?? null });
  };
}

/**
 * The writes an incident's learning makes on its scope's entry (a sighting, an outcome, a vote, a fix outcome),
 * apart from the reads, the import and the migration: the reconciler's bundle, which counts recoveries and votes,
 * carries only these (it is held to the Lambda bound).
 */
export function createLearnedEntryWrites(options: KnowledgeStoreOptions): Pick<KnowledgeStore, 'recordSeen' | 'recordOutcome' | 'recordFeedback' | 'moveFixOutcome'> {
  const noteScope = scopeNotes(options);
  return {
    ...entryFeedback(options, noteScope),

    async recordSeen(key, description, at, mark) {
      const names: Record<string, string> = { '#seen': 'seen' };
      const values: Record<string, unknown> = { ':one': 1 };
      const sets = [...describe(options, description, key.fingerprint, key.scope, at, names, values, true), ...nameRepository(key, names, values)];
      await updateLearnedEntry(options, entryKey(key.fingerprint, key.scope), { sets, adds: ['#seen :one'], names, values }, mark);
      await noteScope(key, at);
    },

    async recordOutcome(key, description, action, success, at, mark) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets = [...describe(options, description, key.fingerprint, key.scope, at, names, values, false), ...nameRepository(key, names, values)];
      await updateLearnedEntry(options, entryKey(key.fingerprint, key.scope), { sets, adds: action ? outcomeAdds(action, success, names, values) : [], names, values }, mark);
      await noteScope(key, at);
    },
  };
}

export function createKnowledgeStore(options: KnowledgeStoreOptions): KnowledgeStore {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());

  /** The Query of a category partition (a scope's, or the shared one), newest first, `pageSize` items a page. */
  function categoryQuery(category: Category, scope: string | null, pageSize: number) {
    return {
      TableName: tableName,
      IndexName: INCIDENT_INDEXES.byKnowledgeCategory.name,
      KeyConditionExpression: '#category = :category',
      ExpressionAttributeNames: { '#category': INCIDENT_INDEXES.byKnowledgeCategory.partitionKey },
      ExpressionAttributeValues: { ':category': categoryPartition(category, scope) },
      ScanIndexForward: false,
      Limit: Math.min(Math.max(pageSize, 1), 500),
    };
  }

  /** One page of a category partition's items, newest first, without those TTL has expired. */
  async function categoryPage(category: Category, limit: number, scope: string | null): Promise<{ items: Array<Record<string, unknown>>; whole: boolean }> {
    const response = await client.send(new QueryCommand(categoryQuery(category, scope, limit)));
    const now = clock();
    return { items: (response.Items ?? []).filter((item) => !expired(item, now)), whole: !response.LastEvaluatedKey };
  }

  /** The Query of a fingerprint's import rows (`IMPORT#<id>`): their keys, or (`count`) how many there are. */
  function importRowsQuery(fingerprint: string, read: 'keys' | 'count') {
    return {
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :import)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', ...(read === 'count' ? {} : { '#claimedAt': 'claimedAt' }) },
      ExpressionAttributeValues: { ':pk': `KB#${fingerprint}`, ':import': 'IMPORT#' },
      ConsistentRead: true,
      ...(read === 'count' ? { Select: 'COUNT' as const } : { ProjectionExpression: '#pk, #sk, #claimedAt' }),
    };
  }

  /**
   * Deletes a fingerprint's import rows, `IMPORT_ROWS_PAGE` at a time, at most `maxPages` (0: only looks); true when
   * none is left (`none` when there was none). An import row records its row counted on the shared entry: once the counts are gone (a retired
   * learned entry's, an imported entry's cleared ones), forgetting it lets an import of the same file count it again,
   * where it otherwise reported every row "already imported". `keep`: the rows to leave (those imports are counting
   * now); rows past `maxPages` pages then count as left, though they may all be kept ones.
   */
  async function forgetImportRows(fingerprint: string, maxPages: number, keep?: (row: Record<string, unknown>) => boolean): Promise<'none' | 'forgotten' | 'left'> {
    let forgot = false;
    // Where the pages forgotten ended, when rows may follow them.
    let after: Record<string, unknown> | undefined;
    if (maxPages > 0 || keep) {
      let read = 0;
      for await (const { Items = [], LastEvaluatedKey } of paginateQuery({ client, pageSize: IMPORT_ROWS_PAGE }, importRowsQuery(fingerprint, 'keys'))) {
        read += 1;
        const rows = keep ? Items.filter((row) => !keep(row)) : Items;
        // Only looking (`maxPages` 0, with `keep`): a row to forget is left.
        if (rows.length > 0 && read > maxPages) return 'left';
        await Promise.all(rows.map((row) => client.send(new DeleteCommand({ TableName: tableName, Key: { pk: row.pk, sk: row.sk } }))));
        forgot ||= rows.length > 0;
        if (!LastEvaluatedKey) return forgot ? 'forgotten' : 'none';
        if (read >= maxPages) {
          // Kept rows may hide rows to forget past the pages, and one row's look cannot tell: counted as left, as
          // reading on through them would be unbounded.
          if (keep) return 'left';
          after = LastEvaluatedKey;
          break;
        }
      }
    }
    // One row is enough to look.
    const look = await readPages(paginateQuery({ client, pageSize: 1, startingToken: after }, importRowsQuery(fingerprint, 'keys')), { maxPages: 1, limit: 1 });
    if (look.items.length > 0) return 'left';
    return forgot ? 'forgotten' : 'none';
  }

  /** How many import rows a fingerprint has. */
  async function countImportRows(fingerprint: string): Promise<number> {
    let count = 0;
    for await (const page of paginateQuery({ client }, importRowsQuery(fingerprint, 'count'))) count += page.Count ?? 0;
    return count;
  }

  /**
   * A shared entry as it is now: the category page that named it comes from an index, eventually consistent, and an
   * import may have replaced it since; deciding from the page would forget the import's rows.
   */
  async function readEntry(fingerprint: string): Promise<Record<string, unknown> | undefined> {
    return (await client.send(new GetCommand({ TableName: tableName, Key: entryKey(fingerprint), ConsistentRead: true }))).Item;
  }

  /**
   * Retires one old-layout learned entry (see {@link KnowledgeStore.retireOldLearned}) once its import rows are
   * forgotten (up to `importRowPages` pages of them): `left` when some remain, `retired` (and whether it forgot
   * rows), or `not-old` when the item is gone or is an imported one now.
   */
  async function retire(fingerprint: string, at: Date, importRowPages: number): Promise<{ done: 'retired' | 'left' | 'not-old'; forgot: boolean }> {
    const current = await readEntry(fingerprint);
    if (!current || !oldLearned(current)) return { done: 'not-old', forgot: false };
    // Rows first: a run stopped between the two finds the entry still to retire, and forgets the rest.
    const rows = await forgetImportRows(fingerprint, importRowPages);
    if (rows === 'left') return { done: 'left', forgot: false };
    // Out of the category index at once (no longer crowding the shared page), deleted by TTL; an entry imported
    // meanwhile under the key is the operator's and stays.
    const written = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: entryKey(fingerprint),
          UpdateExpression: 'SET #expiresAt = :now REMOVE #kbCategory',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#source) OR #source <> :imported)',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#kbCategory': 'kbCategory', '#source': 'source' },
          ExpressionAttributeValues: { ':now': Math.floor(at.getTime() / 1000), ':imported': 'imported' },
        }),
      ),
    );
    return { done: written ? 'retired' : 'not-old', forgot: rows === 'forgotten' };
  }

  /**
   * Clears from an imported entry what learning added to it before the upgrade ({@link learnedOnImported}): its
   * counters, votes and fix record, and the fix when a fix record wrote it, after forgetting its import rows, so that
   * importing its file again counts the import's rows alone and writes the import's fix. `clean` when it held nothing learned.
   */
  async function clearLearnedOnImported(listed: Record<string, unknown>): Promise<{ done: 'reset' | 'left' | 'clean'; forgot: boolean }> {
    if (listed.sk !== ENTRY_SK) return { done: 'clean', forgot: false };
    const fingerprint = fingerprintOf(listed);
    const item = await readEntry(fingerprint);
    if (!item || !learnedOnImported(item, await countImportRows(fingerprint))) return { done: 'clean', forgot: false };
    const rows = await forgetImportRows(fingerprint, IMPORT_ROW_PAGES);
    if (rows === 'left') return { done: 'left', forgot: false };
    const learned = ['seen', 'feedbackUp', 'feedbackDown', 'fixRecord', 'fixVersion', ...REMEDIATION_ACTIONS.flatMap((action) => [attemptsAttr(action), successesAttr(action)]), ...(item.fixRecord !== undefined ? ['fix'] : [])];
    const names: Record<string, string> = { '#source': 'source', '#lastSeen': 'kbLastSeen', '#createdAt': 'createdAt' };
    learned.forEach((name, n) => (names[`#l${n}`] = name));
    const written = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: entryKey(fingerprint),
          // The index's sort key stays: a learned sighting's time gives way to the import's first row's.
          UpdateExpression: `SET #lastSeen = if_not_exists(#createdAt, #lastSeen) REMOVE ${learned.map((_, n) => `#l${n}`).join(', ')}`,
          ConditionExpression: '#source = :imported',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':imported': 'imported' },
        }),
      ),
    );
    return { done: written ? 'reset' : 'clean', forgot: rows === 'forgotten' };
  }

  async function listWithOldLearned(category: Category, limit: number, scope: string | null) {
    const { items, whole } = await categoryPage(category, limit, scope);
    return {
      whole,
      entries: items.filter((item) => scope || !oldLearned(item)).map((item) => fromEntryItem(sharedView(item))),
      oldLearned: scope ? [] : items.filter(oldLearned).map(fingerprintOf),
    };
  }


  return {
    ...createLearnedEntryWrites(options),

    async get(fingerprint, scope = null) {
      const item = (await client.send(new GetCommand({ TableName: tableName, Key: entryKey(fingerprint, scope) }))).Item;
      return item && !expired(item, clock()) && (scope || !oldLearned(item)) ? fromEntryItem(sharedView(item)) : null;
    },

    async listByCategory(category, limit = MAX_CANDIDATES, scope = null) {
      return (await listWithOldLearned(category, limit, scope)).entries;
    },

    listWithOldLearned,

    async listScopes(limit) {
      // The list's items sort by scope, not by when they learned: every page is read (bounded) before the newest
      // are picked, so a repository past the first page (1 MB, or 500 items) is still listed and found by name.
      const now = clock();
      const pages = paginateQuery(
        { client, pageSize: SCOPES_PAGE },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ProjectionExpression: '#scope, #repository, #lastLearned, #expiresAt',
          ExpressionAttributeNames: { '#scope': 'kbScope', '#repository': 'kbRepository', '#lastLearned': 'lastLearned', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':pk': SCOPES_PK },
        },
      );
      // No filter: every page but the last holds an item, so MAX_SCOPES items are never more than as many pages.
      const { items } = await readPages(pages, { maxPages: MAX_SCOPES, limit: MAX_SCOPES });
      const scopes: LearnedScope[] = [];
      for (const item of items) {
        if (expired(item, now) || typeof item.kbScope !== 'string' || typeof item.lastLearned !== 'string') continue;
        scopes.push({ scope: item.kbScope, repository: typeof item.kbRepository === 'string' ? item.kbRepository : null, lastLearned: item.lastLearned });
      }
      return scopes.sort((a, b) => b.lastLearned.localeCompare(a.lastLearned)).slice(0, limit);
    },

    async listAll(limitPerCategory = 200, scope = null) {
      const all: KnowledgeEntry[] = [];
      for (const category of CATEGORIES) all.push(...(await this.listByCategory(category, limitPerCategory, scope)));
      return all;
    },

    async retireOldLearned(fingerprints, at) {
      let retired = 0;
      for (const fingerprint of new Set(fingerprints)) if ((await retire(fingerprint, at, 0)).done === 'retired') retired += 1;
      return retired;
    },

    async sweepOldLearned(category, at, bounds = {}) {
      const sweep: MigrationSweep = { retired: 0, reset: 0, forgotten: 0, complete: true };
      const maxPages = bounds.maxPages ?? 100;
      if (maxPages <= 0) return { ...sweep, complete: false };
      let read = 0;
      // Each page is swept before the next is asked for: the paginator sends that request on demand.
      for await (const page of paginateQuery({ client }, categoryQuery(category, null, bounds.pageSize ?? 200))) {
        for (const item of page.Items ?? []) {
          const { done, forgot } = oldLearned(item) ? await retire(fingerprintOf(item), at, IMPORT_ROW_PAGES) : await clearLearnedOnImported(item);
          if (forgot) sweep.forgotten += 1;
          if (done === 'retired') sweep.retired += 1;
          else if (done === 'reset') sweep.reset += 1;
          else if (done === 'left') sweep.complete = false;
        }
        if (!page.LastEvaluatedKey) return sweep;
        read += 1;
        if (read >= maxPages) break;
      }
      return { ...sweep, complete: false };
    },

    async importOutcome(fingerprint, description, importId, outcome, at, now) {
      // A row an import before the claims kept a time wrote was counted by it: the condition leaves it as it is.
      const claim = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `KB#${fingerprint}`, sk: `IMPORT#${importId}` },
            UpdateExpression: 'SET #claimedAt = if_not_exists(#claimedAt, :now), #kind = :kind, #importedAt = :at',
            ConditionExpression: 'attribute_not_exists(#kind) OR attribute_exists(#claimedAt)',
            ExpressionAttributeNames: { '#claimedAt': 'claimedAt', '#kind': 'kind', '#importedAt': 'importedAt' },
            ExpressionAttributeValues: { ':now': now.toISOString(), ':kind': 'knowledge-import', ':at': at.toISOString() },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (!claim) return 'duplicate';
      const before = claim.Attributes;
      if (before && typeof before.countedAt === 'string') return 'duplicate';
      const claimedAt = before ? new Date(String(before.claimedAt)) : now;
      // Claimed moments ago and not recorded counted: another import is counting it. Counting it here too could come
      // after that one took its mark off the entry, and count it twice; once its claim is stale (that import
      // stopped), an import counts what it left.
      if (before && now.getTime() - claimedAt.getTime() < IMPORT_CLAIM_HOLD_MS) return 'held';
      const marks = marksOfClaim(`import#${importId}`, { at: claimedAt, first: !before }, now);
      if (!marks) return 'duplicate';
      const mark = marks('entry');
      // An old-layout learned entry under the key mixes every repository's counts, title and fix: the import starts
      // the shared entry afresh rather than share them (read first: a row's writes stay the four below otherwise).
      // The rows imports before the upgrade counted on it go with its counts, as `guard kb migrate` forgets them:
      // left, they would report "already imported" for counts no entry holds any more. Forgotten here rather than
      // refusing the import until the operator migrates: the import alone then comes out right.
      const current = await readEntry(fingerprint);
      if (current && oldLearned(current)) {
        // Kept: this row, and the rows other deliveries claimed moments ago (counting on the fresh entry, or about to).
        const counting = (row: Record<string, unknown>) => row.sk === `IMPORT#${importId}` || (typeof row.claimedAt === 'string' && now.getTime() - new Date(row.claimedAt).getTime() < IMPORT_CLAIM_HOLD_MS);
        if ((await forgetImportRows(fingerprint, IMPORT_ROW_PAGES, counting)) === 'left') throw new OldLayoutImportRowsError(fingerprint);
        await conditionalWrite(() =>
          client.send(
            new DeleteCommand({
              TableName: tableName,
              Key: entryKey(fingerprint),
              ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#source) OR #source <> :imported)',
              ExpressionAttributeNames: { '#source': 'source' },
              ExpressionAttributeValues: { ':imported': 'imported' },
            }),
          ),
        );
      }
      const names: Record<string, string> = { '#seen': 'seen' };
      const values: Record<string, unknown> = {};
      const sets = describe(options, description, fingerprint, null, at, names, values, true);
      const adds = outcome.success === null ? [] : outcomeAdds(outcome.action, outcome.success, names, values);
      values[':one'] = 1;
      adds.push('#seen :one');
      // Counted now, or by a delivery that died before it recorded so (its mark refuses this one).
      await update(options, entryKey(fingerprint), sets, adds, names, values, mark);
      // Then the row records that it is counted, and only after that does its mark leave the entry: every delivery
      // reads the row first, so none needs the mark any more, and importing one fingerprint's long history leaves no
      // mark per row on its entry (~45 bytes each, against DynamoDB's 400 KB item limit). The delivery that records
      // it is the one that reports the row imported.
      const recorded = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `KB#${fingerprint}`, sk: `IMPORT#${importId}` },
            UpdateExpression: 'SET #countedAt = :now',
            ConditionExpression: 'attribute_not_exists(#countedAt)',
            ExpressionAttributeNames: { '#countedAt': 'countedAt' },
            ExpressionAttributeValues: { ':now': now.toISOString() },
          }),
        ),
      );
      await releaseMark(client, tableName, entryKey(fingerprint), mark);
      return recorded !== null ? 'imported' : 'duplicate';
    },
  };
}

export type { ActionStats };
