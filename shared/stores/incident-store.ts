import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import {
  type AuditEntry,
  type ClaimName,
  countedClaimValue,
  type HistoryEntry,
  HISTORY_FIELDS,
  APPROVAL_FIELDS,
  type ApprovalState,
  type Incident,
  type IncidentHistoryEntry,
  type IncidentSource,
  type IncidentStatus,
  isDueForReconciler,
  type NotificationRecord,
  outsiderCanRepeat,
  readClaimValue,
  STATUS_MAY_LEAVE,
  type StageError,
} from '../domain/incident.js';
import { IncidentOwnerMismatchError, IndexProjectionError, PullAliasWriteError } from '../errors.js';
import { INCIDENT_INDEXES, type IndexDefinition } from './tables.js';
import { conditionalWrite, noteLatest, readItems, readPages, updateExpression } from './dynamo.js';
import { CLAIM_READERS_PREFIX, claimReadersName, endClaimReading, recordCountedUnlessRead } from './count-marks.js';
import { type RepositoryIdentity, repositoryKey, sameRepository } from '../domain/repository-key.js';
import { learnedKeyOf } from '../knowledge/scope.js';
import { DROPPED_FIELD, INCIDENT_LIST_BOUNDS, type IncidentListName, entriesToDrop } from '../domain/incident-lists.js';

const INCIDENT_SK = 'INCIDENT';
/**
 * Index pages one `search` call reads at most, so a selective filter cannot turn a request into a table scan; plus
 * one page per older month while nothing read so far gives its cursor a place to stop (at most `SEARCH_MAX_MONTHS`).
 */
const SEARCH_MAX_PAGES = 20;
/** How far back `search` looks when no `since` is given: the incidents' default TTL is about 13 months. */
const SEARCH_MAX_MONTHS = 14;
/**
 * Index pages one lookup by scope, fingerprint, pull request or month reads at most: a lookup must not turn into a
 * table scan when a scope has thousands of resolved incidents.
 */
const LOOKUP_MAX_PAGES = 5;
/**
 * Index pages `listHistory` reads at most while runs an outsider can repeat fill them: with the caller's window
 * of 50, about 250 incidents of one fingerprint, each of whose origins is one more item read from the table. An
 * outsider who made more runs newer than the repository's own still hides those; what one lookup costs stays bounded.
 */
const HISTORY_MAX_PAGES = 5;
/** How far back `listRecent` looks: a year of month partitions besides the current one. */
const RECENT_MONTHS_BACK = 12;
/** Index pages `listUnfinished` reads per month partition (pages of up to 1 MB: it sets no page size). */
const UNFINISHED_MAX_PAGES_PER_MONTH = 10;
/** Incidents `listUnfinished` reads from the table at least per request, when few more are needed: not one at a time. */
const UNFINISHED_MIN_BATCH = 25;
/**
 * DynamoDB items are capped at 400 KB; lists that grow with every event are bounded well below that: per write here,
 * in total by `INCIDENT_LIST_BOUNDS` (shared/domain/incident-lists.ts).
 */
const MAX_APPENDED_ENTRIES = 200;
/** Entries one trim of a list removes at most: each is a path in the update expression, which DynamoDB caps at 4 KB. */
const MAX_TRIMMED_PER_WRITE = 150;

const INCIDENT_PK_PREFIX = 'INCIDENT#';
/**
 * How long an alarm's latest OK is kept after it was last moved: far beyond the oldest event that can still arrive
 * (EventBridge gives up after 2 hours, Lambda's own retries after 6).
 */
const ALARM_OK_TTL_SECONDS = 30 * 86_400;

export function incidentKey(id: string): { pk: string; sk: string } {
  return { pk: `${INCIDENT_PK_PREFIX}${id}`, sk: INCIDENT_SK };
}

/** The item holding an alarm's latest OK; the ARN is hashed (it can be 2,048 characters, a key at most 2,048 bytes). */
export function alarmOkKey(alarmArn: string): { pk: string; sk: string } {
  return { pk: `ALARMOK#${createHash('sha256').update(alarmArn).digest('hex').slice(0, 40)}`, sk: 'ALARMOK' };
}

/**
 * Index attributes derived from the incident. GSI key attributes must be absent rather than null. A pull request's
 * incidents are keyed by the repository's GitHub id when the writer knows it (`id-<id>#<number>`), which a rename or a
 * transfer keeps; else, and for every incident indexed before ids were used, by its name (`owner/name#<number>`, a name
 * holds a slash, so it is never an id's key). {@link IncidentStore.listByPullRequest} reads both.
 */
export function pullKeyOf(repository: string | null | undefined, pullRequest: number | null | undefined, repositoryId: number | null = null): string | null {
  if (!repository || !pullRequest) return null;
  return repositoryId === null ? `${repositoryKey(repository)}#${pullRequest}` : `id-${repositoryId}#${pullRequest}`;
}

/**
 * A pull request's incidents indexed by the repository's id are not under its name's key, which a reader that knows no
 * id reads (an incident stored before ids were recorded): an item in the name's partition of the index names the id
 * (`PULLALIAS#<name>#<number>#id-<id>`), its sort key `~` and when it was last written, after every incident's time,
 * so a reader meets it first, the id written last first. Written when an incident is indexed by id.
 */
