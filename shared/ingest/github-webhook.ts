import type { Webhooks } from '@octokit/webhooks';
import { z } from 'zod';
import { newIncident } from '../domain/incident.js';
import { type GithubTrigger, githubIncidentId } from '../domain/trigger.js';
import type { Clock, GitHubPort, WorkflowStarter } from '../ports.js';
import { githubIncidentFields, githubIncidentScope } from '../domain/github-incident.js';
import type { StepLogger } from '../steps/deps.js';
import { recordWorkflowRecovery } from '../steps/record-outcome.js';
import type { IncidentStore } from '../stores/incident-store.js';

/** A transport-neutral webhook request: what API Gateway and the local server both provide. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  body: string | null;
  isBase64Encoded: boolean;
}

export interface WebhookResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface IngestDeps {
  /** Built once per process from the webhook secret; verifies `X-Hub-Signature-256`. */
  webhooks: Pick<Webhooks, 'verify'>;
  maxBodyBytes: number;
  incidents: IncidentStore;
  workflow: WorkflowStarter;
  github: GitHubPort | null;
  clock: Clock;
  logger: StepLogger;
}

const FAILED_CONCLUSIONS = new Set(['failure', 'timed_out', 'startup_failure']);

const workflowRunPayload = z.object({
  action: z.string().max(50),
  workflow_run: z.object({
    id: z.number().int().positive(),
    run_attempt: z.number().int().positive().default(1),
    name: z.string().max(300).nullable().optional(),
    workflow_id: z.number().int().nullable().optional(),
    head_sha: z.string().regex(/^[0-9a-f]{7,64}$/i),
    head_branch: z.string().max(255).nullable().optional(),
    event: z.string().max(100).nullable().optional(),
    status: z.string().max(50).nullable().optional(),
    conclusion: z.string().max(50).nullable().optional(),
    html_url: z.string().max(500).nullable().optional(),
    created_at: z.string().max(40).nullable().optional(),
    updated_at: z.string().max(40).nullable().optional(),
    pull_requests: z.array(z.object({ number: z.number().int().positive() }).passthrough()).max(100).default([]),
  }),
  repository: z.object({
    id: z.number().int().positive(),
    name: z.string().min(1).max(100),
    full_name: z.string().min(3).max(200),
    owner: z.object({ login: z.string().min(1).max(100) }),
    default_branch: z.string().max(255).nullable().optional(),
  }),
  installation: z.object({ id: z.number().int() }).nullable().optional(),
  sender: z.object({ login: z.string().max(100) }).nullable().optional(),
});
type WorkflowRunPayload = z.infer<typeof workflowRunPayload>;

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const reply = (statusCode: number, body: Record<string, unknown>): WebhookResponse => ({ statusCode, body });
const refuse = (statusCode: number, message: string): WebhookResponse => reply(statusCode, { message });

export function triggerFromWorkflowRun(payload: WorkflowRunPayload, deliveryId: string | null): GithubTrigger {
  const run = payload.workflow_run;
  return {
    source: 'github',
    incidentId: githubIncidentId(payload.repository.id, run.id, run.run_attempt),
    deliveryId,
    repository: {
      id: payload.repository.id,
      fullName: payload.repository.full_name,
      owner: payload.repository.owner.login,
      name: payload.repository.name,
      defaultBranch: payload.repository.default_branch ?? null,
    },
    installationId: payload.installation?.id ?? null,
    workflowRun: {
      id: run.id,
      attempt: run.run_attempt,
      name: run.name ?? null,
      workflowId: run.workflow_id ?? null,
      headSha: run.head_sha,
      headBranch: run.head_branch ?? null,
      event: run.event ?? null,
      conclusion: run.conclusion ?? 'unknown',
      htmlUrl: run.html_url ?? null,
      createdAt: run.created_at ?? null,
      updatedAt: run.updated_at ?? null,
    },
    pullRequests: run.pull_requests.map((pr) => pr.number).slice(0, 50),
    sender: payload.sender?.login ?? null,
  };
}

/**
 * Handles one GitHub webhook delivery: size cap, HMAC over the raw bytes, JSON, then routing. A failed run
 * becomes one incident and one workflow execution named after it, so a redelivery starts nothing new.
 */
export async function handleGithubWebhook(request: WebhookRequest, deps: IngestDeps): Promise<WebhookResponse> {
  const raw = request.body ?? '';
  const bytes = request.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > deps.maxBodyBytes) {
    return refuse(413, `body is ${bytes.length} bytes, over the ${deps.maxBodyBytes}-byte limit`);
  }
  const signature = header(request.headers, 'x-hub-signature-256');
  if (!signature) return refuse(401, 'missing X-Hub-Signature-256 header');
  const payloadText = bytes.toString('utf8');
  let valid = false;
  try {
    valid = await deps.webhooks.verify(payloadText, signature);
  } catch {
    valid = false;
  }
  if (!valid) return refuse(401, 'X-Hub-Signature-256 does not match the body');

  const event = header(request.headers, 'x-github-event');
  if (!event) return refuse(400, 'missing X-GitHub-Event header');
  const deliveryId = header(request.headers, 'x-github-delivery')?.slice(0, 100) ?? null;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return refuse(400, 'body is not valid JSON');
  }

  if (event === 'ping') return reply(200, { ok: true });
  if (event !== 'workflow_run') return reply(202, { ignored: `event ${event.slice(0, 50)} is not handled` });

  const parsed = workflowRunPayload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(400, `invalid workflow_run payload at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const run = parsed.data.workflow_run;
  if (parsed.data.action !== 'completed') {
    return reply(202, { ignored: `workflow_run action ${parsed.data.action} is not acted on` });
  }
  const trigger = triggerFromWorkflowRun(parsed.data, deliveryId);

  if (run.conclusion === 'success') {
    const completedAt = new Date(run.updated_at ?? deps.clock().toISOString());
    const { resolved } = await recordWorkflowRecovery(
      {
        scope: githubIncidentScope(trigger),
        runId: run.id,
        runUrl: run.html_url ?? null,
        completedAt: Number.isNaN(completedAt.getTime()) ? deps.clock() : completedAt,
      },
      deps,
    );
    return reply(202, { resolved });
  }
  if (!run.conclusion || !FAILED_CONCLUSIONS.has(run.conclusion)) {
    return reply(202, { ignored: `workflow_run conclusion ${run.conclusion ?? 'none'} is not acted on` });
  }

  // The durable write comes first so the incident exists even if starting the workflow fails and GitHub redelivers.
  const created = await deps.incidents.create(newIncident(githubIncidentFields(trigger), deps.clock()), githubIncidentScope(trigger));
  const execution = await deps.workflow.start(trigger.incidentId, { trigger });
  const duplicate = !created || execution.alreadyStarted;
  deps.logger.info('workflow_run failure accepted', { incidentId: trigger.incidentId, duplicate });
  return reply(202, { incidentId: trigger.incidentId, duplicate });
}
