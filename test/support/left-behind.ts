/**
 * What a runtime killed mid-way leaves in its data directory, written into the embedded tables the way the runtime
 * writes them (the incident with its trigger, the execution registry's record, the queued recoveries, the outbox), so
 * that a runtime started on the directory finds it as after a crash. For the crash tests and the chaos crash points.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedDynamo } from '../../infra/local/embedded-dynamo.js';
import type { ExecutionRecord } from '../../infra/local/local-workflow.js';
import { incidentFromTrigger } from '../../shared/domain/incident-from-trigger.js';
import type { Trigger } from '../../shared/domain/trigger.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { RECOVERY_QUEUE, createStoreWorkQueue } from '../../shared/stores/work-queue.js';

/** The local runtime's table names, as it names them when no setting says otherwise. */
const TABLE_NAMES = { incidents: 'incidents', baselines: 'baselines', experiments: 'experiments' };
const EXECUTION_ARN_PREFIX = 'arn:aws:states:us-east-1:000000000000:execution:incident-pipeline';

export interface LeftBehindIncident {
  trigger: Trigger;
  /** When the incident was written: the reconciler looks only at incidents untouched for RECONCILE_AFTER_MINUTES. */
  at: Date;
  /**
   * The record of its execution (named after the incident, with the trigger as input), as the killed runtime left it;
   * null when none was started (killed before the start, or a start ingest left to the reconciler).
   */
  execution: { status: ExecutionRecord['status']; stoppedAt?: string; error?: string } | null;
}

export interface LeftBehind {
  incidents?: LeftBehindIncident[];
  /** Green runs queued for the outcome recorder and not yet delivered. */
  queued?: Array<{ id: string; body: string }>;
  /** What the killed runtime had written to its outbox. */
  outbox?: Array<Record<string, unknown>>;
}

/** Writes `left` into `dataDir` (which no runtime is using), as a runtime killed with it left it. */
export async function writeLeftBehind(dataDir: string, left: LeftBehind): Promise<void> {
  const { incidents = [], queued = [], outbox = [] } = left;
  if (outbox.length > 0) await writeFile(join(dataDir, 'outbox.jsonl'), outbox.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  const dynamo = await startEmbeddedDynamo({ path: join(dataDir, 'dynamodb'), tableNames: TABLE_NAMES, region: 'us-east-1' });
  const client = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  try {
    for (const { trigger, at, execution } of incidents) {
      const { incident, scope } = incidentFromTrigger(trigger, at);
      await createIncidentStore({ client, tableName: TABLE_NAMES.incidents, ttlDays: 30, clock: () => at }).create(incident, scope, trigger);
      if (!execution) continue;
      const record: ExecutionRecord = {
        name: trigger.incidentId,
        executionArn: `${EXECUTION_ARN_PREFIX}:${trigger.incidentId}`,
        status: execution.status,
        startedAt: at.toISOString(),
        stoppedAt: execution.stoppedAt ?? null,
        error: execution.error ?? null,
        input: JSON.stringify({ trigger }),
      };
      await client.send(new PutCommand({ TableName: TABLE_NAMES.incidents, Item: { pk: `EXECUTION#${trigger.incidentId}`, sk: 'EXECUTION', ...record } }));
    }
    const queue = createStoreWorkQueue({ client, tableName: TABLE_NAMES.incidents, name: RECOVERY_QUEUE });
    for (const message of queued) await queue.enqueue(message.id, message.body);
  } finally {
    client.destroy();
    await dynamo.close();
  }
}
