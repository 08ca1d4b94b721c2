/**
 * Gives incidents stored before session 48 their `historyKey` (index `byHistoryKey`): the history a knowledge lookup
 * reads ("seen before", the flaky evidence) moved to that index, and an incident without the key is in no
 * repository's history. Run once after the upgrade by `guard kb migrate`.
 *
 * A scan of the incidents table, not a query: nothing indexes what lacks the key. It reads only the attributes the key
 * is made of, and writes an item only when its fingerprint is still the one read and it has no key yet, so a stage
 * writing the incident meanwhile (which sets the key itself) is never overwritten. Stopping half-way loses nothing: a
 * second run finds what the first did not reach.
 */
import { type DynamoDBDocumentClient, UpdateCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { IncidentSource } from '../domain/incident.js';
import { conditionalWrite } from './dynamo.js';
import { historyKeyOf } from './incident-store.js';

export interface HistoryBackfill {
  /** Incidents that lacked the key and now have it. */
  keyed: number;
  /** Incidents that lack it and cannot have one: neither a repository id nor an alarm (their history is none). */
  keyless: number;
  /** Items the scan read. */
  scanned: number;
}

export interface HistoryBackfillOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Called after each page the scan read, with the figures so far. */
  onPage?: (sofar: HistoryBackfill) => void;
}

export async function backfillHistoryKeys(options: HistoryBackfillOptions): Promise<HistoryBackfill> {
  const { client, tableName } = options;
  const done: HistoryBackfill = { keyed: 0, keyless: 0, scanned: 0 };
  // Every page, to the table's end: a page is asked for only once the one before is written.
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      FilterExpression: '#kind = :incident AND attribute_exists(#fingerprint) AND attribute_not_exists(#historyKey)',
      ProjectionExpression: 'pk, sk, #source, #repositoryId, #fingerprint',
      ExpressionAttributeNames: { '#kind': 'kind', '#fingerprint': 'fingerprint', '#historyKey': 'historyKey', '#source': 'source', '#repositoryId': 'repositoryId' },
      ExpressionAttributeValues: { ':incident': 'incident' },
    },
  );
  for await (const page of pages) {
    done.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      if (typeof item.fingerprint !== 'string') continue;
      const historyKey = historyKeyOf({
        source: item.source as IncidentSource,
        repositoryId: typeof item.repositoryId === 'number' ? item.repositoryId : null,
        fingerprint: item.fingerprint,
      });
      if (historyKey === null) {
        done.keyless += 1;
        continue;
      }
      if (await setHistoryKey(client, tableName, item, historyKey)) done.keyed += 1;
    }
    options.onPage?.({ ...done });
  }
  return done;
}

/** True when the key was written; false when a stage rewrote the fingerprint or set the key since the scan read the item. */
async function setHistoryKey(client: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>, historyKey: string): Promise<boolean> {
  const written = await conditionalWrite(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #historyKey = :historyKey',
        ConditionExpression: '#fingerprint = :fingerprint AND attribute_not_exists(#historyKey)',
        ExpressionAttributeNames: { '#historyKey': 'historyKey', '#fingerprint': 'fingerprint' },
        ExpressionAttributeValues: { ':historyKey': historyKey, ':fingerprint': item.fingerprint },
      }),
    ),
  );
  return written !== null;
}