const PULL_ALIAS = 'PULLALIAS#';
const aliasIdOf = (pk: unknown): number | null => (String(pk).startsWith(PULL_ALIAS) ? Number(/#id-(\d+)$/.exec(String(pk))?.[1] ?? Number.NaN) : null);

/**
 * Whether a pull request's name alone may stand for repository `id` (null: the reader knows none): while the aliases
 * under the name (`aliases`, the ids incidents indexed by id wrote there) name no other repository. A name reused
 * within their lifetime (a repository deleted and created again, or another renamed onto the name: a new id, pull
 * requests numbered from 1 again) names two, and an incident known by the name only could be either's: it is not taken
 * for the reader's. (A reader knowing only the name follows the alias written last: see listByPullRequest.)
 */
function nameOnlyTrusted(id: number | null, aliases: number[]): boolean {
  const named = new Set(aliases);
  if (id !== null) named.add(id);
  return named.size <= 1;
}

/**
 * The partition of the incident's history (index `byHistoryKey`): its fingerprint within its knowledge scope
 * (shared/knowledge/scope.ts), so one repository's failures are never another's history. Null without either: such
 * an incident has no history and is in none.
 */
export function historyKeyOf(incident: Pick<Incident, 'source' | 'repositoryId' | 'fingerprint'>): string | null {
  const key = learnedKeyOf(incident);
  return key ? `${key.scope}#${key.fingerprint}` : null;
}

/**
 * The condition that the stored incident has the knowledge scope of `owner` (see {@link IncidentOwner}), so its
 * history key: an alarm's source, or another source and `owner`'s repository id.
 */
function ownerCondition(owner: IncidentOwner, names: Record<string, string>, values: Record<string, unknown>): string {
  names['#src'] = 'source';
  values[':cw'] = 'cloudwatch';
  if (owner.source === 'cloudwatch') return '#src = :cw';
  names['#rid'] = 'repositoryId';
  values[':rid'] = owner.repositoryId;
  return '#src <> :cw AND #rid = :rid';
}

function indexAttributes(incident: Pick<Incident, 'createdAt' | 'fingerprint' | 'repository' | 'pullRequest' | 'source' | 'repositoryId'>, scope: string | null) {
  const pullKey = pullKeyOf(incident.repository, incident.pullRequest, incident.repositoryId);
  const historyKey = historyKeyOf(incident);
  return {
    kind: 'incident',
    month: incident.createdAt.slice(0, 7),
    ...(scope ? { scope } : {}),
    ...(incident.fingerprint ? { fingerprint: incident.fingerprint } : {}),
    ...(pullKey ? { pullKey } : {}),
    ...(historyKey ? { historyKey } : {}),
  };
}

export interface AppendLists {
  history?: HistoryEntry[];
  notifications?: NotificationRecord[];
  stageErrors?: StageError[];
  audit?: AuditEntry[];
}

/** Options of {@link IncidentStore.update}. */
export interface UpdateOptions {
  /**
   * Names this write: it lands only when none of the incident's recent writes so named (its {@link WRITE_IDS}
   * attribute) had this name, and adds it there, in the same conditional write. A write tried again after its answer
   * was lost (a timeout while it was still in flight, landing after any read-back) then cannot append its entries
   * twice (session 43), even when another named write landed between its tries (attack-45a A5: one slot, the last
   * write's id, let the late try in). When it was made already, nothing is written and the incident is returned as it
   * stands.
   */
  writeId?: string;
  /**
   * Fields written only where the incident has none yet (`if_not_exists`, in the same write): a time that must stay
   * the first one written (`runbookStartAnsweredAt`: each later ALARM following the run moved it to its own time, and
   * the "has not ended" page with it, attack-46b B1).
   */
  keepFirst?: Array<keyof Incident>;
  /** See {@link IncidentOwner}: for a write of `fingerprint`, checked by the write instead of read before it. */
  owner?: IncidentOwner;
}

/**
 * Whose an incident is: its source and repository id, written when it is created and never changed, which decide its
 * knowledge scope and so its history key ({@link historyKeyOf}). A writer of a fingerprint that holds the incident
 * names them: the write files the incident under the key they give, on the condition that the stored incident has
 * that scope (else {@link IncidentOwnerMismatchError}, nothing written). Without them, or when they give no scope,
 * the store reads them first (one GetItem more): the writer need not know them, and either way cannot file the
 * incident in another scope's history.
 */
export type IncidentOwner = Pick<Incident, 'source' | 'repositoryId'>;

/**
 * What names an incident's pull request alias item (see PULL_ALIAS): its repository's name, its pull request and its
 * repository's id. Given to a write as the alias that the incident's creation is known to have written (ingest's,
 * which tells classify so in the execution's state), the write does not write that alias again: the same item, put
 * seconds after, with the same sort key and an expiry as far off as the first put gave.
 */
export type PullAliasOf = Pick<Incident, 'repository' | 'pullRequest' | 'repositoryId'>;

/** What a write is conditional on, and what it takes, besides its fields and appends (see conditionalUpdate). */
interface WriteConditions {
  /** A marker to take (its time, `at`) unless it is taken. */
  claim?: { name: ClaimName; at: string };
  /** The approval as read (null: none), which the write lands only over; absent: no condition on it. */
  expected?: ExpectedApproval | null;
  writeId?: string;
  keepFirst?: string[];
  owner?: IncidentOwner;
}

/**
 * The incident item's attribute listing its most recent write ids (oldest first), at most {@link WRITE_IDS_KEPT}:
 * bookkeeping, not part of the incident.
 */
export const WRITE_IDS = 'recentWriteIds';
/**
 * Write ids an incident keeps. A try can land late only while it is in flight, within one step's deadline; the named
 * writes landing meanwhile are the retries of that step (Notify's record of an approval request: a few, with seconds
 * of backoff between them). Sixteen leaves a wide margin, and keeps the list a few KB at most of the item's 400 KB.
 */
export const WRITE_IDS_KEPT = 16;

/** The lists `append` adds entries to. */
function appended(append: AppendLists): IncidentListName[] {
  return (Object.keys(append) as IncidentListName[]).filter((name) => (append[name]?.length ?? 0) > 0);
}

/** Filters of {@link IncidentStore.search}; every one optional, all given ones must match. */
export interface IncidentFilter {
  status?: IncidentStatus;
  repository?: string;
  category?: string;
  source?: IncidentSource;
  /** Created at or after this instant. */
  since?: Date;
}

/** Where the next page starts: the index key of the last incident returned (exclusive). */
export interface IncidentCursor {
  id: string;
  createdAt: string;
}

export interface IncidentPage {
  items: Incident[];
  /** Null when there is nothing older to read. */
  next: IncidentCursor | null;
}

export interface IncidentStore {
  /**
   * Creates the incident unless one with the same id exists. Returns false for a duplicate. The pipeline input
   * (`{ trigger }`) is kept with it, so a reconciler can start an execution that never started.
   */
  create(incident: Incident, scope: string | null, trigger?: unknown): Promise<boolean>;
  /** The trigger the incident was created from (null for incidents created before triggers were kept). */
  triggerOf(id: string): Promise<unknown | null>;
  /**
   * Takes execution attempt `next` (the reconciler's re-drive) when the incident is still at `next - 1`: one
   * conditional write, so two reconcilers or a reconciler and a redelivery cannot both start it.
   */
  claimAttempt(id: string, next: number): Promise<boolean>;
  /**
   * Unfinished incidents (not notified, not resolved) created after `createdAfter`, untouched since `updatedBefore`
   * and due for the reconciler by `dueBy` (none of its tries failed, or the last failure's wait is over, and it did
   * not give them up: `reconcileRetry`), oldest first. Incidents not due are read but not counted against `limit`,
   * so any number of them cannot hold back the due ones behind them.
   */
  listUnfinished(options: { createdAfter: Date; updatedBefore: Date; dueBy: Date; limit: number }): Promise<Incident[]>;
  get(id: string): Promise<Incident | null>;
  /**
   * Sets the given fields and appends to the audit lists in one atomic update; returns the new incident. A status
   * is set only when the incident's current status may move to it (`STATUS_MAY_LEAVE`); otherwise the other
   * fields are still written and the status stays (a late stage never moves a resolved incident back).
   */
  update(id: string, fields: Partial<Omit<Incident, 'id' | 'createdAt'>>, append?: AppendLists, options?: UpdateOptions): Promise<Incident>;
  /**
   * {@link update} for a writer that moves the status and must write nothing else when it may not: the fields and
   * appends land only while the incident's current status may move to `fields.status` (`STATUS_MAY_LEAVE`), in one
   * conditional write. Null, and nothing written, when it may not (or the incident does not exist): another writer
   * got there first, and what it wrote stands. (A failure recorded superseded by a writer that read it open must not
   * overwrite the green run's recovery, time to recovery and history, that resolved it meanwhile.) `owner`: as
   * {@link UpdateOptions.owner}. `approvalAsRead`: written also only while the approval is still the one the writer
   * read (as {@link replaceApproval} compares it; null: none recorded), so that an approval request written over what
   * it read cannot replace a decision recorded since; null too when it is not (the caller reads which).
   */
  updateIfStatusMoves(
    id: string,
    fields: Partial<Omit<Incident, 'id' | 'createdAt'>> & { status: IncidentStatus },
    append?: AppendLists,
    options?: { owner?: IncidentOwner; approvalAsRead?: ExpectedApproval | null; pullAliasWritten?: PullAliasOf },
  ): Promise<Incident | null>;
  /**
   * {@link update} for a caller that does not need the incident back (DynamoDB returns none of it). With `claim`,
   * the same write also takes that once-only marker (shared/stores/incident-claims.ts) unless it is taken already:
   * `claimed` says whether this write took it (false without `claim`), `claimedAt` when it was taken (by this write
   * or an earlier one), which names the marks of what it counts (shared/stores/count-marks.ts); `counted` when every
   * count was made already (then none is to be made, and no `claimedAt` is given): see {@link recordClaimCounted} and
   * {@link endClaimReading} for how a delivery ends its counts. With `keepUpdatedAt`,
   * `updatedAt` stays as it was: the write is the reconciler's bookkeeping of a try that failed, not work on the
   * incident, and must not make the incident look busy (the reconciler waits `RECONCILE_AFTER_MINUTES` after the last
   * work before it steps in). `owner`: as {@link UpdateOptions.owner}. `pullAliasWritten`: see {@link PullAliasOf}.
   */
  record(
    id: string,
    fields: Partial<Omit<Incident, 'id' | 'createdAt'>>,
    append?: AppendLists,
    options?: {
      claim?: ClaimName;
      keepUpdatedAt?: boolean;
      owner?: IncidentOwner;
      pullAliasWritten?: PullAliasOf;
    },
  ): Promise<{ claimed: boolean; claimedAt?: Date; counted?: boolean }>;
  /**
   * Records that the marker `claim` taken (by {@link record}) at `claimedAt` has all its counts made (see finishClaim in
   * shared/stores/incident-claims.ts), and writes nothing else: true when recorded, false while another delivery that read
   * the marker uncounted still counts (shared/stores/count-marks.ts).
   */
  recordClaimCounted(id: string, claim: ClaimName, claimedAt: Date): Promise<boolean>;
  /**
   * Ends this delivery's reading of the marker `claim`, its counts having failed with nothing that may still land (see
   * countThenFinish in shared/stores/count-marks.ts), and writes nothing else; ending it again changes nothing.
   */
  endClaimReading(id: string, claim: ClaimName): Promise<void>;
  /**
   * Writes the incident's approval (and appends) only while its approval is still `expected`: the same status, task
   * token, decision time and resume take. One conditional write: a `/guard` handler that read the approval a while ago
   * cannot overwrite what another handler, the reconciler or Notify wrote since. False, and nothing written, when it is not.
   * `expected` null: only while the incident has no approval. `fields`: written in the same write (Notify's record of
   * how the wait ended writes the decision it took with the approval).
   */
  replaceApproval(id: string, expected: ExpectedApproval | null, approval: ApprovalState, append?: AppendLists, fields?: ApprovalCompanions): Promise<boolean>;
  /** Newest first. */
  listRecent(limit: number): Promise<Incident[]>;
  /**
   * Newest first, filtered, one page of at most `limit` from `after` (exclusive). Reads a bounded number of index
   * pages per call: a page may hold fewer than `limit` items and still have a `next` cursor.
   */
  search(filter: IncidentFilter, limit: number, after?: IncidentCursor | null): Promise<IncidentPage>;
  /** Incidents of one scope (repository+branch+workflow, or alarm) that are not resolved, newest first. */
  listOpenInScope(scope: string, limit: number): Promise<Incident[]>;
  /**
   * The incident's history: earlier incidents of its fingerprint in its knowledge scope (its repository's, or the
   * alarms': {@link historyKeyOf}), newest first: up to `limit` of them, none an outsider can repeat
   * (`outsiderCanRepeat`), so an outsider's runs cannot push the repository's own out of the window. None for an
   * incident without a fingerprint or a scope, and none stored before history keys were kept. Only
   * {@link HISTORY_FIELDS} and the run's origin: a recurring failure has dozens of earlier incidents of ~10 KB each;
   * the lookup needs a few hundred bytes of each. Reads a bounded number of pages.
   */
  listHistory(incident: Pick<Incident, 'source' | 'repositoryId' | 'fingerprint'>, limit: number): Promise<IncidentHistoryEntry[]>;
  /**
   * Incidents of one pull request of `repository`, newest first, of its `limit` newest. `except`: one of them the
   * caller holds already (the PR comment's own incident), left out and not read again. Read under the repository's id
   * (when known: found after a rename) and under its name (incidents indexed before ids were, or without one). A name
   * is not an identity: another repository that had the name (an account renamed, and its old name taken by someone
   * else) has pull requests of the same numbers. Only incidents of `repository` as `sameRepository` decides (GitHub's
   * id when both know one, else the name) are returned, so no caller can show, count or act on another repository's.
   * An incident indexed by an old name before ids were used is not found under a new name.
   */
  listByPullRequest(repository: RepositoryIdentity, pullRequest: number, limit: number, options?: { except?: string }): Promise<Incident[]>;
  /**
   * Notes that the alarm was back to OK at `at`, unless a later OK is noted already: one conditional write (item
   * `ALARMOK#…` of this table, in no index), so a late or redelivered OK never moves it back. True when it moved.
   */
  noteAlarmOk(alarmArn: string, at: Date): Promise<boolean>;
  /** The latest OK noted for the alarm (consistent read), or null when none was noted in the last 30 days. */
  latestAlarmOk(alarmArn: string): Promise<Date | null>;
}

/**
 * What {@link IncidentStore.replaceApproval} compares: a task token names one wait, the decision time one decision, the
 * resume take (absent: none) which worker set out to resume it, the spent token (absent: none) that the decision was
 * kept for its request's retry with (a write over a decision read before it was kept would lose it for the retry).
 */
export type ExpectedApproval = Pick<ApprovalState, 'status' | 'taskToken' | 'decidedAt' | 'resumeTakenAt'> & {
  spentToken?: string | null;
  /**
   * The request read: an approval written for the same request ({@link ApprovalState.requestedAt}) continues it, and is
   * written field by field (see conditionalUpdate), so the fields a newer version keeps on it are not erased.
   */
  requestedAt?: string;
};

/** The approval fields a conditional write compares, in the order its condition names them. */
export const COMPARED_APPROVAL_FIELDS = ['status', 'taskToken', 'decidedAt', 'resumeTakenAt', 'spentToken'] as const;

/** Fields {@link IncidentStore.replaceApproval} may write with the approval: none that its condition does not cover. */
export type ApprovalCompanions = Pick<Partial<Incident>, 'decision'>;

/**
 * Of the store's reads and writes by key (an incident's id, an alarm's OK mark), what classify and analyze call: their
 * own incident's creation, reads and records, and an alarm's latest OK. Not the execution attempt's claim, the stored
 * trigger's read, the approval's replacement or the OK mark's write, which neither stage makes, nor the index queries.
 */
export type IncidentRecords = Pick<IncidentStore, 'create' | 'get' | 'update' | 'updateIfStatusMoves' | 'record' | 'recordClaimCounted' | 'endClaimReading' | 'latestAlarmOk'>;

/** Of {@link IncidentRecords}, what remediate reads and writes: its own incident, and its alarm's latest OK. */
export type OwnIncidentRecords = Pick<IncidentStore, 'get' | 'update' | 'latestAlarmOk'>;

const STRIP = new Set(['pk', 'sk', 'kind', 'month', 'scope', 'expiresAt', 'pullKey', 'historyKey', 'trigger', WRITE_IDS]);

/**
 * Attributes `<prefix><login>` of an incident item: the `seq` of the last vote change of that user counted on its vote counters
 * (shared/knowledge/votes.ts), one per voter. Bookkeeping, not part of the incident.
 */
export const VOTE_TALLY_MARK_PREFIX = 'voteTallied#';

/**
 * The first instant of `date`'s month moved by `months` (negative: back). Built with `setUTCFullYear`, not `Date.UTC`,
 * which reads the years 0-99 as 1900-1999: a forged cursor of year 1 walked from 1901, with a start key of month
 * 0001-01 that DynamoDB refused (a 500, attack-47 R1).
 */
function monthStart(date: Date, months = 0): Date {
  const start = new Date(0);
  start.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
  return start;
}

/** The first month a `YYYY-MM` key can name: before year 0, `toISOString` writes a six-digit year with a sign. */
const FIRST_KEYED_MONTH = /* @__PURE__ */ Date.parse('0000-01-01T00:00:00Z');

/** Month partition keys (`YYYY-MM`) from `newest`'s month back to `oldest`'s (at most to year 0), newest first. */
function monthsBack(newest: Date, oldest: Date): string[] {
  const months: string[] = [];
  const last = Math.max(monthStart(oldest).getTime(), FIRST_KEYED_MONTH);
  for (let at = monthStart(newest); at.getTime() >= last; at = monthStart(at, -1)) {
    months.push(at.toISOString().slice(0, 7));
  }
  return months;
}

/** The write ids an incident item keeps ({@link WRITE_IDS}), oldest first. */
function writeIdsOf(item: Record<string, unknown>): string[] {
  const kept = item[WRITE_IDS];
  return Array.isArray(kept) ? (kept as string[]) : [];
}

function fromItem(item: Record<string, unknown>): Incident {
  // An absent fingerprint is stored as a missing attribute (GSI keys cannot be NULL).
  const incident: Record<string, unknown> = { fingerprint: null };
  for (const [key, value] of Object.entries(item)) if (!STRIP.has(key) && !key.startsWith(VOTE_TALLY_MARK_PREFIX) && !key.startsWith(CLAIM_READERS_PREFIX)) incident[key] = value;
  return incident as unknown as Incident;
}

/** What the incidents table's adapters are built from. */
interface IncidentTableOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  ttlDays: number;
  clock?: () => Date;
}

/** Incidents and the alarms' OK marks: by key ({@link createIncidentRecords}) and through the table's indexes. */
export function createIncidentStore(options: IncidentTableOptions): IncidentStore {
  const items = incidentItems(options);
  return { ...incidentRecords(items), ...otherByKeyWrites(items), ...createIncidentQueries(options) };
}

/**
 * The incidents table by key alone (an incident's id, an alarm's OK mark), without the index queries: for a stage
 * that reads and updates its own incident and lists none (classify, analyze; remediate adds {@link createOpenIncidentsInScope}), whose bundle then carries no other query code.
 */
export function createIncidentRecords(options: IncidentTableOptions): IncidentRecords {
  return incidentRecords(incidentItems(options));
}

function incidentRecords(items: ReturnType<typeof incidentItems>): IncidentRecords {
  const { client, tableName, clock, ttlSeconds, conditionalUpdate, trimLists, trimmedIncident, updateOrKeepStatus, aliasAfter } = items;
  return {
    ...ownIncidentRecords(items),
    async create(incident, scope, trigger) {
      const { fingerprint: _indexKey, ...fields } = incident;
      const created = await conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...incidentKey(incident.id),
              ...fields,
              ...indexAttributes(incident, scope),
              ...(trigger === undefined ? {} : { trigger }),
              expiresAt: Math.floor(clock().getTime() / 1000) + ttlSeconds,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      // There already (a retry of a create that died before its alias): the alias is written if none is, not moved.
      return aliasAfter(incident.id, incident, incident.repositoryId, created !== null, created === null);
    },

    async updateIfStatusMoves(id, fields, append = {}, options = {}) {
      let item: Record<string, unknown> | undefined;
      try {
        item = await conditionalUpdate(id, fields, append, 'incident', { owner: options.owner, expected: options.approvalAsRead });
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return null;
        throw error;
      }
      return aliasAfter(id, fields, fields.repositoryId ?? options.owner?.repositoryId, await trimmedIncident(id, item ?? {}, append), false, options.pullAliasWritten);
    },

    async record(id, fields, append = {}, options = {}) {
      const claim = options.claim ? { name: options.claim, at: clock().toISOString() } : undefined;
      const old = await updateOrKeepStatus(id, options.keepUpdatedAt ? { ...fields, updatedAt: undefined } : fields, append, 'nothing', { claim, owner: options.owner });
      // The lists as this write left them: as they were, and what it appended.
      await trimLists(id, appended(append).map((name) => [name, [...((old?.[name] as unknown[] | undefined) ?? []), ...(append[name] ?? []).slice(-MAX_APPENDED_ENTRIES)]]));
      const before = readClaimValue(old?.[claim?.name ?? '']);
      const recorded = !claim ? { claimed: false } : before?.counted ? { claimed: false, counted: true } : { claimed: before === null, claimedAt: before?.at ?? new Date(claim.at) };
      return aliasAfter(id, fields, fields.repositoryId ?? options.owner?.repositoryId, recorded, false, options.pullAliasWritten);
    },
    recordClaimCounted(id, claim, claimedAt) {
      // Only the claim: recorded counted once no other delivery that read it uncounted is still counting.
      return recordCountedUnlessRead(client, tableName, incidentKey(id), claim, countedClaimValue(claimedAt));
    },
    async endClaimReading(id, claim) {
      await endClaimReading(client, tableName, incidentKey(id), claim);
    },
  };
}

type OtherByKeyWrites = Pick<IncidentStore, 'triggerOf' | 'claimAttempt' | 'replaceApproval' | 'noteAlarmOk'>;

/**
 * The by-key writes of the full store beyond {@link IncidentRecords}: the execution attempt's claim, the stored
 * trigger's read, the approval's replacement and an alarm's OK mark (ingest, notify, the reconciler, record-outcome).
 */
function otherByKeyWrites(items: ReturnType<typeof incidentItems>): OtherByKeyWrites {
  const { client, tableName, clock, conditionalUpdate, trimLists } = items;
  return {
    async triggerOf(id) {
      const response = await client.send(
        new GetCommand({ TableName: tableName, Key: incidentKey(id), ConsistentRead: true, ProjectionExpression: '#t', ExpressionAttributeNames: { '#t': 'trigger' } }),
      );
      return response.Item?.trigger ?? null;
    },

    async claimAttempt(id, next) {
      const claimed = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: incidentKey(id),
            UpdateExpression: 'SET executionAttempt = :next, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND (executionAttempt = :current OR (attribute_not_exists(executionAttempt) AND :current = :zero))',
            ExpressionAttributeValues: { ':next': next, ':current': next - 1, ':zero': 0, ':now': clock().toISOString() },
          }),
        ),
      );
      return claimed !== null;
    },

    async replaceApproval(id, expected, approval, append = {}, fields = {}) {
      let old: Record<string, unknown> | undefined;
      try {
        old = await conditionalUpdate(id, { ...fields, approval }, append, 'nothing', { expected });
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
      await trimLists(id, appended(append).map((name) => [name, [...((old?.[name] as unknown[] | undefined) ?? []), ...(append[name] ?? []).slice(-MAX_APPENDED_ENTRIES)]]));
      return true;
    },

    noteAlarmOk(alarmArn, at) {
      return noteLatest(client, tableName, alarmOkKey(alarmArn), { alarmArn, okAt: at.toISOString(), expiresAt: Math.floor(clock().getTime() / 1000) + ALARM_OK_TTL_SECONDS }, 'okAt');
    },
  };
}

