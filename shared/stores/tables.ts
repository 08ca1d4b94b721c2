/**
 * Table layouts shared by the CDK stack and the embedded local runtime, so the two cannot drift.
 * Every table has a string `pk`/`sk` key and a numeric TTL attribute `expiresAt` (epoch seconds).
 */
import { HISTORY_FIELDS } from '../domain/incident.js';

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /**
   * What the index holds besides the keys (its own and the table's): `'ALL'` for whole items, else the named
   * attributes (none: keys only). DynamoDB writes an index again whenever a projected attribute changes, so an
   * index of whole incidents is rewritten by every stage's update; a reader that needs whole items from a narrower
   * index reads them from the table by key (`IncidentStore`).
   */
  projection: 'ALL' | readonly string[];
}

/** An index's projection as CloudFormation and CreateTable spell it (attributes only for INCLUDE). */
export function projectionOf(index: IndexDefinition): { type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; nonKeyAttributes?: string[] } {
  if (index.projection === 'ALL') return { type: 'ALL' };
  if (index.projection.length === 0) return { type: 'KEYS_ONLY' };
  return { type: 'INCLUDE', nonKeyAttributes: [...index.projection] };
}

export interface TableDefinition {
  /** Logical name; also the config key suffix (`INCIDENTS_TABLE`, …). */
  logicalName: 'incidents' | 'baselines' | 'experiments';
  partitionKey: 'pk';
  sortKey: 'sk';
  ttlAttribute: 'expiresAt';
  indexes: IndexDefinition[];
}

/**
 * The incident table's indexes. An incident item is about 10 KB and every stage updates it (about ten writes per
 * incident): only the knowledge base's own entries are projected whole. The others carry what their queries filter
 * or summarise on; the incidents themselves are then read from the table, which also gives the current item where
 * the index may lag.
 */
export const INCIDENT_INDEXES = {
  /** Open incidents of one repository+branch or one alarm, newest first: recovery tracking. */
  byScope: { name: 'byScope', partitionKey: 'scope', sortKey: 'createdAt', projection: ['status'] },
  /**
   * Read by nothing since session 48 (`byHistoryKey` replaced it): kept declared for one release only because
   * CloudFormation creates or deletes one index per table update, and the upgrade to this release creates
   * `byHistoryKey`. The next release removes it (README, upgrade notes).
   */
  byFingerprint: {
    name: 'byFingerprint',
    partitionKey: 'fingerprint',
    sortKey: 'createdAt',
    projection: HISTORY_FIELDS.filter((field) => field !== 'fingerprint' && field !== 'createdAt'),
  },
  /**
   * Earlier incidents of one failure fingerprint in one knowledge scope (`<scope>#<fingerprint>`, scope as
   * shared/knowledge/scope.ts has it: one repository's, or the alarms'): the knowledge lookup's history, which reads
   * only these fields. Partitioned per scope, so another repository's incidents are never read for this one's, and
   * cannot crowd its own out of the pages a lookup reads (attacker's pass 50, L2).
   */
  byHistoryKey: {
    name: 'byHistoryKey',
    partitionKey: 'historyKey',
    sortKey: 'createdAt',
    projection: HISTORY_FIELDS.filter((field) => field !== 'createdAt'),
  },
  /**
   * All incidents newest first (partitioned by month so no partition grows without bound), with the attributes the
   * unfinished-incident sweep and the read API's search filter on.
   */
  byMonth: { name: 'byMonth', partitionKey: 'month', sortKey: 'createdAt', projection: ['status', 'updatedAt', 'repository', 'category', 'source'] },
  /** Incidents of one pull request (`owner/repo#number`), newest first: one PR comment covers them all. */
  byPullRequest: { name: 'byPullRequest', partitionKey: 'pullKey', sortKey: 'createdAt', projection: [] },
  /**
   * Knowledge-base entries (items `KB#<fingerprint>`) of one category, most recently seen first: the bounded
   * candidate set of a similarity lookup. Partitioned per scope (`<category>` for the shared entries,
   * `<category>#<scope>` for what one repository or the alarms learned: shared/knowledge/store.ts). Own attribute
   * names, so entries never show up as incidents.
   */
  byKnowledgeCategory: { name: 'byKnowledgeCategory', partitionKey: 'kbCategory', sortKey: 'kbLastSeen', projection: 'ALL' },
} as const satisfies Record<string, IndexDefinition>;

export const TABLES: readonly TableDefinition[] = [
  {
    logicalName: 'incidents',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    // Marked pure so that the Lambda bundles, which import this module for its index names, leave these definitions out.
    indexes: /* @__PURE__ */ Object.values(INCIDENT_INDEXES),
  },
  { logicalName: 'baselines', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt', indexes: [] },
  { logicalName: 'experiments', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt', indexes: [] },
];
