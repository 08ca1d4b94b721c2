import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CountMark, countOnce, markClauses } from '../stores/count-marks.js';
import { conditionalWrite, updateExpression } from '../stores/dynamo.js';
import { MAX_TEST_NAME, type MetricCounter, baselineKeys, metricAdds } from './store.js';

/**
 * The learning loop's counts on the baselines table, each once per mark (shared/stores/count-marks.ts): an outcome
 * applied again after a crash or a transient failure counts what it had not, and nothing twice. Apart from the store
 * so that classify, which records a failure's test results with the store, carries none of it (its bundle is held to
 * the Lambda bound).
 */
export interface OutcomeCounts {
  /** Adds to the repository's counters (BaselineStore.addMetrics), once per mark. */
  addMetrics(repository: string, deltas: Partial<Record<MetricCounter, number>>, mark: CountMark): Promise<void>;
  /**
   * Records that `tests` passed on commit `sha` (BaselineStore.recordTestResults), once per mark: a test that failed
   * there too becomes flaky on its roll-up once per commit, counted again by the same outcome when it died between the
   * commit's flag and the roll-up.
   */
  recordPasses(repository: string, sha: string, tests: readonly string[], at: Date, mark: CountMark): Promise<void>;
}

export function createOutcomeCounts(options: { client: DynamoDBDocumentClient; tableName: string }): OutcomeCounts {
  const { client, tableName } = options;
  return {
    async addMetrics(repository, deltas, mark) {
      const metrics = metricAdds(deltas);
      if (!metrics) return;
      const marked = markClauses(mark);
      await countOnce(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: baselineKeys.metrics(repository),
            UpdateExpression: updateExpression({ add: [...metrics.adds, marked.add], set: ['repository = :repository'], remove: [marked.remove] }),
            ConditionExpression: marked.condition,
            ExpressionAttributeNames: { ...metrics.names, ...marked.names },
            ExpressionAttributeValues: { ...metrics.values, ...marked.values, ':repository': repository },
          }),
        ),
      );
    },

    async recordPasses(repository, sha, tests, at, mark) {
      for (const test of tests) {
        const name = test.slice(0, MAX_TEST_NAME);
        const key = baselineKeys.test(repository, sha, name);
        const marked = markClauses(mark);
        const counted = await conditionalWrite(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression: updateExpression({ add: ['passes :one', marked.add], remove: [marked.remove] }),
              ConditionExpression: marked.condition,
              ExpressionAttributeNames: marked.names,
              ExpressionAttributeValues: { ':one': 1, ...marked.values },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        // Counted by an earlier delivery of the outcome, which may have died before the roll-up: read as it is.
        const item = counted ? (counted.Attributes ?? {}) : ((await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item ?? {});
        if (!(Number(item.passes ?? 0) > 0 && Number(item.fails ?? 0) > 0)) continue;
        // Each (commit, test) is counted once, by the report that flags it first; this outcome counts it again only
        // when it took the flag itself (`flaggedBy`), and the roll-up's own mark refuses it if it was counted.
        const flagged = typeof item.flaggedAt === 'string' ? item.flaggedAt : null;
        if (flagged && !(counted === null && item.flaggedBy === mark.id)) continue;
        const flaggedAt = flagged ?? at.toISOString();
        const took =
          flagged !== null ||
          (await conditionalWrite(() =>
            client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: key,
                UpdateExpression: 'SET flaggedAt = :at, flaggedBy = :by',
                ConditionExpression: 'attribute_not_exists(flaggedAt)',
                ExpressionAttributeValues: { ':at': flaggedAt, ':by': mark.id },
              }),
            ),
          )) !== null;
        if (!took) continue;
        const rollUp = markClauses({ id: `flagged#${sha}`, claimedAt: new Date(flaggedAt) });
        await countOnce(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: baselineKeys.flaky(repository, name),
              UpdateExpression: updateExpression({ add: ['flakes :one', rollUp.add], set: ['lastSha = :sha', 'lastAt = :at', 'test = :test'], remove: [rollUp.remove] }),
              ConditionExpression: rollUp.condition,
              ExpressionAttributeNames: rollUp.names,
              ExpressionAttributeValues: { ':one': 1, ':sha': sha, ':at': flaggedAt, ':test': name, ...rollUp.values },
            }),
          ),
        );
      }
    },
  };
}