/**
 * The incidents table's items by key, and the writes behind the by-key methods: {@link createIncidentRecords}'
 * and {@link createOwnIncidentRecords}' one implementation.
 */
function incidentItems(options: IncidentTableOptions) {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const ttlSeconds = options.ttlDays * 86_400;
  // The aliases this store wrote today: each is written once a day at most, not by every write that indexes by id.
  const aliasesWritten = new Map<string, string>();

  /** The alias item's key for an incident indexed by id under `fields`' pull request, or null when it has none. */
  function pullAliasKey(fields: Partial<Pick<Incident, 'repository' | 'pullRequest'>>, repositoryId: number | null | undefined): string | null {
    const byName = pullKeyOf(fields.repository, fields.pullRequest);
    return byName && typeof repositoryId === 'number' ? `${PULL_ALIAS}${byName}#id-${repositoryId}` : null;
  }

  /**
   * Points the pull request's name key at its id key (see PULL_ALIAS), when `fields` index it by the id; not when it is
   * the alias of `written` (see {@link PullAliasOf}).
   */
  async function notePullAlias(fields: Partial<Pick<Incident, 'repository' | 'pullRequest'>>, repositoryId: number | null | undefined, ifAbsent = false, written?: PullAliasOf): Promise<void> {
    const pk = pullAliasKey(fields, repositoryId);
    if (pk === null || (written !== undefined && pk === pullAliasKey(written, written.repositoryId))) return;
    const byName = pullKeyOf(fields.repository, fields.pullRequest) as string;
    const now = clock().toISOString();
    if (aliasesWritten.get(pk) === now.slice(0, 10)) return;
    const put = new PutCommand({
      TableName: tableName, Item: { pk, sk: 'ALIAS', pullKey: byName, createdAt: `~${now}`, expiresAt: Math.floor(clock().getTime() / 1000) + ttlSeconds },
      ...(ifAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    });
    await conditionalWrite(() => client.send(put));
    if (aliasesWritten.size >= 1_000) aliasesWritten.clear();
    aliasesWritten.set(pk, now.slice(0, 10));
  }

  /**
   * The alias of a write that landed (`written`, what it returns): its failure is the alias's alone, thrown as
   * PullAliasWriteError for the caller to handle. Thrown as the write's own error, the caller read the whole write as
   * failed and, retried or not, could not tell that the incident was written.
   */
  async function aliasAfter<T>(
    id: string,
    fields: Partial<Pick<Incident, 'repository' | 'pullRequest'>>,
    repositoryId: number | null | undefined,
    written: T,
    ifAbsent = false,
    aliasWritten?: PullAliasOf,
  ): Promise<T> {
    try {
      await notePullAlias(fields, repositoryId, ifAbsent, aliasWritten);
    } catch (error) {
      throw new PullAliasWriteError(id, written, { cause: error });
    }
    return written;
  }

  /**
   * The one UpdateItem behind update and record. `returned`: the whole new item (update), nothing, or (with a
   * claim) the claim's old value only.
   */
  async function conditionalUpdate(
    id: string,
    fields: Partial<Omit<Incident, 'id' | 'createdAt'>>,
    append: AppendLists,
    returned: 'incident' | 'nothing',
    how: WriteConditions = {},
  ): Promise<Record<string, unknown> | undefined> {
    const { claim, expected, writeId, keepFirst = [], owner } = how;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    // A field given as undefined is left as it is: `record`'s keepUpdatedAt gives `updatedAt: undefined`.
    const all: Record<string, unknown> = { updatedAt: clock().toISOString(), ...fields };
    // The pull request is often found after the incident is created (by the head commit): index it then, by the
    // repository's id as the writer names it (classify names the owner with the fields it writes), else by name.
    const pullKey = pullKeyOf(fields.repository, fields.pullRequest, fields.repositoryId ?? owner?.repositoryId ?? null);
    if (pullKey) all.pullKey = pullKey;
    // Classify finds the fingerprint after the incident is created: its history key moves with it (null: removed).
    // Of the owner the writer names (checked by this write's condition), else (none named, or one of no scope: an
    // incident without a repository id) of the stored incident's.
    const { fingerprint } = fields;
    const ownerKey = typeof fingerprint === 'string' && owner ? historyKeyOf({ ...owner, fingerprint }) : null;
    if (fingerprint !== undefined) all.historyKey = fingerprint === null ? null : (ownerKey ?? (await storedHistoryKey(id, fingerprint)));
    // The approval of the request read, continued: set and removed field by field (an item as a newer version wrote it
    // keeps what only that version knows, such as a command's other replies to edit), and only over that request.
    const continued = fields.approval && expected?.requestedAt !== undefined && fields.approval.requestedAt === expected.requestedAt ? fields.approval : null;
    if (continued) {
      delete all.approval;
      names['#ap'] = 'approval';
      APPROVAL_FIELDS.forEach((key, i) => {
        names[`#apw${i}`] = key;
        const value = continued[key];
        if (value === undefined) removes.push(`#ap.#apw${i}`);
        else {
          values[`:apw${i}`] = value;
          sets.push(`#ap.#apw${i} = :apw${i}`);
        }
      });
    }
    let n = 0;
    for (const [key, value] of Object.entries(all)) {
      if (value === undefined) continue;
      const name = `#f${n}`;
      names[name] = key;
      if ((key === 'fingerprint' || key === 'historyKey') && value === null) {
        removes.push(name);
      } else {
        values[`:v${n}`] = value;
        sets.push(keepFirst.includes(key) ? `${name} = if_not_exists(${name}, :v${n})` : `${name} = :v${n}`);
      }
      n += 1;
    }
    for (const [key, entries] of Object.entries(append) as Array<[string, unknown[] | undefined]>) {
      if (!entries || entries.length === 0) continue;
      const name = `#a${n}`;
      names[name] = key;
      values[`:a${n}`] = entries.slice(-MAX_APPENDED_ENTRIES);
      values[':empty'] = [];
      sets.push(`${name} = list_append(if_not_exists(${name}, :empty), :a${n})`);
      n += 1;
    }
    const adds: string[] = [];
    if (claim) {
      names['#claim'] = claim.name;
      values[':claimAt'] = claim.at;
      sets.push('#claim = if_not_exists(#claim, :claimAt)');
      // Read as a delivery still counting until it records the claim counted (recordCountedUnlessRead).
      names['#claimReaders'] = claimReadersName(claim.name);
      values[':oneReader'] = 1;
      adds.push('#claimReaders :oneReader');
    }
    if (writeId !== undefined) {
      // A list, for `contains` on it: kept to its bound by trimmedIncident, as DynamoDB cannot append and drop in one write.
      names['#writeIds'] = WRITE_IDS;
      values[':writeId'] = writeId;
      values[':writeIds'] = [writeId];
      values[':empty'] = [];
      sets.push('#writeIds = list_append(if_not_exists(#writeIds, :empty), :writeIds)');
    }
    const expression = updateExpression({ set: sets, add: adds, remove: removes });
    let condition = writeId === undefined ? 'attribute_exists(pk)' : 'attribute_exists(pk) AND NOT contains(#writeIds, :writeId)';
    if (fields.status !== undefined) {
      const from = STATUS_MAY_LEAVE[fields.status];
      names['#current'] = 'status';
      from.forEach((status, i) => {
        values[`:from${i}`] = status;
      });
      condition += ` AND (attribute_not_exists(#current) OR #current IN (${from.map((_, i) => `:from${i}`).join(', ')}))`;
    }
    if (expected !== undefined) {
      names['#ap'] = 'approval';
      COMPARED_APPROVAL_FIELDS.forEach((key, i) => {
        names[`#ap${i}`] = key;
        // None recorded (null): every field absent (no approval, or one stored as NULL).
        const value = expected?.[key] ?? null;
        if (value === null) {
          // Stored as DynamoDB's NULL, or left out by an older writer. (DynamoDB refuses a value no expression uses.)
          values[':apNull'] = 'NULL';
          condition += ` AND (attribute_not_exists(#ap.#ap${i}) OR attribute_type(#ap.#ap${i}, :apNull))`;
        } else {
          values[`:ap${i}`] = value;
          condition += ` AND #ap.#ap${i} = :ap${i}`;
        }
      });
    }
    if (continued) {
      values[':apRequested'] = continued.requestedAt;
      condition += ' AND #ap.requestedAt = :apRequested';
    }
    if (ownerKey) condition += ` AND ${ownerCondition(owner as IncidentOwner, names, values)}`;
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: incidentKey(id),
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ConditionExpression: condition,
          // UPDATED_OLD: the old values of what this write set — with a claim, whether the marker was there before; with
          // an append, how long the lists were (see trimLists).
          ReturnValues: returned === 'incident' ? 'ALL_NEW' : claim || appended(append).length > 0 ? 'UPDATED_OLD' : 'NONE',
        }),
      );
      return response.Attributes;
    } catch (error) {
      // Which condition refused it is read only now, when one did (a status the incident may not move to, a write
      // made already): a write that filed the incident elsewhere than its owner says is refused by name.
      if (error instanceof ConditionalCheckFailedException && ownerKey) {
        const stored = await storedOwner(id);
        if (stored && historyKeyOf({ ...stored, fingerprint: fingerprint as string }) !== ownerKey) throw new IncidentOwnerMismatchError(id);
      }
      throw error;
    }
  }

  /** The stored incident's {@link IncidentOwner}, or null when it is not stored. */
  async function storedOwner(id: string): Promise<IncidentOwner | null> {
    const { Item: item } = await client.send(
      new GetCommand({ TableName: tableName, Key: incidentKey(id), ConsistentRead: true, ProjectionExpression: '#s, #r', ExpressionAttributeNames: { '#s': 'source', '#r': 'repositoryId' } }),
    );
    return item ? { source: item.source as IncidentSource, repositoryId: typeof item.repositoryId === 'number' ? item.repositoryId : null } : null;
  }

  /**
   * The history key of incident `id` with `fingerprint`, for a writer that names no {@link IncidentOwner}: of its
   * source and repository id as stored. Null for an incident not stored (the update then fails on existence) or
   * without a scope.
   */
  async function storedHistoryKey(id: string, fingerprint: string): Promise<string | null> {
    const stored = await storedOwner(id);
    return stored ? historyKeyOf({ ...stored, fingerprint }) : null;
  }

  /**
   * Drops the oldest entries of each list in `lists` (as this write left it) that is over its bound, and counts them
   * in the incident's `<list>Dropped`. Conditional on the list's length being what this write left: when another
   * write appended meanwhile, that write's trim drops them instead. What was dropped, by list.
   */
  async function trimLists(id: string, lists: ReadonlyArray<[IncidentListName, readonly unknown[]]>): Promise<Map<IncidentListName, number>> {
    const dropped = new Map<IncidentListName, number>();
    for (const [name, list] of lists) {
      const drop = Math.min(entriesToDrop(list, INCIDENT_LIST_BOUNDS[name]), MAX_TRIMMED_PER_WRITE);
      if (drop > 0 && (await dropOldest(id, name, list.length, drop, DROPPED_FIELD[name]))) dropped.set(name, drop);
    }
    return dropped;
  }

  /**
   * Removes the `drop` oldest entries of the item's list `name`, if it is still `length` long (when another write
   * appended meanwhile, that write's trim drops them instead), counting them in `counted` when given. Whether it did.
   */
  async function dropOldest(id: string, name: string, length: number, drop: number, counted?: string): Promise<boolean> {
    const removed = `REMOVE ${Array.from({ length: drop }, (_, at) => `#list[${at}]`).join(', ')}`;
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: incidentKey(id),
          UpdateExpression: counted ? `${removed} SET #dropped = if_not_exists(#dropped, :zero) + :drop` : removed,
          ConditionExpression: 'size(#list) = :length',
          ExpressionAttributeNames: { '#list': name, ...(counted ? { '#dropped': counted } : {}) },
          ExpressionAttributeValues: { ':length': length, ...(counted ? { ':zero': 0, ':drop': drop } : {}) },
        }),
      );
      return true;
    } catch {
      // The write itself is done, and failing now would have its caller write (and append) again: a list left over
      // its bound (another write appended meanwhile, or DynamoDB refused) is trimmed by the next write to it.
      return false;
    }
  }

  /**
   * The incident an update returned (`item`, all of it), with its appended lists trimmed to their bounds, and its write
   * ids to {@link WRITE_IDS_KEPT} when `named` (the write added one).
   */
  async function trimmedIncident(id: string, item: Record<string, unknown>, append: AppendLists, named = false): Promise<Incident> {
    const writeIds = writeIdsOf(item);
    if (named && writeIds.length > WRITE_IDS_KEPT) await dropOldest(id, WRITE_IDS, writeIds.length, writeIds.length - WRITE_IDS_KEPT);
    const incident = fromItem(item);
    const lists = appended(append).map((name): [IncidentListName, unknown[]] => [name, (incident[name] as unknown[] | undefined) ?? []]);
    for (const [name, drop] of await trimLists(id, lists)) {
      (incident as unknown as Record<string, unknown>)[name] = (incident[name] as unknown[]).slice(drop);
      incident[DROPPED_FIELD[name]] = (incident[DROPPED_FIELD[name]] ?? 0) + drop;
    }
    return incident;
  }

  async function readItem(id: string): Promise<Record<string, unknown> | undefined> {
    return (await client.send(new GetCommand({ TableName: tableName, Key: incidentKey(id), ConsistentRead: true }))).Item;
  }

  /** Writes; when the status may not move there, writes the rest without it (see IncidentStore.update). */
  async function updateOrKeepStatus(
    id: string,
    fields: Partial<Omit<Incident, 'id' | 'createdAt'>>,
    append: AppendLists,
    returned: 'incident' | 'nothing',
    how: Omit<WriteConditions, 'expected'> = {},
  ) {
    try {
      return await conditionalUpdate(id, fields, append, returned, how);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || fields.status === undefined) throw error;
      // The status may not move there (or the incident is gone: then this write fails on existence as before).
      const { status: _kept, ...rest } = fields;
      return conditionalUpdate(id, rest, append, returned, how);
    }
  }

  return { client, tableName, clock, ttlSeconds, conditionalUpdate, trimLists, trimmedIncident, readItem, updateOrKeepStatus, aliasAfter };
}

