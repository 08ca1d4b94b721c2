/**
 * Incidents whose approval is recorded `pending` without a task token: approval waits that failed before session 65
 * (their request failed on every try, and the version then left them pending). Nothing indexes an incident by its
 * approval, so they are found by a scan of the incidents table, read page by page; only the keys are read, and the
 * sweep reads each incident again before it writes (shared/notify/failed-wait-sweep.ts). A scan is an operator's
 * one-off (`guard incidents sweep-waits`, with the operator's credentials): no function's role is granted Scan
 * (infra/table-access.ts).
 */
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';

const INCIDENT_PK_PREFIX = 'INCIDENT#';

/** One page of the scan: the incident ids it found, and the items it read (for the operator's progress line). */
export interface TokenlessWaitPage {
  incidentIds: string[];
  scanned: number;
}

/** Every page of the table's tokenless pending approvals, in the scan's order; the next page is read once the caller is done with this one. */
export async function* tokenlessPendingWaits(options: { client: DynamoDBDocumentClient; tableName: string; pageSize?: number }): AsyncGenerator<TokenlessWaitPage> {
  const pages = paginateScan(
    { client: options.client, pageSize: options.pageSize ?? 500 },
    {
      TableName: options.tableName,
      // Stored as DynamoDB's NULL, or left out by an older writer.
      FilterExpression: '#kind = :incident AND #ap.#status = :pending AND (attribute_not_exists(#ap.#token) OR attribute_type(#ap.#token, :null))',
      ProjectionExpression: 'pk',
      ExpressionAttributeNames: { '#kind': 'kind', '#ap': 'approval', '#status': 'status', '#token': 'taskToken' },
      ExpressionAttributeValues: { ':incident': 'incident', ':pending': 'pending', ':null': 'NULL' },
    },
  );
  for await (const page of pages) {
    const incidentIds = (page.Items ?? []).map((item) => String(item.pk)).filter((pk) => pk.startsWith(INCIDENT_PK_PREFIX)).map((pk) => pk.slice(INCIDENT_PK_PREFIX.length));
    yield { incidentIds, scanned: page.ScannedCount ?? 0 };
  }
}
