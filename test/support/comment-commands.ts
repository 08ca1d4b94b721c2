import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { createPermissionCache } from '../../shared/github/permission-cache.js';
import type { CommentCommandDeps } from '../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import type { Learning } from '../../shared/knowledge/learning.js';
import type { GitHubPort, TaskTokenControl } from '../../shared/ports.js';
import { resumeRecordedDecisions } from '../../shared/reconcile/approval-resumes.js';
import { silentLogger } from '../../shared/steps/deps.js';
import type { CommandAnswers } from '../../shared/stores/command-answers.js';
import type { IncidentStore } from '../../shared/stores/incident-store.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createMemoryApprovalIndex, createMemoryApprovalResumes, createMemoryCommandAnswers, createMemoryEscalationLedger, taskPort } from './fakes.js';
import { createMemoryStore } from './memory-store.js';

/** The sample failure's incident (events/github/workflow_run-failure.json) and its pull request. */
export const PENDING_INCIDENT = 'gh-714523861-11862439017-1';
export const PENDING_PULL_REQUEST = 1287;
/** The repository as notify indexes its proposals: by name and GitHub's id. */
export const INDEXED_REPOSITORY = { name: 'acme-shop/checkout-service', id: 714523861 };

/**
 * The sample failure's incident with a re-run proposal waiting for approval (indexed with `alsoPending`), and the
 * dependencies of the `/guard` command handler around it. `deps()` makes them anew each call, with `answers()`: each
 * delivery may be its own Lambda. The task control records what it was asked, or throws `taskError`.
 */
export async function pendingApproval(options: {
  secret: string;
  github: GitHubPort;
  answers: () => CommandAnswers;
  taskError?: Error;
  fields?: Partial<Incident>;
  alsoPending?: string[];
  /** The store to record the incident in (the embedded DynamoDB's, in an integration test); a memory store otherwise. */
  incidents?: IncidentStore;
}) {
  const incidents = options.incidents ?? createMemoryStore();
  const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
  await incidents.create(
    newIncident({
      ...githubIncidentFields(trigger, new Date('2026-11-20T10:00:00Z')),
      plan: { action: 'rerun_failed_jobs', proposed: 'rerun_failed_jobs', reasons: ['policy'], requiresApproval: true, dryRun: false, experiment: null, plannedAt: '2026-11-20T10:00:00Z' },
      approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null },
      ...options.fields,
    }, new Date('2026-11-20T10:00:00Z')),
    githubIncidentScope(trigger),
  );
  const approvals = createMemoryApprovalIndex();
  for (const id of [PENDING_INCIDENT, ...(options.alsoPending ?? [])]) await approvals.add(INDEXED_REPOSITORY, PENDING_PULL_REQUEST, id);
  const approvalResumes = createMemoryApprovalResumes();
  const tasks: Array<[string, ...unknown[]]> = [];
  const deps = (): CommentCommandDeps => ({
    webhooks: new Webhooks({ secret: options.secret }),
    maxBodyBytes: 1_048_576,
    incidents,
    github: staticGitHubClients(options.github),
    clock: () => new Date('2026-11-20T10:05:00Z'),
    logger: silentLogger,
    learning: {} as Learning,
    approvals,
    approvalResumes,
    answers: options.answers(),
    permissions: createPermissionCache(),
    tasks: {
      async succeed(token, output) {
        if (options.taskError) throw options.taskError;
        tasks.push(['succeed', token, output]);
      },
      async fail(token, error, cause) {
        if (options.taskError) throw options.taskError;
        tasks.push(['fail', token, error, cause]);
      },
    },
  });
  return { incidents, approvals, approvalResumes, tasks, deps };
}

/**
 * A comment by `login` (a member) on the pending proposal's pull request, as comment `commentId`, as API Gateway hands
 * the delivery to ingest: signed with `secret` over its raw body.
 */
export function signedCommentDelivery(options: { secret: string; login: string; body: string; commentId: number }) {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: PENDING_PULL_REQUEST, pull_request: { url: 'x' } },
    comment: { id: options.commentId, body: options.body, user: { login: options.login, type: 'User' }, created_at: '2026-11-20T10:04:00Z', author_association: 'MEMBER' },
    repository: { id: INDEXED_REPOSITORY.id, full_name: INDEXED_REPOSITORY.name, name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', options.secret).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

/** {@link pendingApproval} with `maintainer` holding write access on a fake GitHub, its command answers in memory. */
export async function proposalAwaitingMaintainer(secret: string) {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  const made = await pendingApproval({ secret, github: github.port, answers: createMemoryCommandAnswers });
  return { deps: made.deps(), tasks: made.tasks, incidents: made.incidents };
}

/**
 * A reconciler run at `at` over {@link pendingApproval}'s decisions (5 per run, a 5-minute grace), editing replies on
 * `github` with the answers `answersAt(at)` (each run its own Lambda); `tasks` answers its resumes. It pages nobody
 * (no decision here is given up).
 */
export function reconcilerOver(made: Awaited<ReturnType<typeof pendingApproval>>, github: GitHubPort, answersAt: (at: string) => CommandAnswers) {
  return (at: string, tasks: TaskTokenControl = taskPort()) => resumeRecordedDecisions({
    approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks, clock: () => new Date(at), logger: silentLogger,
    metrics: { count: () => undefined, gauge: () => undefined } as never, escalations: { publish: async () => ({ messageId: 'page' }) }, escalationLedger: createMemoryEscalationLedger(),
    policyFile: { defaults: {}, repositories: {} }, githubWriter: async () => staticGitHubClients(github), answers: answersAt(at),
  }, { maxPerRun: 5, afterMinutes: 5, lookbackHours: 48 });
}
