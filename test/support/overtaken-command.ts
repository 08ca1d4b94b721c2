import { staticGitHubClients } from '../../shared/github/clients.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { resumeRecordedDecisions } from '../../shared/reconcile/approval-resumes.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps, taskPort } from './fakes.js';
import { pendingApproval, signedCommentDelivery } from './comment-commands.js';

/** How the approval wait ended, as Step Functions hands it to Notify's Catch. */
export interface WaitEnd {
  Error: string;
  Cause: string;
}

/**
 * A maintainer's `/guard <command>` (comment `commentId`) recorded while the wait's Notify read the incident — its
 * resume failed (Step Functions answered 5xx), so its reply says "recorded, not carried out yet" — then Notify records
 * how the wait ended over it. Returns the reconciler at a given time and the command's replies, for the tests of the
 * reply the reconciler edits once it drops the overtaken decision.
 */
export async function overtakenCommand(options: { secret: string; command: string; commentId: number; waitEnd: WaitEnd }) {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  const answers = createMemoryCommandAnswers();
  const made = await pendingApproval({ secret: options.secret, github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
  const { deps } = stepDeps({ github: github.port, incidents: made.incidents, approvalResumes: made.approvalResumes, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
  const read = made.incidents.get.bind(made.incidents);
  let commanded = false;
  deps.incidents = {
    ...made.incidents,
    async get(id) {
      const incident = await read(id);
      if (!commanded) {
        commanded = true;
        await handleIssueCommentWebhook(signedCommentDelivery({ secret: options.secret, login: 'maintainer', body: options.command, commentId: options.commentId }), made.deps()).catch(() => undefined);
      }
      return incident;
    },
  };
  const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
  await notifyStep({ trigger, approvalError: options.waitEnd }, deps);
  const reconcile = (at: string) => resumeRecordedDecisions({
    approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks: taskPort(), clock: () => new Date(at), logger: deps.logger,
    metrics: deps.metrics, escalations: deps.escalations, escalationLedger: deps.escalationLedger, policyFile: deps.remediation.policyFile,
    githubWriter: async () => staticGitHubClients(github.port), answers,
  }, { maxPerRun: 5, afterMinutes: 5, lookbackHours: 48 });
  const replies = () => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${options.commentId} `)).map(([, body]) => body);
  // The same command delivered again (GitHub's redelivery, by hand or by a retried hook).
  const redeliver = () => handleIssueCommentWebhook(signedCommentDelivery({ secret: options.secret, login: 'maintainer', body: options.command, commentId: options.commentId }), made.deps());
  return { github, reconcile, replies, redeliver, incidents: made.incidents };
}
