/**
 * Table layouts shared by the CDK stack and the embedded local runtime, so the two cannot drift.
 * Every table has a string `pk`/`sk` key and a numeric TTL attribute `expiresAt` (epoch seconds).
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableDefinition {
  /** Logical name; also the config key suffix (`INCIDENTS_TABLE`, …). */
  logicalName: 'incidents' | 'baselines' | 'experiments';
  partitionKey: 'pk';
  sortKey: 'sk';
  ttlAttribute: 'expiresAt';
  indexes: IndexDefinition[];
}

export const INCIDENT_INDEXES = {
  /** Open incidents of one repository+branch or one alarm, newest first: recovery tracking. */
  byScope: { name: 'byScope', partitionKey: 'scope', sortKey: 'createdAt' },
  /** Earlier incidents with the same failure fingerprint: knowledge lookup. */
  byFingerprint: { name: 'byFingerprint', partitionKey: 'fingerprint', sortKey: 'createdAt' },
  /** All incidents newest first (partitioned by month so no partition grows without bound). */
  byMonth: { name: 'byMonth', partitionKey: 'month', sortKey: 'createdAt' },
  /** Incidents of one pull request (`owner/repo#number`), newest first: one PR comment covers them all. */
  byPullRequest: { name: 'byPullRequest', partitionKey: 'pullKey', sortKey: 'createdAt' },
  /**
   * Knowledge-base entries (items `KB#<fingerprint>`) of one category, most recently seen first: the bounded
   * candidate set of a similarity lookup. Own attribute names, so entries never show up as incidents.
   */
  byKnowledgeCategory: { name: 'byKnowledgeCategory', partitionKey: 'kbCategory', sortKey: 'kbLastSeen' },
} as const satisfies Record<string, IndexDefinition>;

export const TABLES: readonly TableDefinition[] = [
  {
    logicalName: 'incidents',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: Object.values(INCIDENT_INDEXES),
  },
  { logicalName: 'baselines', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt', indexes: [] },
  { logicalName: 'experiments', partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt', indexes: [] },
];
