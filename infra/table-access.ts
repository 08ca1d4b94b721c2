/**
 * Which DynamoDB actions each function's role is granted on each table: one table for the CDK stack, which grants
 * exactly this (`GuardFunction.useTables`), and for the local runtime, which refuses any other call a function makes
 * as DynamoDB would refuse it (infra/local/function-grants.ts). Without the second, a store method that deletes or
 * scans where its function's role may not passed every local test and failed only in AWS, with AccessDenied (session
 * 47: a green run's recovery, a comment slot's release, the gate's baseline trim and the end of a /guard approval's or
 * vote's bookkeeping did so). No AWS library here: the local runtime loads it.
 */
import type { TableDefinition } from '../shared/stores/tables.js';

export type TableAccess = 'read' | 'readWrite' | 'readWriteDelete';

export type TableName = TableDefinition['logicalName'];

export type FunctionName =
  | 'ingest-github'
  | 'classify'
  | 'knowledge-lookup'
  | 'analyze'
  | 'remediate'
  | 'notify'
  | 'record-outcome'
  | 'evaluate-gate'
  | 'reconcile'
  | 'ingest-alarm'
  | 'read-api';

const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
const WRITE = [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/** The item-level actions of each access, on the table itself; no Scan, no batch writes, no transactions. */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: READ,
  readWrite: WRITE,
  readWriteDelete: [...WRITE, 'dynamodb:DeleteItem'],
};

/** What every access may do on the table's indexes (granted on their ARNs one by one). */
export const INDEX_ACTIONS: readonly string[] = ['dynamodb:Query'];

/**
 * The access matrix: a table not named is not granted at all. A delete is granted only where a function's own
 * store deletes; each is named below.
 */
export const FUNCTION_TABLE_ACCESS: Record<FunctionName, Partial<Record<TableName, TableAccess>>> = {
  // A /guard decision or vote deletes its due entry once done (APPROVALRESUME#, VOTECHANGE#: the reconciler's lists of
  // what a crash left unfinished).
  'ingest-github': { incidents: 'readWriteDelete', baselines: 'readWrite', experiments: 'readWrite' },
  classify: { incidents: 'readWrite', baselines: 'readWrite' },
  // Experiment assignment counts attempts (ADD) and the repository metrics count incidents.
  'knowledge-lookup': { incidents: 'readWrite', baselines: 'readWrite', experiments: 'readWrite' },
  // An analysed incident in an experiment charges its arm's cost counters.
  analyze: { incidents: 'readWrite', experiments: 'readWrite' },
  // The guard store deletes a rate-limit claim it could not complete.
  remediate: { incidents: 'readWriteDelete' },
  notify: { incidents: 'readWrite' },
  // A recovery's targets entry goes once the incidents it names are resolved (shared/stores/recovery-targets.ts); a
  // recovery or a /guard feedback comment updates knowledge, experiment and repository counters.
  'record-outcome': { incidents: 'readWriteDelete', baselines: 'readWrite', experiments: 'readWrite' },
  // Accepting a default-branch run drops the runs beyond the kept ones (shared/baselines/store.ts).
  'evaluate-gate': { baselines: 'readWriteDelete' },
  // The due entry of a digest sent (or with nothing left to report); the late reads of reactions record votes: the
  // experiment's units and the false-positive metric.
  reconcile: { incidents: 'readWriteDelete', baselines: 'readWrite', experiments: 'readWrite' },
  'ingest-alarm': { incidents: 'readWrite' },
  'read-api': { incidents: 'read', baselines: 'read', experiments: 'read' },
};

/** Whether `access` (none: not granted) lets a role send `operation` (`GetItem`, `DeleteItem`, …) to a table, or to one of its indexes. */
export function accessAllows(access: TableAccess | undefined, operation: string, onIndex = false): boolean {
  if (access === undefined) return false;
  return (onIndex ? INDEX_ACTIONS : TABLE_ACTIONS[access]).includes(`dynamodb:${operation}`);
}
