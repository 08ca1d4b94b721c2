import { type Incident, outsiderCanRepeat } from '../domain/incident.js';
import type { RerunKey } from '../ports.js';

/**
 * The (workflow, head SHA) automatic re-runs are counted for, apart for runs an outsider can repeat (an issue opened
 * after each push would otherwise spend the push's re-run of that commit); null when the incident is not an Actions run.
 */
export function rerunKeyOf(incident: Incident): RerunKey | null {
  if (incident.checkRun || !incident.repositoryId || !incident.workflowId || !incident.headSha || !incident.runId) return null;
  return { repositoryId: incident.repositoryId, workflowId: incident.workflowId, headSha: incident.headSha, ...(outsiderCanRepeat(incident) ? { outsiders: true as const } : {}) };
}
