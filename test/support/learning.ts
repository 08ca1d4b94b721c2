import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLearning } from '../../shared/knowledge/learning.js';
import { ENTRY_LOOKUP } from '../../shared/knowledge/lookup.js';
import { silentLogger } from '../../shared/steps/deps.js';
import type { HistoryBackfillRun } from '../../shared/cli/commands/kb.js';
import { backfillHistoryKeys } from '../../shared/stores/history-backfill.js';

/** The learning loop on a scratch store's tables (`incidents`, `experiments`, `baselines`), as the knowledge stage builds it. */
export function learningOn(client: DynamoDBDocumentClient, clock: () => Date = () => new Date()) {
  return createLearning({ client, tables: { incidents: 'incidents', experiments: 'experiments', baselines: 'baselines' }, clock, logger: silentLogger, entryLookup: ENTRY_LOOKUP, ttlDays: 400, learnedRetentionDays: 180 });
}

/** `guard kb migrate`'s history backfill on a scratch store's incidents table. */
export function historyBackfillOn(client: DynamoDBDocumentClient): HistoryBackfillRun {
  return (onPage) => backfillHistoryKeys({ client, tableName: 'incidents', onPage });
}

/** A `recovered_within` experiment (10 hours) over `network` failures: two re-run arms, short and full comments. */
export function networkRerunExperiment(id: string) {
  return {
    id,
    categories: ['network'],
    variants: [
      { name: 'short', action: 'rerun_failed_jobs', weight: 1, params: { commentDetail: 'short' } },
      { name: 'full', action: 'rerun_failed_jobs', weight: 1 },
    ],
    metric: { kind: 'recovered_within', minutes: 600 },
    minSamplePerVariant: 5,
  };
}