/**
 * Only what remediate reads and writes by key ({@link OwnIncidentRecords}): its bundle then carries none of the
 * other by-key writes (create, claims, records, approvals, alarm OK marks).
 */
export function createOwnIncidentRecords(options: IncidentTableOptions): OwnIncidentRecords {
  return ownIncidentRecords(incidentItems(options));
}

function ownIncidentRecords({ client, tableName, readItem, updateOrKeepStatus, trimmedIncident, aliasAfter }: ReturnType<typeof incidentItems>): OwnIncidentRecords {
  return {
    async get(id) {
      const item = await readItem(id);
      return item ? fromItem(item) : null;
    },

    async update(id, fields, append = {}, options = {}) {
      let item: Record<string, unknown> | undefined;
      try {
        item = await updateOrKeepStatus(id, fields, append, 'incident', { writeId: options.writeId, keepFirst: options.keepFirst, owner: options.owner });
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || options.writeId === undefined) throw error;
        // Made already (its first try landed), or the incident is gone: then it fails on existence as before.
        const now = await readItem(id);
        if (!now || !writeIdsOf(now).includes(options.writeId)) throw error;
        return fromItem(now);
      }
      return aliasAfter(id, fields, fields.repositoryId ?? options.owner?.repositoryId, await trimmedIncident(id, item ?? {}, append, options.writeId !== undefined));
    },

    async latestAlarmOk(alarmArn) {
      const response = await client.send(
        new GetCommand({ TableName: tableName, Key: alarmOkKey(alarmArn), ConsistentRead: true, ProjectionExpression: '#okAt', ExpressionAttributeNames: { '#okAt': 'okAt' } }),
      );
      const at = typeof response.Item?.okAt === 'string' ? Date.parse(response.Item.okAt) : Number.NaN;
      return Number.isNaN(at) ? null : new Date(at);
    },
  };
}

