import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { loadConfig } from '../../shared/config.js';
import { handleGithubWebhook } from '../../shared/ingest/github-webhook.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { createApprovalResumeList, createApprovals, createCommandAnswers, createGitHub, createIncidents, createVoteDeps, createRecoveryQueue, createTaskControl, createWebhookVerifier, createWorkflowStarter } from '../../shared/runtime/deps.js';
import { lambdaHandler, safeLogger } from '../../shared/runtime/lambda.js';
import { errorMessage } from '../../shared/errors.js';
import { createPermissionCache } from '../../shared/github/permission-cache.js';

const config = loadConfig(process.env);
// Side by side: each secret read at cold start has a fixed budget (6 s, shared/adapters/aws-json.ts); the two one
// after the other could hold the init phase past Lambda's 10 s limit.
const [webhooks, github] = await Promise.all([createWebhookVerifier(config, safeLogger), createGitHub(config, safeLogger)]);
const deps = {
  webhooks,
  maxBodyBytes: config.MAX_WEBHOOK_BYTES,
  allowedOwners: config.GITHUB_OWNERS,
  incidents: createIncidents(config),
  workflow: createWorkflowStarter(config),
  github,
  clock: () => new Date(),
  logger: safeLogger,
  // A green run's recovery is done off the request by record-outcome (asynchronous invocation; locally a store queue).
  recoveries: createRecoveryQueue(config),
  // `/guard feedback` records feedback on knowledge entries.
  learning: createVoteDeps(config, safeLogger),
  // `/guard approve|reject` resumes the execution waiting for approval.
  tasks: createTaskControl(config),
  approvals: createApprovals(config),
  // A decision whose handler dies before Step Functions answers is left listed there for the reconciler to resume.
  approvalResumes: createApprovalResumeList(config),
  // Each command comment gets at most one reply, edited when a later delivery's outcome differs.
  answers: createCommandAnswers(config),
  // An outsider's repeated /guard commands cost one permission lookup a minute, not one each.
  permissions: createPermissionCache(),
  // A redelivery of a stalled incident re-drives it, within the reconciler's bound.
  maxRedrives: config.RECONCILE_MAX_ATTEMPTS,
};

async function ingest(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    const request = { headers: event.headers ?? {}, body: event.body, isBase64Encoded: event.isBase64Encoded };
    // `/guard …` commands in PR comments (approve, reject, feedback) have their own handler; both verify the same way.
    const kind = Object.entries(request.headers).find(([key]) => key.toLowerCase() === 'x-github-event')?.[1];
    const response = kind === 'issue_comment' ? await handleIssueCommentWebhook(request, deps) : await handleGithubWebhook(request, deps);
    return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  } catch (error) {
    // GitHub shows the response to repository admins: never leak internals, but keep them in the log.
    safeLogger.error('webhook handling failed', { error: errorMessage(error) });
    return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'internal error; the delivery can be retried' }) };
  }
}

export const handler = lambdaHandler(ingest);
