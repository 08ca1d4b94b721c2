import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CountMark, countOnce, markClauses } from '../stores/count-marks.js';
import { updateExpression } from '../stores/dynamo.js';
import { type MetricCounter, baselineKeys, metricAdds } from './store.js';

/**
 * The learning loop's counts on a repository's metrics, each once per mark (shared/stores/count-marks.ts): an outcome
 * applied again after a crash or a transient failure counts what it had not, and nothing twice. Apart from the store
 * so that classify, which records a failure's test results with the store, carries none of it (its bundle is held to
 * the Lambda bound). Test results take their marks in the store (BaselineStore.recordTestResults).
 */
export interface OutcomeCounts {
  /** Adds to the repository's counters (BaselineStore.addMetrics), once per mark. */
  addMetrics(repository: string, deltas: Partial<Record<MetricCounter, number>>, mark: CountMark): Promise<void>;
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
  };
}