/** Reads of the table's indexes (newest first, re-checked against the items), shared by every query below. */
function indexReads(options: Pick<IncidentTableOptions, 'client' | 'tableName'>) {
  const { client, tableName } = options;

  /**
   * The items behind `indexItems` (read from `index`), in the same order: the index's own items when it holds
   * whole items, else the table's, by key. Always a consistent read: the index may lag a write, so every reader
   * re-checks what it filtered on against these items, and an eventually consistent read may be older still than
   * the index (the re-check would then drop an incident that does match).
   */
  async function wholeItems(index: IndexDefinition, indexItems: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    if (index.projection === 'ALL' || indexItems.length === 0) return indexItems;
    return readItems(client, tableName, indexItems.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })), { consistentRead: true });
  }

  /**
   * The pages of a query of `index` for `value` as its partition key, newest first, requested as they are read;
   * `open` filters out resolved incidents. With `fields` (all held by the index) only those.
   */
  function indexPages(index: IndexDefinition, value: string, pageSize: number, options: { open?: boolean; fields?: readonly string[] }) {
    const { open = false, fields } = options;
    if (fields && index.projection !== 'ALL') {
      const held = new Set<string>([...index.projection, index.partitionKey, index.sortKey, 'pk', 'sk']);
      const missing = fields.filter((field) => !held.has(field));
      if (missing.length > 0) throw new IndexProjectionError(`index ${index.name} does not hold ${missing.join(', ')}`);
    }
    const projection = fields ? Object.fromEntries(fields.map((field, i) => [`#p${i}`, field])) : {};
    return paginateQuery(
      { client },
      {
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': index.partitionKey, ...(open ? { '#status': 'status' } : {}), ...projection },
        ExpressionAttributeValues: { ':value': value, ...(open ? { ':resolved': 'resolved' } : {}) },
        ...(open ? { FilterExpression: '#status <> :resolved' } : {}),
        ...(fields ? { ProjectionExpression: Object.keys(projection).join(', ') } : {}),
        ScanIndexForward: false,
        Limit: pageSize,
      },
    );
  }

  /**
   * Incidents with `value` as `index`'s partition key, newest first; `open` drops resolved ones. With `fields`
   * (all held by the index) only those, from the index alone; else whole incidents, read from the table.
   */
  async function queryIndex(
    index: IndexDefinition,
    value: string,
    limit: number,
    options: { open?: boolean; fields?: readonly string[]; except?: string } = {},
  ): Promise<Incident[]> {
    const { open = false, fields, except } = options;
    const read = await readPages(indexPages(index, value, Math.max(limit, 25), { open, fields }), { maxPages: LOOKUP_MAX_PAGES, limit });
    const exceptPk = except === undefined ? null : incidentKey(except).pk;
    const listed = exceptPk === null ? read.items : read.items.filter((item) => item.pk !== exceptPk);
    if (fields) return listed.map(fromItem);
    const items = await wholeItems(index, listed);
    // Read after the index: an incident resolved since the index was written is not open any more.
    return (open ? items.filter((item) => item.status !== 'resolved') : items).map(fromItem);
  }

  return { wholeItems, indexPages, queryIndex };
}

