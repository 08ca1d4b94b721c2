import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelRequestLedger } from '../ports.js';
import { conditionalWrite } from './dynamo.js';
import { incidentKey } from './incident-store.js';

/**
 * The incident's model requests, counted on its item (`modelRequests`) with one conditional `ADD` each: concurrent
 * attempts (a retry beside a timed-out one still running) cannot both take the last one.
 */
export function createDynamoModelRequestLedger(options: { client: DynamoDBDocumentClient; tableName: string }): ModelRequestLedger {
  const { client, tableName } = options;
  return {
    async take(incidentId, max) {
      const response = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: incidentKey(incidentId),
            UpdateExpression: 'ADD modelRequests :one',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(modelRequests) OR modelRequests < :max)',
            ExpressionAttributeValues: { ':one': 1, ':max': max },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      if (response) return { granted: true, used: Number(response.Attributes?.modelRequests ?? 1) };
      const item = await client.send(new GetCommand({ TableName: tableName, Key: incidentKey(incidentId), ConsistentRead: true, ProjectionExpression: 'modelRequests' }));
      return { granted: false, used: Number(item.Item?.modelRequests ?? 0) };
    },
  };
}
