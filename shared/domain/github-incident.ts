import type { Incident } from './incident.js';
import { type GithubTrigger, githubScope } from './trigger.js';

/** The incident fields a GitHub trigger determines on its own, before any log is read. */
export function githubIncidentFields(trigger: GithubTrigger): Pick<Incident, 'id' | 'source'> & Partial<Incident> {
  return {
    id: trigger.incidentId,
    source: 'github',
    repository: trigger.repository.fullName,
    repositoryId: trigger.repository.id,
    branch: trigger.workflowRun.headBranch,
    headSha: trigger.workflowRun.headSha,
    workflowName: trigger.workflowRun.name,
    workflowId: trigger.workflowRun.workflowId,
    runId: trigger.workflowRun.id,
    runAttempt: trigger.workflowRun.attempt,
    runUrl: trigger.workflowRun.htmlUrl,
    pullRequest: trigger.pullRequests[0] ?? null,
    installationId: trigger.installationId,
    ...(trigger.workflowRun.updatedAt && !Number.isNaN(Date.parse(trigger.workflowRun.updatedAt))
      ? { failedAt: new Date(trigger.workflowRun.updatedAt).toISOString() }
      : {}),
  };
}

export function githubIncidentScope(trigger: GithubTrigger): string {
  return githubScope(trigger.repository.fullName, trigger.workflowRun.headBranch, trigger.workflowRun.workflowId);
}