/**
 * An alarm's (a scope's) open incidents, without the other index queries: for remediate, which lists only those
 * (whether an earlier incident of the same unbroken episode runs its runbook), so its bundle carries no other query.
 */
export function createOpenIncidentsInScope(options: IncidentTableOptions): Pick<IncidentStore, 'listOpenInScope'> {
  const { queryIndex } = indexReads(options);
  return { listOpenInScope: (scope, limit) => queryIndex(INCIDENT_INDEXES.byScope, scope, limit, { open: true }) };
}

/** The incidents through the table's indexes: lists, search, history and a pull request's incidents. */
function createIncidentQueries(options: IncidentTableOptions): Omit<IncidentStore, keyof IncidentRecords | keyof OtherByKeyWrites> {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());

  const { wholeItems, indexPages, queryIndex } = indexReads(options);

  /**
   * History entries with where each run's code came from (a fork, or an event that may run a fork's code as this
   * repository's, or one anyone can cause), its repository and what resolved
   * it (whether a re-run's own attempt did), read from the table: the index's projection is fixed once deployed (changing it means replacing the index), and such runs must
   * not count as this repository's history (`outsiderCanRepeat`). Incidents stored before these fields were kept read
   * as the repository's own, as they did.
   */
  async function withOrigins(history: Incident[]): Promise<IncidentHistoryEntry[]> {
    const origins = await readItems(client, tableName, history.map((entry) => incidentKey(entry.id)), { consistentRead: false, fields: ['fromFork', 'runEvent', 'repository', 'repositoryId', 'runId', 'resolvedBy'] });
    const originOf = new Map(origins.map((item) => [String(item.pk), item]));
    return history.map((entry) => {
      const origin = originOf.get(incidentKey(entry.id).pk);
      // An item gone between the query and the read is of unknown origin: left out, as a fork's would be.
      return {
        ...entry,
        fromFork: origin ? origin.fromFork === true : true,
        runEvent: typeof origin?.runEvent === 'string' ? origin.runEvent : null,
        repository: typeof origin?.repository === 'string' ? origin.repository : null,
        repositoryId: typeof origin?.repositoryId === 'number' ? origin.repositoryId : null,
        runId: typeof origin?.runId === 'number' ? origin.runId : null,
        resolvedBy: typeof origin?.resolvedBy === 'string' ? origin.resolvedBy : null,
      };
    });
  }

  /**
   * One index key's share of {@link IncidentStore.listByPullRequest}: up to `limit` entries of `named`'s incidents,
   * newest first, each with its index time; `exceptPk`'s as null, unread.
   */
  async function pullRequestWindow(
    pullKey: string,
    limit: number,
    exceptPk: string | null,
    named: { full_name: string; id: number | null },
    aliases: number[] = [],
  ): Promise<Array<[string, { createdAt: string; incident: Incident | null }]>> {
    // The index holds keys only: another repository's incidents under the name are told apart on the items, page by
    // page before the window is counted, so that within the pages a lookup reads they do not push this one's out.
    const found: Array<[string, { createdAt: string; incident: Incident | null }]> = [];
    let pages = 0;
    for await (const page of indexPages(INCIDENT_INDEXES.byPullRequest, pullKey, Math.max(limit, 25), {})) {
      pages += 1;
      const listed = page.Items ?? [];
      // The name's aliases sort before its incidents: read before any of them is counted by name (see nameOnlyTrusted).
      for (const { pk } of listed) {
        const aliasId = aliasIdOf(pk);
        if (aliasId !== null && Number.isSafeInteger(aliasId)) aliases.push(aliasId);
      }
      const items = await wholeItems(INCIDENT_INDEXES.byPullRequest, listed.filter((item) => item.pk !== exceptPk && aliasIdOf(item.pk) === null));
      const read = new Map(items.map((item) => [String(item.pk), fromItem(item)]));
      // Walked in the index's order: the caller's own incident takes its place in the window where it stands (unread),
      // not ahead of the newer ones of its page, which the window would otherwise lose.
      for (const { pk, createdAt } of listed) {
        if (found.length >= limit) break;
        if (aliasIdOf(pk) !== null) continue;
        if (pk === exceptPk) {
          found.push([String(pk), { createdAt: String(createdAt), incident: null }]);
          continue;
        }
        const incident = read.get(String(pk));
        if (!incident || !sameRepository(incident, named)) continue;
        if (typeof incident.repositoryId !== 'number' && !nameOnlyTrusted(named.id, aliases)) continue;
        found.push([String(pk), { createdAt: incident.createdAt, incident }]);
      }
      if (found.length >= limit || pages >= LOOKUP_MAX_PAGES) break;
    }
    return found;
  }

  return {
    async listUnfinished({ createdAfter, updatedBefore, dueBy, limit }) {
      const results: Incident[] = [];
      const idleBefore = updatedBefore.toISOString();
      const due = dueBy.toISOString();
      // Month partitions from the oldest in the window to now.
      for (const month of monthsBack(clock(), createdAfter).reverse()) {
        if (results.length >= limit) break;
        const pages = paginateQuery(
          { client },
          {
            TableName: tableName,
            IndexName: INCIDENT_INDEXES.byMonth.name,
            KeyConditionExpression: '#month = :month AND #createdAt > :after',
            FilterExpression: 'NOT (#status IN (:notified, :resolved)) AND #updatedAt < :before',
            ExpressionAttributeNames: { '#month': 'month', '#createdAt': 'createdAt', '#status': 'status', '#updatedAt': 'updatedAt' },
            ExpressionAttributeValues: { ':month': month, ':after': createdAfter.toISOString(), ':notified': 'notified', ':resolved': 'resolved', ':before': idleBefore },
          },
        );
        let read = 0;
        for await (const page of pages) {
          read += 1;
          const listed = page.Items ?? [];
          // Whether an incident is due is on the incident only (the index's projection is fixed once deployed): its
          // items are read a batch at a time, as many as may still be due, until `limit` of them are.
          for (let from = 0; from < listed.length && results.length < limit; ) {
            const batch = listed.slice(from, from + Math.max(limit - results.length, UNFINISHED_MIN_BATCH));
            from += batch.length;
            // The index may lag: the incident as stored now must still be unfinished and idle.
            const items = (await wholeItems(INCIDENT_INDEXES.byMonth, batch)).map(fromItem);
            results.push(...items.filter((item) => item.status !== 'notified' && item.status !== 'resolved' && String(item.updatedAt ?? '') < idleBefore && isDueForReconciler(item, due)));
          }
          // Checked after the page, never before asking for the next one: the paginator sends that request on demand.
          if (results.length >= limit || read >= UNFINISHED_MAX_PAGES_PER_MONTH) break;
        }
      }
      return results.slice(0, limit);
    },

    async listRecent(limit) {
      const results: Incident[] = [];
      const now = clock();
      for (const month of monthsBack(now, monthStart(now, -RECENT_MONTHS_BACK))) {
        if (results.length >= limit) break;
        results.push(...(await queryIndex(INCIDENT_INDEXES.byMonth, month, limit - results.length)));
      }
      return results;
    },

    async search(filter, limit, after) {
      const items: Incident[] = [];
      const names: Record<string, string> = { '#month': 'month', ...(filter.since ? { '#createdAt': 'createdAt' } : {}) };
      const values: Record<string, unknown> = {};
      const conditions: string[] = [];
      const matching: Record<string, string> = {};
      const equal = (attribute: string, value: string | undefined) => {
        if (value === undefined) return;
        matching[attribute] = value;
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = value;
        conditions.push(`#${attribute} = :${attribute}`);
      };
      equal('status', filter.status);
      equal('repository', filter.repository);
      equal('category', filter.category);
      equal('source', filter.source);
      // One query per month walked: a cursor dated in the future (no item this store returned is) or a `since`
      // older than the window would walk every month in between (a forged cursor of year 9999: 96,000 queries),
      // so the walk starts no later than now and goes back at most SEARCH_MAX_MONTHS.
      const now = clock();
      const cursor = after && new Date(after.createdAt).getTime() <= now.getTime() ? after : null;
      const start = cursor ? new Date(cursor.createdAt) : now;
      const windowStart = monthStart(start, -SEARCH_MAX_MONTHS);
      const oldest = filter.since && filter.since > windowStart ? filter.since : windowStart;
      const since = filter.since ? oldest.toISOString() : undefined;
      let pagesLeft = SEARCH_MAX_PAGES;
      let examined: Record<string, unknown> | undefined;
      let startKey: Record<string, unknown> | undefined = cursor
        ? { ...incidentKey(cursor.id), month: cursor.createdAt.slice(0, 7), createdAt: cursor.createdAt }
        : undefined;
      for (const month of monthsBack(start, oldest)) {
        const read = await readPages(
          paginateQuery(
            { client, startingToken: startKey },
            {
              TableName: tableName,
              IndexName: INCIDENT_INDEXES.byMonth.name,
              KeyConditionExpression: since ? '#month = :month AND #createdAt >= :since' : '#month = :month',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ...values, ':month': month, ...(since ? { ':since': since } : {}) },
              ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
              ScanIndexForward: false,
              Limit: Math.max(limit, 25),
            },
          ),
          // Out of pages with no place to stop yet (every month so far ended with no match): one page of this month,
          // whose end is one. Otherwise the cursor could only say "no more", though older months were never read.
          { maxPages: examined ? pagesLeft : Math.max(pagesLeft, 1), limit: limit - items.length },
        );
        // The index may lag: the incident as stored now must still match (an incident gone since is left out too).
        const fresh = await wholeItems(INCIDENT_INDEXES.byMonth, read.items);
        items.push(...fresh.filter((item) => Object.entries(matching).every(([attribute, value]) => item[attribute] === value)).map(fromItem));
        examined = read.resumeAfter ?? read.items.at(-1) ?? examined;
        pagesLeft -= read.pages;
        startKey = undefined;
        // Full, or out of pages: the cursor is the index key of the last incident looked at (the end of the last
        // page when all of it was looked at), not the last one handed out: pages whose incidents all stopped
        // matching, or that the filter emptied, would otherwise end the list (no cursor) or hand the caller its
        // own cursor back.
        if (items.length >= limit || !read.ended) {
          return { items, next: examined ? { id: String(examined.pk).slice(INCIDENT_PK_PREFIX.length), createdAt: String(examined.createdAt) } : after ?? null };
        }
      }
      return { items, next: null };
    },

    listOpenInScope(scope, limit) {
      return queryIndex(INCIDENT_INDEXES.byScope, scope, limit, { open: true });
    },

    async listHistory(incident, limit) {
      const historyKey = historyKeyOf(incident);
      if (!historyKey) return [];
      // Runs an outsider can repeat are left out page by page, before the window is counted: the newest `limit`
      // incidents first and the outsiders' dropped after would let anyone who triggers enough failing runs (a
      // workflow on `issues`) push the repository's own history out of the window.
      const history: IncidentHistoryEntry[] = [];
      let pages = 0;
      for await (const page of indexPages(INCIDENT_INDEXES.byHistoryKey, historyKey, Math.max(limit, 25), { fields: HISTORY_FIELDS })) {
        pages += 1;
        const entries = await withOrigins((page.Items ?? []).map(fromItem));
        history.push(...entries.filter((entry) => !outsiderCanRepeat(entry)));
        if (history.length >= limit || pages >= HISTORY_MAX_PAGES) break;
      }
      return history.slice(0, limit);
    },

    async listByPullRequest(repository, pullRequest, limit, options = {}) {
      const keys = [...new Set([pullKeyOf(repository.name, pullRequest, repository.id), pullKeyOf(repository.name, pullRequest)])];
      if (keys[0] === null || limit <= 0) return [];
      const named = { full_name: repository.name, id: repository.id };
      const exceptPk = options.except === undefined ? null : incidentKey(options.except).pk;
      // Each key's window, newest first; the caller's own incident holds its place (null) where the index has it.
      const aliases: number[] = [];
      const windows = await Promise.all(keys.map((pullKey) => pullRequestWindow(pullKey as string, limit, exceptPk, named, aliases)));
      // Without the id, the name's key points to the repository indexed by id under it (review 65, F3): the newer
      // incidents are there. Reused, to the one that wrote its alias last (each write refreshes it): the repository
      // holding the name now, as GitHub resolves it, so a writer by name (a rewrite of a name-only incident's comment)
      // sees the comment that repository's incidents lead there (review 68: following neither, it wrote over it).
      const [aliasId] = aliases;
      if (repository.id === null && aliasId !== undefined) {
        windows.push(await pullRequestWindow(pullKeyOf(repository.name, pullRequest, aliasId) as string, limit, exceptPk, { full_name: repository.name, id: aliasId }));
      }
      const merged = new Map<string, { createdAt: string; incident: Incident | null }>();
      for (const [pk, entry] of windows.flat()) merged.set(pk, entry);
      return [...merged.values()]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit)
        .flatMap((entry) => (entry.incident ? [entry.incident] : []));
    },
  };
}
