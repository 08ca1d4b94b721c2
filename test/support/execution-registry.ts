/**
 * An in-memory registry of the local Step Functions' executions (what `startLocalWorkflow` keeps in DynamoDB), for the
 * tests that run the local workflow without a table: claims by name, finishes, and the approval waits' start and end.
 */
import type { ExecutionRecord, StoredDecision } from '../../infra/local/local-workflow.js';

export function memoryRegistry() {
  const records = new Map<string, ExecutionRecord>();
  return {
    async claim(record: ExecutionRecord) { if (records.has(record.name)) return false; records.set(record.name, record); return true; },
    async finish(name: string, status: ExecutionRecord['status'], error: string | null) { const r = records.get(name); if (r) records.set(name, { ...r, status, error, carriedDecision: undefined }); },
    async get(name: string) { return records.get(name) ?? null; },
    async running() { return [...records.values()].filter((r) => r.status === 'RUNNING'); },
    async startWait(name: string, at: string) { const r = records.get(name); if (r && !r.waitStartedAt) records.set(name, { ...r, waitStartedAt: at }); return records.get(name)?.waitStartedAt ?? at; },
    async endWait(name: string, nextToken?: string) { const r = records.get(name); if (r) records.set(name, { ...r, waitStartedAt: undefined, ...(nextToken ? { taskToken: nextToken } : { carriedDecision: undefined }) }); },
    async keepDecision(name: string, decision: StoredDecision) { const r = records.get(name); if (r) records.set(name, { ...r, carriedDecision: decision }); },
  };
}
