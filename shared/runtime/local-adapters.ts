import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emfFileWriter } from '../adapters/metrics.js';
import { createOutbox } from '../adapters/outbox.js';
import { createRecordedGitHub } from '../github/recorded.js';
import type { RecoveryQueue } from '../ports.js';
import { createOutboxRunbookRunner } from '../remediation/runbook-runner.js';
import { RECOVERY_QUEUE, createStoreWorkQueue, storeRecoveryQueue } from '../stores/work-queue.js';

/**
 * The local runtime's stand-ins for outside systems, which the composition root (`deps.ts`) wires wherever the
 * configuration names one (OUTBOX_PATH, RECORDED_RUNS_FILE, METRICS_EMF_PATH). The local runtime hands them over
 * with `useLocalAdapters`; nothing on a Lambda's import path imports this module, so no AWS bundle carries them
 * (test/infra/bundling.test.ts checks that).
 */
export interface LocalAdapters {
  /** The outbox file: SNS's stand-in, and where the runbook runner and the recorded GitHub write. */
  outbox: typeof createOutbox;
  /** GitHub without credentials: recorded runs' logs, comments in the embedded store, writes to the outbox. */
  recordedGitHub: typeof createRecordedGitHub;
  /** Recovery work into the embedded store's queue, which the local runtime's consumer drains. */
  recoveryQueue(client: DynamoDBDocumentClient, tableName: string): RecoveryQueue;
  /** Runbooks recorded in the outbox instead of started in SSM. */
  runbookRunner: typeof createOutboxRunbookRunner;
  /** EMF records appended to the file `GET /metrics/prometheus` reads, instead of stdout. */
  emfFileWriter: typeof emfFileWriter;
  /** Holds a Step Functions client of the embedded state machine (SFN_ENDPOINT) to the calling function's grants. */
  holdStepFunctions?: (client: SFNClient) => void;
}

export const LOCAL_ADAPTERS: LocalAdapters = {
  outbox: createOutbox,
  recordedGitHub: createRecordedGitHub,
  recoveryQueue: (client, tableName) => storeRecoveryQueue(createStoreWorkQueue({ client, tableName, name: RECOVERY_QUEUE })),
  runbookRunner: createOutboxRunbookRunner,
  emfFileWriter,
};
